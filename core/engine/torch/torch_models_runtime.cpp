// The engine's models with LibTorch: Depth Anything V2 and the GenStereo diffusion models.
#include "engine/torch/torch_models_runtime.h"

#include <chrono>
#include <future>
#include <system_error>
#include <thread>

#include <ATen/Parallel.h>
#include <c10/util/Exception.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include "engine/compute_dtype.h"
#include "engine/depth_model_files.h"
#include "errors.h"
#include "models/model_layout.h"
#include "nn/architecture_file.h"
#include "nn/depth_anything_v2.h"
#include "nn/depth_estimator.h"
#include "nn/diffusion_engine.h"
#include "nn/state_dict_loader.h"
#include "nn/video_depth_estimator.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

constexpr std::chrono::milliseconds kPollInterval(50);

// Waits for `load`, calling `on_read` with the checkpoint bytes read since `bytes_at_start` every
// 50 ms, and throwing CancelledError at once when `cancel` (if given) is set.
template <typename T>
void waitReporting(const std::shared_future<T>& load, std::uint64_t bytes_at_start,
                   const ModelLoadProgress& on_read, const CancelToken* cancel) {
  while (true) {
    if (cancel != nullptr && cancel->isCancelled()) throw CancelledError();
    const bool is_ready = load.wait_for(kPollInterval) == std::future_status::ready;
    if (on_read) on_read(checkpointBytesLoaded() - bytes_at_start);
    if (is_ready) return;
  }
}

class TorchModels final : public EngineModels {
 public:
  explicit TorchModels(const EngineOptions& options) : options_(options) {}

  ~TorchModels() override {
    abort_loading_.cancel();  // checked between the networks
    if (diffusion_.valid()) diffusion_.wait();
  }

  bool isDepthLoaded() const override { return depth_ != nullptr || video_depth_ != nullptr; }

  void loadDepth(const CancelToken& cancel, const ModelLoadProgress& on_read) override {
    if (isDepthLoaded()) return;
    if (cancel.isCancelled()) throw CancelledError();
    // On a thread of its own, so that this one reports the bytes read; not abandoned on cancel
    // (the depth model is small next to the diffusion models).
    const std::uint64_t bytes_at_start = checkpointBytesLoaded();
    std::shared_future<void> load =
        std::async(std::launch::async, [this] { loadDepthNow(); }).share();
    waitReporting(load, bytes_at_start, on_read, nullptr);
    load.get();  // rethrows the load's error
    if (cancel.isCancelled()) throw CancelledError();
  }

  cv::Mat estimateDepth(const cv::Mat& image01) override {
    at::set_num_threads(threads());
    if (video_depth_) return video_depth_->next(image01);
    return depth_->estimateDepth(image01);
  }

  void resetDepthState() override {
    if (video_depth_) video_depth_->reset();
  }

  std::string depthModelName() const override {
    if (video_depth_) {
      return std::string("Video Depth Anything ") +
             (options_.depth_model == DepthModelSize::kAuto ? "(smallest present)"
                                                            : displayName(options_.depth_model)) +
             (options_.video_depth_window > 0
                  ? ", window of " + std::to_string(options_.video_depth_window) + " frames"
                  : std::string(", streaming"));
    }
    if (!depth_) return {};
    const DepthModelSize size = depth_->size();
    return std::string("Depth Anything V2 ") +
           (size == DepthModelSize::kAuto ? "(custom architecture)" : displayName(size));
  }

  bool isDiffusionLoaded() const override { return loaded_ != nullptr; }

  bool isDiffusionLoading() const override { return diffusion_.valid(); }

  void awaitDiffusion(const CancelToken& cancel, const ModelLoadProgress& on_read) override {
    if (loaded_) return;
    if (!diffusion_.valid()) {
      DiffusionEngineOptions o;
      o.models_dir = options_.models_dir;
      o.variant = options_.variant;
      o.device = options_.device;
      o.dtype = toString(options_.dtype);  // "auto" resolved by the engine (CUDA: its GPU)
      o.threads = options_.threads;
      o.photo_cache_photos = options_.photo_cache_photos;
      const CancelToken abort = abort_loading_;
      diffusion_bytes_at_start_ = checkpointBytesLoaded();
      diffusion_ = std::async(std::launch::async, [o, abort] {
                     return std::make_shared<DiffusionEngine>(o, abort);
                   }).share();
    }
    // A cancelled wait leaves the load going for the next run.
    waitReporting(diffusion_, diffusion_bytes_at_start_, on_read, &cancel);
    try {
      loaded_ = diffusion_.get();
    } catch (...) {
      diffusion_ = {};  // a failed load is forgotten: its memory is freed, the next run retries
      throw;
    }
    diffusion_ = {};
  }

  RightViewSynthesizer diffusionSynthesizer(const DiffusionSettings& settings,
                                            std::function<void(int, int)> on_step,
                                            const CancelToken& cancel) override {
    // LibTorch's thread count is per thread under OpenMP: set it on the thread that runs.
    at::set_num_threads(threads());
    DiffusionParams params;
    params.steps = settings.steps;
    params.guidance_scale = settings.guidance_scale;
    params.seed = settings.seed;
    params.scheduler = settings.scheduler;
    params.tiles = settings.tiles;
    params.tile_overlap = settings.tile_overlap;
    params.tile_feather_px = settings.tile_feather_px;
    DiffusionProgressCallback progress = nullptr;
    if (on_step) progress = [on_step](const DiffusionProgress& p) { on_step(p.step, p.total); };
    std::shared_ptr<DiffusionEngine> engine = loaded_;
    RightViewSynthesizer inner = engine->synthesizer(params, progress, cancel);
    // Keep the loaded models alive as long as the synthesiser.
    return [engine, inner](const cv::Mat& left01, const cv::Mat& disparity) {
      return inner(left01, disparity);
    };
  }

  void addPhotoCounters(StereoEngine::Counters& counters) const override {
    if (!loaded_) return;
    const PhotoConditionCounters photo = loaded_->photoCounters();
    counters.clip_forwards += photo.clip_forwards;
    counters.vae_encodes += photo.vae_encodes;
    counters.reference_forwards += photo.reference_forwards;
    counters.photo_cache_hits += photo.cache_hits;
  }

 private:
  int threads() const {
    return options_.threads > 0 ? options_.threads
                                : static_cast<int>(std::thread::hardware_concurrency());
  }

  void loadDepthNow() {
    if (options_.depth_family == DepthModelFamily::kVideo) {
      VideoDepthOptions o;
      o.models_dir = options_.models_dir;
      o.size = options_.depth_model;
      o.input_size = options_.depth_input_size;
      o.num_threads = threads();
      if (options_.video_depth_window > 0) {
        o.mode = VideoDepthMode::kWindow;
        o.window_frames = options_.video_depth_window;
      }
      video_depth_ = std::make_unique<VideoDepthEstimator>(o);
      return;
    }
    DepthModelOptions o;
    o.models_dir = options_.models_dir;
    o.size = options_.depth_model;
    o.input_size = options_.depth_input_size;
    o.resize = options_.depth_resize;
    o.num_threads = threads();
    o.bfloat16 = depthComputesInBFloat16(options_.dtype, options_.device.rfind("cuda", 0) == 0,
                                         detectCpuBFloat16());
    const fs::path architecture = options_.models_dir / kDepthArchitectureFile;
    std::error_code ec;
    if (fs::is_regular_file(architecture, ec)) {
      o.checkpoint = findDepthCheckpoint(o.models_dir, o.size);
      const DepthModelSize base = o.size == DepthModelSize::kAuto ? DepthModelSize::kSmall : o.size;
      depth_ = std::make_unique<DepthEstimator>(
          o, readDepthArchitecture(architecture, DepthAnythingV2Config::preset(base)));
    } else {
      depth_ = std::make_unique<DepthEstimator>(o);
    }
  }

  EngineOptions options_;
  std::unique_ptr<DepthEstimator> depth_;
  std::unique_ptr<VideoDepthEstimator> video_depth_;  // DepthModelFamily::kVideo
  // The diffusion models load on a thread of their own so that a run waiting for them can be
  // cancelled at once; a cancelled wait leaves the load going, and the next run uses it.
  std::shared_future<std::shared_ptr<DiffusionEngine>> diffusion_;
  std::uint64_t diffusion_bytes_at_start_ = 0;
  std::shared_ptr<DiffusionEngine> loaded_;
  CancelToken abort_loading_;  // the load's own token: only the destructor cancels it
};

class TorchModelsRuntime final : public ModelsRuntime {
 public:
  bool hasModelSupport() const override { return true; }

  ModelLibraryInfo libraryInfo() override {
    ModelLibraryInfo info;
    info.usable = true;
    info.location = "linked in";
    info.runtime = "LibTorch " TORCH_VERSION;
    info.cuda = isCudaAvailable();
    return info;
  }

  bool isCudaAvailable() override { return torch::cuda::is_available(); }

  std::unique_ptr<EngineModels> makeModels(const EngineOptions& options) override {
    return std::make_unique<TorchModels>(options);
  }

  bool describeError(const std::exception& error, std::string& message) const override {
    if (const auto* torch_error = dynamic_cast<const c10::Error*>(&error)) {
      message = std::string("LibTorch: ") + torch_error->what_without_backtrace();
      return true;
    }
    return false;
  }
};

}  // namespace

ModelsRuntime& torchModelsRuntime() {
  static TorchModelsRuntime runtime;
  return runtime;
}

}  // namespace genstereo

// The engine's models with LibTorch: Depth Anything V2 and the GenStereo diffusion models.
#include <atomic>
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
#include "engine/engine_models.h"
#include "errors.h"
#include "io/model_layout.h"
#include "nn/architecture_file.h"
#include "nn/depth_anything_v2.h"
#include "nn/depth_estimator.h"
#include "nn/diffusion_engine.h"
#include "nn/video_depth_estimator.h"

namespace genstereo {
namespace fs = std::filesystem;

struct EngineModels {
  EngineOptions options;
  std::unique_ptr<DepthEstimator> depth;
  std::unique_ptr<VideoDepthEstimator> video_depth;  // DepthModelFamily::kVideo
  // The diffusion models load on a thread of their own so that a run waiting for them can be
  // cancelled at once; a cancelled wait leaves the load going, and the next run uses it.
  std::shared_future<std::shared_ptr<DiffusionEngine>> diffusion;
  std::shared_ptr<DiffusionEngine> loaded;
  std::atomic<bool> abort_loading{false};

  ~EngineModels() {
    abort_loading = true;  // checked between the networks
    if (diffusion.valid()) diffusion.wait();
  }

  int threads() const {
    return options.threads > 0 ? options.threads
                               : static_cast<int>(std::thread::hardware_concurrency());
  }
};

void EngineModelsDeleter::operator()(EngineModels* models) const { delete models; }

EngineModelsPtr makeEngineModels(const EngineOptions& options) {
  EngineModelsPtr models(new EngineModels);
  models->options = options;
  return models;
}

bool engineHasModelSupport() { return true; }

bool isCudaAvailable() { return torch::cuda::is_available(); }

const char* modelLibraryRuntime() { return "LibTorch " TORCH_VERSION; }

ModelLibraryInfo modelLibraryInfo() {
  ModelLibraryInfo info;
  info.usable = true;
  info.location = "linked in";
  info.runtime = modelLibraryRuntime();
  info.cuda = isCudaAvailable();
  return info;
}

std::vector<EngineModelFile> inspectDepthModels(const EngineOptions& options) {
  return expectedDepthModelFiles(options);
}

bool isDepthModelLoaded(const EngineModels& models) {
  return models.depth != nullptr || models.video_depth != nullptr;
}

void loadDepthModel(EngineModels& models, const CancelToken& cancel) {
  if (isDepthModelLoaded(models)) return;
  if (cancel.isCancelled()) throw CancelledError();
  if (models.options.depth_family == DepthModelFamily::kVideo) {
    VideoDepthOptions o;
    o.models_dir = models.options.models_dir;
    o.size = models.options.depth_model;
    o.input_size = models.options.depth_input_size;
    o.num_threads = models.threads();
    if (models.options.video_depth_window > 0) {
      o.mode = VideoDepthMode::kWindow;
      o.window_frames = models.options.video_depth_window;
    }
    models.video_depth = std::make_unique<VideoDepthEstimator>(o);
    if (cancel.isCancelled()) throw CancelledError();
    return;
  }
  DepthModelOptions o;
  o.models_dir = models.options.models_dir;
  o.size = models.options.depth_model;
  o.input_size = models.options.depth_input_size;
  o.resize = models.options.depth_resize;
  o.num_threads = models.threads();
  o.bfloat16 = depthComputesInBFloat16(
      models.options.dtype, models.options.device.rfind("cuda", 0) == 0, detectCpuBFloat16());
  const fs::path architecture = models.options.models_dir / kDepthArchitectureFile;
  std::error_code ec;
  if (fs::is_regular_file(architecture, ec)) {
    o.checkpoint = findDepthCheckpoint(o.models_dir, o.size);
    const DepthModelSize base = o.size == DepthModelSize::kAuto ? DepthModelSize::kSmall : o.size;
    models.depth = std::make_unique<DepthEstimator>(
        o, readDepthArchitecture(architecture, DepthAnythingV2Config::preset(base)));
  } else {
    models.depth = std::make_unique<DepthEstimator>(o);
  }
  if (cancel.isCancelled()) throw CancelledError();
}

cv::Mat estimateDepth(EngineModels& models, const cv::Mat& image01) {
  at::set_num_threads(models.threads());
  if (models.video_depth) return models.video_depth->next(image01);
  return models.depth->estimateDepth(image01);
}

void resetDepthState(EngineModels& models) {
  if (models.video_depth) models.video_depth->reset();
}

std::string depthModelName(const EngineModels& models) {
  if (models.video_depth) {
    return std::string("Video Depth Anything ") +
           (models.options.depth_model == DepthModelSize::kAuto
                ? "(smallest present)"
                : displayName(models.options.depth_model)) +
           (models.options.video_depth_window > 0
                ? ", window of " + std::to_string(models.options.video_depth_window) + " frames"
                : std::string(", streaming"));
  }
  if (!models.depth) return {};
  const DepthModelSize size = models.depth->size();
  return std::string("Depth Anything V2 ") +
         (size == DepthModelSize::kAuto ? "(custom architecture)" : displayName(size));
}

bool isDiffusionLoaded(const EngineModels& models) { return models.loaded != nullptr; }

bool isDiffusionLoading(const EngineModels& models) { return models.diffusion.valid(); }

void awaitDiffusionModels(EngineModels& models, const CancelToken& cancel) {
  if (models.loaded) return;
  if (!models.diffusion.valid()) {
    DiffusionEngineOptions o;
    o.models_dir = models.options.models_dir;
    o.variant = models.options.variant;
    o.device = models.options.device;
    o.dtype = toString(models.options.dtype);  // "auto" resolved by the engine (CUDA: its GPU)
    o.threads = models.options.threads;
    o.photo_cache_photos = models.options.photo_cache_photos;
    std::atomic<bool>* abort = &models.abort_loading;
    models.diffusion = std::async(std::launch::async, [o, abort] {
                         return std::make_shared<DiffusionEngine>(o, abort);
                       }).share();
  }
  do {
    if (cancel.isCancelled()) throw CancelledError();  // the load goes on for the next run
  } while (models.diffusion.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready);
  try {
    models.loaded = models.diffusion.get();
  } catch (...) {
    models.diffusion = {};  // a failed load is forgotten: its memory is freed, the next run retries
    throw;
  }
  models.diffusion = {};
}

RightViewSynthesizer diffusionSynthesizer(EngineModels& models, const DiffusionSettings& settings,
                                          std::function<void(int, int)> on_step,
                                          const CancelToken& cancel) {
  // LibTorch's thread count is per thread under OpenMP: set it on the thread that runs.
  at::set_num_threads(models.threads());
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
  std::shared_ptr<DiffusionEngine> engine = models.loaded;
  RightViewSynthesizer inner = engine->synthesizer(params, progress, cancel.flag());
  // Keep the loaded models (and the cancel flag) alive as long as the synthesiser.
  return [engine, inner, cancel](const cv::Mat& left01, const cv::Mat& disparity) {
    return inner(left01, disparity);
  };
}

void addPhotoCounters(const EngineModels& models, StereoEngine::Counters& counters) {
  if (!models.loaded) return;
  const PhotoConditionCounters photo = models.loaded->photoCounters();
  counters.clip_forwards += photo.clip_forwards;
  counters.vae_encodes += photo.vae_encodes;
  counters.reference_forwards += photo.reference_forwards;
  counters.photo_cache_hits += photo.cache_hits;
}

bool describeModelLibraryError(const std::exception& error, std::string& message) {
  if (const auto* torch_error = dynamic_cast<const c10::Error*>(&error)) {
    message = std::string("LibTorch: ") + torch_error->what_without_backtrace();
    return true;
  }
  return false;
}

}  // namespace genstereo

#include "genstereo/engine.h"

#include <chrono>
#include <cmath>
#include <map>
#include <sstream>
#include <system_error>

#include <opencv2/imgproc.hpp>

#include "engine/compute_dtype.h"
#include "engine/engine_models.h"
#include "errors.h"
#include "io/checkpoint_file.h"
#include "io/model_layout.h"
#include "models/model_catalog.h"
#include "models/sha256.h"

namespace genstereo {
namespace fs = std::filesystem;

// ---- enums --------------------------------------------------------------------------------

const char* toString(EngineChoice choice) {
  switch (choice) {
    case EngineChoice::kAuto:
      return "auto";
    case EngineChoice::kWeightFree:
      return "weight-free";
    case EngineChoice::kDiffusion:
      return "diffusion";
  }
  return "auto";
}

std::optional<EngineChoice> engineChoiceFromString(const std::string& text) {
  for (EngineChoice c :
       {EngineChoice::kAuto, EngineChoice::kWeightFree, EngineChoice::kDiffusion}) {
    if (text == toString(c)) return c;
  }
  return std::nullopt;
}

const char* toString(ComputeDtype dtype) {
  switch (dtype) {
    case ComputeDtype::kAuto:
      return "auto";
    case ComputeDtype::kFloat32:
      return "float32";
    case ComputeDtype::kFloat16:
      return "float16";
    case ComputeDtype::kBFloat16:
      return "bfloat16";
  }
  return "float32";
}

std::optional<ComputeDtype> computeDtypeFromString(const std::string& text) {
  for (ComputeDtype d : {ComputeDtype::kAuto, ComputeDtype::kFloat32, ComputeDtype::kFloat16,
                         ComputeDtype::kBFloat16}) {
    if (text == toString(d)) return d;
  }
  return std::nullopt;
}

ComputeDtype resolveComputeDtype(ComputeDtype requested, const std::string& device) {
  // CUDA: bfloat16 (the engine's GPUs are Ampere or later; the diffusion engine checks the
  // device and runs float32 on an older one).
  const bool is_cuda = device.rfind("cuda", 0) == 0;
  return chooseComputeDtype(requested, is_cuda, true, detectCpuBFloat16());
}

const char* toString(RunStage stage) {
  switch (stage) {
    case RunStage::kLoadingModels:
      return "loading models";
    case RunStage::kEstimatingDepth:
      return "estimating depth";
    case RunStage::kPreparing:
      return "preparing";
    case RunStage::kSynthesizing:
      return "synthesizing";
    case RunStage::kDenoising:
      return "denoising";
    case RunStage::kDone:
      return "done";
  }
  return "preparing";
}

// ---- model report -------------------------------------------------------------------------

bool ModelReport::isDiffusionReady() const {
  if (diffusion.empty()) return false;
  for (const EngineModelFile& file : diffusion) {
    if (file.state != ModelFileState::kPresent) return false;
  }
  return true;
}

bool ModelReport::isDepthReady() const {
  for (const EngineModelFile& file : depth) {
    if (file.state == ModelFileState::kPresent) return true;
  }
  return false;
}

std::vector<const EngineModelFile*> ModelReport::problems() const {
  std::vector<const EngineModelFile*> list;
  for (const auto* group : {&diffusion, &depth}) {
    for (const EngineModelFile& file : *group) {
      if (file.state != ModelFileState::kPresent) list.push_back(&file);
    }
  }
  return list;
}

namespace {

const ModelCatalog& engineCatalog() {
  static const ModelCatalog catalog = loadModelCatalog();
  return catalog;
}

// The state of one model file by the catalogue's structural check: against the manifest of
// catalogue file `catalog_id`, or the container only when `is_custom_architecture`.
EngineModelFile statusOf(const std::string& role, const fs::path& path, const std::string& repo,
                         const std::string& catalog_id, bool is_custom_architecture) {
  EngineModelFile status;
  status.role = role;
  status.path = path;
  status.hub_repo = repo;
  const ModelCatalog& catalog = engineCatalog();
  const CatalogFile* entry = catalog.findFile(catalog_id);
  const ModelManifest* manifest =
      entry != nullptr && !is_custom_architecture ? catalog.manifestFor(*entry) : nullptr;
  const ModelFileCheck check =
      checkModelFile(path, manifest, entry != nullptr ? entry->check : ManifestCheckRules{});
  status.state = check.state;
  status.problem = check.reason;
  status.bytes = check.size_bytes;
  return status;
}

std::string sizeText(cv::Size size) {
  return std::to_string(size.width) + "x" + std::to_string(size.height);
}

double elapsedSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool finite(double v) { return std::isfinite(v); }

void requireRange(const char* name, double value, double low, double high) {
  if (!finite(value) || value < low || value > high) {
    std::ostringstream message;
    message << name << " must be a number in [" << low << ", " << high << "], found " << value;
    throw InputError(message.str());
  }
}

// A map of another size than the photo: refused, or resized (nearest) with disparity values
// scaled by the width ratio.
DisparityMap fitMapToImage(const DisparityMap& map, cv::Size image_size, const std::string& origin,
                           MapSizePolicy policy, bool is_disparity,
                           std::vector<std::string>& notes) {
  if (map.values.size() == image_size) return map;
  if (policy == MapSizePolicy::kRefuse) {
    throw InputError(origin + " is " + sizeText(map.values.size()) + " but the photo is " +
                     sizeText(image_size) +
                     "; they must have the same size (or let the engine resize the map)");
  }
  DisparityMap resized;
  cv::resize(map.values, resized.values, image_size, 0, 0, cv::INTER_NEAREST);
  cv::resize(map.valid, resized.valid, image_size, 0, 0, cv::INTER_NEAREST);
  const double ratio = static_cast<double>(image_size.width) / map.width();
  if (is_disparity) resized.values *= ratio;
  notes.push_back(origin + " (" + sizeText(map.values.size()) + ") was resized to the photo's " +
                  sizeText(image_size) +
                  (is_disparity ? ", its disparities scaled by the width ratio" : ""));
  return resized;
}

// Disparity of the left view towards the right view, whatever eye was synthesised.
cv::Mat leftDisparityOf(const StereoResult& result, SynthesisEye eye) {
  switch (eye) {
    case SynthesisEye::kRight:
      return result.disparity_px;
    case SynthesisEye::kLeft:
      return result.synthesized.disparity_px;
    case SynthesisEye::kBoth:
      return result.second.disparity_px * 2.0;
  }
  return result.disparity_px;
}

// Maps the stage progress of a run to one monotonic fraction of the whole run.
class ProgressMapper {
 public:
  ProgressMapper(const RunProgressCallback& callback, bool loads, bool estimates, bool diffusion)
      : callback_(callback), start_(std::chrono::steady_clock::now()) {
    // Shares of the run: loading and depth are short next to diffusion, long next to the
    // weight-free synthesis.
    double at = 0.0;
    auto add = [&](RunStage stage, bool used, double share) {
      begin_[stage] = at;
      if (used) at += share;
      end_[stage] = at;
    };
    add(RunStage::kLoadingModels, loads, diffusion ? 0.05 : 0.3);
    add(RunStage::kEstimatingDepth, estimates, diffusion ? 0.02 : 0.3);
    add(RunStage::kPreparing, true, 0.01);
    add(RunStage::kSynthesizing, !diffusion, 1.0);
    add(RunStage::kDenoising, diffusion, 1.0);
    total_ = at > 0.0 ? at : 1.0;
  }

  void report(RunStage stage, int step, int total) {
    if (!callback_) return;
    RunProgress p;
    p.stage = stage;
    p.step = step;
    p.total = total;
    p.elapsed_s = elapsedSince(start_);
    double fraction = 1.0;
    if (stage != RunStage::kDone) {
      const double within = total > 0 ? static_cast<double>(std::min(step, total)) / total : 0.0;
      fraction = (begin_[stage] + within * (end_[stage] - begin_[stage])) / total_;
    }
    last_ = std::max(last_, std::min(1.0, fraction));
    p.fraction = last_;
    callback_(p);
  }

 private:
  const RunProgressCallback& callback_;
  std::chrono::steady_clock::time_point start_;
  std::map<RunStage, double> begin_, end_;
  double total_ = 1.0;
  double last_ = 0.0;
};

std::string weightFreeDescription(const SynthesisParams& s) {
  return std::string("weight-free (") +
         (s.warp == WarpMode::kInteger ? "official integer warp" : "sub-pixel warp") + ", " +
         toString(s.fill) + " fill)";
}

}  // namespace

// ---- the engine ---------------------------------------------------------------------------

struct StereoEngine::Impl {
  EngineOptions options;
  Counters counters;
  std::map<std::string, std::string> sha256_by_path;
  EngineModelsPtr models;
};

StereoEngine::StereoEngine(EngineOptions options) : impl_(std::make_unique<Impl>()) {
  if (options.threads < 0 || options.threads > 1024) {
    throw InputError("threads must be between 0 (every core) and 1024, found " +
                     std::to_string(options.threads));
  }
  if (options.photo_cache_photos < 0 || options.photo_cache_photos > 64) {
    throw InputError("the photo cache must hold 0 to 64 photos, found " +
                     std::to_string(options.photo_cache_photos));
  }
  if (options.video_depth_window < 0 || options.video_depth_window > 32) {
    throw InputError("the video depth window must be 0 (streaming) to 32 frames, found " +
                     std::to_string(options.video_depth_window));
  }
  if (options.depth_input_size < 14 || options.depth_input_size > 4096) {
    throw InputError("the depth model's input size must be between 14 and 4096, found " +
                     std::to_string(options.depth_input_size));
  }
  impl_->options = std::move(options);
  impl_->models = makeEngineModels(impl_->options);
}

StereoEngine::~StereoEngine() = default;

const EngineOptions& StereoEngine::options() const { return impl_->options; }

ComputeDtype StereoEngine::computeDtype() const {
  return resolveComputeDtype(impl_->options.dtype, impl_->options.device);
}

StereoEngine::Counters StereoEngine::counters() const {
  Counters counters = impl_->counters;
  addPhotoCounters(*impl_->models, counters);
  return counters;
}

ModelReport StereoEngine::inspectModels() const {
  ModelReport report;
  const EngineOptions& o = impl_->options;
  if (o.models_dir.empty()) return report;
  std::error_code ec;
  const bool custom_genstereo = fs::is_regular_file(
      o.models_dir / variantFolderName(o.variant) / "genstereo_architecture.json", ec);
  for (const ModelFileSlot& slot : genStereoModelSlots(o.models_dir, o.variant)) {
    const std::string id = slot.role == "vae" ? std::string("sd-vae-ft-mse")
                           : slot.role == "image_encoder"
                               ? std::string("image_encoder")
                               : std::string(variantFolderName(o.variant)) + "_" + slot.role;
    report.diffusion.push_back(statusOf(slot.role, slot.path, slot.hub_repo, id, custom_genstereo));
  }
  const bool custom_depth =
      fs::is_regular_file(o.models_dir / "depth_anything_v2_architecture.json", ec);
  for (const EngineModelFile& expected : inspectDepthModels(o)) {
    const std::string id = expected.path.stem().string();  // depth_anything_v2_vits ...
    report.depth.push_back(
        statusOf(expected.role, expected.path, expected.hub_repo, id, custom_depth));
  }
  return report;
}

void StereoEngine::validate(const RunParams& p) {
  const SynthesisParams& s = p.synthesis;
  requireRange("baseline scale", s.shaping.baseline_scale, 1e-3, 100.0);
  requireRange("convergence", s.shaping.convergence, -10.0, 10.0);
  requireRange("feather", s.feather_px, 0.0, 1000.0);
  validateComfort(s.comfort);
  requireRange("vertical sigma", s.fill_params.vertical_sigma_px, 0.0, 1000.0);
  requireRange("maximum disparity", p.depth_conversion.max_disparity_fraction, 0.0, 2.0);
  requireRange("foreground scale", p.depth_shaping.foreground_scale, -3.0, 3.0);
  requireRange("depth clip low percentile", p.depth_shaping.clip_low_percent, 0.0, 100.0);
  requireRange("depth clip high percentile", p.depth_shaping.clip_high_percent, 0.0, 100.0);
  if (!(p.depth_shaping.clip_low_percent < p.depth_shaping.clip_high_percent)) {
    throw InputError("the depth clip low percentile must be below the high one");
  }
  if (p.diffusion.steps < 1 || p.diffusion.steps > 1000) {
    throw InputError("sampling steps must be between 1 and 1000, found " +
                     std::to_string(p.diffusion.steps));
  }
  requireRange("guidance scale", p.diffusion.guidance_scale, 0.0, 100.0);
  requireRange("tile overlap", p.diffusion.tile_overlap, 0.0, 0.9);
  if (p.diffusion.tile_feather_px < 0 || p.diffusion.tile_feather_px > kMaxTileFeatherPx) {
    throw InputError("tile seam feather must be between 0 and " +
                     std::to_string(kMaxTileFeatherPx) + " px, found " +
                     std::to_string(p.diffusion.tile_feather_px));
  }
  if (const auto* d = std::get_if<DisparityInput>(&p.geometry);
      d != nullptr && d->map.values.empty()) {
    throw InputError("the disparity map " + d->origin + " is empty");
  }
  if (const auto* d = std::get_if<DepthInput>(&p.geometry);
      d != nullptr && d->depth.values.empty()) {
    throw InputError("the depth map " + d->origin + " is empty");
  }
}

EngineChoice StereoEngine::resolveEngine(const RunParams& params) const {
  const bool needs_depth = std::holds_alternative<EstimatedDepth>(params.geometry);
  const bool needs_report = needs_depth || params.engine != EngineChoice::kWeightFree;
  const ModelReport report = needs_report ? inspectModels() : ModelReport{};
  if (!engineHasModelSupport()) {
    if (needs_depth) {
      throw InputError(
          "no disparity or depth map given, and this build has no depth model (built without "
          "LibTorch): give a disparity or depth map");
    }
    if (params.engine == EngineChoice::kDiffusion) {
      throw InputError(
          "the diffusion engine is not available in this build (built without LibTorch)");
    }
    return EngineChoice::kWeightFree;
  }
  auto listProblems = [](const std::vector<EngineModelFile>& files) {
    std::string list;
    for (const EngineModelFile& f : files) {
      if (f.state == ModelFileState::kPresent) continue;
      list += (list.empty() ? "" : "; ") + f.path.string() + " (" + toString(f.state) +
              (f.problem.empty() ? "" : ": " + f.problem) + ", from " + f.hub_repo + ")";
    }
    return list;
  };
  if (needs_depth && !report.isDepthReady()) {
    if (impl_->options.models_dir.empty()) {
      throw InputError(
          "no disparity or depth map given and no models folder to estimate depth with");
    }
    throw InputError(std::string("no disparity or depth map given and no usable ") +
                     (impl_->options.depth_family == DepthModelFamily::kVideo
                          ? "Video Depth Anything"
                          : "Depth Anything V2") +
                     " checkpoint in '" + impl_->options.models_dir.string() +
                     "' or in the Hugging Face cache: " + listProblems(report.depth));
  }
  if (params.engine == EngineChoice::kWeightFree) return EngineChoice::kWeightFree;
  if (report.isDiffusionReady()) return EngineChoice::kDiffusion;
  if (params.engine == EngineChoice::kAuto) return EngineChoice::kWeightFree;
  if (impl_->options.models_dir.empty()) {
    throw InputError("the diffusion engine needs a models folder with the GenStereo weights");
  }
  throw InputError(std::string("GenStereo ") + toString(impl_->options.variant) +
                   " weights are not usable in '" + impl_->options.models_dir.string() +
                   "': " + listProblems(report.diffusion));
}

std::string StereoEngine::describe(const RunParams& params) const {
  const EngineChoice engine = resolveEngine(params);
  std::ostringstream out;
  if (engine == EngineChoice::kDiffusion) {
    out << "diffusion (GenStereo " << toString(impl_->options.variant) << ", "
        << toString(params.diffusion.scheduler) << " " << params.diffusion.steps
        << " steps, guidance " << params.diffusion.guidance_scale << ", seed "
        << params.diffusion.seed << ", " << impl_->options.device << " "
        << toString(computeDtype());
    if (params.diffusion.tiles) out << ", tiled, overlap " << params.diffusion.tile_overlap;
    if (params.diffusion.tiles && params.diffusion.tile_feather_px > 0) {
      out << ", seams feathered " << params.diffusion.tile_feather_px << " px";
    }
    out << ")";
  } else {
    out << weightFreeDescription(params.synthesis);
  }
  if (std::holds_alternative<EstimatedDepth>(params.geometry)) {
    const std::string name = depthModelName(*impl_->models);
    out << ", depth: " << (name.empty() ? std::string("Depth Anything V2") : name);
    if (impl_->options.depth_family == DepthModelFamily::kImage &&
        depthComputesInBFloat16(impl_->options.dtype, impl_->options.device.rfind("cuda", 0) == 0,
                                detectCpuBFloat16())) {
      out << " bfloat16";
    }
  }
  return out.str();
}

std::vector<ModelFileUse> StereoEngine::modelFilesUsed(const RunParams& params) {
  std::vector<ModelFileUse> uses;
  const EngineChoice engine = resolveEngine(params);
  const ModelReport report = inspectModels();
  auto add = [&](const EngineModelFile& status) {
    ModelFileUse use;
    use.role = status.role;
    use.path = status.path;
    use.bytes = status.bytes;
    const std::string key = status.path.string();
    auto it = impl_->sha256_by_path.find(key);
    if (it == impl_->sha256_by_path.end())
      it = impl_->sha256_by_path.emplace(key, sha256OfFile(status.path)).first;
    use.sha256 = it->second;
    uses.push_back(use);
  };
  if (engine == EngineChoice::kDiffusion) {
    for (const EngineModelFile& status : report.diffusion) add(status);
  }
  if (std::holds_alternative<EstimatedDepth>(params.geometry)) {
    for (const EngineModelFile& status : report.depth) {
      if (status.state == ModelFileState::kPresent) {
        add(status);
        break;
      }
    }
  }
  return uses;
}

namespace {

// Called in a catch block: rethrows the exception being handled as the project's error types,
// naming the stage (LibTorch and OpenCV errors, out of memory).
[[noreturn]] void rethrowAsEngineError(const char* stage) {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const cv::Exception& e) {
    throw Error(std::string("OpenCV failed while ") + stage + ": " + e.err);
  } catch (const std::bad_alloc&) {
    throw Error(std::string("out of memory while ") + stage);
  } catch (const std::exception& e) {
    std::string message;
    if (describeModelLibraryError(e, message))
      throw Error(std::string("failed while ") + stage + ": " + message);
    throw Error(std::string("failed while ") + stage + ": " + e.what());
  }
}

}  // namespace

const char* toString(DepthModelFamily family) {
  return family == DepthModelFamily::kVideo ? "video" : "image";
}

void StereoEngine::resetDepthState() { genstereo::resetDepthState(*impl_->models); }

DisparityMap StereoEngine::estimateDepth(const cv::Mat& image01, const CancelToken& cancel) {
  if (image01.empty() || image01.type() != CV_32FC3) {
    throw InputError(
        "depth estimation takes a CV_32FC3 BGR image in [0, 1] (as readImage returns)");
  }
  RunParams probe;
  probe.geometry = EstimatedDepth{};
  probe.engine = EngineChoice::kWeightFree;
  resolveEngine(probe);  // InputError naming the missing depth model files
  EngineModels& models = *impl_->models;
  const char* stage = "loading the depth model";
  try {
    if (!isDepthModelLoaded(models)) {
      loadDepthModel(models, cancel);
      ++impl_->counters.model_loads;
    }
    if (cancel.isCancelled()) throw CancelledError();
    stage = "estimating depth";
    DisparityMap depth = makeDisparityMap(::genstereo::estimateDepth(models, image01));
    ++impl_->counters.depth_forwards;
    return depth;
  } catch (...) {
    rethrowAsEngineError(stage);
  }
}

RunResult StereoEngine::run(const cv::Mat& image01, const RunParams& params) {
  const auto start = std::chrono::steady_clock::now();
  validate(params);
  if (image01.empty() || image01.type() != CV_32FC3) {
    throw InputError("the engine takes a CV_32FC3 BGR image in [0, 1] (as readImage returns)");
  }
  const EngineChoice engine = resolveEngine(params);
  const bool estimates = std::holds_alternative<EstimatedDepth>(params.geometry);
  const bool diffusion = engine == EngineChoice::kDiffusion;
  EngineModels& models = *impl_->models;
  const bool loads =
      (estimates && !isDepthModelLoaded(models)) || (diffusion && !isDiffusionLoaded(models));
  ProgressMapper progress(params.on_progress, loads, estimates, diffusion);
  const std::atomic<bool>* cancel = params.cancel.flag();
  auto checkCancel = [&] {
    if (params.cancel.isCancelled()) throw CancelledError();
  };

  RunResult result;
  result.engine_used = engine;
  const char* stage = "preparing";
  try {
    // Geometry.
    DisparityMap disparity;
    if (const auto* given = std::get_if<DisparityInput>(&params.geometry)) {
      disparity = fitMapToImage(given->map, image01.size(), given->origin, params.map_size, true,
                                result.notes);
    } else {
      DisparityMap depth;
      if (const auto* given_depth = std::get_if<DepthInput>(&params.geometry)) {
        depth = fitMapToImage(given_depth->depth, image01.size(), given_depth->origin,
                              params.map_size, false, result.notes);
      } else {
        if (!isDepthModelLoaded(models)) {
          stage = "loading the depth model";
          progress.report(RunStage::kLoadingModels, 0, 1);
          loadDepthModel(models, params.cancel);
          ++impl_->counters.model_loads;
        }
        stage = "estimating depth";
        progress.report(RunStage::kEstimatingDepth, 0, 1);
        const auto depth_start = std::chrono::steady_clock::now();
        depth = makeDisparityMap(::genstereo::estimateDepth(models, image01));
        result.depth_seconds = elapsedSince(depth_start);
        ++impl_->counters.depth_forwards;
        checkCancel();
      }
      stage = "converting depth to disparity";
      result.depth = shapeDepth(depth, params.depth_shaping);
      disparity = depthToDisparity(result.depth, params.depth_conversion);
    }
    progress.report(RunStage::kPreparing, 1, 1);
    checkCancel();

    // The synthesiser of the new view.
    RightViewSynthesizer synthesizer;
    if (diffusion) {
      stage = "loading the GenStereo models";
      if (!isDiffusionLoaded(models)) {
        if (!isDiffusionLoading(models)) ++impl_->counters.model_loads;
        progress.report(RunStage::kLoadingModels, 0, 1);
      }
      awaitDiffusionModels(models, params.cancel);
      auto on_step = [&progress](int step, int total) {
        progress.report(RunStage::kDenoising, step, total);
      };
      synthesizer = diffusionSynthesizer(models, params.diffusion, on_step, params.cancel);
      ++impl_->counters.diffusion_runs;
    }
    stage = diffusion ? "running the diffusion model" : "synthesizing the view";
    ProgressCallback synthesis_progress = [&](const Progress& p) {
      if (!diffusion) progress.report(RunStage::kSynthesizing, p.step, p.total);
    };
    const auto synthesis_start = std::chrono::steady_clock::now();
    StereoResult stereo = synthesizeStereo(image01, disparity, params.synthesis, synthesis_progress,
                                           cancel, synthesizer);
    result.synthesis_seconds = elapsedSince(synthesis_start);
    checkCancel();
    stage = "measuring the parallax";
    result.parallax = computeParallaxBudget(stereo.disparity_px);
    result.comfort_warnings = comfortWarnings(result.parallax);
    result.baseline_scale = stereo.baseline_scale;
    result.screen_disparity_px = stereo.screen_disparity_px;
    result.columns = stereo.columns;
    if (stereo.is_range_limited) {
      std::ostringstream note;
      note.precision(3);
      note << "the baseline was narrowed to " << stereo.baseline_scale
           << "x so that the parallax range fits " << params.synthesis.comfort.max_range_percent
           << "% of the width";
      result.notes.push_back(note.str());
    }
    if (stereo.columns != cv::Range::all() && !result.depth.values.empty()) {
      result.depth.values = result.depth.values.colRange(stereo.columns).clone();
      result.depth.valid = result.depth.valid.colRange(stereo.columns).clone();
    }
    result.left = stereo.left;
    result.right = stereo.right;
    result.disparity_px = stereo.disparity_px;
    result.left_disparity_px = leftDisparityOf(stereo, params.synthesis.eye);
    result.synthesized = std::move(stereo.synthesized);
    result.second = std::move(stereo.second);
    if (diffusion) result.generated = result.synthesized.filled;
    if (diffusion || std::holds_alternative<EstimatedDepth>(params.geometry)) {
      const std::string slow = computeDtypeNote(
          computeDtype(), impl_->options.device.rfind("cuda", 0) == 0, detectCpuBFloat16());
      if (!slow.empty()) result.notes.push_back(slow);
    }
  } catch (...) {
    rethrowAsEngineError(stage);
  }
  result.engine_description = describe(params);
  result.seconds = elapsedSince(start);
  progress.report(RunStage::kDone, 1, 1);
  return result;
}

}  // namespace genstereo

#include "genstereo/engine.h"

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <list>
#include <map>
#include <sstream>
#include <system_error>

#include <opencv2/imgproc.hpp>

#include "engine/compute_dtype.h"
#include "engine/depth_model_files.h"
#include "engine/map_file.h"
#include "engine/models_runtime.h"
#include "errors.h"
#include "io/checkpoint_file.h"
#include "models/model_catalog.h"
#include "models/model_file_check.h"
#include "models/model_layout.h"
#include "models/sha256.h"
#include "stereo/comfort_shaping.h"
#include "stereo/depth_shaping.h"
#include "stereo/disparity_preparation.h"
#include "stereo/parallax_budget.h"
#include "stereo/stereo_synthesis.h"

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

// ---- notes ----------------------------------------------------------------------------------

std::string describeRunNote(const RunNote& note) {
  const auto value = [&note](size_t i) { return i < note.values.size() ? note.values[i] : 0.0; };
  const auto size = [&value](size_t i) {
    return std::to_string(static_cast<long long>(std::lround(value(i)))) + "x" +
           std::to_string(static_cast<long long>(std::lround(value(i + 1))));
  };
  switch (note.kind) {
    case RunNoteKind::kMapResized:
      return note.subject + " (" + size(0) + ") was resized to the photo's " + size(2) +
             (value(4) != 0.0 ? ", its disparities scaled by the width ratio" : "");
    case RunNoteKind::kBaselineNarrowed: {
      std::ostringstream text;
      text.precision(3);
      text << "the baseline was narrowed to " << value(0) << "x so that the parallax range fits "
           << value(1) << "% of the width";
      return text.str();
    }
    case RunNoteKind::kSlowBFloat16:
      return computeDtypeNote(ComputeDtype::kBFloat16, false, CpuBFloat16Support{});
    case RunNoteKind::kMapScaleSuspect: {
      char numbers[160];
      std::snprintf(numbers, sizeof numbers,
                    "%.1f %% of the valid pixels, largest %.4g px, for a map %d px wide", value(0),
                    value(1), static_cast<int>(std::lround(value(2))));
      return "disparities of " + note.subject + " beyond the image width (" + numbers +
             "): those pixels leave the picture; is the map's scale right?";
    }
  }
  return {};
}

std::vector<std::string> describeRunNotes(const std::vector<RunNote>& notes) {
  std::vector<std::string> texts;
  texts.reserve(notes.size());
  for (const RunNote& note : notes) texts.push_back(describeRunNote(note));
  return texts;
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
  status.catalog_id = catalog_id;
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

// `map` at `size_px` (nearest, so invalid pixels stay invalid): a disparity map's values scale
// with the width (pixels of the new size); a depth map keeps its values. The one resize rule
// of maps (MapSizePolicy::kResize, previews).
DisparityMap resizedMap(const DisparityMap& map, cv::Size size_px, bool is_disparity) {
  if (map.values.size() == size_px) return map;
  DisparityMap resized;
  cv::resize(map.values, resized.values, size_px, 0, 0, cv::INTER_NEAREST);
  cv::resize(map.valid, resized.valid, size_px, 0, 0, cv::INTER_NEAREST);
  if (is_disparity && map.width() > 0) {
    resized.values *= static_cast<double>(size_px.width) / map.width();
  }
  return resized;
}

// A map of another size than the photo: refused, or resized (noted). Then at the run's working
// size (`working_size`: the photo's, or its preview's), in one resize.
DisparityMap fitMapToImage(const DisparityMap& map, cv::Size image_size, cv::Size working_size,
                           const std::string& origin, MapSizePolicy policy, bool is_disparity,
                           std::vector<RunNote>& notes) {
  if (map.values.size() == image_size) return resizedMap(map, working_size, is_disparity);
  if (policy == MapSizePolicy::kRefuse) {
    throw InputError(origin + " is " + sizeText(map.values.size()) + " but the photo is " +
                     sizeText(image_size) +
                     "; they must have the same size (or let the engine resize the map)");
  }
  notes.push_back(RunNote{RunNoteKind::kMapResized,
                          {static_cast<double>(map.width()), static_cast<double>(map.height()),
                           static_cast<double>(image_size.width),
                           static_cast<double>(image_size.height), is_disparity ? 1.0 : 0.0},
                          origin});
  return resizedMap(map, working_size, is_disparity);
}

// ---- content keys ---------------------------------------------------------------------------

// xxHash64's round and avalanche (a fast non-cryptographic hash; the caches it keys hold a few
// photos of one process, and two 64-bit lanes make an accidental collision negligible).
constexpr std::uint64_t kPrime1 = 0x9E3779B185EBCA87ull;
constexpr std::uint64_t kPrime2 = 0xC2B2AE3D27D4EB4Full;
constexpr std::uint64_t kPrime3 = 0x165667B19E3779F9ull;

std::uint64_t rotl64(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

std::uint64_t hashRound(std::uint64_t acc, std::uint64_t input) {
  return rotl64(acc + input * kPrime2, 31) * kPrime1;
}

std::uint64_t avalanche(std::uint64_t h) {
  h ^= h >> 33;
  h *= kPrime2;
  h ^= h >> 29;
  h *= kPrime3;
  h ^= h >> 32;
  return h;
}

// Four independent lanes (32 bytes a step) so that the multiplies overlap.
struct BlockHash {
  std::array<std::uint64_t, 4> lanes;
  explicit BlockHash(std::uint64_t seed)
      : lanes{seed + kPrime1 + kPrime2, seed + kPrime2, seed, seed - kPrime1} {}

  void update(const std::uint8_t* data, size_t bytes) {
    std::uint64_t words[4];
    size_t at = 0;
    for (; at + 32 <= bytes; at += 32) {
      std::memcpy(words, data + at, 32);
      for (int i = 0; i < 4; ++i) lanes[i] = hashRound(lanes[i], words[i]);
    }
    for (int i = 0; at < bytes; ++i, at += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, data + at, std::min<size_t>(8, bytes - at));
      lanes[i] = hashRound(lanes[i], word);
    }
    lanes[0] = hashRound(lanes[0], bytes);
  }

  std::array<std::uint64_t, 2> finish() const {
    const std::uint64_t a =
        rotl64(lanes[0], 1) + rotl64(lanes[1], 7) + rotl64(lanes[2], 12) + rotl64(lanes[3], 18);
    const std::uint64_t b = hashRound(hashRound(lanes[3], lanes[2]), hashRound(lanes[1], lanes[0]));
    return {avalanche(a), avalanche(b)};
  }
};

// The key of a matrix's pixels in the engine's caches: 128 bits of hash, its size and type.
// Blocks of rows are hashed in parallel and combined in order (the key does not depend on the
// number of threads); ~10 ms for a 12-megapixel float photo.
std::string contentKeyOf(const cv::Mat& mat) {
  constexpr int kRowsPerBlock = 32;
  const int blocks = (mat.rows + kRowsPerBlock - 1) / kRowsPerBlock;
  const size_t row_bytes = static_cast<size_t>(mat.cols) * mat.elemSize();
  std::vector<std::array<std::uint64_t, 2>> hashes(static_cast<size_t>(blocks));
  cv::parallel_for_(cv::Range(0, blocks), [&](const cv::Range& range) {
    for (int b = range.start; b < range.end; ++b) {
      BlockHash hash(static_cast<std::uint64_t>(b));
      const int end = std::min(mat.rows, (b + 1) * kRowsPerBlock);
      for (int y = b * kRowsPerBlock; y < end; ++y)
        hash.update(mat.ptr<std::uint8_t>(y), row_bytes);
      hashes[static_cast<size_t>(b)] = hash.finish();
    }
  });
  std::uint64_t a = kPrime3, b = kPrime1;
  for (const auto& block : hashes) {
    a = hashRound(a, block[0]);
    b = hashRound(b, block[1]);
  }
  char text[40];
  std::snprintf(text, sizeof(text), "%016llx%016llx", static_cast<unsigned long long>(avalanche(a)),
                static_cast<unsigned long long>(avalanche(b)));
  return std::string(text) + "|" + sizeText(mat.size()) + "|" + std::to_string(mat.type());
}

// What makes one depth model's output: the options that choose and run it and the checkpoint
// it loads (path, size and time of the first of the expected files present).
std::string depthModelKeyOf(const EngineOptions& o) {
  std::ostringstream key;
  key << o.models_dir.string() << "|" << toString(o.depth_model) << "|" << o.depth_input_size << "|"
      << static_cast<int>(o.depth_resize) << "|" << toString(o.dtype) << "|" << o.device;
  for (const EngineModelFile& file : expectedDepthModelFiles(o)) {
    std::error_code ec;
    const auto bytes = fs::file_size(file.path, ec);
    if (ec) continue;
    const auto time = fs::last_write_time(file.path, ec);
    key << "|" << file.path.string() << "|" << bytes << "|"
        << (ec ? 0 : time.time_since_epoch().count());
    break;
  }
  return key.str();
}

// A small most-recently-used list of key -> value.
template <typename Value>
class RecentCache {
 public:
  const Value* find(const std::string& key) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first != key) continue;
      entries_.splice(entries_.begin(), entries_, it);  // the most recent first
      return &entries_.front().second;
    }
    return nullptr;
  }
  void insert(const std::string& key, Value value, size_t capacity) {
    if (capacity == 0) return;
    entries_.remove_if([&key](const auto& entry) { return entry.first == key; });
    entries_.emplace_front(key, std::move(value));
    while (entries_.size() > capacity) entries_.pop_back();
  }

 private:
  std::list<std::pair<std::string, Value>> entries_;
};

// The previews of the last photos (the budget's few sizes during a drag).
constexpr size_t kPreviewPhotos = 4;
constexpr int kMinPreviewSidePx = 16;

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

// Loading the models in MiB (RunProgress of RunStage::kLoadingModels): the bytes of the files to
// read, from their sizes (the depth model: the first present file, as the model looks for them).
std::uint64_t bytesToLoad(const std::vector<EngineModelFile>& files, bool is_first_present_only) {
  std::uint64_t bytes = 0;
  for (const EngineModelFile& file : files) {
    if (file.state != ModelFileState::kPresent) continue;
    bytes += file.bytes;
    if (is_first_present_only) break;
  }
  return bytes;
}

constexpr double kMiB = 1024.0 * 1024.0;

// Loading as RunProgress: `bytes` of `total_bytes` read, in whole MiB (the total rounded up).
void reportLoading(ProgressMapper& progress, std::uint64_t bytes, std::uint64_t total_bytes) {
  if (total_bytes == 0) return progress.report(RunStage::kLoadingModels, 0, 0);
  const int total = static_cast<int>(std::ceil(total_bytes / kMiB));
  const int read = bytes >= total_bytes ? total : std::min(total, static_cast<int>(bytes / kMiB));
  progress.report(RunStage::kLoadingModels, read, total);
}

// Reports the checkpoint bytes a load has read, after `done_bytes` of the earlier loads of the
// run.
ModelLoadProgress loadingReporter(ProgressMapper& progress, std::uint64_t done_bytes,
                                  std::uint64_t total_bytes) {
  return [&progress, done_bytes, total_bytes](std::uint64_t bytes_read) {
    reportLoading(progress, done_bytes + bytes_read, total_bytes);
  };
}

// The depth checkpoints the models look for, none without models.
std::vector<EngineModelFile> depthFilesOf(const EngineOptions& options) {
  if (!modelsRuntime().hasModelSupport()) return {};
  return expectedDepthModelFiles(options);
}

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
  // Made on first use: a weight-free run never loads the models module.
  std::unique_ptr<EngineModels> models;

  EngineModels& useModels() {
    if (!models) models = modelsRuntime().makeModels(options);
    return *models;
  }
  bool isDepthLoaded() const { return models && models->isDepthLoaded(); }
  bool isDiffusionLoaded() const { return models && models->isDiffusionLoaded(); }
  // Estimated depth: the raw output at the photo's size, by depthModelKeyOf + contentKeyOf.
  RecentCache<DisparityMap> depth_cache;
  std::string depth_model_key;  // of the first estimation (the loaded model never changes)
  // Previews of photos (INTER_AREA), by contentKeyOf + size.
  RecentCache<cv::Mat> preview_photos;
};

cv::Size previewSizeOf(cv::Size photo_px, cv::Size box_px) {
  if (photo_px.width <= 0 || photo_px.height <= 0 || box_px.width <= 0 || box_px.height <= 0) {
    return photo_px;
  }
  const double scale = std::min({1.0, box_px.width / static_cast<double>(photo_px.width),
                                 box_px.height / static_cast<double>(photo_px.height)});
  const int width =
      std::max(kMinPreviewSidePx, static_cast<int>(std::lround(photo_px.width * scale)));
  const int height =
      std::max(kMinPreviewSidePx, static_cast<int>(std::lround(photo_px.height * scale)));
  return {std::min(width, photo_px.width), std::min(height, photo_px.height)};
}

StereoEngine::StereoEngine(EngineOptions options) : impl_(std::make_unique<Impl>()) {
  if (options.threads < 0 || options.threads > 1024) {
    throw InputError("threads must be between 0 (every core) and 1024, found " +
                     std::to_string(options.threads));
  }
  if (options.photo_cache_photos < 0 || options.photo_cache_photos > 64) {
    throw InputError("the photo cache must hold 0 to 64 photos, found " +
                     std::to_string(options.photo_cache_photos));
  }
  if (options.depth_cache_photos < 0 || options.depth_cache_photos > 64) {
    throw InputError("the depth cache must hold 0 to 64 photos, found " +
                     std::to_string(options.depth_cache_photos));
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
}

StereoEngine::~StereoEngine() = default;

const EngineOptions& StereoEngine::options() const { return impl_->options; }

ComputeDtype StereoEngine::computeDtype() const {
  return resolveComputeDtype(impl_->options.dtype, impl_->options.device);
}

StereoEngine::Counters StereoEngine::counters() const {
  Counters counters = impl_->counters;
  if (impl_->models) impl_->models->addPhotoCounters(counters);
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
  for (const EngineModelFile& expected : depthFilesOf(o)) {
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
  if (const auto* f = std::get_if<MapFile>(&p.geometry); f != nullptr && f->path.empty()) {
    throw InputError(std::string("no ") + toString(f->kind) + " file named (an empty path)");
  }
}

// plan() and resolveEngine(): engine/run_plan.cpp; readMapFile(): engine/map_file.cpp.

std::string StereoEngine::describe(const RunParams& params) const {
  const EngineChoice engine = plan(params).engine;
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
    const std::string name = impl_->models ? impl_->models->depthModelName() : std::string();
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
  // The plan's files: the diffusion weights when that engine runs, the depth checkpoint when
  // depth is estimated and one is found (a map file is not read).
  const RunPlan planned = plan(params);
  if (planned.reason == EngineReason::kNotReady) throw InputError(planned.problem);
  const EngineChoice engine = planned.engine;
  const ModelReport report = engine == EngineChoice::kDiffusion ? inspectModels() : ModelReport{};
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
  if (planned.depth_model) add(*planned.depth_model);
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
    if (modelsRuntime().describeError(e, message))
      throw Error(std::string("failed while ") + stage + ": " + message);
    throw Error(std::string("failed while ") + stage + ": " + e.what());
  }
}

}  // namespace

const char* toString(DepthModelFamily family) {
  return family == DepthModelFamily::kVideo ? "video" : "image";
}

void StereoEngine::resetDepthState() {
  if (impl_->models) impl_->models->resetDepthState();
}

DisparityMap StereoEngine::estimateDepth(const cv::Mat& image01, const CancelToken& cancel) {
  if (image01.empty() || image01.type() != CV_32FC3) {
    throw InputError(
        "depth estimation takes a CV_32FC3 BGR image in [0, 1] (as readImage returns)");
  }
  RunParams probe;
  probe.geometry = EstimatedDepth{};
  probe.engine = EngineChoice::kWeightFree;
  resolveEngine(probe);  // InputError naming the missing depth model files
  const char* stage = "loading the depth model";
  try {
    if (!impl_->isDepthLoaded()) {
      impl_->useModels().loadDepth(cancel, nullptr);
      ++impl_->counters.model_loads;
    }
    if (cancel.isCancelled()) throw CancelledError();
    stage = "estimating depth";
    DisparityMap depth = makeDisparityMap(impl_->useModels().estimateDepth(image01));
    ++impl_->counters.depth_forwards;
    return depth;
  } catch (...) {
    rethrowAsEngineError(stage);
  }
}

RunResult StereoEngine::run(const cv::Mat& image01, const RunParams& params) {
  if (const auto* file = std::get_if<MapFile>(&params.geometry)) {
    // The one reader of map files (engine/map_file.h), then the run on the map it holds.
    validate(params);
    resolveEngine(params);  // missing models or map file: refused before the map is read
    std::vector<RunNote> notes;
    RunParams read = params;
    read.geometry = readGeometryFile(*file, &notes);
    RunResult result = run(image01, read);
    result.notes.insert(result.notes.begin(), notes.begin(), notes.end());
    return result;
  }
  const auto start = std::chrono::steady_clock::now();
  validate(params);
  if (image01.empty() || image01.type() != CV_32FC3) {
    throw InputError("the engine takes a CV_32FC3 BGR image in [0, 1] (as readImage returns)");
  }
  const EngineChoice engine = resolveEngine(params);
  const bool estimates = std::holds_alternative<EstimatedDepth>(params.geometry);
  const bool diffusion = engine == EngineChoice::kDiffusion;
  // The working size (a preview's, else the photo's) and the photo's key in the caches.
  const cv::Size working_size = previewSizeOf(image01.size(), params.preview_box_px);
  const bool is_preview = working_size != image01.size();
  const bool caches_depth = estimates && impl_->options.depth_cache_photos > 0 &&
                            impl_->options.depth_family == DepthModelFamily::kImage;
  const std::string photo_key = caches_depth || is_preview ? contentKeyOf(image01) : std::string();
  if (caches_depth && impl_->depth_model_key.empty()) {
    impl_->depth_model_key = depthModelKeyOf(impl_->options);
  }
  const std::string depth_key =
      caches_depth ? impl_->depth_model_key + "#" + photo_key : std::string();
  const DisparityMap* cached_depth = caches_depth ? impl_->depth_cache.find(depth_key) : nullptr;
  const bool runs_depth_model = estimates && cached_depth == nullptr;
  const bool loads_depth = runs_depth_model && !impl_->isDepthLoaded();
  const bool loads_diffusion = diffusion && !impl_->isDiffusionLoaded();
  ProgressMapper progress(params.on_progress, loads_depth || loads_diffusion, runs_depth_model,
                          diffusion);
  // Loading is reported in MiB read of the MiB of the files to read.
  const ModelReport files = loads_depth || loads_diffusion ? inspectModels() : ModelReport{};
  const std::uint64_t depth_bytes = loads_depth ? bytesToLoad(files.depth, true) : 0;
  const std::uint64_t load_bytes =
      depth_bytes + (loads_diffusion ? bytesToLoad(files.diffusion, false) : 0);
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
      disparity = fitMapToImage(given->map, image01.size(), working_size, given->origin,
                                params.map_size, true, result.notes);
    } else {
      DisparityMap depth;
      if (const auto* given_depth = std::get_if<DepthInput>(&params.geometry)) {
        depth = fitMapToImage(given_depth->depth, image01.size(), working_size, given_depth->origin,
                              params.map_size, false, result.notes);
      } else if (cached_depth != nullptr) {
        // The depth model's raw output for this photo (shaped below, as a new estimate is).
        depth = resizedMap(*cached_depth, working_size, false);
        ++impl_->counters.depth_cache_hits;
      } else {
        if (!impl_->isDepthLoaded()) {
          stage = "loading the depth model";
          const ModelLoadProgress on_read = loadingReporter(progress, 0, load_bytes);
          on_read(0);
          impl_->useModels().loadDepth(params.cancel, on_read);
          reportLoading(progress, depth_bytes, load_bytes);
          ++impl_->counters.model_loads;
        }
        stage = "estimating depth";
        progress.report(RunStage::kEstimatingDepth, 0, 1);
        const auto depth_start = std::chrono::steady_clock::now();
        // At full resolution, a preview's too (kept for the full run that follows it).
        DisparityMap raw = makeDisparityMap(impl_->useModels().estimateDepth(image01));
        result.depth_seconds = elapsedSince(depth_start);
        ++impl_->counters.depth_forwards;
        checkCancel();
        depth = resizedMap(raw, working_size, false);
        if (caches_depth) {
          impl_->depth_cache.insert(depth_key, std::move(raw),
                                    static_cast<size_t>(impl_->options.depth_cache_photos));
        }
      }
      stage = "converting depth to disparity";
      result.depth = shapeDepth(depth, params.depth_shaping);
      disparity = depthToDisparity(result.depth, params.depth_conversion);
    }
    // The photo at the working size, and the screen point on it.
    cv::Mat photo = image01;
    SynthesisParams synthesis = params.synthesis;
    if (is_preview) {
      stage = "making the preview";
      const std::string preview_key = photo_key + "@" + sizeText(working_size);
      if (const cv::Mat* kept = impl_->preview_photos.find(preview_key)) {
        photo = *kept;
      } else {
        cv::resize(image01, photo, working_size, 0.0, 0.0, cv::INTER_AREA);
        impl_->preview_photos.insert(preview_key, photo, kPreviewPhotos);
      }
      if (synthesis.comfort.convergence == ConvergenceMode::kPoint) {
        // Pixel centres map onto pixel centres: (x + 0.5) * preview / photo - 0.5, rounded.
        const auto scaled = [](int value, int full, int preview) {
          const double centre = (value + 0.5) * preview / static_cast<double>(full);
          return std::clamp(static_cast<int>(std::floor(centre)), 0, preview - 1);
        };
        cv::Point& point = synthesis.comfort.screen_point_px;
        point = {scaled(point.x, image01.cols, working_size.width),
                 scaled(point.y, image01.rows, working_size.height)};
      }
    }
    result.photo = photo;
    result.is_preview = is_preview;
    progress.report(RunStage::kPreparing, 1, 1);
    checkCancel();

    // The synthesiser of the new view.
    RightViewSynthesizer synthesizer;
    if (diffusion) {
      stage = "loading the GenStereo models";
      EngineModels& models = impl_->useModels();
      ModelLoadProgress on_read;
      if (!models.isDiffusionLoaded()) {
        if (!models.isDiffusionLoading()) ++impl_->counters.model_loads;
        on_read = loadingReporter(progress, depth_bytes, load_bytes);
        on_read(0);
      }
      models.awaitDiffusion(params.cancel, on_read);
      if (on_read) reportLoading(progress, load_bytes, load_bytes);
      auto on_step = [&progress](int step, int total) {
        progress.report(RunStage::kDenoising, step, total);
      };
      synthesizer = models.diffusionSynthesizer(params.diffusion, on_step, params.cancel);
      ++impl_->counters.diffusion_runs;
    }
    stage = diffusion ? "running the diffusion model" : "synthesizing the view";
    RunProgressCallback synthesis_progress = [&](const RunProgress& p) {
      if (!diffusion) progress.report(RunStage::kSynthesizing, p.step, p.total);
    };
    const auto synthesis_start = std::chrono::steady_clock::now();
    StereoResult stereo = synthesizeStereo(photo, disparity, synthesis, synthesis_progress,
                                           params.cancel, synthesizer);
    result.synthesis_seconds = elapsedSince(synthesis_start);
    checkCancel();
    stage = "measuring the parallax";
    result.parallax = computeParallaxBudget(stereo.disparity_px);
    result.comfort_warnings = comfortWarnings(result.parallax);
    result.baseline_scale = stereo.baseline_scale;
    result.screen_disparity_px = stereo.screen_disparity_px;
    result.columns = stereo.columns;
    if (stereo.is_range_limited) {
      result.notes.push_back(
          RunNote{RunNoteKind::kBaselineNarrowed,
                  {stereo.baseline_scale, params.synthesis.comfort.max_range_percent},
                  {}});
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
      if (!slow.empty()) result.notes.push_back(RunNote{RunNoteKind::kSlowBFloat16, {}, {}});
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

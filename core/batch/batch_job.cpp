#include "batch/batch_job.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include <sys/file.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "io/atomic_write.h"
#include "io/image_io.h"
#include "io/json_text.h"
#include "models/sha256.h"
#include "pipeline/generate_job.h"
#include "stereo/parallax_budget.h"

namespace genstereo {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kBatchFormat = "genstereo-batch/1";
constexpr const char* kBatchLockName = ".genstereo-batch.lock";

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

std::string absoluteString(const fs::path& path) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  return jsonPathString(ec ? path : absolute.lexically_normal());
}

// The engine as recorded in batch.json and every item's meta: which engine, its settings and
// the model files it has (with their sha256), so that a dataset can be reproduced; each item's
// meta also lists the files its own run used (model_files_used).
json engineJson(const BatchParams& params, StereoEngine& engine) {
  const SynthesisParams& s = params.run.synthesis;
  const FillParams& f = s.fill_params;
  // The items' plan (the engine is the same for every item; items without a map estimate depth).
  RunParams items_run = params.run;
  items_run.geometry = EstimatedDepth{};
  const RunPlan plan = engine.plan(items_run);
  if (plan.reason == EngineReason::kNotReady) throw InputError(plan.problem);
  const EngineChoice choice = plan.engine;
  json doc = {{"name", toString(choice)},
              {"version", GENSTEREO_VERSION},
              {"warp", toString(s.warp)},
              {"fill", toString(s.fill)},
              {"feather_px", s.feather_px},
              {"fill_params",
               {{"foreground_margin_px", f.foreground_margin_px},
                {"reach_factor", f.reach_factor},
                {"min_reach_px", f.min_reach_px},
                {"guard_window_px", f.guard_window_px},
                {"row_weight", f.row_weight},
                {"row_samples", f.row_samples},
                {"vertical_sigma_px", f.vertical_sigma_px}}}};
  if (choice == EngineChoice::kDiffusion) {
    doc["diffusion"] = {{"variant", toString(engine.options().variant)},
                        {"scheduler", toString(params.run.diffusion.scheduler)},
                        {"steps", params.run.diffusion.steps},
                        {"guidance_scale", params.run.diffusion.guidance_scale},
                        {"device", engine.options().device},
                        {"dtype", toString(engine.computeDtype())}};  // what ran ("auto" resolved)
  }
  json files = json::array();
  for (const ModelFileUse& use : engine.modelFilesUsed(items_run)) {
    files.push_back({{"role", use.role},
                     {"path", absoluteString(use.path)},
                     {"bytes", use.bytes},
                     {"sha256", use.sha256}});
  }
  doc["model_files"] = files;
  return doc;
}

json paramsJson(const BatchParams& params) {
  const RunParams& run = params.run;
  json p = {
      {"seed", run.diffusion.seed},
      {"baseline_scale", run.synthesis.shaping.baseline_scale},
      {"convergence", run.synthesis.shaping.convergence},
      {"comfort",
       {{"convergence", toString(run.synthesis.comfort.convergence)},
        {"convergence_percentile", run.synthesis.comfort.convergence_percentile},
        {"screen_point_px",
         {run.synthesis.comfort.screen_point_px.x, run.synthesis.comfort.screen_point_px.y}},
        {"parallax_limit_percent", run.synthesis.comfort.max_range_percent}}},
      {"border", toString(run.synthesis.border)},
      {"eye", toString(run.synthesis.eye)},
      {"depth_kind", run.depth_conversion.kind == DepthKind::kInverse ? "inverse" : "metric"},
      {"max_disparity_fraction", run.depth_conversion.max_disparity_fraction},
      {"depth_shaping",
       {{"clip_low_percent", run.depth_shaping.clip_low_percent},
        {"clip_high_percent", run.depth_shaping.clip_high_percent},
        {"foreground_scale", run.depth_shaping.foreground_scale},
        {"edge_dilation_x_px", run.depth_shaping.edge_dilation_x_px},
        {"edge_dilation_y_px", run.depth_shaping.edge_dilation_y_px}}},
      {"disparity_png_divisor",
       params.read_options.png_divisor ? json(*params.read_options.png_divisor) : json(nullptr)},
      {"consistency", params.check_consistency}};
  if (params.check_consistency) {
    p["consistency_params"] = {{"block_size", params.consistency.block_size},
                               {"mode", params.consistency.full_dp ? "HH" : "SGBM_3WAY"},
                               {"d1_threshold_px", params.consistency.d1_threshold_px},
                               {"d1_threshold_fraction", params.consistency.d1_threshold_fraction}};
  }
  return p;
}

json fileJson(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    throw InputError("cannot read '" + path.string() + "': it disappeared during the batch");
  }
  const std::int64_t mtime_ns =
      static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
  return {{"path", absoluteString(path)},
          {"bytes", static_cast<std::uint64_t>(info.st_size)},
          {"mtime_ns", mtime_ns}};
}

json inputsJson(const BatchItem& item) {
  json inputs = {{"image", fileJson(item.image)}};
  if (item.disparity) inputs["disparity"] = fileJson(*item.disparity);
  if (item.depth) inputs["depth"] = fileJson(*item.depth);
  return inputs;
}

json consistencyJson(const ConsistencyScores& c) {
  json scores = {{"epe_px", number(c.epe_px)},       {"d1", number(c.d1)},
                 {"sgbm_density", c.sgbm_density},   {"pixels", c.pixel_count},
                 {"min_disparity", c.min_disparity}, {"num_disparities", c.num_disparities}};
  if (!c.skipped_reason.empty()) scores["skipped"] = validUtf8(c.skipped_reason);
  return scores;
}

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void writeJson(const fs::path& path, const json& doc) {
  const std::string text = dumpJsonDocument(doc);
  writeBytesAtomically(path, std::vector<std::uint8_t>(text.begin(), text.end()));
}

void createFolder(const fs::path& folder) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec || !fs::is_directory(folder, ec)) {
    throw OutputError("cannot create the output folder '" + folder.string() +
                      "': " + (ec ? ec.message() : std::string("a file of that name exists")));
  }
}

// Temporary files a killed run may have left for this id (see io/atomic_write).
// Only names of our temporary naming for exactly this id: ".ID.genstereo-tmp-PID-N.EXT".
void removeStaleTemporaries(const fs::path& out_dir, const std::string& id) {
  const std::string prefix = "." + id + ".genstereo-tmp-";
  for (const std::string& folder : batchOutputFolders()) {
    std::error_code ec;
    for (fs::directory_iterator it(out_dir / folder, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      TemporaryName temporary;
      if (name.rfind(prefix, 0) == 0 && isOwnTemporaryName(name, &temporary) &&
          !temporary.is_backup && temporary.destination_name.rfind(id + ".", 0) == 0) {
        std::error_code ignored;
        fs::remove(it->path(), ignored);
      }
    }
  }
}

cv::Mat maskImage(const cv::Mat& mask_nonzero) {
  const cv::Mat mask255 = mask_nonzero != 0;
  cv::Mat image;
  mask255.convertTo(image, CV_32F, 1.0 / 255.0);
  return image;
}

json batchDocument(const std::vector<BatchItem>& items, const BatchOptions& options,
                   StereoEngine& engine) {
  json list = json::array();
  for (const BatchItem& item : items) {
    json entry = {{"id", item.id}, {"image", absoluteString(item.image)}};
    if (item.disparity) entry["disparity"] = absoluteString(*item.disparity);
    if (item.depth) entry["depth"] = absoluteString(*item.depth);
    list.push_back(entry);
  }
  return {{"format", kBatchFormat},
          {"genstereo_version", GENSTEREO_VERSION},
          {"input", validUtf8(options.input)},
          {"engine", engineJson(options.params, engine)},
          {"params", paramsJson(options.params)},
          {"item_count", items.size()},
          {"items", list}};
}

std::vector<std::string> idsOf(const json& doc) {
  std::vector<std::string> ids;
  for (const json& entry : doc.at("items")) ids.push_back(entry.at("id").get<std::string>());
  return ids;
}

// An exclusive flock on OUT/.genstereo-batch.lock while it lives: batches and shards started
// together check and write batch.json one after the other.
class BatchFolderLock {
 public:
  explicit BatchFolderLock(const fs::path& out_dir) : path_(out_dir / kBatchLockName) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      throw OutputError("cannot lock the batch output folder: cannot open '" + path_.string() +
                        "' (" + std::strerror(errno) + ")");
    }
    struct stat info {};
    if (::fstat(fd_, &info) != 0 || !S_ISREG(info.st_mode)) {
      ::close(fd_);
      throw OutputError("cannot lock the batch output folder: '" + path_.string() +
                        "' is not a regular file");
    }
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd_);
      throw OutputError("cannot lock '" + path_.string() + "': " + std::strerror(error));
    }
  }
  ~BatchFolderLock() { ::close(fd_); }  // closing releases the lock
  BatchFolderLock(const BatchFolderLock&) = delete;
  BatchFolderLock& operator=(const BatchFolderLock&) = delete;

 private:
  fs::path path_;
  int fd_ = -1;
};

// Writes OUT/batch.json, or checks that the existing one describes this batch. The check and
// the write happen under the folder's lock: of two batches with different parameters started
// together, the second one is refused.
void writeOrCheckBatchDocument(const fs::path& out_dir, const json& doc) {
  const BatchFolderLock lock(out_dir);
  const fs::path path = out_dir / "batch.json";
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    writeJson(path, doc);
    return;
  }
  json existing;
  try {
    existing = json::parse(readText(path));
    if (existing.value("format", "") != kBatchFormat) throw std::runtime_error("format");
  } catch (const std::exception&) {
    throw InputError("'" + path.string() +
                     "' is not a GenStereo batch description; choose another "
                     "output folder");
  }
  // A name of an earlier version: the fill kNone was written "warp-only" before it took its
  // --fill name "none"; such a batch is the same batch.
  if (existing.contains("engine") && existing["engine"].is_object() &&
      existing["engine"].value("fill", "") == "warp-only") {
    existing["engine"]["fill"] = "none";
  }
  std::string difference;
  if (existing.at("engine") != doc.at("engine"))
    difference = "the engine settings differ";
  else if (existing.at("params") != doc.at("params"))
    difference = "the parameters differ";
  else if (idsOf(existing) != idsOf(doc)) {
    difference = "the items differ (" + std::to_string(existing.at("items").size()) +
                 " listed there, " + std::to_string(doc.at("items").size()) + " in this input)";
  }
  if (!difference.empty()) {
    throw InputError("'" + path.string() + "' describes another batch: " + difference +
                     ". Use another output folder, or delete that file to re-plan this one "
                     "(complete items with the same parameters and inputs are kept)");
  }
}

double median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace

bool isBatchOutputPath(const fs::path& out_dir, const fs::path& path) {
  const auto normal = [](const fs::path& p) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(p, ec);
    return (ec ? fs::absolute(p, ec) : canonical).lexically_normal();
  };
  const fs::path out = normal(out_dir);
  const fs::path file = normal(path);
  if (file == out) return true;
  if (file.parent_path() == out) {
    const std::string name = file.filename().string();
    if (name == "batch.json" || name == kBatchLockName) return true;
    for (const std::string& folder : batchOutputFolders()) {
      if (name == folder) return true;
    }
    return name == "shards";
  }
  if (file.parent_path().parent_path() == out) {
    const std::string folder = file.parent_path().filename().string();
    if (folder == "shards") return true;
    for (const std::string& managed : batchOutputFolders()) {
      if (folder == managed) return true;
    }
  }
  return false;
}

const std::vector<std::string>& batchOutputFolders() {
  static const std::vector<std::string> folders = {
      "left", "right", "disparity", "disparity_png", "occlusion", "filled", "meta"};
  return folders;
}

BatchItemPaths batchItemPaths(const fs::path& out_dir, const std::string& id) {
  BatchItemPaths paths;
  paths.left = out_dir / "left" / (id + ".png");
  paths.right = out_dir / "right" / (id + ".png");
  paths.disparity_pfm = out_dir / "disparity" / (id + ".pfm");
  paths.disparity_png = out_dir / "disparity_png" / (id + ".png");
  paths.occlusion = out_dir / "occlusion" / (id + ".png");
  paths.filled = out_dir / "filled" / (id + ".png");
  paths.meta = out_dir / "meta" / (id + ".json");
  return paths;
}

const char* toString(ItemStatus status) {
  switch (status) {
    case ItemStatus::kDone:
      return "done";
    case ItemStatus::kSkipped:
      return "skipped";
    case ItemStatus::kFailed:
      return "failed";
  }
  return "unknown";
}

std::string formatDuration(double seconds) {
  const long total = std::lround(std::max(0.0, seconds));
  char text[32];
  if (total < 60)
    std::snprintf(text, sizeof text, "%lds", total);
  else if (total < 3600)
    std::snprintf(text, sizeof text, "%ldm%02lds", total / 60, total % 60);
  else
    std::snprintf(text, sizeof text, "%ldh%02ldm", total / 3600, (total % 3600) / 60);
  return text;
}

bool isBatchItemComplete(const BatchItem& item, const BatchOptions& options, StereoEngine& engine) {
  const BatchItemPaths paths = batchItemPaths(options.out_dir, item.id);
  std::error_code ec;
  if (!fs::is_regular_file(paths.meta, ec)) return false;
  try {
    const json meta = json::parse(readText(paths.meta));
    if (meta.at("id") != item.id || meta.at("engine") != engineJson(options.params, engine) ||
        meta.at("params") != paramsJson(options.params) || meta.at("inputs") != inputsJson(item)) {
      return false;
    }
    for (const auto& [name, output] : meta.at("outputs").items()) {
      const fs::path file = options.out_dir / output.at("path").get<std::string>();
      const auto size = fs::file_size(file, ec);
      if (ec || size != output.at("bytes").get<std::uint64_t>()) return false;
    }
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

RunParams batchItemRun(const BatchItem& item, const BatchParams& params) {
  RunParams run = params.run;
  if (item.disparity || item.depth) {
    run.geometry = MapFile{item.disparity ? *item.disparity : *item.depth,
                           item.disparity ? MapFileKind::kDisparity : MapFileKind::kDepth,
                           params.read_options};
  } else {
    run.geometry = EstimatedDepth{};
  }
  return run;
}

ItemOutcome processBatchItem(const BatchItem& item, const BatchOptions& options,
                             StereoEngine& engine) {
  const auto start = std::chrono::steady_clock::now();
  const BatchParams& params = options.params;
  RunParams run = params.run;
  run.on_progress = nullptr;
  const std::uint64_t item_seed = params.run.diffusion.seed + fnv1a64(item.id);
  run.diffusion.seed = item_seed;
  const bool has_map = item.disparity || item.depth;
  run.geometry = batchItemRun(item, params).geometry;
  if (const RunPlan plan = engine.plan(run); !plan.ready()) {
    throw InputError(has_map ? plan.problem : item.missing_maps + "; " + plan.problem);
  }
  const BatchItemPaths paths = batchItemPaths(options.out_dir, item.id);
  std::error_code ec;
  fs::remove(paths.meta, ec);  // the item is incomplete from here until its meta is rewritten
  removeStaleTemporaries(options.out_dir, item.id);

  // No output of the item may replace one of its inputs (a manifest may list files inside OUT).
  ProtectedInputs protected_inputs({item.image});
  for (const auto& map : {item.disparity, item.depth}) {
    if (!map) continue;
    protected_inputs.add(*map);
    protected_inputs.add((map->has_parent_path() ? map->parent_path() : fs::path(".")) /
                         "meta.json");
  }
  const json inputs = inputsJson(item);
  const cv::Mat image = readImage(item.image);
  const RunResult result = engine.run(image, run);
  json files_used = json::array();
  for (const ModelFileUse& use : engine.modelFilesUsed(run)) {
    files_used.push_back(
        {{"role", use.role}, {"path", absoluteString(use.path)}, {"sha256", use.sha256}});
  }

  // Disparity of the left view towards the right view, and the mask of invented pixels.
  const cv::Mat left_disparity = result.left_disparity_px;
  const cv::Mat filled_mask = result.synthesized.valid == 0;
  const cv::Mat occluded = computeLeftVisibility(left_disparity) == 0;
  std::optional<ConsistencyScores> consistency;
  if (params.check_consistency) {
    consistency = measureGeometricConsistency(result.left, result.right, left_disparity, cv::Mat(),
                                              params.consistency);
  }

  // The item's files are synced once (not two fsyncs per file) before its meta, the
  // completion marker, is written and synced.
  std::optional<DeferredSync> item_sync(std::in_place);
  writeImage(paths.left, result.left);
  writeImage(paths.right, result.right);
  DisparityMap dense;
  dense.values = left_disparity;
  dense.valid = cv::Mat::ones(left_disparity.size(), CV_8UC1);
  writeDisparity(paths.disparity_pfm, dense);
  DisparityMap kitti;
  kitti.values = left_disparity.clone();
  kitti.valid = (left_disparity >= 0.0f) & (left_disparity <= 65535.0f / 256.0f);
  kitti.valid /= 255;
  kitti.values.setTo(0.0f, kitti.valid == 0);
  writeDisparity(paths.disparity_png, kitti);
  writeImage(paths.occlusion, maskImage(occluded));
  writeImage(paths.filled, maskImage(filled_mask));

  double min_d = 0.0, max_d = 0.0;
  cv::minMaxLoc(left_disparity, &min_d, &max_d);
  const double pixels = static_cast<double>(left_disparity.total());
  json outputs = json::object();
  auto addOutput = [&](const char* name, const fs::path& path) {
    outputs[name] = {{"path", path.lexically_relative(options.out_dir).generic_string()},
                     {"bytes", static_cast<std::uint64_t>(fs::file_size(path))},
                     {"sha256", sha256OfFile(path)}};
  };
  addOutput("left", paths.left);
  addOutput("right", paths.right);
  addOutput("disparity", paths.disparity_pfm);
  addOutput("disparity_png", paths.disparity_png);
  addOutput("occlusion", paths.occlusion);
  addOutput("filled", paths.filled);

  ItemOutcome outcome;
  outcome.id = item.id;
  outcome.status = ItemStatus::kDone;
  outcome.consistency = consistency;
  outcome.seconds = secondsSince(start);
  json meta = {{"id", item.id},
               {"genstereo_version", GENSTEREO_VERSION},
               {"engine", engineJson(params, engine)},
               {"engine_description", result.engine_description},
               {"model_files_used", files_used},
               {"params", paramsJson(params)},
               {"item_seed", item_seed},
               {"geometry", item.disparity ? "disparity"
                            : item.depth   ? "depth"
                                           : "estimated depth"},
               {"inputs", inputs},
               {"width", result.left.cols},
               {"height", result.left.rows},
               {"source_columns",
                {result.columns == cv::Range::all() ? 0 : result.columns.start,
                 result.columns == cv::Range::all() ? image.cols : result.columns.end}},
               {"parallax",
                {{"near_percent", result.parallax.near_percent},
                 {"far_percent", result.parallax.far_percent},
                 {"range_percent", result.parallax.rangePercent()},
                 {"percentiles", {kParallaxFarPercentile, kParallaxNearPercentile}},
                 {"baseline_scale", result.baseline_scale},
                 {"screen_disparity_px", result.screen_disparity_px},
                 {"comfort_warnings", describeComfortWarnings(result.comfort_warnings)}}},
               {"disparity_range_px", {min_d, max_d}},
               {"occluded_fraction", cv::countNonZero(occluded) / pixels},
               {"filled_fraction", cv::countNonZero(filled_mask) / pixels},
               {"disparity_png_invalid_fraction", 1.0 - cv::countNonZero(kitti.valid) / pixels},
               {"seconds", outcome.seconds},
               {"outputs", outputs}};
  if (consistency) meta["consistency"] = consistencyJson(*consistency);
  item_sync->flush();
  item_sync.reset();
  writeJson(paths.meta, meta);
  return outcome;
}

BatchSummary runBatch(const std::vector<BatchItem>& items, const BatchOptions& options,
                      StereoEngine& engine, const BatchProgressCallback& progress) {
  if (options.shard.count < 1 || options.shard.index < 0 ||
      options.shard.index >= options.shard.count) {
    throw InputError("invalid shard " + std::to_string(options.shard.index) + "/" +
                     std::to_string(options.shard.count));
  }
  StereoEngine::validate(options.params.run);
  if (options.out_dir.empty()) throw OutputError("no output folder given");
  createFolder(options.out_dir);
  for (const std::string& folder : batchOutputFolders()) createFolder(options.out_dir / folder);
  createFolder(options.out_dir / "shards");
  // Temporaries a killed run left (batch.json, shard summaries, item files), never those of a
  // shard running now.
  for (const fs::path& folder : {options.out_dir, options.out_dir / "shards"})
    sweepStaleTemporaries(folder);
  for (const std::string& folder : batchOutputFolders())
    sweepStaleTemporaries(options.out_dir / folder);
  writeOrCheckBatchDocument(options.out_dir, batchDocument(items, options, engine));

  const std::vector<BatchItem> shard_items = selectShard(items, options.shard);
  BatchSummary summary;
  summary.shard = options.shard;
  summary.batch_items = static_cast<int>(items.size());
  summary.shard_items = static_cast<int>(shard_items.size());
  const auto start = std::chrono::steady_clock::now();
  double computed_seconds = 0.0;
  int computed = 0;
  for (std::size_t i = 0; i < shard_items.size(); ++i) {
    if (options.params.run.cancel.isCancelled()) throw CancelledError();
    const BatchItem& item = shard_items[i];
    ItemOutcome outcome;
    outcome.id = item.id;
    const auto item_start = std::chrono::steady_clock::now();
    if (isBatchItemComplete(item, options, engine)) {
      outcome.status = ItemStatus::kSkipped;
      ++summary.skipped;
    } else {
      try {
        outcome = processBatchItem(item, options, engine);
        ++summary.done;
      } catch (const CancelledError&) {
        throw;
      } catch (const cv::Exception& e) {
        outcome.status = ItemStatus::kFailed;
        outcome.error = item.origin + ": OpenCV: " + e.err;
      } catch (const std::exception& e) {
        outcome.status = ItemStatus::kFailed;
        outcome.error = e.what();
      }
      if (outcome.status == ItemStatus::kFailed) ++summary.failed;
      outcome.seconds = secondsSince(item_start);
      computed_seconds += outcome.seconds;
      ++computed;
    }
    summary.items.push_back(outcome);
    if (progress) {
      RunProgress p;
      p.stage = RunStage::kDone;
      p.item = static_cast<int>(i + 1);
      p.items = summary.shard_items;
      p.item_id = outcome.id;
      p.fraction = static_cast<double>(p.item) / static_cast<double>(p.items);
      p.elapsed_s = secondsSince(start);
      if (computed > 0 && p.elapsed_s > 0.0) {
        p.items_per_second = computed / p.elapsed_s;
        const double per_item = computed_seconds / computed;
        p.eta_s = per_item * static_cast<double>(shard_items.size() - i - 1);
      }
      progress(p, summary.items.back());
    }
  }
  summary.wall_seconds = secondsSince(start);
  std::vector<double> done_seconds;
  ConsistencyScores consistency_sum;
  int consistency_count = 0;
  for (const ItemOutcome& outcome : summary.items) {
    if (outcome.status != ItemStatus::kDone) continue;
    done_seconds.push_back(outcome.seconds);
    summary.mean_seconds += outcome.seconds;
    if (outcome.seconds >= summary.max_seconds) {
      summary.max_seconds = outcome.seconds;
      summary.slowest_id = outcome.id;
    }
    if (outcome.consistency && std::isfinite(outcome.consistency->epe_px)) {
      consistency_sum.epe_px += outcome.consistency->epe_px;
      consistency_sum.d1 += outcome.consistency->d1;
      consistency_sum.sgbm_density += outcome.consistency->sgbm_density;
      consistency_sum.pixel_count += outcome.consistency->pixel_count;
      ++consistency_count;
    }
  }
  if (!done_seconds.empty()) summary.mean_seconds /= static_cast<double>(done_seconds.size());
  summary.median_seconds = median(done_seconds);
  if (summary.wall_seconds > 0.0) summary.items_per_second = summary.done / summary.wall_seconds;
  if (consistency_count > 0) {
    consistency_sum.epe_px /= consistency_count;
    consistency_sum.d1 /= consistency_count;
    consistency_sum.sgbm_density /= consistency_count;
    summary.mean_consistency = consistency_sum;
  }
  json shard_doc = json::parse(batchSummaryToJson(summary));
  json ids = json::array();
  for (const BatchItem& item : shard_items) ids.push_back(item.id);
  shard_doc["ids"] = ids;
  writeJson(options.out_dir / "shards" /
                ("shard-" + std::to_string(options.shard.index) + "-of-" +
                 std::to_string(options.shard.count) + ".json"),
            shard_doc);
  return summary;
}

std::string formatBatchSummary(const BatchSummary& s) {
  std::ostringstream out;
  char line[512];
  std::snprintf(
      line, sizeof line,
      "shard %d/%d: %d items (of %d in the batch): %d done, %d skipped (already complete), "
      "%d failed in %s (%.2f items/s)\n",
      s.shard.index, s.shard.count, s.shard_items, s.batch_items, s.done, s.skipped, s.failed,
      formatDuration(s.wall_seconds).c_str(), s.items_per_second);
  out << line;
  if (s.done > 0) {
    std::snprintf(line, sizeof line, "per item: mean %.0f ms, median %.0f ms, max %.0f ms (%s)\n",
                  s.mean_seconds * 1000.0, s.median_seconds * 1000.0, s.max_seconds * 1000.0,
                  s.slowest_id.c_str());
    out << line;
  }
  if (s.mean_consistency) {
    std::snprintf(line, sizeof line,
                  "geometric consistency (SGBM vs disparity used, mean over items): EPE %.3f px, "
                  "D1 %.2f %%, SGBM density %.1f %%\n",
                  s.mean_consistency->epe_px, s.mean_consistency->d1 * 100.0,
                  s.mean_consistency->sgbm_density * 100.0);
    out << line;
  }
  if (s.failed > 0) {
    out << "failed items:\n";
    for (const ItemOutcome& item : s.items) {
      if (item.status == ItemStatus::kFailed) out << "  " << item.id << ": " << item.error << "\n";
    }
  }
  return out.str();
}

std::string batchSummaryToJson(const BatchSummary& s) {
  json items = json::array();
  json failures = json::array();
  for (const ItemOutcome& item : s.items) {
    json entry = {{"id", item.id}, {"status", toString(item.status)}, {"seconds", item.seconds}};
    if (!item.error.empty()) entry["error"] = validUtf8(item.error);
    if (item.consistency) entry["consistency"] = consistencyJson(*item.consistency);
    items.push_back(entry);
    if (item.status == ItemStatus::kFailed)
      failures.push_back({{"id", item.id}, {"error", validUtf8(item.error)}});
  }
  json doc = {
      {"shard", {{"index", s.shard.index}, {"count", s.shard.count}}},
      {"batch_items", s.batch_items},
      {"shard_items", s.shard_items},
      {"done", s.done},
      {"skipped", s.skipped},
      {"failed", s.failed},
      {"wall_seconds", s.wall_seconds},
      {"items_per_second", s.items_per_second},
      {"per_item_seconds",
       {{"mean", s.mean_seconds},
        {"median", s.median_seconds},
        {"max", s.max_seconds},
        {"slowest", s.slowest_id}}},
      {"consistency", s.mean_consistency ? consistencyJson(*s.mean_consistency) : json(nullptr)},
      {"failures", failures},
      {"items", items}};
  return dumpJsonDocument(doc);
}

}  // namespace genstereo

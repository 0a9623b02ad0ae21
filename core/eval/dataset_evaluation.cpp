#include "eval/dataset_evaluation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "errors.h"
#include "eval/official_protocol.h"
#include "io/atomic_write.h"
#include "io/image_io.h"
#include "io/json_text.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Mean over pairs of finite values (a pair without occluded pixels has NaN there).
ImageComparison meanOf(const std::vector<const ImageComparison*>& values) {
  ImageComparison mean;
  int n_psnr = 0, n_ssim = 0, n_mae = 0;
  for (const ImageComparison* v : values) {
    if (std::isfinite(v->psnr_db)) {
      mean.psnr_db += v->psnr_db;
      ++n_psnr;
    }
    if (std::isfinite(v->ssim)) {
      mean.ssim += v->ssim;
      ++n_ssim;
    }
    if (std::isfinite(v->mae)) {
      mean.mae += v->mae;
      ++n_mae;
    }
    mean.pixel_count += v->pixel_count;
  }
  mean.psnr_db = n_psnr ? mean.psnr_db / n_psnr : std::nan("");
  mean.ssim = n_ssim ? mean.ssim / n_ssim : std::nan("");
  mean.mae = n_mae ? mean.mae / n_mae : std::nan("");
  return mean;
}

nlohmann::json toJson(const ImageComparison& c) {
  auto number = [](double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
  };
  return {{"psnr_db", number(c.psnr_db)},
          {"ssim", number(c.ssim)},
          {"mae", number(c.mae)},
          {"pixels", c.pixel_count}};
}

nlohmann::json toJson(const MethodScores& m) {
  nlohmann::json j = {{"method", m.method},
                      {"all", toJson(m.all)},
                      {"occluded", toJson(m.occluded)},
                      {"visible", toJson(m.visible)},
                      {"seconds", m.seconds}};
  if (m.consistency) {
    auto number = [](double v) {
      return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
    };
    j["consistency"] = {{"epe_px", number(m.consistency->epe_px)},
                        {"d1", number(m.consistency->d1)},
                        {"sgbm_density", m.consistency->sgbm_density},
                        {"pixels", m.consistency->pixel_count}};
  }
  return j;
}

// Mean over pairs of the finite consistency scores (pixel_count summed); nullopt when no pair has
// one.
std::optional<ConsistencyScores> meanConsistency(const std::vector<const MethodScores*>& scores) {
  ConsistencyScores mean;
  int n = 0;
  for (const MethodScores* s : scores) {
    if (!s->consistency || !std::isfinite(s->consistency->epe_px)) continue;
    mean.epe_px += s->consistency->epe_px;
    mean.d1 += s->consistency->d1;
    mean.sgbm_density += s->consistency->sgbm_density;
    mean.pixel_count += s->consistency->pixel_count;
    ++n;
  }
  if (n == 0) return std::nullopt;
  mean.epe_px /= n;
  mean.d1 /= n;
  mean.sgbm_density /= n;
  return mean;
}

}  // namespace

std::vector<EvalMethod> knownEvalMethods() {
  return {{"warp-only", WarpMode::kInteger, FillMethod::kNone},
          {"naive", WarpMode::kInteger, FillMethod::kNaive},
          {"telea", WarpMode::kInteger, FillMethod::kTelea},
          {"ours-integer", WarpMode::kInteger, FillMethod::kBackground},
          {"ours", WarpMode::kSubpixel, FillMethod::kBackground},
          {"subpixel-naive", WarpMode::kSubpixel, FillMethod::kNaive},
          {"diffusion", WarpMode::kSubpixel, FillMethod::kBackground, EngineChoice::kDiffusion}};
}

const char* toString(EvalProtocol protocol) {
  return protocol == EvalProtocol::kOfficial ? "official" : "native";
}

std::optional<EvalProtocol> evalProtocolFromString(const std::string& text) {
  for (EvalProtocol protocol : {EvalProtocol::kNative, EvalProtocol::kOfficial}) {
    if (text == toString(protocol)) return protocol;
  }
  return std::nullopt;
}

EvalMethod evalMethodByName(const std::string& name) {
  std::string names;
  for (const EvalMethod& m : knownEvalMethods()) {
    if (m.name == name) return m;
    names += (names.empty() ? "" : ", ") + m.name;
  }
  throw InputError("unknown evaluation method '" + name + "' (known: " + names + ")");
}

std::vector<EvalMethod> defaultEvalMethods() {
  std::vector<EvalMethod> methods;
  for (const char* name : {"warp-only", "naive", "telea", "ours-integer", "ours"}) {
    methods.push_back(evalMethodByName(name));
  }
  return methods;
}

namespace {

// The engine's parameters of `method` (the geometry is the pair's ground truth).
RunParams methodRun(const EvalMethod& method, const EvaluationOptions& options) {
  RunParams run;
  run.synthesis = options.params;
  run.synthesis.eye = SynthesisEye::kRight;
  run.synthesis.shaping = DisparityShaping{};
  run.synthesis.warp = method.warp;
  run.synthesis.fill = method.fill;
  run.engine = method.engine;
  run.diffusion = options.diffusion;
  run.cancel = options.cancel;
  return run;
}

// A method the engine cannot run (the diffusion weights missing or invalid) is refused before
// any pair is read: InputError with the engine's plan (the files, the command that fetches
// them). Planned on the ground truth file of the first usable pair (not read here).
void checkMethodsCanRun(const std::vector<StereoPairItem>& items, const EvaluationOptions& options,
                        const StereoEngine& engine) {
  const auto usable = std::find_if(items.begin(), items.end(), [](const StereoPairItem& item) {
    return item.skip_reason.empty();
  });
  if (usable == items.end()) return;
  for (const EvalMethod& method : options.methods) {
    RunParams run = methodRun(method, options);
    run.geometry = MapFile{usable->disparity, MapFileKind::kDisparity, usable->disparity_options};
    const RunPlan plan = engine.plan(run);
    if (!plan.ready()) throw InputError("method " + method.name + ": " + plan.problem);
  }
}

// Every method on one pair that has been read; appends the pair to `evaluation`. Throws
// InputError when the pair cannot be scored (no valid ground-truth pixel...).
void evaluatePair(const StereoPairItem& item, cv::Mat left, cv::Mat right, DisparityMap disparity,
                  const EvaluationOptions& options, StereoEngine& engine,
                  DatasetEvaluation& evaluation) {
  if (options.protocol == EvalProtocol::kOfficial) {
    prepareOfficialPair(options.official_size, left, right, disparity);
  }
  // One occlusion mask for every method, so that their scores cover the same pixels: the
  // holes of the official integer warp of the (background-filled) ground truth.
  const WarpCorrespondence reference_warp =
      computeForwardWarp(fillInvalidDisparity(disparity), WarpDirection::kLeftToRight);
  const cv::Mat holes = reference_warp.valid == 0;
  const cv::Mat visible = reference_warp.valid != 0;
  cv::Mat truth_for_consistency;
  if (options.check_consistency) {
    truth_for_consistency = disparity.values.clone();
    truth_for_consistency.setTo(std::nan(""), disparity.valid == 0);
  }
  PairEvaluation pair;
  pair.name = item.name;
  pair.occluded_fraction =
      static_cast<double>(cv::countNonZero(holes)) / static_cast<double>(holes.total());
  pair.width = left.cols;
  pair.height = left.rows;
  std::vector<std::pair<fs::path, cv::Mat>> views;  // written once every method has run
  if (!options.views_dir.empty()) {
    cv::Mat mask;
    holes.convertTo(mask, CV_32F, 1.0 / 255.0);
    views.emplace_back(options.views_dir / (item.name + "_occlusion_mask.png"), mask);
  }
  for (const EvalMethod& method : options.methods) {
    RunParams run = methodRun(method, options);
    run.geometry = DisparityInput{disparity, "the ground truth of pair '" + item.name + "'"};
    if (options.cancel.isCancelled()) throw CancelledError();
    const auto start = std::chrono::steady_clock::now();
    const RunResult result = engine.run(left, run);
    MethodScores scores;
    scores.seconds = secondsSince(start);
    scores.method = method.name;
    if (!options.views_dir.empty()) {
      views.emplace_back(options.views_dir / (item.name + "_" + method.name + ".png"),
                         result.right);
    }
    if (options.protocol == EvalProtocol::kOfficial) {
      scoreOfficially(result.right, right, holes, scores);
    } else {
      scores.all = compareImages(result.right, right);
      scores.occluded = compareImages(result.right, right, holes);
      scores.visible = compareImages(result.right, right, visible);
    }
    if (options.check_consistency) {
      try {
        scores.consistency = measureGeometricConsistency(left, result.right, truth_for_consistency,
                                                         cv::Mat(), options.consistency);
      } catch (const InputError& e) {
        ConsistencyScores skipped;
        skipped.epe_px = skipped.d1 = std::nan("");
        skipped.skipped_reason = e.what();
        scores.consistency = skipped;
      }
    }
    pair.methods.push_back(scores);
  }
  for (const auto& [path, image] : views) writeImage(path, image);
  evaluation.pairs.push_back(pair);
}

// --save-views: an existing folder, or one created when its parent exists.
void prepareViewsFolder(const fs::path& folder) {
  if (folder.empty()) return;
  std::error_code ec;
  const fs::file_status status = fs::status(folder, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) {
      throw OutputError("--save-views '" + folder.string() +
                        "' is a file, not a folder: give a folder for the synthesised views");
    }
    return;
  }
  const fs::path parent = folder.has_parent_path() ? folder.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec)) {
    throw OutputError("--save-views '" + folder.string() +
                      "': neither the folder nor its parent folder '" + parent.string() +
                      "' exists");
  }
  fs::create_directory(folder, ec);
  if (ec)
    throw OutputError("cannot create the --save-views folder '" + folder.string() +
                      "': " + ec.message());
}

}  // namespace

DatasetEvaluation evaluateDataset(const std::vector<StereoPairItem>& items,
                                  const EvaluationOptions& options, StereoEngine& engine,
                                  const RunProgressCallback& progress) {
  if (options.protocol == EvalProtocol::kOfficial &&
      (options.official_size < 64 || options.official_size > 4096 ||
       options.official_size % 8 != 0)) {
    throw InputError("the official protocol's size must be a multiple of 8 in [64, 4096], found " +
                     std::to_string(options.official_size));
  }
  checkMethodsCanRun(items, options, engine);
  prepareViewsFolder(options.views_dir);
  // The views written never replace a file of the dataset.
  ProtectedInputs protected_inputs({}, "a file of the dataset");
  for (const StereoPairItem& item : items) {
    for (const fs::path& file : {item.left, item.right, item.disparity}) protected_inputs.add(file);
    protected_inputs.add(item.left.parent_path() / "meta.json");
  }
  DatasetEvaluation evaluation;
  const int total = static_cast<int>(items.size());
  const auto evaluation_start = std::chrono::steady_clock::now();
  // One report before each pair (stage kPreparing) and one at the end (kDone).
  const auto report = [&](RunStage stage, int item, const std::string& id) {
    if (!progress) return;
    RunProgress p;
    p.stage = stage;
    p.item = item;
    p.items = total;
    p.item_id = id;
    p.fraction =
        total > 0 ? static_cast<double>(stage == RunStage::kDone ? item : item - 1) / total : 1.0;
    p.elapsed_s = secondsSince(evaluation_start);
    progress(p);
  };
  for (int i = 0; i < total; ++i) {
    const StereoPairItem& item = items[static_cast<std::size_t>(i)];
    if (options.cancel.isCancelled()) throw CancelledError();
    report(RunStage::kPreparing, i + 1, item.name);
    cv::Mat left;
    cv::Mat right;
    DisparityMap disparity;
    try {
      if (!item.skip_reason.empty()) throw InputError(item.skip_reason);
      left = readImage(item.left);
      right = readImage(item.right);
      disparity = readDisparity(item.disparity, item.disparity_options);
      if (left.size() != right.size() || left.size() != disparity.values.size()) {
        throw InputError("left, right and disparity must have the same size");
      }
    } catch (const InputError& e) {
      evaluation.skipped.push_back({item.name, e.what()});
      continue;
    }
    // A pair whose ground truth cannot be used (no valid pixel: all NaN, or every value
    // infinite) is skipped and named, instead of ending the whole run.
    try {
      evaluatePair(item, left, right, disparity, options, engine, evaluation);
    } catch (const CheckpointError&) {
      throw;
    } catch (const InputError& e) {
      evaluation.skipped.push_back({item.name, e.what()});
    }
  }
  report(RunStage::kDone, total, "");
  for (std::size_t m = 0; m < options.methods.size(); ++m) {
    std::vector<const ImageComparison*> all, occluded, visible;
    std::vector<const MethodScores*> scores;
    MethodScores mean;
    mean.method = options.methods[m].name;
    for (const PairEvaluation& pair : evaluation.pairs) {
      all.push_back(&pair.methods[m].all);
      occluded.push_back(&pair.methods[m].occluded);
      visible.push_back(&pair.methods[m].visible);
      scores.push_back(&pair.methods[m]);
      mean.seconds += pair.methods[m].seconds / static_cast<double>(evaluation.pairs.size());
    }
    mean.all = meanOf(all);
    mean.occluded = meanOf(occluded);
    mean.visible = meanOf(visible);
    mean.consistency = meanConsistency(scores);
    evaluation.mean.push_back(mean);
  }
  return evaluation;
}

std::string formatEvaluationTable(const DatasetEvaluation& evaluation) {
  std::ostringstream out;
  char line[256];
  bool has_consistency = false;
  for (const MethodScores& m : evaluation.mean)
    has_consistency = has_consistency || m.consistency.has_value();
  std::snprintf(line, sizeof line, "%-20s %-14s %6s %9s %7s %9s %7s %8s", "pair", "method", "occl%",
                "PSNR", "SSIM", "PSNR-occ", "SSIM-occ", "ms");
  out << line << (has_consistency ? "   EPE-px     D1%\n" : "\n");
  auto row = [&](const std::string& name, double occluded_fraction, const MethodScores& m) {
    std::snprintf(line, sizeof line, "%-20s %-14s %6.2f %9.3f %7.4f %9.3f %7.4f %8.1f",
                  name.c_str(), m.method.c_str(), occluded_fraction * 100.0, m.all.psnr_db,
                  m.all.ssim, m.occluded.psnr_db, m.occluded.ssim, m.seconds * 1000.0);
    out << line;
    if (has_consistency) {
      const double epe = m.consistency ? m.consistency->epe_px : std::nan("");
      const double d1 = m.consistency ? m.consistency->d1 * 100.0 : std::nan("");
      std::snprintf(line, sizeof line, " %8.3f %7.2f", epe, d1);
      out << line;
    }
    out << "\n";
  };
  double mean_occluded = 0.0;
  for (const PairEvaluation& pair : evaluation.pairs) {
    for (const MethodScores& m : pair.methods) row(pair.name, pair.occluded_fraction, m);
    mean_occluded += pair.occluded_fraction / static_cast<double>(evaluation.pairs.size());
  }
  for (const MethodScores& m : evaluation.mean) row("MEAN", mean_occluded, m);
  for (const SkippedPair& pair : evaluation.skipped)
    out << "skipped " << pair.name << ": " << pair.reason << "\n";
  return out.str();
}

std::string evaluationToJson(const DatasetEvaluation& evaluation) {
  nlohmann::json doc;
  doc["pairs"] = nlohmann::json::array();
  for (const PairEvaluation& pair : evaluation.pairs) {
    nlohmann::json p = {{"name", validUtf8(pair.name)},
                        {"width", pair.width},
                        {"height", pair.height},
                        {"occluded_fraction", pair.occluded_fraction}};
    p["methods"] = nlohmann::json::array();
    for (const MethodScores& m : pair.methods) p["methods"].push_back(toJson(m));
    doc["pairs"].push_back(p);
  }
  doc["mean"] = nlohmann::json::array();
  for (const MethodScores& m : evaluation.mean) doc["mean"].push_back(toJson(m));
  doc["skipped"] = nlohmann::json::array();
  for (const SkippedPair& pair : evaluation.skipped)
    doc["skipped"].push_back({{"name", validUtf8(pair.name)}, {"reason", validUtf8(pair.reason)}});
  return dumpJsonDocument(doc);
}

}  // namespace genstereo

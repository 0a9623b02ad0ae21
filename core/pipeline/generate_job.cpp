#include "pipeline/generate_job.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <future>
#include <mutex>
#include <system_error>
#include <thread>

#include <opencv2/imgproc.hpp>

#include "engine/map_file.h"
#include "errors.h"
#include "io/atomic_write.h"
#include "io/depth_export.h"
#include "io/image_io.h"
#include "io/output_transaction.h"
#include "stereo/parallax_budget.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

cv::Mat maskToImage(const cv::Mat& mask01) {
  cv::Mat image;
  mask01.convertTo(image, CV_32F);
  return image;
}

void writeView(const fs::path& path, const cv::Mat& image, std::vector<fs::path>& written) {
  writeImage(path, image);
  written.push_back(path);
}

// One output file or group of files; returns what it wrote.
using WriteTask = std::function<std::vector<fs::path>()>;

// Runs the tasks on up to one thread per core (encoding big PNGs is most of the time spent
// writing), every thread staging into `transaction`. The written paths come back in task
// order; the first failure is rethrown after every thread has stopped.
std::vector<fs::path> runWriteTasks(const std::vector<WriteTask>& tasks,
                                    OutputTransaction& transaction, const CancelToken& cancel) {
  std::vector<std::vector<fs::path>> results(tasks.size());
  std::atomic<std::size_t> next{0};
  std::atomic<bool> has_failed{false};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    while (!has_failed.load() && !cancel.isCancelled()) {
      const std::size_t i = next++;
      if (i >= tasks.size()) return;
      try {
        results[i] = tasks[i]();
      } catch (...) {
        const std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        has_failed.store(true);
      }
    }
  };
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < std::min(cores, tasks.size()); ++t) {
    helpers.emplace_back([&] {
      const OutputTransaction::ThreadScope scope(transaction);
      work();
    });
  }
  work();
  for (std::thread& helper : helpers) helper.join();
  if (failure) std::rethrow_exception(failure);
  if (cancel.isCancelled()) throw CancelledError();
  std::vector<fs::path> written;
  for (const std::vector<fs::path>& paths : results)
    written.insert(written.end(), paths.begin(), paths.end());
  return written;
}

void writeIntermediates(const fs::path& out_dir, const std::string& base, const std::string& eye,
                        const SynthesizedView& view, std::vector<fs::path>& written) {
  const std::string prefix = base + "_" + eye;
  writeView(out_dir / (prefix + "_warped.png"), view.warped, written);
  cv::Mat holes = maskToImage(view.valid == 0) / 255.0;
  writeView(out_dir / (prefix + "_occlusion_mask.png"), holes, written);
  writeView(out_dir / (prefix + "_fill.png"), view.filled, written);
  writeView(out_dir / (prefix + "_fusion_weight.png"), view.fusion_weight, written);
  const fs::path disparity_path = out_dir / (prefix + "_disparity.pfm");
  writeDisparity(disparity_path, makeSignedDisparityMap(view.disparity_px.clone()));
  written.push_back(disparity_path);
}

// The files the job reads: the photo, the map and the meta.json beside the map.
std::vector<std::pair<fs::path, std::string>> jobInputs(const GenerateJob& job) {
  std::vector<std::pair<fs::path, std::string>> inputs = {{job.image, "the photo"}};
  if (job.disparity || job.depth) {
    const fs::path& map = job.disparity ? *job.disparity : *job.depth;
    inputs.emplace_back(map, job.disparity ? "the disparity map" : "the depth map");
    inputs.emplace_back((map.has_parent_path() ? map.parent_path() : fs::path(".")) / "meta.json",
                        "the map's meta.json");
  }
  return inputs;
}

// Refuses, before any work, a job whose outputs would replace one of its inputs (--export-depth
// writing BASE_depth.png over the map discovery found, an intermediate fed back in with -o the
// same folder). The writers refuse it too (ProtectedInputs), but only after the engine ran.
void checkOutputsAgainstInputs(const GenerateJob& job) {
  std::vector<std::string> names;
  std::vector<std::string> stems;  // composites: any extension
  const std::string base = job.image.stem().string();
  if (job.export_depth) {
    for (const char* suffix :
         {"_depth.png", "_depth.pfm", "_depth_preview.png", "_disparity.pfm", "_disparity.png"}) {
      names.push_back(base + suffix);
    }
  }
  std::vector<std::string> eyes;
  if (job.run.synthesis.eye != SynthesisEye::kRight) eyes.push_back("left");
  if (job.run.synthesis.eye != SynthesisEye::kLeft) eyes.push_back("right");
  for (const std::string& eye : eyes) {
    stems.push_back(base + "_" + eye);
    for (const char* suffix : {"_warped.png", "_occlusion_mask.png", "_fill.png",
                               "_fusion_weight.png", "_disparity.pfm"}) {
      names.push_back(base + "_" + eye + suffix);
    }
  }
  for (ExportFormat format : job.formats) {
    stems.push_back(base + exportFileSuffix(format, job.export_options.vr_suffix, false));
    if (format == ExportFormat::kSeparatePair) {
      stems.push_back(base + exportFileSuffix(format, job.export_options.vr_suffix, true));
    }
  }
  for (const auto& [input, role] : jobInputs(job)) {
    std::error_code ec;
    if (!fs::exists(input, ec)) continue;
    const fs::path input_folder = input.has_parent_path() ? input.parent_path() : fs::path(".");
    if (!isSameFile(input_folder, job.out_dir)) continue;
    const std::string name = input.filename().string();
    const bool is_output =
        std::find(names.begin(), names.end(), name) != names.end() ||
        std::find(stems.begin(), stems.end(), input.stem().string()) != stems.end();
    if (is_output) {
      throw OutputError("this run would write '" + (job.out_dir / name).string() + "' over " +
                        role + " it reads ('" + input.string() +
                        "'); choose another output folder (-o)");
    }
  }
}

}  // namespace

GeometrySource geometryOf(const GenerateJob& job) {
  if (!job.disparity && !job.depth) return EstimatedDepth{};
  return MapFile{job.disparity ? *job.disparity : *job.depth,
                 job.disparity ? MapFileKind::kDisparity : MapFileKind::kDepth, job.read_options};
}

void validateGenerateJob(const GenerateJob& job) {
  std::error_code ec;
  if (!fs::is_regular_file(job.image, ec)) {
    throw InputError("image '" + job.image.string() +
                     (fs::exists(job.image, ec)
                          ? "' is not a regular file (a folder, FIFO or device?)"
                          : "' does not exist"));
  }
  if (job.disparity && job.depth)
    throw InputError("give either a disparity map or a depth map, not both");
  if (job.disparity || job.depth) {
    const fs::path& map = job.disparity ? *job.disparity : *job.depth;
    if (!fs::is_regular_file(map, ec)) {
      throw InputError(std::string(job.disparity ? "disparity" : "depth") + " file '" +
                       map.string() +
                       (fs::exists(map, ec) ? "' is not a regular file (a folder, FIFO or device?)"
                                            : "' does not exist"));
    }
  }
  if (job.out_dir.empty()) throw OutputError("no output folder given");
  if (fs::exists(job.out_dir, ec) && !fs::is_directory(job.out_dir, ec)) {
    throw OutputError("the output folder '" + job.out_dir.string() + "' is a file");
  }
  if (!fs::is_directory(job.out_dir, ec) && !job.out_dir.parent_path().empty() &&
      !fs::is_directory(job.out_dir.parent_path(), ec)) {
    throw OutputError("cannot create the output folder '" + job.out_dir.string() +
                      "': its parent folder does not exist");
  }
  if (job.formats.empty()) throw InputError("no output format requested");
  StereoEngine::validate(job.run);
  checkOutputsAgainstInputs(job);
}

GenerateReport runGenerateJob(StereoEngine& engine, const GenerateJob& job) {
  validateGenerateJob(job);
  const auto start = std::chrono::steady_clock::now();
  auto secondsSince = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };
  RunParams params = job.run;
  params.geometry = geometryOf(job);
  // Missing or broken models (and a missing map) are reported before anything big is read.
  const RunPlan plan = engine.plan(params);
  if (!plan.ready()) throw InputError(plan.problem);
  // No output of this run may replace a file it reads.
  ProtectedInputs protected_inputs({});
  for (const auto& [input, role] : jobInputs(job)) protected_inputs.add(input);
  // The photo and the map are decoded at the same time (two big files); the map by the
  // engine's one reader (engine/map_file.h).
  std::vector<RunNote> map_notes;
  std::future<GeometrySource> map_future;
  if (const auto* file = std::get_if<MapFile>(&params.geometry)) {
    map_future = std::async(std::launch::async, [file = *file, &map_notes] {
      return readGeometryFile(file, &map_notes);
    });
  }
  const cv::Mat image = readImage(job.image);
  if (map_future.valid()) params.geometry = map_future.get();
  if (params.cancel.isCancelled()) throw CancelledError();
  GenerateReport report;
  report.read_seconds = secondsSince(start);
  const auto engine_start = std::chrono::steady_clock::now();
  const RunResult result = engine.run(image, params);
  report.engine_seconds = secondsSince(engine_start);
  report.engine_description = result.engine_description;
  report.notes = describeRunNotes(result.notes);
  report.depth_seconds = result.depth_seconds;
  report.synthesis_seconds = result.synthesis_seconds;
  report.parallax = result.parallax;
  report.comfort_warnings = describeComfortWarnings(result.comfort_warnings);
  // A map whose disparities partly leave the picture is not "within the comfort range".
  for (const RunNote& note : map_notes) report.comfort_warnings.push_back(describeRunNote(note));
  report.baseline_scale = result.baseline_scale;
  report.screen_disparity_px = result.screen_disparity_px;
  if (result.columns != cv::Range::all()) {
    report.crop_left_px = result.columns.start;
    report.crop_right_px = image.cols - result.columns.end;
  }
  if (params.cancel.isCancelled()) throw CancelledError();
  const auto write_start = std::chrono::steady_clock::now();
  const DisparityMap& shaped_depth = result.depth;

  std::error_code ec;
  if (!fs::is_directory(job.out_dir, ec)) {
    if (!job.out_dir.parent_path().empty() && !fs::is_directory(job.out_dir.parent_path(), ec)) {
      throw OutputError("cannot create the output folder '" + job.out_dir.string() +
                        "': its parent folder does not exist");
    }
    fs::create_directory(job.out_dir, ec);
    if (ec) {
      throw OutputError("cannot create the output folder '" + job.out_dir.string() +
                        "': " + ec.message());
    }
  }
  // Temporaries a killed run left here; then every output file of this run is staged and
  // published as one set (a failure or a cancel leaves the previous set untouched).
  sweepStaleTemporaries(job.out_dir);
  OutputTransaction transaction(params.cancel);
  report.width = result.left.cols;
  report.height = result.left.rows;
  report.occluded_fraction = 1.0 - static_cast<double>(cv::countNonZero(result.synthesized.valid)) /
                                       static_cast<double>(result.synthesized.valid.total());
  const std::string base = job.image.stem().string();
  std::vector<WriteTask> tasks;
  if (job.export_depth && !shaped_depth.values.empty()) {
    tasks.push_back([&] {
      return exportDepthAndDisparity(job.out_dir, base, shaped_depth,
                                     makeSignedDisparityMap(result.disparity_px));
    });
  }
  auto addView = [&](const std::string& eye, const cv::Mat& image_of_eye) {
    tasks.push_back([&, eye] {
      std::vector<fs::path> written;
      writeView(job.out_dir / (base + "_" + eye + ".png"), image_of_eye, written);
      return written;
    });
  };
  auto addIntermediates = [&](const std::string& eye, const SynthesizedView& view) {
    if (!job.write_intermediates) return;
    tasks.push_back([&, eye] {
      std::vector<fs::path> written;
      writeIntermediates(job.out_dir, base, eye, view, written);
      return written;
    });
  };
  switch (params.synthesis.eye) {
    case SynthesisEye::kRight:
      addView("right", result.right);
      addIntermediates("right", result.synthesized);
      break;
    case SynthesisEye::kLeft:
      addView("left", result.left);
      addIntermediates("left", result.synthesized);
      break;
    case SynthesisEye::kBoth:
      addView("left", result.left);
      addView("right", result.right);
      addIntermediates("right", result.synthesized);
      addIntermediates("left", result.second);
      break;
  }
  for (ExportFormat format : job.formats) {
    tasks.push_back([&, format] {
      return exportStereo(result.left, result.right, format, job.out_dir, base, job.export_options);
    });
  }
  report.written = runWriteTasks(tasks, transaction, params.cancel);
  transaction.commit();
  report.write_seconds = secondsSince(write_start);
  report.seconds = secondsSince(start);
  return report;
}

}  // namespace genstereo

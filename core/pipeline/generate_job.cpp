#include "pipeline/generate_job.h"

#include <chrono>
#include <system_error>

#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "io/atomic_write.h"
#include "io/depth_export.h"
#include "io/image_io.h"
#include "io/map_discovery.h"
#include "io/output_transaction.h"

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

void writeIntermediates(const fs::path& out_dir, const std::string& base, const std::string& eye,
                        const SynthesizedView& view, std::vector<fs::path>& written) {
  const std::string prefix = base + "_" + eye;
  writeView(out_dir / (prefix + "_warped.png"), view.warped, written);
  cv::Mat holes = maskToImage(view.valid == 0) / 255.0;
  writeView(out_dir / (prefix + "_occlusion_mask.png"), holes, written);
  writeView(out_dir / (prefix + "_fill.png"), view.filled, written);
  writeView(out_dir / (prefix + "_fusion_weight.png"), view.fusion_weight, written);
  const fs::path disparity_path = out_dir / (prefix + "_disparity.pfm");
  writeDisparity(disparity_path, makeDisparityMap(view.disparity_px.clone()));
  written.push_back(disparity_path);
}

}  // namespace

void validateGenerateJob(const GenerateJob& job) {
  std::error_code ec;
  if (!fs::is_regular_file(job.image, ec)) {
    throw InputError("image '" + job.image.string() +
                     (fs::exists(job.image, ec) ? "' is not a regular file (a folder, FIFO or device?)"
                                                : "' does not exist"));
  }
  if (job.disparity && job.depth) throw InputError("give either a disparity map or a depth map, not both");
  if (job.disparity || job.depth) {
    const fs::path& map = job.disparity ? *job.disparity : *job.depth;
    if (!fs::is_regular_file(map, ec)) {
      throw InputError(std::string(job.disparity ? "disparity" : "depth") + " file '" + map.string() +
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
}

GenerateReport runGenerateJob(StereoEngine& engine, const GenerateJob& job) {
  validateGenerateJob(job);
  const auto start = std::chrono::steady_clock::now();
  auto secondsSince = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };
  RunParams params = job.run;
  // Missing or broken models are reported before anything big is read.
  if (!job.disparity && !job.depth) params.geometry = EstimatedDepth{};
  else params.geometry = DisparityInput{};  // the map is read below
  engine.resolveEngine(params);
  const cv::Mat image = readImage(job.image);
  if (job.disparity || job.depth) {
    const fs::path& map_path = job.disparity ? *job.disparity : *job.depth;
    DisparityReadOptions read_options = job.read_options;
    if (!read_options.png_divisor) read_options.png_divisor = mapReadOptions(map_path).png_divisor;
    DisparityMap map = readDisparity(map_path, read_options);
    const std::string origin = "'" + map_path.string() + "'";
    if (job.disparity) params.geometry = DisparityInput{std::move(map), origin};
    else params.geometry = DepthInput{std::move(map), origin};
  }
  if (params.cancel.isCancelled()) throw CancelledError();
  GenerateReport report;
  report.read_seconds = secondsSince(start);
  const auto engine_start = std::chrono::steady_clock::now();
  const RunResult result = engine.run(image, params);
  report.engine_seconds = secondsSince(engine_start);
  report.engine_description = result.engine_description;
  report.notes = result.notes;
  if (params.cancel.isCancelled()) throw CancelledError();
  const auto write_start = std::chrono::steady_clock::now();
  const DisparityMap& shaped_depth = result.depth;
  const DisparityMap disparity = makeDisparityMap(result.disparity_px);

  std::error_code ec;
  if (!fs::is_directory(job.out_dir, ec)) {
    if (!job.out_dir.parent_path().empty() && !fs::is_directory(job.out_dir.parent_path(), ec)) {
      throw OutputError("cannot create the output folder '" + job.out_dir.string() +
                        "': its parent folder does not exist");
    }
    fs::create_directory(job.out_dir, ec);
    if (ec) {
      throw OutputError("cannot create the output folder '" + job.out_dir.string() + "': " + ec.message());
    }
  }
  // Temporaries a killed run left here; then every output file of this run is staged and
  // published as one set (a failure or a cancel leaves the previous set untouched).
  sweepStaleTemporaries(job.out_dir);
  OutputTransaction transaction(params.cancel.flag());
  report.width = image.cols;
  report.height = image.rows;
  report.occluded_fraction = 1.0 - static_cast<double>(cv::countNonZero(result.synthesized.valid)) /
                                       static_cast<double>(result.synthesized.valid.total());
  const std::string base = job.image.stem().string();
  if (job.export_depth && !shaped_depth.values.empty()) {
    for (const fs::path& path : exportDepthAndDisparity(job.out_dir, base, shaped_depth, disparity)) {
      report.written.push_back(path);
    }
  }
  switch (params.synthesis.eye) {
    case SynthesisEye::kRight:
      writeView(job.out_dir / (base + "_right.png"), result.right, report.written);
      if (job.write_intermediates) writeIntermediates(job.out_dir, base, "right", result.synthesized, report.written);
      break;
    case SynthesisEye::kLeft:
      writeView(job.out_dir / (base + "_left.png"), result.left, report.written);
      if (job.write_intermediates) writeIntermediates(job.out_dir, base, "left", result.synthesized, report.written);
      break;
    case SynthesisEye::kBoth:
      writeView(job.out_dir / (base + "_left.png"), result.left, report.written);
      writeView(job.out_dir / (base + "_right.png"), result.right, report.written);
      if (job.write_intermediates) {
        writeIntermediates(job.out_dir, base, "right", result.synthesized, report.written);
        writeIntermediates(job.out_dir, base, "left", result.second, report.written);
      }
      break;
  }
  for (ExportFormat format : job.formats) {
    if (params.cancel.isCancelled()) throw CancelledError();
    for (const fs::path& path :
         exportStereo(result.left, result.right, format, job.out_dir, base, job.export_options)) {
      report.written.push_back(path);
    }
  }
  transaction.commit();
  report.write_seconds = secondsSince(write_start);
  report.seconds = secondsSince(start);
  return report;
}

}  // namespace genstereo

#include "pipeline/generate_job.h"

#include <chrono>
#include <system_error>

#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "io/atomic_write.h"
#include "io/depth_export.h"
#include "io/image_io.h"
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
  if (job.disparity && job.depth) throw InputError("give only one of --disparity FILE or --depth FILE");
  if (!job.disparity && !job.depth && !job.depth_estimator) {
    throw InputError("no geometry: give --disparity FILE or --depth FILE (or a depth model)");
  }
  if (job.disparity || job.depth) {
    const fs::path& map = job.disparity ? *job.disparity : *job.depth;
    if (!fs::is_regular_file(map, ec)) {
      throw InputError(std::string(job.disparity ? "disparity" : "depth") + " file '" + map.string() +
                       (fs::exists(map, ec) ? "' is not a regular file (a folder, FIFO or device?)"
                                            : "' does not exist"));
    }
  }
  if (job.out_dir.empty()) throw OutputError("no output folder given (-o OUTDIR)");
  if (job.formats.empty()) throw InputError("no output format requested");
  if (!(job.synthesis.shaping.baseline_scale > 0.0)) {
    throw InputError("--baseline-scale must be a positive number");
  }
}

GenerateReport runGenerateJob(const GenerateJob& job, const ProgressCallback& progress,
                              const std::atomic<bool>* cancel) {
  validateGenerateJob(job);
  const auto start = std::chrono::steady_clock::now();
  // One progress scale for the whole job: reading, the synthesis stages, writing.
  const int synthesis_steps = job.synthesis.eye == SynthesisEye::kBoth ? 3 : 2;
  const int total = synthesis_steps + 2;
  if (progress) progress(Progress{"reading inputs", 0, total});
  const cv::Mat image = readImage(job.image);
  DisparityMap disparity;
  DisparityMap shaped_depth;
  if (job.disparity) {
    disparity = readDisparity(*job.disparity, job.read_options);
  } else {
    if (progress && !job.depth) progress(Progress{"estimating depth", 0, total});
    const DisparityMap depth = job.depth ? readDisparity(*job.depth, job.read_options) : job.depth_estimator(image);
    if (depth.values.size() != image.size()) {
      const std::string source = job.depth ? "'" + job.depth->string() + "'" : std::string("the depth estimate");
      throw InputError(source + " is " + std::to_string(depth.width()) + "x" +
                       std::to_string(depth.height()) + " but the image '" + job.image.string() + "' is " +
                       std::to_string(image.cols) + "x" + std::to_string(image.rows) +
                       "; they must have the same size");
    }
    shaped_depth = shapeDepth(depth, job.depth_shaping);
    disparity = depthToDisparity(shaped_depth, job.depth_conversion);
  }
  if (disparity.values.size() != image.size()) {
    const fs::path& map = *job.disparity;
    throw InputError("'" + map.string() + "' is " + std::to_string(disparity.width()) + "x" +
                     std::to_string(disparity.height()) + " but the image '" + job.image.string() +
                     "' is " + std::to_string(image.cols) + "x" + std::to_string(image.rows) +
                     "; they must have the same size");
  }
  ProgressCallback synthesis_progress = nullptr;
  if (progress) {
    synthesis_progress = [&](const Progress& p) {
      if (p.step < p.total) progress(Progress{p.stage, p.step + 1, total});
    };
  }
  const StereoResult result =
      synthesizeStereo(image, disparity, job.synthesis, synthesis_progress, cancel, job.synthesizer);
  if (cancel != nullptr && cancel->load()) throw CancelledError();
  if (progress) progress(Progress{"writing outputs", total - 1, total});

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
  OutputTransaction transaction(cancel);
  GenerateReport report;
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
  switch (job.synthesis.eye) {
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
    if (cancel != nullptr && cancel->load()) throw CancelledError();
    for (const fs::path& path :
         exportStereo(result.left, result.right, format, job.out_dir, base, job.export_options)) {
      report.written.push_back(path);
    }
  }
  transaction.commit();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (progress) progress(Progress{"done", total, total});
  return report;
}

}  // namespace genstereo

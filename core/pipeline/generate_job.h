// One `generate` run of the weight-free engine, from files to files: read the photo and its
// disparity or depth, synthesise the stereo pair, write the views, the intermediates the GUI
// shows (warped view, occlusion mask, fill, fusion weights, disparity) and the composites.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "io/disparity_io.h"
#include "io/stereo_export.h"
#include "stereo/depth_shaping.h"
#include "stereo/disparity_preparation.h"
#include "stereo/stereo_synthesis.h"

namespace genstereo {

// Estimates relative inverse depth (larger = nearer, CV_32FC1 with a validity mask) of a photo
// (CV_32FC3 BGR [0,1]) at its resolution, e.g. Depth Anything V2.
using DepthEstimatorFunction = std::function<DisparityMap(const cv::Mat& image01)>;

struct GenerateJob {
  std::filesystem::path image;
  // One source of geometry: a disparity file, a depth file, or the depth estimator.
  std::optional<std::filesystem::path> disparity;
  std::optional<std::filesystem::path> depth;
  DepthEstimatorFunction depth_estimator;  // used when neither file is given
  DepthShaping depth_shaping;              // applied to depth (file or estimated)
  bool export_depth = false;               // write the depth and disparity used (16-bit PNG,
                                           // PFM, colour preview) when they come from depth
  DisparityReadOptions read_options;
  DepthConversion depth_conversion;
  SynthesisParams synthesis;
  std::vector<ExportFormat> formats = {ExportFormat::kSideBySideFull};
  ExportOptions export_options;
  std::filesystem::path out_dir;
  bool write_intermediates = true;
  // The engine for the synthesised views; unset = the weight-free engine.
  RightViewSynthesizer synthesizer;
};

struct GenerateReport {
  std::vector<std::filesystem::path> written;
  double seconds = 0.0;
  int width = 0;
  int height = 0;
  double occluded_fraction = 0.0;  // of the synthesised view
};

// Checks the job (inputs exist, one disparity source, output folder usable) before any work.
// Throws InputError / OutputError.
void validateGenerateJob(const GenerateJob& job);

GenerateReport runGenerateJob(const GenerateJob& job, const ProgressCallback& progress = nullptr,
                              const std::atomic<bool>* cancel = nullptr);

}  // namespace genstereo

// The value type of disparity and depth maps, shared by every stage (io reads and writes it,
// stereo and metrics compute with it).
// Convention: CV_32FC1 values and a CV_8UC1 validity mask (1 = valid, 0 = invalid); invalid
// values are 0 in `values`.
#pragma once

#include <optional>

#include <opencv2/core.hpp>

namespace genstereo {

struct DisparityMap {
  cv::Mat values;  // CV_32FC1
  cv::Mat valid;   // CV_8UC1, 1 = valid
  int width() const { return values.cols; }
  int height() const { return values.rows; }
  double validFraction() const;
};

// A map read as input: marks NaN, inf and negative values invalid. `values` must be CV_32FC1.
DisparityMap makeDisparityMap(cv::Mat values);

// A disparity a run produced, signed: with convergence, points in front of the screen have
// negative disparities (docs/comfort.md). Only NaN and inf are invalid. `values`: CV_32FC1.
// Written as PFM/NPY/TIFF it keeps its sign; a KITTI PNG cannot hold negative values and
// writes them as invalid (0).
DisparityMap makeSignedDisparityMap(cv::Mat values);

// How a map file's values are read (io/disparity_io.h, the engine's MapFile).
struct DisparityReadOptions {
  // For integer PNG files: value = stored / divisor. When unset: 256 for 16-bit PNG
  // (KITTI), 1 for 8-bit PNG. Stored 0 is invalid in integer PNG files.
  std::optional<double> png_divisor;
};

}  // namespace genstereo

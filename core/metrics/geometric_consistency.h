// Geometric consistency of a generated stereo pair: does the right view really encode the
// disparity it was made from? OpenCV's semi-global matcher (StereoSGBM) is run on the pair and
// its disparity is compared with the one used, on the pixels valid in both and visible in both
// views, with the KITTI measures.
//
// Images: CV_32FC3 BGR (or CV_32FC1) in [0, 1], converted to 8-bit grey for the matcher.
// Disparity: CV_32FC1 in pixels of the left view, left (x, y) matches right (x - d, y);
// non-finite values are invalid.
#pragma once

#include <cstdint>
#include <string>

#include <opencv2/core.hpp>

namespace genstereo {

struct ConsistencyParams {
  int block_size = 5;                   // SGBM matching block (odd); P1 = 8 bs^2, P2 = 32 bs^2
  bool full_dp = false;                 // false: MODE_SGBM_3WAY (fast), true: MODE_HH (8 paths)
  double d1_threshold_px = 3.0;         // KITTI D1: error > 3 px ...
  double d1_threshold_fraction = 0.05;  // ... and > 5 % of the true disparity
};

struct ConsistencyScores {
  double epe_px = 0.0;  // mean absolute disparity error on the compared pixels (NaN if none)
  double d1 = 0.0;      // fraction of compared pixels that are KITTI D1 outliers (NaN if none)
  double sgbm_density = 0.0;     // fraction of the candidate pixels where SGBM gave a disparity
  std::int64_t pixel_count = 0;  // compared pixels
  int min_disparity = 0;         // SGBM search range used: [min, min + num)
  int num_disparities = 16;
  // Non-empty when the pair could not be measured (too small for the matcher's search
  // range); epe_px and d1 are then NaN and pixel_count 0.
  std::string skipped_reason;
};

// The smallest pair StereoSGBM is run on (OpenCV aborts on narrower ones).
constexpr int kMinSgbmWidthPx = 16;
constexpr int kMinSgbmHeightPx = 8;

// True when StereoSGBM can search [min_disparity, min_disparity + num_disparities) with
// `block_size` on a width x height pair without OpenCV aborting the process.
bool sgbmRangeFits(int width_px, int height_px, int min_disparity, int num_disparities,
                   int block_size);

// CV_8UC1, 1 where the left pixel is visible in the right view under `disparity_px` (the
// official forward warp's winner of its target column), 0 where it is occluded or leaves
// the image.
cv::Mat computeLeftVisibility(const cv::Mat& disparity_px);

// StereoSGBM disparity of the left view (CV_32FC1 in pixels; NaN where SGBM gives none),
// searching [min_disparity, min_disparity + num_disparities) (num a positive multiple of 16).
// Throws InputError when the images differ in size or type, or when the pair is too small
// for the range (sgbmRangeFits).
cv::Mat computeSgbmDisparity(const cv::Mat& left, const cv::Mat& right, int min_disparity,
                             int num_disparities, const ConsistencyParams& params = {});

// Runs SGBM on the pair with a search range covering `disparity_px` (numDisparities the
// multiple of 16 above its range, minDisparity 0 unless it holds negative values) and compares
// on the pixels where `disparity_px` is finite, `mask` (CV_8UC1, empty = all) is non-zero,
// the pixel is visible in the right view (computeLeftVisibility) and SGBM has a value.
// The range is narrowed to what the image width allows; a pair too small even for 16
// disparities is not measured: `skipped_reason` says why, never an abort.
// Throws InputError when sizes differ or no disparity is finite.
ConsistencyScores measureGeometricConsistency(const cv::Mat& left, const cv::Mat& right,
                                              const cv::Mat& disparity_px,
                                              const cv::Mat& mask = cv::Mat(),
                                              const ConsistencyParams& params = {});

}  // namespace genstereo

// Forward warp of a view by its disparity, with exactly the official GenStereo semantics
// (genstereo/ops.py, convert_left_to_right_torch):
//   * d = round(disparity) with round-half-to-even (torch.round), not half away from zero;
//   * target column x_t = x - d for the left -> right warp (x + d for right -> left);
//   * a source pixel landing outside [0, W) is dropped; negative disparities are allowed;
//   * when two source pixels land on one target, the nearer one (larger rounded disparity)
//     wins. For left -> right this is the official "later column overwrites" rule.
//   * no splatting, no interpolation: targets nobody reaches are holes.
#pragma once

#include <opencv2/core.hpp>

namespace genstereo {

enum class WarpDirection {
  kLeftToRight,  // synthesise the right view from the left: x_t = x - d
  kRightToLeft,  // synthesise the left view from the right: x_t = x + d
};

// Where each target pixel comes from.
struct WarpCorrespondence {
  cv::Mat source_x;      // CV_32SC1: source column of the target pixel (same row); -1 = hole
  cv::Mat valid;         // CV_8UC1: 1 where a source pixel landed (official renders['mask'])
  cv::Mat disparity_px;  // CV_32FC1: disparity (unrounded) of the winning source pixel; 0 in holes

  cv::Mat holeMask() const;  // CV_8UC1: 1 where nothing landed
};

// `disparity_px` is CV_32FC1 in pixels. Non-finite values are treated as "no source pixel".
WarpCorrespondence computeForwardWarp(const cv::Mat& disparity_px, WarpDirection direction);

// The same without source_x (left empty): valid and disparity_px only, what the sub-pixel
// warp needs (one full-size map fewer to allocate and write).
WarpCorrespondence computeForwardTargets(const cv::Mat& disparity_px, WarpDirection direction);

// Moves the pixels of `source` (any depth CV_32F or CV_8U, 1..512 channels) to their targets;
// holes get `hole_value` (all channels).
cv::Mat applyWarp(const WarpCorrespondence& correspondence, const cv::Mat& source,
                  double hole_value);

}  // namespace genstereo

// Turning a user's disparity or depth map into the per-pixel shift the warp uses.
#pragma once

#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "stereo/disparity_map.h"

namespace genstereo {

// What a depth file holds.
enum class DepthKind {
  kInverse,  // relative inverse depth, larger = nearer (Depth Anything V2 output; official)
  kMetric,   // distance, larger = farther (converted with 1/depth first)
};
const char* toString(DepthKind kind);  // "inverse", "metric"
std::optional<DepthKind> depthKindFromString(const std::string& text);

struct DepthConversion {
  DepthKind kind = DepthKind::kInverse;
  // Official GenStereo scale_factor: the nearest pixel gets this fraction of the image width
  // as disparity (test.py: 0.15 of the working size S).
  double max_disparity_fraction = 0.15;
};

// Official convention (GenStereo test.py): d01 = (x - min) / (max - min) over the valid
// pixels, disparity_px = d01 * max_disparity_fraction * width. A flat map gives 0 everywhere.
// Invalid pixels stay invalid. Throws InputError when no pixel is valid.
DisparityMap depthToDisparity(const DisparityMap& depth, const DepthConversion& conversion);

// Fills invalid disparities from the background: along each row an invalid run takes the
// smaller (farther) of its two valid neighbours, as occluded regions belong to the farther
// surface; rows without any valid pixel copy the nearest row that has one.
// Throws InputError when no pixel is valid.
cv::Mat fillInvalidDisparity(const DisparityMap& map);

struct DisparityShaping {
  double baseline_scale = 1.0;  // multiplies every disparity (a wider or narrower baseline)
  // Zero-parallax (screen) plane as a fraction of the largest disparity: 0 keeps the map as
  // it is (official: the farthest point of a depth map sits at zero disparity, everything
  // else comes out of the screen), 0.5 puts surfaces with half the largest disparity on the
  // screen plane, 1 the nearest point. Values outside [0, 1] are allowed.
  double convergence = 0.0;
};

// Applies baseline scale and convergence to a dense disparity map:
//   d' = baseline_scale * d;  d'' = d' - convergence * max(d').
cv::Mat shapeDisparity(const cv::Mat& dense_disparity_px, const DisparityShaping& shaping);

}  // namespace genstereo

// Turning a user's disparity or depth map into the per-pixel shift the warp uses.
#pragma once

#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "genstereo/depth_params.h"
#include "genstereo/synthesis_params.h"
#include "stereo/disparity_map.h"

namespace genstereo {

// Official convention (GenStereo test.py): d01 = (x - min) / (max - min) over the valid
// pixels, disparity_px = d01 * max_disparity_fraction * width. A flat map gives 0 everywhere.
// Invalid pixels stay invalid. Throws InputError when no pixel is valid.
DisparityMap depthToDisparity(const DisparityMap& depth, const DepthConversion& conversion);

// Fills invalid disparities from the background: along each row an invalid run takes the
// smaller (farther) of its two valid neighbours, as occluded regions belong to the farther
// surface; rows without any valid pixel copy the nearest row that has one.
// Throws InputError when no pixel is valid.
cv::Mat fillInvalidDisparity(const DisparityMap& map);

// Applies baseline scale and convergence to a dense disparity map:
//   d' = baseline_scale * d;  d'' = d' - convergence * max(d').
cv::Mat shapeDisparity(const cv::Mat& dense_disparity_px, const DisparityShaping& shaping);

}  // namespace genstereo

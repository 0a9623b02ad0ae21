// Sub-pixel view synthesis: forward-warp the disparity (official integer rule, nearer surface
// wins), then fetch every reached target's colour from the source at its exact position
// x_s = x_t + d (left -> right) with linear interpolation along the row. The official warp
// copies whole pixels, which shifts every surface by up to half a pixel; this removes that
// error on all visible pixels. Interpolation never mixes two surfaces: across a disparity
// step larger than `edge_threshold_px` the source pixel on the target's own surface is used.
// One-pixel cracks that the integer rule leaves inside a slanted surface (both neighbours
// within `crack_threshold_px` of each other) are reached the same way instead of filled.
#pragma once

#include <opencv2/core.hpp>

#include "stereo/forward_warp.h"

namespace genstereo {

struct SubpixelWarpParams {
  double edge_threshold_px = 1.0;
  double crack_threshold_px = 1.0;
  int max_crack_px = 2;
};

struct SubpixelWarp {
  // valid includes closed cracks; disparity_px is dense on valid; source_x is left empty
  // (computeForwardTargets)
  WarpCorrespondence correspondence;
  cv::Mat image;  // CV_32FC3, holes 0
};

SubpixelWarp warpSubpixel(const cv::Mat& source, const cv::Mat& disparity_px,
                          WarpDirection direction, const SubpixelWarpParams& params = {});

}  // namespace genstereo

// Weight-free fusion: blends the warped view and the filled background near hole borders so
// the final view shows no seam. It plays the role of GenStereo's learned fusion layer when no
// weights are available and produces the same kind of output (a per-pixel weight).
#pragma once

#include <opencv2/core.hpp>

#include "stereo/occlusion_fill.h"

namespace genstereo {

struct SeamBlendResult {
  cv::Mat image;   // CV_32FC3 [0,1]
  cv::Mat weight;  // CV_32FC1 [0,1]: share of the warped pixel (0 in holes, 1 far from them)
};

// weight = min(1, distance_to_nearest_hole / feather_px) on background pixels, 1 on the
// foreground pixels next to holes (their edge is real and stays sharp), 0 in holes.
// image = weight * warped + (1 - weight) * fill.background_fill.
// feather_px <= 0 gives a hard mask (weight = valid).
SeamBlendResult blendSeams(const cv::Mat& warped, const cv::Mat& valid, const FillResult& fill,
                           double feather_px);

// The same, writing the image into the pixels of fill.background_fill when `fill` holds the
// only reference to them (no copy of a full image; what a caller that no longer needs the
// fill passes).
SeamBlendResult blendSeams(const cv::Mat& warped, const cv::Mat& valid, FillResult&& fill,
                           double feather_px);

}  // namespace genstereo

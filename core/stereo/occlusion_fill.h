// Weight-free filling of the holes the forward warp leaves (disocclusions and cracks).
//
// Holes in a synthesised view belong to the surface *behind* the object that uncovered them.
// Along the epipolar line (the image row) every hole run lies between two warped pixels; the
// one with the smaller disparity is the background. The background method:
//   1. gives each hole run the background's disparity (a dense disparity for the new view);
//   2. hides the foreground next to the run (disparity clearly larger than the background's):
//      along the row up to `reach_factor` times the run width, and in 2-D within
//      `guard_window_px` of any hole, so that it cannot bleed into the fill;
//   3. interpolates the remaining background into every hidden or empty pixel by push-pull
//      (a normalised Gaussian pyramid): smooth, seamless, O(N);
//   4. blends that with the row estimate (mean of the first `row_samples` background pixels
//      beside the run, which keeps horizontal structure) and smooths the result along the
//      columns inside the holes (removes row-to-row streaks);
//   5. keeps the hidden foreground pixels unchanged (their edge is real).
// Parameters were chosen with `genstereo-cli eval` on the development pairs (docs/quality.md).
#pragma once

#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "genstereo/synthesis_params.h"
#include "stereo/forward_warp.h"

namespace genstereo {

struct FillResult {
  cv::Mat image;             // CV_32FC3 [0,1], holes filled
  cv::Mat disparity_px;      // CV_32FC1, warped disparity with holes given the background's
  cv::Mat background_fill;   // CV_32FC3: the background interpolated from its neighbours at
                             // every pixel (equals `image` in holes); used to feather seams
  cv::Mat foreground_guard;  // CV_8UC1: 255 on foreground pixels next to holes (kept sharp)
};

// `warped` is the forward-warped view (CV_32FC3 [0,1]); `correspondence` the warp that made it.
FillResult fillOcclusions(const cv::Mat& warped, const WarpCorrespondence& correspondence,
                          FillMethod method, const FillParams& params = {});

// The same, giving the result's disparity_px the pixels of correspondence.disparity_px (its
// holes are overwritten with the background's; no full-size copy is made).
FillResult fillOcclusions(const cv::Mat& warped, WarpCorrespondence&& correspondence,
                          FillMethod method, const FillParams& params = {});

// Push-pull interpolation (normalised Gaussian pyramid) of the pixels of `image` where `known`
// (CV_8UC1, non-zero): a smooth estimate at every pixel from its known neighbours (at known
// pixels too, which makes it usable to feather seams). `image` is CV_32FC1 or CV_32FC3.
cv::Mat pushPullInterpolate(const cv::Mat& image, const cv::Mat& known);

// `image` where `known`, the push-pull interpolation elsewhere.
cv::Mat pushPullFill(const cv::Mat& image, const cv::Mat& known);

}  // namespace genstereo

// The weight-free stereo engine: photo + disparity (or depth) -> stereo pair.
// warp (official semantics) -> disparity-guided background fill -> seam blend.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "genstereo/progress.h"
#include "genstereo/synthesis_params.h"
#include "stereo/comfort_shaping.h"
#include "stereo/disparity_map.h"
#include "stereo/disparity_preparation.h"
#include "stereo/occlusion_fill.h"
#include "stereo/stereo_border.h"
#include "stereo/subpixel_warp.h"

namespace genstereo {

struct StereoResult {
  cv::Mat left;                      // CV_32FC3 [0,1]
  cv::Mat right;                     // CV_32FC3 [0,1]
  cv::Mat disparity_px;              // CV_32FC1, dense shaped disparity of the input view
  SynthesizedView synthesized;       // the right view (kRight) or the left view (kLeft)
  SynthesizedView second;            // kBoth only: `synthesized` is the right view, this the left
  double baseline_scale = 1.0;       // applied: the shaping's, narrowed by the parallax limit
  double screen_disparity_px = 0.0;  // the (scaled) disparity moved to the screen plane
  bool is_range_limited = false;     // the parallax limit narrowed the baseline
  // The columns of the input kept in every image above (BorderMode::kCrop; else all).
  cv::Range columns = cv::Range::all();
};

// Synthesises the RIGHT view of `left_source` (CV_32FC3 [0,1]) from its dense disparity; used
// instead of the weight-free warp + fill when set (e.g. the diffusion model). Left views are
// made from it by mirroring: the left view of an image is the mirrored right view of the
// mirrored image.
using RightViewSynthesizer =
    std::function<SynthesizedView(const cv::Mat& left_source, const cv::Mat& dense_disparity_px)>;

// `image` CV_32FC3 [0,1]; `disparity` in pixels at the image's resolution (invalid pixels are
// filled from the background first), shaped by shapeForComfort, faded to the screen border
// (BorderMode::kScreen); with BorderMode::kCrop every image of the result is cropped to the
// stereo window (StereoResult::columns). Checks `cancel` between stages (throws CancelledError)
// and reports each stage to `progress`: kPreparing (step 0), kSynthesizing (a step per view),
// kDone (step == total).
// Throws InputError when sizes differ or no disparity is valid.
StereoResult synthesizeStereo(const cv::Mat& image, const DisparityMap& disparity,
                              const SynthesisParams& params,
                              const RunProgressCallback& progress = nullptr,
                              const CancelToken& cancel = CancelToken(),
                              const RightViewSynthesizer& synthesizer = nullptr);

// Synthesises one view from `source` with a dense disparity (the stages above).
SynthesizedView synthesizeView(const cv::Mat& source, const cv::Mat& dense_disparity_px,
                               WarpDirection direction, const SynthesisParams& params);

}  // namespace genstereo

// The border strip: along the left or right edge of a synthesised view, no pixel of the input
// view lands (the scene moved inwards there), and the fill invents a smeared strip. Three ways
// to handle it (docs/comfort.md):
//   fill   - as before: the fill invents the strip (no change to geometry or size);
//   crop   - both views are cropped to the columns both eyes see (the stereo window), so the
//            pair is narrower by the strip widths;
//   screen - the disparity fades linearly to 0 towards the left and right edges, so the
//            image border sits on the screen plane and nothing moves there (the idea of iw3's
//            preserve-screen-border; the fade is twice as wide as the largest |disparity|).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "genstereo/synthesis_params.h"

namespace genstereo {

// Rows whose strip is wider than this percentile of all rows' strips are left to the fill (a
// near object at the very edge of a few rows must not cut the whole pair).
constexpr double kCropRowPercentile = 95.0;

// screen: d(x) *= min(1, x / band, (W - 1 - x) / band), band = 2 ceil(max |d|) pixels (at
// most a quarter of the width): the fade stretches or squeezes the content by at most half,
// so the warp leaves at most one-pixel cracks there, which the sub-pixel warp closes.
void fadeDisparityToScreenBorder(cv::Mat& disparity_px);

// crop: the columns [begin, end) of the views to keep, from the validity masks (CV_8UC1, 1 =
// a source pixel landed) of the synthesised view(s): per row the run of holes touching the
// left edge and the one touching the right edge; each side's width is their
// kCropRowPercentile-th percentile over the rows (at most a quarter of the width).
cv::Range stereoWindowColumns(const std::vector<cv::Mat>& valid_masks);

}  // namespace genstereo

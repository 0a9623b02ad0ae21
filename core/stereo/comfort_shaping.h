// Comfortable stereo from any disparity: where the screen plane lies (convergence: manual, at a
// percentile of the disparity, or at a chosen pixel) and a limit on the parallax range that
// narrows the baseline when the scene would be too deep. docs/comfort.md.
#pragma once

#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "genstereo/synthesis_params.h"
#include "stereo/disparity_preparation.h"

namespace genstereo {

// The range limit of the comfortable settings: 3% of the width, 10% under the 1/30 comfort
// limit (ComfortRange), so that a pair cropped to its stereo window stays inside it.
constexpr double kComfortableRangePercent = 3.0;

// The engine's neutral default (ComfortParams{}) leaves the disparity as the official code
// does. These are the comfortable settings clients offer by default (docs/comfort.md): auto
// convergence at the median (the screen plane that minimises the mean |parallax| over the
// pixels) and the kComfortableRangePercent limit.
ComfortParams comfortableSettings();

struct ComfortShaping {
  cv::Mat disparity_px;              // CV_32FC1, the shaped disparity
  double baseline_scale = 1.0;       // the scale applied (shaping's x the limit's)
  double screen_disparity_px = 0.0;  // disparity (after scaling) moved to the screen plane
  bool is_range_limited = false;     // the limit narrowed the baseline
};

// d' = s * d with s = shaping.baseline_scale, narrowed by the range limit; then the screen
// plane: d'' = d' - c with c = shaping.convergence * max(d') (kManual, as shapeDisparity),
// the percentile of d' (kPercentile) or d' at the point (kPoint). With a neutral ComfortParams
// the result equals shapeDisparity(dense_disparity_px, shaping). Throws InputError for a
// percentile outside [0, 100], a point outside the map, a negative limit.
ComfortShaping shapeForComfort(const cv::Mat& dense_disparity_px, const DisparityShaping& shaping,
                               const ComfortParams& comfort);

// The same, writing the result into the pixels of `dense_disparity_px` (which it overwrites:
// the caller's disparity becomes ComfortShaping::disparity_px, no full-size copy is made).
ComfortShaping shapeForComfortInPlace(cv::Mat& dense_disparity_px, const DisparityShaping& shaping,
                                      const ComfortParams& comfort);

// Throws InputError naming the parameter when `comfort` is out of range (point not checked:
// the map's size is not known here).
void validateComfort(const ComfortParams& comfort);

}  // namespace genstereo

// Comfortable stereo from any disparity: where the screen plane lies (convergence: manual, at a
// percentile of the disparity, or at a chosen pixel) and a limit on the parallax range that
// narrows the baseline when the scene would be too deep. docs/comfort.md.
#pragma once

#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "stereo/disparity_preparation.h"

namespace genstereo {

enum class ConvergenceMode {
  kManual,      // DisparityShaping::convergence (official: 0, nothing behind the screen)
  kPercentile,  // zero parallax at ComfortParams::convergence_percentile of the disparity
  kPoint,       // zero parallax at the pixel ComfortParams::screen_point_px ("click a point")
};
const char* toString(ConvergenceMode mode);  // "manual", "auto", "point"
std::optional<ConvergenceMode> convergenceModeFromString(const std::string& text);

struct ComfortParams {
  ConvergenceMode convergence = ConvergenceMode::kManual;
  // kPercentile: the disparity percentile (0 = farthest, 100 = nearest) put on the screen plane.
  double convergence_percentile = 50.0;
  // kPoint: the pixel (x, y) of the input view put on the screen plane.
  cv::Point screen_point_px{0, 0};
  // The parallax range (99th - 1st percentile of the disparity) is narrowed to at most this
  // percentage of the width by scaling the baseline down (never up); 0 = no limit.
  double max_range_percent = 0.0;
};

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

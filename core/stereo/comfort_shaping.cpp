#include "stereo/comfort_shaping.h"

#include <cmath>
#include <string>

#include "errors.h"
#include "stereo/parallax_budget.h"

namespace genstereo {

const char* toString(ConvergenceMode mode) {
  switch (mode) {
    case ConvergenceMode::kManual:
      return "manual";
    case ConvergenceMode::kPercentile:
      return "auto";
    case ConvergenceMode::kPoint:
      return "point";
  }
  return "manual";
}

std::optional<ConvergenceMode> convergenceModeFromString(const std::string& text) {
  for (ConvergenceMode mode :
       {ConvergenceMode::kManual, ConvergenceMode::kPercentile, ConvergenceMode::kPoint}) {
    if (text == toString(mode)) return mode;
  }
  return std::nullopt;
}

ComfortParams comfortableSettings() {
  ComfortParams comfort;
  comfort.convergence = ConvergenceMode::kPercentile;
  comfort.convergence_percentile = 50.0;
  comfort.max_range_percent = kComfortableRangePercent;
  return comfort;
}

void validateComfort(const ComfortParams& comfort) {
  if (!std::isfinite(comfort.convergence_percentile) || comfort.convergence_percentile < 0.0 ||
      comfort.convergence_percentile > 100.0) {
    throw InputError("the auto-convergence percentile must be in [0, 100], found " +
                     std::to_string(comfort.convergence_percentile));
  }
  if (!std::isfinite(comfort.max_range_percent) || comfort.max_range_percent < 0.0 ||
      comfort.max_range_percent > 100.0) {
    throw InputError("the parallax limit must be in [0, 100] % of the width (0 = none), found " +
                     std::to_string(comfort.max_range_percent));
  }
}

namespace {

// The shaping of `dense_disparity_px` into `destination` (a new image, or the same pixels).
ComfortShaping shapeInto(const cv::Mat& dense_disparity_px, const DisparityShaping& shaping,
                         const ComfortParams& comfort, cv::Mat destination) {
  validateComfort(comfort);
  if (!std::isfinite(shaping.baseline_scale) || !std::isfinite(shaping.convergence)) {
    throw InputError("baseline scale and convergence must be finite numbers");
  }
  ComfortShaping result;
  result.baseline_scale = shaping.baseline_scale;
  if (comfort.max_range_percent > 0.0) {
    const ParallaxBudget budget = computeParallaxBudget(dense_disparity_px);
    const double range_percent = budget.rangePercent() * shaping.baseline_scale;
    if (range_percent > comfort.max_range_percent) {
      result.baseline_scale *= comfort.max_range_percent / range_percent;
      result.is_range_limited = true;
    }
  }
  result.disparity_px = destination;
  dense_disparity_px.convertTo(result.disparity_px, CV_32F, result.baseline_scale);
  switch (comfort.convergence) {
    case ConvergenceMode::kManual:
      if (shaping.convergence != 0.0) {
        double max_value = 0.0;
        cv::minMaxLoc(result.disparity_px, nullptr, &max_value);
        result.screen_disparity_px = shaping.convergence * max_value;
      }
      break;
    case ConvergenceMode::kPercentile:
      result.screen_disparity_px =
          disparityPercentile(result.disparity_px, comfort.convergence_percentile);
      break;
    case ConvergenceMode::kPoint: {
      const cv::Point p = comfort.screen_point_px;
      if (p.x < 0 || p.y < 0 || p.x >= result.disparity_px.cols ||
          p.y >= result.disparity_px.rows) {
        throw InputError("the screen point (" + std::to_string(p.x) + ", " + std::to_string(p.y) +
                         ") lies outside the " + std::to_string(result.disparity_px.cols) + "x" +
                         std::to_string(result.disparity_px.rows) + " image");
      }
      result.screen_disparity_px = result.disparity_px.at<float>(p);
      break;
    }
  }
  if (result.screen_disparity_px != 0.0) {
    result.disparity_px -= result.screen_disparity_px;
  }
  return result;
}

}  // namespace

ComfortShaping shapeForComfort(const cv::Mat& dense_disparity_px, const DisparityShaping& shaping,
                               const ComfortParams& comfort) {
  return shapeInto(dense_disparity_px, shaping, comfort, cv::Mat());
}

ComfortShaping shapeForComfortInPlace(cv::Mat& dense_disparity_px, const DisparityShaping& shaping,
                                      const ComfortParams& comfort) {
  return shapeInto(dense_disparity_px, shaping, comfort, dense_disparity_px);
}

}  // namespace genstereo

#include "stereo/parallax_budget.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "errors.h"

namespace genstereo {

namespace {

constexpr double kMaxSamples = 1 << 20;

// The finite values of `disparity_px`, every pixel of a small map, a regular grid of a big one.
std::vector<float> finiteSamples(const cv::Mat& disparity_px) {
  if (disparity_px.empty() || disparity_px.type() != CV_32FC1) {
    throw InputError("parallax budget: expected a non-empty CV_32FC1 disparity map");
  }
  const double pixels = static_cast<double>(disparity_px.total());
  const int stride = std::max(1, static_cast<int>(std::ceil(std::sqrt(pixels / kMaxSamples))));
  std::vector<float> samples;
  samples.reserve(static_cast<std::size_t>(pixels / (stride * stride)) + disparity_px.cols + 1);
  for (int y = 0; y < disparity_px.rows; y += stride) {
    const float* row = disparity_px.ptr<float>(y);
    for (int x = 0; x < disparity_px.cols; x += stride) {
      if (std::isfinite(row[x])) samples.push_back(row[x]);
    }
  }
  if (samples.empty()) throw InputError("parallax budget: the disparity map has no finite value");
  return samples;
}

// Percentile by linear interpolation between order statistics (numpy's default).
double percentileOf(std::vector<float>& samples, double percent) {
  const double clamped = std::clamp(percent, 0.0, 100.0);
  const double position = clamped / 100.0 * static_cast<double>(samples.size() - 1);
  const std::size_t low = static_cast<std::size_t>(std::floor(position));
  const std::size_t high = std::min(samples.size() - 1, low + 1);
  std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(low),
                   samples.end());
  const double low_value = samples[low];
  if (high == low) return low_value;
  const double high_value =
      *std::min_element(samples.begin() + static_cast<std::ptrdiff_t>(high), samples.end());
  return low_value + (position - static_cast<double>(low)) * (high_value - low_value);
}

std::string percentText(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", value);
  return text;
}

}  // namespace

double disparityPercentile(const cv::Mat& disparity_px, double percent) {
  std::vector<float> samples = finiteSamples(disparity_px);
  return percentileOf(samples, percent);
}

ParallaxBudget computeParallaxBudget(const cv::Mat& disparity_px) {
  std::vector<float> samples = finiteSamples(disparity_px);
  ParallaxBudget budget;
  budget.width_px = disparity_px.cols;
  budget.near_disparity_px = percentileOf(samples, kParallaxNearPercentile);
  budget.far_disparity_px = percentileOf(samples, kParallaxFarPercentile);
  // Screen parallax is -d; + 0.0 turns a -0 into 0 for printing.
  budget.near_percent = -budget.near_disparity_px / budget.width_px * 100.0 + 0.0;
  budget.far_percent = -budget.far_disparity_px / budget.width_px * 100.0 + 0.0;
  return budget;
}

std::vector<ComfortWarning> comfortWarnings(const ParallaxBudget& budget,
                                            const ComfortRange& range) {
  std::vector<ComfortWarning> warnings;
  // A hundredth of a percent of tolerance: a budget limited to exactly the range is inside.
  constexpr double kTolerancePercent = 0.01;
  if (budget.rangePercent() > range.max_range_percent + kTolerancePercent) {
    warnings.push_back(
        {ComfortWarningKind::kRangeExceeded, budget.rangePercent(), range.max_range_percent});
  }
  if (budget.far_percent > range.max_far_percent + kTolerancePercent) {
    warnings.push_back(
        {ComfortWarningKind::kFarExceeded, budget.far_percent, range.max_far_percent});
  }
  return warnings;
}

std::string describeComfortWarning(const ComfortWarning& warning) {
  switch (warning.kind) {
    case ComfortWarningKind::kRangeExceeded:
      return "parallax range " + percentText(warning.value_percent) +
             " of the width exceeds the comfort limit of " + percentText(warning.limit_percent) +
             " (1/30 rule)";
    case ComfortWarningKind::kFarExceeded:
      return "parallax behind the screen " + percentText(warning.value_percent) +
             " of the width exceeds " + percentText(warning.limit_percent) +
             " (eyes diverge on screens wider than 2.5 m)";
  }
  return "outside the comfort range";
}

std::vector<std::string> describeComfortWarnings(const std::vector<ComfortWarning>& warnings) {
  std::vector<std::string> texts;
  texts.reserve(warnings.size());
  for (const ComfortWarning& warning : warnings) texts.push_back(describeComfortWarning(warning));
  return texts;
}

namespace {

const char* sideOf(double parallax_percent) {
  if (parallax_percent < -0.05) return "in front";
  if (parallax_percent > 0.05) return "behind";
  return "on the screen";
}

}  // namespace

std::string describeParallaxBudget(const ParallaxBudget& budget) {
  char text[160];
  std::snprintf(text, sizeof text, "near %+.1f%% (%s), far %+.1f%% (%s), range %.1f%% of the width",
                budget.near_percent, sideOf(budget.near_percent), budget.far_percent,
                sideOf(budget.far_percent), budget.rangePercent());
  return text;
}

}  // namespace genstereo

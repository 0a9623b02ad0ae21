// Comfort shaping: neutral settings reproduce the official shaping bit for bit; auto
// convergence puts the chosen percentile on the screen plane; a point convergence puts that
// pixel there; the parallax limit narrows (never widens) the baseline.
#include <gtest/gtest.h>

#include <cmath>

#include "errors.h"
#include "stereo/comfort_shaping.h"
#include "stereo/parallax_budget.h"

namespace genstereo {
namespace {

constexpr int kWidth = 320;
constexpr int kHeight = 60;

// A smooth scene: disparity 0..40 px, nearer towards the bottom and the right.
cv::Mat sceneDisparity() {
  cv::Mat map(kHeight, kWidth, CV_32FC1);
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      map.at<float>(y, x) = 40.0f * (0.7f * y / (kHeight - 1) + 0.3f * x / (kWidth - 1)) +
                            1.5f * std::sin(0.3f * x) * std::cos(0.2f * y);
    }
  }
  return map;
}

TEST(ComfortShaping, NeutralIsTheOfficialShapingBitForBit) {
  const cv::Mat map = sceneDisparity();
  for (const DisparityShaping shaping :
       {DisparityShaping{}, DisparityShaping{1.7, 0.3}, DisparityShaping{0.5, -0.2}}) {
    const ComfortShaping shaped = shapeForComfort(map, shaping, ComfortParams{});
    const cv::Mat official = shapeDisparity(map, shaping);
    EXPECT_EQ(cv::norm(shaped.disparity_px, official, cv::NORM_INF), 0.0);
    EXPECT_DOUBLE_EQ(shaped.baseline_scale, shaping.baseline_scale);
    EXPECT_FALSE(shaped.is_range_limited);
  }
}

TEST(ComfortShaping, AutoConvergencePutsThePercentileOnTheScreen) {
  const cv::Mat map = sceneDisparity();
  for (const double percentile : {0.0, 25.0, 50.0, 80.0, 100.0}) {
    ComfortParams comfort;
    comfort.convergence = ConvergenceMode::kPercentile;
    comfort.convergence_percentile = percentile;
    const ComfortShaping shaped = shapeForComfort(map, DisparityShaping{2.0, 0.9}, comfort);
    // The manual convergence (0.9) is ignored; the baseline scale (2) is kept.
    EXPECT_NEAR(disparityPercentile(shaped.disparity_px, percentile), 0.0, 1e-4) << percentile;
    EXPECT_NEAR(shaped.screen_disparity_px, 2.0 * disparityPercentile(map, percentile), 1e-3)
        << percentile;
    EXPECT_DOUBLE_EQ(shaped.baseline_scale, 2.0);
  }
}

TEST(ComfortShaping, PointConvergencePutsThePixelOnTheScreen) {
  const cv::Mat map = sceneDisparity();
  ComfortParams comfort;
  comfort.convergence = ConvergenceMode::kPoint;
  comfort.screen_point_px = cv::Point(250, 40);
  const ComfortShaping shaped = shapeForComfort(map, DisparityShaping{}, comfort);
  EXPECT_EQ(shaped.disparity_px.at<float>(40, 250), 0.0f);
  EXPECT_FLOAT_EQ(static_cast<float>(shaped.screen_disparity_px), map.at<float>(40, 250));
  comfort.screen_point_px = cv::Point(kWidth, 0);
  EXPECT_THROW(shapeForComfort(map, DisparityShaping{}, comfort), InputError);
}

TEST(ComfortShaping, TheLimitNarrowsTheRangeAndNeverWidensIt) {
  const cv::Mat map = sceneDisparity();
  const double range_before = computeParallaxBudget(map).rangePercent();  // ~12% of 320 px
  ASSERT_GT(range_before, 5.0);
  ComfortParams comfort = comfortableSettings();
  const ComfortShaping shaped = shapeForComfort(map, DisparityShaping{}, comfort);
  EXPECT_TRUE(shaped.is_range_limited);
  EXPECT_NEAR(computeParallaxBudget(shaped.disparity_px).rangePercent(), kComfortableRangePercent,
              1e-3);
  EXPECT_NEAR(shaped.baseline_scale, comfort.max_range_percent / range_before, 1e-6);
  EXPECT_TRUE(comfortWarnings(computeParallaxBudget(shaped.disparity_px)).empty());

  comfort.max_range_percent = 50.0;  // far above the scene's range: nothing changes
  const ComfortShaping wide = shapeForComfort(map, DisparityShaping{}, comfort);
  EXPECT_FALSE(wide.is_range_limited);
  EXPECT_DOUBLE_EQ(wide.baseline_scale, 1.0);
}

TEST(ComfortShaping, RefusesOutOfRangeSettings) {
  ComfortParams comfort;
  comfort.convergence_percentile = 101.0;
  EXPECT_THROW(validateComfort(comfort), InputError);
  comfort = ComfortParams{};
  comfort.max_range_percent = std::nan("");
  EXPECT_THROW(validateComfort(comfort), InputError);
  comfort.max_range_percent = -1.0;
  EXPECT_THROW(validateComfort(comfort), InputError);
}

}  // namespace
}  // namespace genstereo

// The parallax budget (1st/99th percentiles of the disparity as % of the width, the
// stereographers' sign), its robustness to stray pixels, and the comfort warnings.
#include <gtest/gtest.h>

#include <cmath>

#include "errors.h"
#include "stereo/parallax_budget.h"

namespace genstereo {
namespace {

// One row, d(x) = x / 1000 px for x = 0..10000: the p-th percentile is 0.1 p px.
cv::Mat rampMap() {
  cv::Mat map(1, 10001, CV_32FC1);
  for (int x = 0; x < map.cols; ++x) map.at<float>(0, x) = static_cast<float>(x) / 1000.0f;
  return map;
}

TEST(ParallaxBudget, PercentilesOfARampInPercentOfTheWidth) {
  const ParallaxBudget budget = computeParallaxBudget(rampMap());
  EXPECT_EQ(budget.width_px, 10001);
  EXPECT_NEAR(budget.near_disparity_px, 9.9, 1e-4);
  EXPECT_NEAR(budget.far_disparity_px, 0.1, 1e-4);
  // Positive disparity is in front of the screen: negative screen parallax.
  EXPECT_NEAR(budget.near_percent, -9.9 / 10001 * 100.0, 1e-5);
  EXPECT_NEAR(budget.far_percent, -0.1 / 10001 * 100.0, 1e-5);
  EXPECT_NEAR(budget.rangePercent(), 9.8 / 10001 * 100.0, 1e-5);
}

TEST(ParallaxBudget, BehindTheScreenIsPositive) {
  // 200 px wide; half the pixels at d = -4 (behind), half at d = +2 (in front).
  cv::Mat map(10, 200, CV_32FC1, cv::Scalar(-4.0f));
  map.colRange(100, 200).setTo(2.0f);
  const ParallaxBudget budget = computeParallaxBudget(map);
  EXPECT_DOUBLE_EQ(budget.far_percent, 2.0);    // 4 / 200 behind the screen
  EXPECT_DOUBLE_EQ(budget.near_percent, -1.0);  // 2 / 200 in front
  EXPECT_DOUBLE_EQ(budget.rangePercent(), 3.0);
  EXPECT_EQ(describeParallaxBudget(budget),
            "near -1.0% (in front), far +2.0% (behind), range 3.0% of the width");
}

TEST(ParallaxBudget, StrayPixelsDoNotDecide) {
  cv::Mat map(100, 100, CV_32FC1, cv::Scalar(1.0f));
  // 0.5% of the pixels are spikes far in front, 0.5% far behind, and a few are NaN.
  for (int i = 0; i < 50; ++i) map.at<float>(i, 0) = 500.0f;
  for (int i = 0; i < 50; ++i) map.at<float>(i, 1) = -500.0f;
  map.at<float>(99, 99) = std::nanf("");
  const ParallaxBudget budget = computeParallaxBudget(map);
  EXPECT_DOUBLE_EQ(budget.near_disparity_px, 1.0);
  EXPECT_DOUBLE_EQ(budget.far_disparity_px, 1.0);
}

TEST(ParallaxBudget, BigMapsAreSampledWithTheSameResult) {
  // 2000 x 1000 = 2 M pixels (sampled): two halves at 0 and 20 px.
  cv::Mat map(1000, 2000, CV_32FC1, cv::Scalar(0.0f));
  map.rowRange(500, 1000).setTo(20.0f);
  const ParallaxBudget budget = computeParallaxBudget(map);
  EXPECT_DOUBLE_EQ(budget.near_disparity_px, 20.0);
  EXPECT_DOUBLE_EQ(budget.far_disparity_px, 0.0);
  EXPECT_NEAR(disparityPercentile(map, 25.0), 0.0, 1e-9);
  EXPECT_NEAR(disparityPercentile(map, 75.0), 20.0, 1e-9);
}

TEST(ParallaxBudget, RefusesEmptyAndNonFiniteMaps) {
  EXPECT_THROW(computeParallaxBudget(cv::Mat()), InputError);
  EXPECT_THROW(computeParallaxBudget(cv::Mat(4, 4, CV_32FC1, cv::Scalar(std::nan("")))),
               InputError);
}

TEST(ComfortWarnings, RangeAndBehindTheScreenLimits) {
  ParallaxBudget inside;
  inside.near_percent = -1.5;
  inside.far_percent = 1.5;
  EXPECT_TRUE(comfortWarnings(inside).empty());

  ParallaxBudget deep = inside;
  deep.near_percent = -12.0;  // the sample at convergence 0: all in front, 12% of the width
  deep.far_percent = 0.0;
  const std::vector<ComfortWarning> deep_warnings = comfortWarnings(deep);
  ASSERT_EQ(deep_warnings.size(), 1u);
  EXPECT_EQ(deep_warnings[0].kind, ComfortWarningKind::kRangeExceeded);
  EXPECT_DOUBLE_EQ(deep_warnings[0].value_percent, 12.0);
  EXPECT_DOUBLE_EQ(deep_warnings[0].limit_percent, 100.0 / 30.0);

  ParallaxBudget divergent = inside;
  divergent.near_percent = 0.0;
  divergent.far_percent = 3.0;  // within 1/30 but past the 2.6% behind-screen limit
  const std::vector<ComfortWarning> divergent_warnings = comfortWarnings(divergent);
  ASSERT_EQ(divergent_warnings.size(), 1u);
  EXPECT_EQ(divergent_warnings[0].kind, ComfortWarningKind::kFarExceeded);
  EXPECT_DOUBLE_EQ(divergent_warnings[0].value_percent, 3.0);
  EXPECT_DOUBLE_EQ(divergent_warnings[0].limit_percent, 2.6);

  // Both limits at once: the range first; another range's limits are the ones named.
  ParallaxBudget both = inside;
  both.near_percent = -2.0;
  both.far_percent = 5.0;
  ComfortRange strict;
  strict.max_range_percent = 4.0;
  strict.max_far_percent = 1.0;
  const std::vector<ComfortWarning> both_warnings = comfortWarnings(both, strict);
  const std::vector<ComfortWarning> expected = {{ComfortWarningKind::kRangeExceeded, 7.0, 4.0},
                                                {ComfortWarningKind::kFarExceeded, 5.0, 1.0}};
  EXPECT_EQ(both_warnings, expected);

  ParallaxBudget at_limit;
  at_limit.near_percent = -100.0 / 60.0;
  at_limit.far_percent = 100.0 / 60.0;  // exactly 1/30: inside
  EXPECT_TRUE(comfortWarnings(at_limit).empty());
}

// The English sentences of the CLI report and batch meta.json, word for word as before the
// warnings became data (tests/unit/cli_comfort_test.cpp reads them from the CLI).
TEST(ComfortWarnings, EnglishTextIsTheReports) {
  EXPECT_EQ(describeComfortWarning({ComfortWarningKind::kRangeExceeded, 12.0, 100.0 / 30.0}),
            "parallax range 12.0% of the width exceeds the comfort limit of 3.3% (1/30 rule)");
  EXPECT_EQ(describeComfortWarning({ComfortWarningKind::kFarExceeded, 3.0, 2.6}),
            "parallax behind the screen 3.0% of the width exceeds 2.6% (eyes diverge on screens "
            "wider than 2.5 m)");
  const std::vector<std::string> texts =
      describeComfortWarnings({{ComfortWarningKind::kRangeExceeded, 7.04, 4.0},
                               {ComfortWarningKind::kFarExceeded, 5.0, 1.0}});
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[0],
            "parallax range 7.0% of the width exceeds the comfort limit of 4.0% (1/30 rule)");
  EXPECT_EQ(texts[1].rfind("parallax behind the screen 5.0% of the width exceeds 1.0%", 0), 0u)
      << texts[1];
  EXPECT_TRUE(describeComfortWarnings({}).empty());
}

}  // namespace
}  // namespace genstereo

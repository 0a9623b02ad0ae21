// depthToDisparity (official GenStereo scaling), fillInvalidDisparity (background fill of
// unknown disparities) and shapeDisparity (baseline scale and convergence).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "errors.h"
#include "stereo/disparity_preparation.h"

namespace genstereo {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// A one-row-per-vector map; NaN marks an invalid pixel.
DisparityMap mapFromRows(const std::vector<std::vector<float>>& rows) {
  const int height = static_cast<int>(rows.size());
  const int width = static_cast<int>(rows.front().size());
  cv::Mat values(height, width, CV_32FC1);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) values.at<float>(y, x) = rows[y][x];
  }
  return makeDisparityMap(values);
}

TEST(DisparityPreparation, DepthToDisparityOfficialFormula) {
  // Width 20: max disparity = 0.15 * 20 = 3 px. Values 1..5 (min 1, max 5), one NaN.
  const DisparityMap depth = mapFromRows({
      {1, 2, 3, 4, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
      {5, kNaN, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2},
  });
  ASSERT_EQ(cv::countNonZero(depth.valid), 39);
  const DisparityMap disparity = depthToDisparity(depth, DepthConversion{});
  ASSERT_EQ(disparity.values.type(), CV_32FC1);
  ASSERT_EQ(disparity.values.size(), depth.values.size());
  const float max_px = 0.15f * 20.0f;
  for (int y = 0; y < 2; ++y) {
    for (int x = 0; x < 20; ++x) {
      if (!depth.valid.at<std::uint8_t>(y, x)) continue;
      const float expected = (depth.values.at<float>(y, x) - 1.0f) / 4.0f * max_px;
      EXPECT_NEAR(disparity.values.at<float>(y, x), expected, 1e-5) << "at " << x << "," << y;
    }
  }
  EXPECT_NEAR(disparity.values.at<float>(0, 0), 0.0f, 1e-6);        // min -> 0
  EXPECT_NEAR(disparity.values.at<float>(0, 4), max_px, 1e-5);      // max -> 0.15 * width
  EXPECT_NEAR(disparity.values.at<float>(0, 2), max_px / 2, 1e-5);  // linear in between
  // The invalid pixel stays invalid.
  EXPECT_EQ(disparity.valid.at<std::uint8_t>(1, 1), 0);
  EXPECT_EQ(cv::countNonZero(disparity.valid), 39);
}

TEST(DisparityPreparation, DepthToDisparityCustomFraction) {
  const DisparityMap depth = mapFromRows({{0, 10, 20, 30, 40, 50, 60, 70, 80, 100}});
  DepthConversion conversion;
  conversion.max_disparity_fraction = 0.5;
  const DisparityMap disparity = depthToDisparity(depth, conversion);
  EXPECT_NEAR(disparity.values.at<float>(0, 9), 5.0f, 1e-5);
  EXPECT_NEAR(disparity.values.at<float>(0, 5), 2.5f, 1e-5);
}

TEST(DisparityPreparation, DepthToDisparityFlatMapGivesZeros) {
  const DisparityMap depth = mapFromRows({{7, 7, 7, 7}, {7, 7, kNaN, 7}});
  const DisparityMap disparity = depthToDisparity(depth, DepthConversion{});
  ASSERT_EQ(disparity.values.size(), depth.values.size());
  EXPECT_EQ(cv::countNonZero(disparity.values), 0);
  EXPECT_EQ(disparity.valid.at<std::uint8_t>(1, 2), 0);
  EXPECT_EQ(cv::countNonZero(disparity.valid), 7);
}

// Metric depth (larger = farther) is inverted first: the nearest pixel gets the most disparity.
TEST(DisparityPreparation, DepthToDisparityMetricUsesInverseDepth) {
  const DisparityMap depth = mapFromRows({{1, 2, 4, 4, 4, 4, 4, 4, 4, kNaN}});
  DepthConversion conversion;
  conversion.kind = DepthKind::kMetric;
  DisparityMap disparity;
  ASSERT_NO_THROW(disparity = depthToDisparity(depth, conversion));
  const float max_px = 0.15f * 10.0f;
  // 1/depth: 1, 0.5, 0.25 -> the nearest (depth 1) gets the largest disparity.
  EXPECT_NEAR(disparity.values.at<float>(0, 0), max_px, 1e-5);
  EXPECT_NEAR(disparity.values.at<float>(0, 1), (0.5f - 0.25f) / 0.75f * max_px, 1e-5);
  EXPECT_NEAR(disparity.values.at<float>(0, 2), 0.0f, 1e-6);
  EXPECT_EQ(disparity.valid.at<std::uint8_t>(0, 9), 0);
  EXPECT_EQ(cv::countNonZero(disparity.valid), 9);
}

TEST(DisparityPreparation, DepthToDisparityMetricNonPositiveIsRejected) {
  // Metric depth must be > 0: a map of zeros has nothing usable.
  const DisparityMap depth{cv::Mat::zeros(2, 3, CV_32FC1), cv::Mat::ones(2, 3, CV_8UC1)};
  DepthConversion conversion;
  conversion.kind = DepthKind::kMetric;
  EXPECT_THROW(depthToDisparity(depth, conversion), InputError);
}

TEST(DisparityPreparation, DepthToDisparityAllInvalidThrows) {
  const DisparityMap depth = mapFromRows({{kNaN, kNaN}, {kNaN, kNaN}});
  EXPECT_THROW(depthToDisparity(depth, DepthConversion{}), InputError);
  DepthConversion metric;
  metric.kind = DepthKind::kMetric;
  EXPECT_THROW(depthToDisparity(depth, metric), InputError);
  EXPECT_THROW(depthToDisparity(DisparityMap{}, DepthConversion{}), InputError);
}

TEST(DisparityPreparation, FillInvalidRunTakesBackground) {
  const DisparityMap map = mapFromRows({{2, kNaN, kNaN, kNaN, 9, 9}, {9, kNaN, 2, 2, 2, 2}});
  const cv::Mat dense = fillInvalidDisparity(map);
  ASSERT_EQ(dense.type(), CV_32FC1);
  ASSERT_EQ(dense.size(), map.values.size());
  for (int x = 1; x <= 3; ++x) EXPECT_FLOAT_EQ(dense.at<float>(0, x), 2.0f) << x;
  EXPECT_FLOAT_EQ(dense.at<float>(1, 1), 2.0f);  // smaller side on the right this time
  // Valid pixels are unchanged.
  EXPECT_FLOAT_EQ(dense.at<float>(0, 0), 2.0f);
  EXPECT_FLOAT_EQ(dense.at<float>(0, 4), 9.0f);
  EXPECT_FLOAT_EQ(dense.at<float>(1, 0), 9.0f);
}

TEST(DisparityPreparation, FillInvalidAtRowEndsTakesOnlyNeighbour) {
  const DisparityMap map = mapFromRows({{kNaN, kNaN, 5, 7, kNaN}});
  const cv::Mat dense = fillInvalidDisparity(map);
  EXPECT_FLOAT_EQ(dense.at<float>(0, 0), 5.0f);
  EXPECT_FLOAT_EQ(dense.at<float>(0, 1), 5.0f);
  EXPECT_FLOAT_EQ(dense.at<float>(0, 4), 7.0f);
}

TEST(DisparityPreparation, FillInvalidRowCopiesNearestValidRow) {
  const DisparityMap map = mapFromRows({
      {kNaN, kNaN, kNaN},  // nearest valid row: 1
      {1, 2, 3},
      {kNaN, kNaN, kNaN},  // nearest: 1 (distance 1) rather than 4 (distance 2)
      {kNaN, kNaN, kNaN},  // nearest: 4
      {4, kNaN, 6},
      {kNaN, kNaN, kNaN},  // nearest: 4
  });
  const cv::Mat dense = fillInvalidDisparity(map);
  const float expected[6][3] = {{1, 2, 3}, {1, 2, 3}, {1, 2, 3}, {4, 4, 6}, {4, 4, 6}, {4, 4, 6}};
  for (int y = 0; y < 6; ++y) {
    for (int x = 0; x < 3; ++x) {
      EXPECT_FLOAT_EQ(dense.at<float>(y, x), expected[y][x]) << "at " << x << "," << y;
    }
  }
}

TEST(DisparityPreparation, FillInvalidAllInvalidThrows) {
  const DisparityMap map = mapFromRows({{kNaN, kNaN}, {kNaN, kNaN}});
  EXPECT_THROW(fillInvalidDisparity(map), InputError);
}

TEST(DisparityPreparation, ShapeBaselineScaleMultiplies) {
  const cv::Mat dense = (cv::Mat_<float>(1, 4) << 0.0f, 1.0f, 2.5f, 4.0f);
  DisparityShaping shaping;
  shaping.baseline_scale = 2.0;
  const cv::Mat shaped = shapeDisparity(dense, shaping);
  ASSERT_EQ(shaped.type(), CV_32FC1);
  const float expected[] = {0.0f, 2.0f, 5.0f, 8.0f};
  for (int x = 0; x < 4; ++x) EXPECT_FLOAT_EQ(shaped.at<float>(0, x), expected[x]);
  // Default shaping leaves the map as it is.
  const cv::Mat same = shapeDisparity(dense, DisparityShaping{});
  EXPECT_EQ(cv::norm(same, dense, cv::NORM_INF), 0.0);
}

TEST(DisparityPreparation, ShapeConvergenceSubtractsFractionOfMax) {
  const cv::Mat dense = (cv::Mat_<float>(1, 4) << 0.0f, 1.0f, 2.0f, 4.0f);
  DisparityShaping shaping;
  shaping.convergence = 0.5;
  const cv::Mat shaped = shapeDisparity(dense, shaping);
  const float expected[] = {-2.0f, -1.0f, 0.0f, 2.0f};
  for (int x = 0; x < 4; ++x) EXPECT_FLOAT_EQ(shaped.at<float>(0, x), expected[x]);
  // Scale applies first, then convergence on the scaled maximum.
  shaping.baseline_scale = 2.0;
  const cv::Mat both = shapeDisparity(dense, shaping);
  const float expected_both[] = {-4.0f, -2.0f, 0.0f, 4.0f};
  for (int x = 0; x < 4; ++x) EXPECT_FLOAT_EQ(both.at<float>(0, x), expected_both[x]);
}

TEST(DisparityPreparation, ShapeNonFiniteParametersThrow) {
  const cv::Mat dense = cv::Mat::ones(2, 2, CV_32FC1);
  DisparityShaping shaping;
  shaping.baseline_scale = std::nan("");
  EXPECT_THROW(shapeDisparity(dense, shaping), InputError);
  shaping.baseline_scale = 1.0;
  shaping.convergence = std::numeric_limits<double>::infinity();
  EXPECT_THROW(shapeDisparity(dense, shaping), InputError);
}

}  // namespace
}  // namespace genstereo

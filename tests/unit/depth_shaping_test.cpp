// Depth shaping (clip + renormalise, foreground scale, edge dilation) and the resize of a
// model-resolution depth map back to the photo's size (official bilinear, edge-aware).
#include "stereo/depth_shaping.h"

#include <cmath>
#include <set>

#include <gtest/gtest.h>

#include "errors.h"

namespace genstereo {
namespace {

DisparityMap rampMap(int width, int height) {
  cv::Mat values(height, width, CV_32FC1);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x)
      values.at<float>(y, x) = 2.f + 0.5f * static_cast<float>(y * width + x);
  }
  return makeDisparityMap(values);
}

double maxAbs(const cv::Mat& a, const cv::Mat& b) { return cv::norm(a, b, cv::NORM_INF); }

TEST(DepthShaping, NeutralDefaultsLeaveTheMapUnchanged) {
  const DisparityMap map = rampMap(7, 5);
  const DepthShaping neutral;
  EXPECT_TRUE(isNeutral(neutral));
  const DisparityMap out = shapeDepth(map, neutral);
  EXPECT_EQ(maxAbs(out.values, map.values), 0.0);
  EXPECT_EQ(cv::countNonZero(out.valid != map.valid), 0);
}

TEST(DepthShaping, ClipsPercentilesAndRenormalises) {
  const DisparityMap map = rampMap(10, 10);  // 100 values 2.0 .. 51.5
  DepthShaping shaping;
  shaping.clip_low_percent = 10.0;
  shaping.clip_high_percent = 90.0;
  const DisparityMap out = shapeDepth(map, shaping);
  double lo = 0.0, hi = 0.0;
  cv::minMaxLoc(out.values, &lo, &hi);
  EXPECT_EQ(lo, 0.0);
  EXPECT_EQ(hi, 1.0);
  // numpy-style percentiles: p10 = 2 + 0.5 * 9.9, p90 = 2 + 0.5 * 89.1.
  const double p10 = 2.0 + 0.5 * 9.9, p90 = 2.0 + 0.5 * 89.1;
  EXPECT_EQ(out.values.at<float>(0, 5), 0.f);  // below p10: clipped
  EXPECT_EQ(out.values.at<float>(9, 9), 1.f);  // above p90: clipped
  EXPECT_NEAR(out.values.at<float>(5, 0), (27.0 - p10) / (p90 - p10), 1e-6);
}

TEST(DepthShaping, ForegroundScaleIsAPowerThatKeepsTheEnds) {
  const DisparityMap map = rampMap(11, 1);  // normalises to 0, 0.1, ..., 1
  for (double scale : {1.0, 3.0, -1.0, -3.0}) {
    DepthShaping shaping;
    shaping.foreground_scale = scale;
    const DisparityMap out = shapeDepth(map, shaping);
    const double gamma = scale >= 0 ? 1.0 + scale : 1.0 / (1.0 - scale);
    for (int x = 0; x < 11; ++x) {
      EXPECT_NEAR(out.values.at<float>(0, x), std::pow(x / 10.0, gamma), 1e-6)
          << "scale " << scale << " x " << x;
    }
    // s > 0: the background moves toward 0 (the screen plane), the near end keeps its value.
    if (scale > 0) {
      EXPECT_LT(out.values.at<float>(0, 5), 0.5f);
    } else {
      EXPECT_GT(out.values.at<float>(0, 5), 0.5f);
    }
  }
}

TEST(DepthShaping, EdgeDilationGrowsNearSurfacesOverTheBackground) {
  cv::Mat values(6, 20, CV_32FC1, cv::Scalar(1.f));
  values(cv::Rect(10, 0, 10, 6)).setTo(5.f);  // near on the right from column 10
  values.at<float>(0, 0) = -1.f;              // one invalid pixel
  const DisparityMap map = makeDisparityMap(values);
  DepthShaping shaping;
  shaping.edge_dilation_x_px = 3;
  const DisparityMap out = shapeDepth(map, shaping);
  for (int y = 0; y < 6; ++y) {
    for (int x = 1; x < 20; ++x)
      EXPECT_EQ(out.values.at<float>(y, x), x >= 7 ? 1.f : 0.f) << x << "," << y;
  }
  EXPECT_EQ(out.valid.at<std::uint8_t>(0, 0), 0);
  EXPECT_EQ(out.values.at<float>(0, 0), 0.f);
}

TEST(DepthShaping, RejectsParametersOutOfRange) {
  const DisparityMap map = rampMap(4, 4);
  DepthShaping bad;
  bad.clip_low_percent = 60.0;
  bad.clip_high_percent = 40.0;
  EXPECT_THROW(shapeDepth(map, bad), InputError);
  bad = DepthShaping{};
  bad.foreground_scale = 4.0;
  EXPECT_THROW(shapeDepth(map, bad), InputError);
  bad = DepthShaping{};
  bad.edge_dilation_y_px = -1;
  EXPECT_THROW(shapeDepth(map, bad), InputError);
  DepthShaping scale;
  scale.foreground_scale = 1.0;
  EXPECT_THROW(shapeDepth(makeDisparityMap(cv::Mat(3, 3, CV_32FC1, cv::Scalar(-1.f))), scale),
               InputError);
}

TEST(DepthResize, BilinearAlignedKeepsCornersAndInterpolates) {
  cv::Mat low = (cv::Mat_<float>(2, 2) << 0.f, 1.f, 2.f, 3.f);
  const cv::Mat out = upsampleDepthBilinearAligned(low, cv::Size(5, 3));
  EXPECT_FLOAT_EQ(out.at<float>(0, 0), 0.f);
  EXPECT_FLOAT_EQ(out.at<float>(0, 4), 1.f);
  EXPECT_FLOAT_EQ(out.at<float>(2, 0), 2.f);
  EXPECT_FLOAT_EQ(out.at<float>(2, 4), 3.f);
  EXPECT_FLOAT_EQ(out.at<float>(1, 2), 1.5f);
}

TEST(DepthResize, EdgeAwareEqualsBilinearOnSmoothDepth) {
  cv::Mat low(9, 12, CV_32FC1);
  for (int y = 0; y < low.rows; ++y) {
    for (int x = 0; x < low.cols; ++x) low.at<float>(y, x) = 0.1f * static_cast<float>(x + 2 * y);
  }
  const cv::Mat guide_low(low.size(), CV_32FC3, cv::Scalar(0.5, 0.5, 0.5));
  const cv::Mat guide_full(37, 50, CV_32FC3, cv::Scalar(0.2, 0.4, 0.6));
  // A 2x2 neighbourhood spans 0.3 of the 2.7 range (11 %): a step for the default threshold
  // (4 %), smooth for 12 %.
  const cv::Mat sharp = upsampleDepthEdgeAware(low, guide_low, guide_full, 0.12);
  EXPECT_EQ(maxAbs(sharp, upsampleDepthBilinearAligned(low, guide_full.size())), 0.0);
  EXPECT_GT(maxAbs(upsampleDepthEdgeAware(low, guide_low, guide_full), sharp), 0.0);
}

TEST(DepthResize, EdgeAwareLeavesNoInBetweenDepthAndFollowsTheColourEdge) {
  // Low resolution 8x8: background 0.2 in columns 0-3, foreground 1.0 in columns 4-7.
  cv::Mat low(8, 8, CV_32FC1, cv::Scalar(0.2f));
  low(cv::Rect(4, 0, 4, 8)).setTo(1.0f);
  cv::Mat guide_low(8, 8, CV_32FC3, cv::Scalar(0, 0, 1));      // red background (BGR)
  guide_low(cv::Rect(4, 0, 4, 8)).setTo(cv::Scalar(1, 0, 0));  // blue foreground
  // Full resolution 32x32: the colour edge at column 16, inside the span (13.3 .. 17.7) where
  // the taps straddle the depth step.
  cv::Mat guide_full(32, 32, CV_32FC3, cv::Scalar(0, 0, 1));
  guide_full(cv::Rect(16, 0, 16, 32)).setTo(cv::Scalar(1, 0, 0));
  const cv::Mat sharp = upsampleDepthEdgeAware(low, guide_low, guide_full);
  const cv::Mat smooth = upsampleDepthBilinearAligned(low, guide_full.size());
  int smooth_in_between = 0;
  for (int y = 0; y < 32; ++y) {
    for (int x = 0; x < 32; ++x) {
      EXPECT_NEAR(sharp.at<float>(y, x), x < 16 ? 0.2f : 1.0f, 1e-6) << x << "," << y;
      const float s = smooth.at<float>(y, x);
      if (s > 0.21f && s < 0.99f) ++smooth_in_between;
    }
  }
  EXPECT_GT(smooth_in_between, 0) << "the official bilinear resize does blend across the edge";
}

TEST(DepthResize, EdgeAwareRejectsMismatchedGuides) {
  const cv::Mat low(4, 4, CV_32FC1, cv::Scalar(0));
  EXPECT_THROW(upsampleDepthEdgeAware(low, cv::Mat(5, 4, CV_32FC3), cv::Mat(8, 8, CV_32FC3)),
               InputError);
  EXPECT_THROW(upsampleDepthEdgeAware(low, cv::Mat(4, 4, CV_32FC3), cv::Mat(8, 8, CV_8UC3)),
               InputError);
}

}  // namespace
}  // namespace genstereo

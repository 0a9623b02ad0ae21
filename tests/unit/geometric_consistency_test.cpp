// Geometric consistency: SGBM on a pair made by a known shift recovers the shift; a wrong
// disparity gives a large error; the visibility mask and the input checks.
#include <gtest/gtest.h>

#include <cmath>
#include <utility>

#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "metrics/geometric_consistency.h"
#include "test_support.h"

namespace genstereo {
namespace {

// Left view and the right view with every pixel shifted by `disparity_px` (right(x) = left(x + d)).
std::pair<cv::Mat, cv::Mat> shiftedPair(int width, int height, int disparity_px) {
  cv::Mat wide(height, width + disparity_px, CV_32FC3);
  cv::RNG rng(7);
  rng.fill(wide, cv::RNG::UNIFORM, 0.0, 1.0);
  cv::GaussianBlur(wide, wide, cv::Size(0, 0), 1.0);
  cv::normalize(wide, wide, 0.0, 1.0, cv::NORM_MINMAX);
  const cv::Mat left = wide(cv::Rect(0, 0, width, height)).clone();
  const cv::Mat right = wide(cv::Rect(disparity_px, 0, width, height)).clone();
  return {left, right};
}

TEST(GeometricConsistency, ConstantShiftIsRecovered) {
  const auto [left, right] = shiftedPair(160, 120, 7);
  const cv::Mat truth(left.size(), CV_32FC1, cv::Scalar(7.0));
  const ConsistencyScores scores = measureGeometricConsistency(left, right, truth);
  EXPECT_LT(scores.epe_px, 0.5);
  EXPECT_LT(scores.d1, 0.05);
  EXPECT_GT(scores.sgbm_density, 0.5);
  EXPECT_GT(scores.pixel_count, 160 * 120 / 2);
  EXPECT_EQ(scores.min_disparity, 0);
  EXPECT_EQ(scores.num_disparities, 16);
}

TEST(GeometricConsistency, WrongDisparityGivesLargeError) {
  const auto [left, right] = shiftedPair(160, 120, 7);
  const cv::Mat claimed(left.size(), CV_32FC1, cv::Scalar(15.0));
  const ConsistencyScores scores = measureGeometricConsistency(left, right, claimed);
  EXPECT_GT(scores.epe_px, 5.0);
  EXPECT_GT(scores.d1, 0.9);
}

TEST(GeometricConsistency, NegativeDisparitiesWidenTheSearch) {
  const auto [left, right] = shiftedPair(160, 120, 4);
  cv::Mat truth(left.size(), CV_32FC1, cv::Scalar(4.0));
  truth(cv::Rect(0, 0, 160, 2)).setTo(-3.0);  // a few negative values: the search starts at -3
  const ConsistencyScores scores = measureGeometricConsistency(left, right, truth);
  EXPECT_EQ(scores.min_disparity, -3);
  EXPECT_EQ(scores.num_disparities % 16, 0);
  EXPECT_GE(scores.min_disparity + scores.num_disparities, 5);
  EXPECT_LT(scores.epe_px, 1.0);
}

TEST(GeometricConsistency, MaskAndNonFiniteTruthAreExcluded) {
  const auto [left, right] = shiftedPair(160, 120, 7);
  cv::Mat truth(left.size(), CV_32FC1, cv::Scalar(7.0));
  truth(cv::Rect(0, 0, 160, 60)).setTo(std::nan(""));
  cv::Mat mask = cv::Mat::zeros(left.size(), CV_8UC1);
  mask(cv::Rect(0, 0, 160, 90)).setTo(1);
  const ConsistencyScores scores = measureGeometricConsistency(left, right, truth, mask);
  EXPECT_GT(scores.pixel_count, 0);
  EXPECT_LE(scores.pixel_count, 160 * 30);
  EXPECT_LT(scores.epe_px, 0.5);
}

TEST(GeometricConsistency, LeftVisibilityMarksOccludedPixels) {
  // A foreground block (d = 6, x 10..19) in front of d = 0: the 6 background pixels left of
  // the block (x 4..9) land where the block lands and lose.
  cv::Mat disparity = cv::Mat::zeros(4, 30, CV_32FC1);
  disparity(cv::Rect(10, 0, 10, 4)).setTo(6.0);
  const cv::Mat visible = computeLeftVisibility(disparity);
  for (int x = 0; x < 30; ++x) {
    const bool hidden = x >= 4 && x < 10;
    EXPECT_EQ(visible.at<std::uint8_t>(1, x), hidden ? 0 : 1) << "x = " << x;
  }
}

TEST(GeometricConsistency, InputChecks) {
  const cv::Mat a = test::makeTestImage(64, 48);
  const cv::Mat b = test::makeTestImage(32, 48);
  const cv::Mat truth(48, 64, CV_32FC1, cv::Scalar(2.0));
  EXPECT_THROW(measureGeometricConsistency(a, b, truth), InputError);
  EXPECT_THROW(measureGeometricConsistency(a, a, cv::Mat(48, 32, CV_32FC1, cv::Scalar(1.0))),
               InputError);
  EXPECT_THROW(
      measureGeometricConsistency(a, a, cv::Mat(48, 64, CV_32FC1, cv::Scalar(std::nan("")))),
      InputError);
  EXPECT_THROW(computeSgbmDisparity(a, a, 0, 24), InputError);
}

// Issue 14, class 3: StereoSGBM used to abort the process (SIGABRT) when the disparity range
// reached the image width or the image was 12 px wide or less. Every size and range must now
// give scores or a skip reason; reaching the end of this test is the check that nothing aborts.
TEST(GeometricConsistency, SmallImagesAndWideRangesNeverAbort) {
  for (const int width : {1, 2, 8, 12, 13, 16, 17, 22, 23, 24, 31, 40, 64}) {
    for (const int height : {1, 4, 8, 16}) {
      const cv::Mat left = test::makeTestImage(width, height, 3);
      const cv::Mat right = test::makeTestImage(width, height, 4);
      for (const float d : {0.0f, 1.0f, static_cast<float>(width) - 1.0f, static_cast<float>(width),
                            static_cast<float>(width) * 3.0f, -static_cast<float>(width), 1e30f}) {
        const cv::Mat disparity(height, width, CV_32FC1, cv::Scalar(d));
        const ConsistencyScores scores = measureGeometricConsistency(left, right, disparity);
        if (!scores.skipped_reason.empty()) {
          EXPECT_TRUE(std::isnan(scores.epe_px));
          EXPECT_NE(scores.skipped_reason.find("too small for StereoSGBM"), std::string::npos)
              << scores.skipped_reason;
        } else {
          EXPECT_TRUE(
              sgbmRangeFits(width, height, scores.min_disparity, scores.num_disparities, 5));
        }
      }
      for (const int num : {16, 32, 64}) {
        if (sgbmRangeFits(width, height, 0, num, 5)) {
          EXPECT_NO_THROW(computeSgbmDisparity(left, right, 0, num));
        } else {
          EXPECT_THROW(computeSgbmDisparity(left, right, 0, num), InputError);
        }
      }
    }
  }
  EXPECT_FALSE(sgbmRangeFits(12, 48, 0, 16, 5));
  EXPECT_TRUE(sgbmRangeFits(64, 48, 0, 16, 5));
}

}  // namespace
}  // namespace genstereo

// The border strip: fill keeps the size, crop keeps the columns both eyes see (every image of
// the result cropped alike), screen fades the disparity to 0 at the left and right edges.
#include <gtest/gtest.h>

#include "errors.h"
#include "stereo/stereo_border.h"
#include "stereo/stereo_synthesis.h"
#include "test_support.h"

namespace genstereo {
namespace {

constexpr int kWidth = 64;
constexpr int kHeight = 12;

DisparityMap constantDisparity(float value) {
  return DisparityMap{cv::Mat(kHeight, kWidth, CV_32FC1, cv::Scalar(value)),
                      cv::Mat::ones(kHeight, kWidth, CV_8UC1)};
}

SynthesisParams paramsWith(BorderMode border, SynthesisEye eye = SynthesisEye::kRight) {
  SynthesisParams params;
  params.warp = WarpMode::kInteger;
  params.border = border;
  params.eye = eye;
  return params;
}

TEST(StereoBorder, NamesRoundTrip) {
  for (BorderMode mode : {BorderMode::kFill, BorderMode::kCrop, BorderMode::kScreen}) {
    EXPECT_EQ(borderModeFromString(toString(mode)), mode);
  }
  EXPECT_FALSE(borderModeFromString("window").has_value());
}

TEST(StereoBorder, FillKeepsTheSizeAndInventsTheStrip) {
  const cv::Mat image = test::makeTestImage(kWidth, kHeight, 3);
  const StereoResult result =
      synthesizeStereo(image, constantDisparity(6.0f), paramsWith(BorderMode::kFill));
  EXPECT_EQ(result.right.cols, kWidth);
  EXPECT_EQ(result.columns, cv::Range::all());
  // The 6 right-most columns of the right view are holes (nothing lands there).
  EXPECT_EQ(cv::countNonZero(result.synthesized.valid.colRange(kWidth - 6, kWidth)), 0);
}

TEST(StereoBorder, CropKeepsTheColumnsBothEyesSee) {
  const cv::Mat image = test::makeTestImage(kWidth, kHeight, 3);
  // In front of the screen (d = +6): the strip is on the right; behind (d = -6): on the left.
  SynthesisParams params = paramsWith(BorderMode::kCrop);
  params.feather_px = 0.0;  // no seam blend next to the (cropped) strip: exact copies
  for (const float d : {6.0f, -6.0f}) {
    const StereoResult result = synthesizeStereo(image, constantDisparity(d), params);
    const cv::Range expected = d > 0 ? cv::Range(0, kWidth - 6) : cv::Range(6, kWidth);
    EXPECT_EQ(result.columns, expected) << d;
    for (const cv::Mat* m :
         {&result.left, &result.right, &result.disparity_px, &result.synthesized.valid,
          &result.synthesized.view, &result.synthesized.warped, &result.synthesized.filled,
          &result.synthesized.fusion_weight, &result.synthesized.disparity_px}) {
      EXPECT_EQ(m->cols, kWidth - 6) << d;
      EXPECT_EQ(m->rows, kHeight) << d;
    }
    EXPECT_EQ(cv::countNonZero(result.synthesized.valid), (kWidth - 6) * kHeight) << d;
    // The left view is the photo's kept columns; the right view shows the photo moved by -d.
    EXPECT_EQ(cv::norm(result.left, image.colRange(expected), cv::NORM_INF), 0.0) << d;
    const int shift = static_cast<int>(d);
    const cv::Range source(expected.start + shift, expected.end + shift);
    EXPECT_EQ(cv::norm(result.right, image.colRange(source), cv::NORM_INF), 0.0) << d;
  }
}

TEST(StereoBorder, CropOfBothEyesUsesBothStrips) {
  const cv::Mat image = test::makeTestImage(kWidth, kHeight, 4);
  // Each eye gets half of d = 8: the right view's strip is 4 px on the right, the left
  // view's 4 px on the left.
  const StereoResult result = synthesizeStereo(image, constantDisparity(8.0f),
                                               paramsWith(BorderMode::kCrop, SynthesisEye::kBoth));
  EXPECT_EQ(result.columns, cv::Range(4, kWidth - 4));
  EXPECT_EQ(result.left.cols, kWidth - 8);
  EXPECT_EQ(result.second.valid.cols, kWidth - 8);
  EXPECT_EQ(cv::countNonZero(result.second.valid), (kWidth - 8) * kHeight);
  EXPECT_EQ(cv::countNonZero(result.synthesized.valid), (kWidth - 8) * kHeight);
}

TEST(StereoBorder, ScreenFadesTheDisparityToZeroAtTheEdges) {
  cv::Mat map(kHeight, 200, CV_32FC1, cv::Scalar(-5.0f));
  fadeDisparityToScreenBorder(map);
  for (int y = 0; y < kHeight; ++y) {
    EXPECT_EQ(map.at<float>(y, 0), 0.0f);
    EXPECT_EQ(map.at<float>(y, 199), 0.0f);
    EXPECT_FLOAT_EQ(map.at<float>(y, 5), -2.5f);  // band 10 px: half way
    EXPECT_EQ(map.at<float>(y, 100), -5.0f);      // the middle is untouched
  }
}

TEST(StereoBorder, ScreenLeavesNoStripAndKeepsTheSize) {
  const cv::Mat image = test::makeTestImage(kWidth, kHeight, 5);
  SynthesisParams params = paramsWith(BorderMode::kScreen);
  params.warp = WarpMode::kSubpixel;
  for (const float d : {4.0f, -4.0f}) {
    const StereoResult result = synthesizeStereo(image, constantDisparity(d), params);
    EXPECT_EQ(result.right.cols, kWidth);
    EXPECT_EQ(result.disparity_px.at<float>(0, 0), 0.0f);
    EXPECT_EQ(result.disparity_px.at<float>(0, kWidth - 1), 0.0f);
    // Nothing moves at the edges: the edge columns are the photo's, and reached.
    for (int y = 0; y < kHeight; ++y) {
      EXPECT_EQ(result.synthesized.valid.at<std::uint8_t>(y, 0), 1) << d;
      EXPECT_EQ(result.synthesized.valid.at<std::uint8_t>(y, kWidth - 1), 1) << d;
    }
    EXPECT_LE(cv::norm(result.right.col(0), image.col(0), cv::NORM_INF), 1e-6) << d;
    EXPECT_LE(cv::norm(result.right.col(kWidth - 1), image.col(kWidth - 1), cv::NORM_INF), 1e-6)
        << d;
  }
}

TEST(StereoBorder, StereoWindowNeedsMasks) { EXPECT_THROW(stereoWindowColumns({}), InputError); }

}  // namespace
}  // namespace genstereo

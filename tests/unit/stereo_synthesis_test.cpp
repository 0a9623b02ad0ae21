// synthesizeStereo: geometry of the synthesised views (both warp modes, all eyes), errors,
// cancellation, progress and the shape of every intermediate.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <string>
#include <vector>

#include "errors.h"
#include "stereo/stereo_synthesis.h"
#include "test_support.h"

namespace genstereo {
namespace {

constexpr int kWidth = 48;
constexpr int kHeight = 20;

DisparityMap constantDisparity(int width, int height, float value) {
  return DisparityMap{cv::Mat(height, width, CV_32FC1, cv::Scalar(value)),
                      cv::Mat::ones(height, width, CV_8UC1)};
}

SynthesisParams paramsFor(WarpMode warp, SynthesisEye eye = SynthesisEye::kRight) {
  SynthesisParams params;
  params.warp = warp;
  params.eye = eye;
  return params;
}

// Largest |view(x + offset) - source(x)| over the columns x where both lie in [x_begin, x_end)
// of the view (view columns).
double maxShiftError(const cv::Mat& view, const cv::Mat& source, int offset, int view_begin,
                     int view_end) {
  double worst = 0.0;
  for (int y = 0; y < view.rows; ++y) {
    for (int xv = view_begin; xv < view_end; ++xv) {
      const int xs = xv - offset;
      if (xs < 0 || xs >= source.cols) continue;
      const cv::Vec3f a = view.at<cv::Vec3f>(y, xv);
      const cv::Vec3f b = source.at<cv::Vec3f>(y, xs);
      for (int c = 0; c < 3; ++c)
        worst = std::max(worst, static_cast<double>(std::abs(a[c] - b[c])));
    }
  }
  return worst;
}

class StereoSynthesisWarp : public ::testing::TestWithParam<WarpMode> {};

TEST_P(StereoSynthesisWarp, ZeroDisparityKeepsTheImage) {
  const cv::Mat image = test::makeTestImage(kWidth, kHeight, 2);
  const StereoResult result =
      synthesizeStereo(image, constantDisparity(kWidth, kHeight, 0.0f), paramsFor(GetParam()));
  EXPECT_LE(cv::norm(result.right, image, cv::NORM_INF), 1e-6);
  EXPECT_LE(cv::norm(result.left, image, cv::NORM_INF), 1e-6);
  EXPECT_EQ(cv::countNonZero(result.synthesized.valid), kWidth * kHeight);
}

TEST_P(StereoSynthesisWarp, ConstantDisparityShiftsRightViewLeft) {
  const double tolerance = GetParam() == WarpMode::kInteger ? 0.0 : 1e-5;
  const int d = 3;
  const cv::Mat image = test::makeTestImage(kWidth, kHeight, 3);
  const SynthesisParams params = paramsFor(GetParam());
  const StereoResult result =
      synthesizeStereo(image, constantDisparity(kWidth, kHeight, static_cast<float>(d)), params);
  const SynthesizedView& view = result.synthesized;
  // right(x - d) = left(x): every reached pixel of the warped view.
  EXPECT_LE(maxShiftError(view.warped, image, -d, 0, kWidth - d), tolerance);
  // The final view too, away from the seam blend near the border holes.
  const int seam = static_cast<int>(params.feather_px) + 2;
  EXPECT_LE(maxShiftError(view.view, image, -d, 0, kWidth - d - seam), tolerance);
  EXPECT_LE(maxShiftError(result.right, image, -d, 0, kWidth - d - seam), tolerance);
  // The right border strip of width d is nothing's target; everything else is reached.
  EXPECT_EQ(cv::countNonZero(view.valid.colRange(kWidth - d, kWidth)), 0);
  EXPECT_EQ(cv::countNonZero(view.valid.colRange(0, kWidth - d)), (kWidth - d) * kHeight);
  // The input is the left view.
  EXPECT_EQ(cv::norm(result.left, image, cv::NORM_INF), 0.0);
}

TEST_P(StereoSynthesisWarp, LeftEyeShiftsTheOtherWay) {
  const double tolerance = GetParam() == WarpMode::kInteger ? 0.0 : 1e-5;
  const int d = 3;
  const cv::Mat image = test::makeTestImage(kWidth, kHeight, 4);
  const SynthesisParams params = paramsFor(GetParam(), SynthesisEye::kLeft);
  const StereoResult result =
      synthesizeStereo(image, constantDisparity(kWidth, kHeight, static_cast<float>(d)), params);
  const SynthesizedView& view = result.synthesized;
  // left(x + d) = right(x).
  EXPECT_LE(maxShiftError(view.warped, image, d, d, kWidth), tolerance);
  const int seam = static_cast<int>(params.feather_px) + 2;
  EXPECT_LE(maxShiftError(result.left, image, d, d + seam, kWidth), tolerance);
  EXPECT_EQ(cv::countNonZero(view.valid.colRange(0, d)), 0);
  EXPECT_EQ(cv::countNonZero(view.valid.colRange(d, kWidth)), (kWidth - d) * kHeight);
  EXPECT_EQ(cv::norm(result.right, image, cv::NORM_INF), 0.0);
}

TEST_P(StereoSynthesisWarp, BothEyesShiftHalfEachWay) {
  const double tolerance = GetParam() == WarpMode::kInteger ? 0.0 : 1e-5;
  const int d = 4;
  const int half = d / 2;
  const cv::Mat image = test::makeTestImage(kWidth, kHeight, 5);
  const SynthesisParams params = paramsFor(GetParam(), SynthesisEye::kBoth);
  const StereoResult result =
      synthesizeStereo(image, constantDisparity(kWidth, kHeight, static_cast<float>(d)), params);
  const int seam = static_cast<int>(params.feather_px) + 2;
  // Right view: shifted left by d/2; left view: shifted right by d/2.
  EXPECT_LE(maxShiftError(result.synthesized.warped, image, -half, 0, kWidth - half), tolerance);
  EXPECT_LE(maxShiftError(result.right, image, -half, 0, kWidth - half - seam), tolerance);
  EXPECT_LE(maxShiftError(result.second.warped, image, half, half, kWidth), tolerance);
  EXPECT_LE(maxShiftError(result.left, image, half, half + seam, kWidth), tolerance);
  EXPECT_EQ(cv::countNonZero(result.synthesized.valid.colRange(kWidth - half, kWidth)), 0);
  EXPECT_EQ(cv::countNonZero(result.second.valid.colRange(0, half)), 0);
  EXPECT_EQ(cv::countNonZero(result.synthesized.valid), (kWidth - half) * kHeight);
  EXPECT_EQ(cv::countNonZero(result.second.valid), (kWidth - half) * kHeight);
}

INSTANTIATE_TEST_SUITE_P(Modes, StereoSynthesisWarp,
                         ::testing::Values(WarpMode::kInteger, WarpMode::kSubpixel),
                         [](const ::testing::TestParamInfo<WarpMode>& info) {
                           return std::string(info.param == WarpMode::kInteger ? "Integer"
                                                                               : "Subpixel");
                         });

TEST(StereoSynthesis, SizeMismatchNamesBothSizes) {
  const cv::Mat image = test::makeTestImage(12, 8);
  try {
    synthesizeStereo(image, constantDisparity(10, 7, 1.0f), SynthesisParams{});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("10x7"), std::string::npos) << message;
    EXPECT_NE(message.find("12x8"), std::string::npos) << message;
  }
}

TEST(StereoSynthesis, RejectsNonFloatImageAndAllInvalidDisparity) {
  cv::Mat image8(8, 12, CV_8UC3, cv::Scalar(10, 20, 30));
  EXPECT_THROW(synthesizeStereo(image8, constantDisparity(12, 8, 1.0f), SynthesisParams{}),
               InputError);
  const cv::Mat image = test::makeTestImage(12, 8);
  const DisparityMap none{cv::Mat::zeros(8, 12, CV_32FC1), cv::Mat::zeros(8, 12, CV_8UC1)};
  EXPECT_THROW(synthesizeStereo(image, none, SynthesisParams{}), InputError);
}

TEST(StereoSynthesis, CancelFlagAlreadySetThrowsCancelled) {
  const cv::Mat image = test::makeTestImage(16, 8);
  const CancelToken cancel;
  cancel.cancel();
  int calls = 0;
  EXPECT_THROW(synthesizeStereo(
                   image, constantDisparity(16, 8, 2.0f), SynthesisParams{},
                   [&](const RunProgress&) { ++calls; }, cancel),
               CancelledError);
  EXPECT_EQ(calls, 0);
  // Not set: runs through.
  const CancelToken go;
  EXPECT_NO_THROW(
      synthesizeStereo(image, constantDisparity(16, 8, 2.0f), SynthesisParams{}, nullptr, go));
}

TEST(StereoSynthesis, CancelDuringProgressStopsTheRun) {
  const cv::Mat image = test::makeTestImage(16, 8);
  const CancelToken cancel;
  EXPECT_THROW(synthesizeStereo(
                   image, constantDisparity(16, 8, 2.0f), SynthesisParams{},
                   [&](const RunProgress& p) {
                     if (p.step == 1) cancel.cancel();
                   },
                   cancel),
               CancelledError);
}

TEST(StereoSynthesis, ProgressStepsIncreaseToTotal) {
  const cv::Mat image = test::makeTestImage(16, 8);
  for (SynthesisEye eye : {SynthesisEye::kRight, SynthesisEye::kLeft, SynthesisEye::kBoth}) {
    std::vector<RunProgress> calls;
    synthesizeStereo(image, constantDisparity(16, 8, 2.0f), paramsFor(WarpMode::kSubpixel, eye),
                     [&](const RunProgress& p) { calls.push_back(p); });
    ASSERT_GE(calls.size(), 2u) << toString(eye);
    const int total = calls.front().total;
    EXPECT_EQ(total, eye == SynthesisEye::kBoth ? 3 : 2);
    EXPECT_EQ(calls.front().step, 0);
    EXPECT_EQ(calls.front().stage, RunStage::kPreparing);
    EXPECT_EQ(calls.back().stage, RunStage::kDone);
    for (std::size_t i = 0; i < calls.size(); ++i) {
      EXPECT_EQ(calls[i].total, total);
      if (i > 0 && i + 1 < calls.size()) EXPECT_EQ(calls[i].stage, RunStage::kSynthesizing);
      if (i > 0) {
        EXPECT_GT(calls[i].step, calls[i - 1].step) << toString(eye) << " call " << i;
      }
    }
    EXPECT_EQ(calls.back().step, total) << toString(eye);
  }
}

TEST(StereoSynthesis, SynthesizedViewFieldsHaveImageSizeAndTypes) {
  const int width = 30;
  const int height = 14;
  const cv::Mat image = test::makeTestImage(width, height, 6);
  cv::Mat disparity(height, width, CV_32FC1, cv::Scalar(1.0f));
  disparity(cv::Rect(10, 3, 8, 6)).setTo(5.0f);
  const StereoResult result = synthesizeStereo(image, makeDisparityMap(disparity),
                                               paramsFor(WarpMode::kSubpixel, SynthesisEye::kBoth));
  const cv::Size size(width, height);
  for (const SynthesizedView* view : {&result.synthesized, &result.second}) {
    EXPECT_EQ(view->warped.size(), size);
    EXPECT_EQ(view->warped.type(), CV_32FC3);
    EXPECT_EQ(view->valid.size(), size);
    EXPECT_EQ(view->valid.type(), CV_8UC1);
    EXPECT_EQ(view->filled.size(), size);
    EXPECT_EQ(view->filled.type(), CV_32FC3);
    EXPECT_EQ(view->fusion_weight.size(), size);
    EXPECT_EQ(view->fusion_weight.type(), CV_32FC1);
    EXPECT_EQ(view->view.size(), size);
    EXPECT_EQ(view->view.type(), CV_32FC3);
    EXPECT_EQ(view->disparity_px.size(), size);
    EXPECT_EQ(view->disparity_px.type(), CV_32FC1);
    // valid is 0/1; there are holes (the square uncovers background).
    double lo = 0.0, hi = 0.0;
    cv::minMaxLoc(view->valid, &lo, &hi);
    EXPECT_EQ(lo, 0.0);
    EXPECT_EQ(hi, 1.0);
    cv::minMaxLoc(view->fusion_weight, &lo, &hi);
    EXPECT_GE(lo, 0.0);
    EXPECT_LE(hi, 1.0);
  }
  EXPECT_EQ(result.left.size(), size);
  EXPECT_EQ(result.left.type(), CV_32FC3);
  EXPECT_EQ(result.right.size(), size);
  EXPECT_EQ(result.right.type(), CV_32FC3);
  EXPECT_EQ(result.disparity_px.size(), size);
  EXPECT_EQ(result.disparity_px.type(), CV_32FC1);
}

TEST(StereoSynthesis, ShapingAppliesBeforeTheWarp) {
  // Baseline scale 2 on disparity 1 moves the right view by 2 pixels.
  const cv::Mat image = test::makeTestImage(kWidth, kHeight, 8);
  SynthesisParams params = paramsFor(WarpMode::kInteger);
  params.shaping.baseline_scale = 2.0;
  const StereoResult result =
      synthesizeStereo(image, constantDisparity(kWidth, kHeight, 1.0f), params);
  EXPECT_EQ(maxShiftError(result.synthesized.warped, image, -2, 0, kWidth - 2), 0.0);
  EXPECT_FLOAT_EQ(result.disparity_px.at<float>(0, 0), 2.0f);
}

}  // namespace
}  // namespace genstereo

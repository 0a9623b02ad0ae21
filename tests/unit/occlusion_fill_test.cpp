// Occlusion fill (naive, Telea, disparity-guided background), push-pull interpolation and
// the seam blend, on a synthetic scene: a textured background at disparity 2 and a pure red
// foreground square at disparity 10.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include <opencv2/imgproc.hpp>

#include "stereo/forward_warp.h"
#include "stereo/occlusion_fill.h"
#include "stereo/seam_blend.h"
#include "test_support.h"

namespace genstereo {
namespace {

constexpr int kWidth = 64;
constexpr int kHeight = 32;
constexpr float kBackgroundDisparity = 2.0f;
constexpr float kForegroundDisparity = 10.0f;
const cv::Rect kForeground(30, 8, 12, 16);  // x 30..41, y 8..23

struct Scene {
  cv::Mat image;      // CV_32FC3 BGR [0,1]
  cv::Mat disparity;  // CV_32FC1
  WarpCorrespondence warp;
  cv::Mat warped;
  cv::Mat holes;  // CV_8UC1 255 in holes
};

Scene makeScene() {
  Scene scene;
  scene.image = test::makeTestImage(kWidth, kHeight, 7);
  scene.disparity = cv::Mat(kHeight, kWidth, CV_32FC1, cv::Scalar(kBackgroundDisparity));
  scene.image(kForeground).setTo(cv::Scalar(0.0, 0.0, 1.0));  // pure red (BGR)
  scene.disparity(kForeground).setTo(cv::Scalar(kForegroundDisparity));
  scene.warp = computeForwardWarp(scene.disparity, WarpDirection::kLeftToRight);
  scene.warped = applyWarp(scene.warp, scene.image, 0.0);
  scene.holes = scene.warp.valid == 0;
  return scene;
}

// Mean of the red channel of the background (outside the square) of the input.
double backgroundMeanRed(const Scene& scene) {
  cv::Mat background_mask(kHeight, kWidth, CV_8UC1, cv::Scalar(255));
  background_mask(kForeground).setTo(0);
  return cv::mean(scene.image, background_mask)[2];
}

TEST(OcclusionFill, SceneHasTheExpectedHoles) {
  const Scene scene = makeScene();
  // The disocclusion right of the foreground: targets 32..39 on the square's rows, plus the
  // right border strip of width 2 on every row.
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      const bool in_disocclusion = y >= 8 && y < 24 && x >= 32 && x < 40;
      const bool in_border = x >= kWidth - 2;
      EXPECT_EQ(scene.holes.at<std::uint8_t>(y, x) != 0, in_disocclusion || in_border)
          << "at " << x << "," << y;
    }
  }
}

class OcclusionFillMethods : public ::testing::TestWithParam<FillMethod> {};

TEST_P(OcclusionFillMethods, EveryHoleIsFilled) {
  const Scene scene = makeScene();
  const FillResult fill = fillOcclusions(scene.warped, scene.warp, GetParam());
  ASSERT_EQ(fill.image.type(), CV_32FC3);
  ASSERT_EQ(fill.image.size(), scene.warped.size());
  ASSERT_EQ(fill.disparity_px.type(), CV_32FC1);
  ASSERT_EQ(fill.background_fill.size(), scene.warped.size());
  ASSERT_EQ(fill.foreground_guard.size(), scene.warped.size());
  int black = 0;
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      const cv::Vec3f p = fill.image.at<cv::Vec3f>(y, x);
      if (scene.holes.at<std::uint8_t>(y, x)) {
        if (p[0] + p[1] + p[2] < 0.05f) ++black;
      } else {
        // Pixels the warp reached are kept.
        EXPECT_EQ(p, scene.warped.at<cv::Vec3f>(y, x)) << "at " << x << "," << y;
      }
      EXPECT_GE(std::min({p[0], p[1], p[2]}), -1e-4f);
      EXPECT_LE(std::max({p[0], p[1], p[2]}), 1.0f + 1e-4f);
    }
  }
  EXPECT_EQ(black, 0) << "hole pixels left black by " << toString(GetParam());
  // The new view's disparity: holes take the background's.
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      if (scene.holes.at<std::uint8_t>(y, x)) {
        EXPECT_FLOAT_EQ(fill.disparity_px.at<float>(y, x), kBackgroundDisparity) << x << "," << y;
      } else {
        EXPECT_FLOAT_EQ(fill.disparity_px.at<float>(y, x), scene.warp.disparity_px.at<float>(y, x));
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Methods, OcclusionFillMethods,
                         ::testing::Values(FillMethod::kNaive, FillMethod::kTelea,
                                           FillMethod::kBackground),
                         [](const ::testing::TestParamInfo<FillMethod>& info) {
                           switch (info.param) {
                             case FillMethod::kNaive:
                               return std::string("Naive");
                             case FillMethod::kTelea:
                               return std::string("Telea");
                             case FillMethod::kBackground:
                               return std::string("Background");
                             default:
                               return std::string("None");
                           }
                         });

TEST(OcclusionFill, NoneLeavesHolesBlack) {
  const Scene scene = makeScene();
  const FillResult fill = fillOcclusions(scene.warped, scene.warp, FillMethod::kNone);
  EXPECT_EQ(cv::norm(fill.image, scene.warped, cv::NORM_INF), 0.0);
  EXPECT_EQ(cv::norm(fill.image, cv::NORM_INF, scene.holes), 0.0);
  // The disparity is still completed with the background's.
  EXPECT_EQ(cv::countNonZero((fill.disparity_px == kBackgroundDisparity) & scene.holes),
            cv::countNonZero(scene.holes));
}

TEST(OcclusionFill, BackgroundFillDoesNotTakeForegroundColour) {
  const Scene scene = makeScene();
  const double background_red = backgroundMeanRed(scene);
  ASSERT_LT(background_red, 0.8);  // the scene makes sense: red is the foreground's colour
  const cv::Mat disocclusion = scene.holes.clone();
  disocclusion.colRange(kWidth - 2, kWidth).setTo(0);
  ASSERT_EQ(cv::countNonZero(disocclusion), 8 * 16);

  const FillResult fill = fillOcclusions(scene.warped, scene.warp, FillMethod::kBackground);
  const double hole_red = cv::mean(fill.image, disocclusion)[2];
  EXPECT_LT(hole_red, background_red + 0.04) << "foreground red bled into the hole";
  // The guard is what keeps the red out: without it (no 1-D reach, no 2-D window) the
  // push-pull interpolation takes the foreground too (measured: 0.58 vs 0.50).
  FillParams unguarded_params;
  unguarded_params.guard_window_px = 0;
  unguarded_params.reach_factor = 0.0;
  unguarded_params.min_reach_px = 0;
  const FillResult unguarded =
      fillOcclusions(scene.warped, scene.warp, FillMethod::kBackground, unguarded_params);
  EXPECT_GT(cv::mean(unguarded.image, disocclusion)[2], hole_red + 0.03);
  EXPECT_EQ(cv::countNonZero(unguarded.foreground_guard), 0);
  // The foreground guard marks the red pixels beside the hole, and only warped pixels.
  EXPECT_GT(cv::countNonZero(fill.foreground_guard), 0);
  EXPECT_EQ(cv::countNonZero(fill.foreground_guard & scene.holes), 0);
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      if (fill.foreground_guard.at<std::uint8_t>(y, x)) {
        EXPECT_FLOAT_EQ(scene.warp.disparity_px.at<float>(y, x), kForegroundDisparity)
            << x << "," << y;
      }
    }
  }

  // Naive fill copies the background side (right) too: no red either.
  const FillResult naive = fillOcclusions(scene.warped, scene.warp, FillMethod::kNaive);
  EXPECT_LT(cv::mean(naive.image, disocclusion)[2], background_red + 0.04);
}

TEST(OcclusionFill, PushPullKeepsKnownPixelsExactly) {
  const cv::Mat image = test::makeTestImage(40, 30, 3);
  cv::Mat known(image.size(), CV_8UC1);
  cv::RNG rng(11);
  rng.fill(known, cv::RNG::UNIFORM, 0, 2);  // 0 or 1, about half known
  ASSERT_GT(cv::countNonZero(known), 0);
  const cv::Mat filled = pushPullFill(image, known);
  ASSERT_EQ(filled.type(), CV_32FC3);
  ASSERT_EQ(filled.size(), image.size());
  EXPECT_EQ(cv::norm(filled, image, cv::NORM_INF, known), 0.0);
  // Unknown pixels are interpolated within the image's range.
  double lo = 0.0, hi = 0.0;
  cv::minMaxLoc(filled.reshape(1), &lo, &hi);
  EXPECT_GE(lo, -1e-4);
  EXPECT_LE(hi, 1.0 + 1e-4);

  // One channel too.
  cv::Mat gray;
  cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
  const cv::Mat filled_gray = pushPullFill(gray, known);
  ASSERT_EQ(filled_gray.type(), CV_32FC1);
  EXPECT_EQ(cv::norm(filled_gray, gray, cv::NORM_INF, known), 0.0);
}

TEST(OcclusionFill, PushPullFillsConstantImageWithTheConstant) {
  for (int channels : {1, 3}) {
    const cv::Scalar value(0.3, 0.6, 0.9);
    cv::Mat image(37, 53, CV_32FC(channels), value);
    cv::Mat known(image.size(), CV_8UC1, cv::Scalar(255));
    cv::RNG rng(5);
    cv::Mat noise(image.size(), CV_8UC1);
    rng.fill(noise, cv::RNG::UNIFORM, 0, 10);
    known.setTo(0, noise < 7);                      // ~70% unknown, scattered
    known(cv::Rect(10, 5, 20, 20)).setTo(0);        // and a large hole
    image.setTo(cv::Scalar::all(0.0), known == 0);  // unknown content must not matter
    const cv::Mat filled = pushPullFill(image, known);
    const cv::Mat smooth = pushPullInterpolate(image, known);
    ASSERT_EQ(filled.type(), image.type());
    cv::Mat expected(image.size(), image.type(), value);
    EXPECT_LT(cv::norm(filled, expected, cv::NORM_INF), 1e-5) << channels << " channel(s)";
    ASSERT_EQ(smooth.size(), image.size());
    EXPECT_LT(cv::norm(smooth, expected, cv::NORM_INF), 1e-5) << channels << " channel(s)";
  }
}

TEST(OcclusionFill, SeamBlendWeights) {
  const Scene scene = makeScene();
  const FillResult fill = fillOcclusions(scene.warped, scene.warp, FillMethod::kBackground);
  const double feather = 2.0;
  const SeamBlendResult blend = blendSeams(scene.warped, scene.warp.valid, fill, feather);
  ASSERT_EQ(blend.weight.type(), CV_32FC1);
  ASSERT_EQ(blend.weight.size(), scene.warped.size());
  ASSERT_EQ(blend.image.type(), CV_32FC3);
  double lo = 0.0, hi = 0.0;
  cv::minMaxLoc(blend.weight, &lo, &hi);
  EXPECT_GE(lo, 0.0);
  EXPECT_LE(hi, 1.0);
  // 0 in holes.
  EXPECT_EQ(cv::norm(blend.weight, cv::NORM_INF, scene.holes), 0.0);
  // 1 on the foreground guard.
  ASSERT_GT(cv::countNonZero(fill.foreground_guard), 0);
  cv::Mat ones(blend.weight.size(), CV_32FC1, cv::Scalar(1.0));
  EXPECT_EQ(cv::norm(blend.weight, ones, cv::NORM_INF, fill.foreground_guard), 0.0);
  // 1 far from holes: no hole within feather + 2 pixels in any direction.
  const int radius = static_cast<int>(feather) + 2;
  cv::Mat far;
  cv::erode(scene.warp.valid != 0, far,
            cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * radius + 1, 2 * radius + 1)),
            cv::Point(-1, -1), 1, cv::BORDER_CONSTANT, cv::Scalar(255));
  ASSERT_GT(cv::countNonZero(far), kWidth * kHeight / 3);
  EXPECT_LT(cv::norm(blend.weight, ones, cv::NORM_INF, far), 1e-6);
  // Near a hole, on the background, the weight leans on the fill (strictly between 0 and 1).
  EXPECT_GT(blend.weight.at<float>(0, kWidth - 3), 0.0f);
  EXPECT_LT(blend.weight.at<float>(0, kWidth - 3), 1.0f);
  // Where the weight is 1 the image is the warped view.
  EXPECT_LT(cv::norm(blend.image, scene.warped, cv::NORM_INF, far), 1e-6);
}

TEST(OcclusionFill, SeamBlendWithoutFeatherIsHardMask) {
  const Scene scene = makeScene();
  const FillResult fill = fillOcclusions(scene.warped, scene.warp, FillMethod::kBackground);
  const SeamBlendResult blend = blendSeams(scene.warped, scene.warp.valid, fill, 0.0);
  cv::Mat valid_f;
  scene.warp.valid.convertTo(valid_f, CV_32F);
  EXPECT_EQ(cv::norm(blend.weight, valid_f, cv::NORM_INF), 0.0);
  EXPECT_EQ(cv::norm(blend.image, fill.image, cv::NORM_INF), 0.0);
}

}  // namespace
}  // namespace genstereo

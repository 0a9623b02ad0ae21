// The seam blend and the fill's 2-D foreground guard against naive references (ncnn style:
// the optimised code must give exactly what the plain definition gives), on random scenes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "stereo/forward_warp.h"
#include "stereo/occlusion_fill.h"
#include "stereo/seam_blend.h"
#include "test_support.h"

namespace genstereo {
namespace {

// A random layered scene: rectangles at random disparities (some negative: behind the
// screen) over a slanted background, warped left to right.
struct Scene {
  cv::Mat image;
  cv::Mat disparity;
  WarpCorrespondence warp;
  cv::Mat warped;
};

Scene makeScene(int width, int height, unsigned seed) {
  Scene scene;
  scene.image = test::makeTestImage(width, height, seed);
  scene.disparity = cv::Mat(height, width, CV_32FC1);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) scene.disparity.at<float>(y, x) = -2.0f + 0.02f * x;
  }
  std::mt19937 random(seed);
  for (int i = 0; i < 12; ++i) {
    const int w = 3 + static_cast<int>(random() % (width / 3));
    const int h = 3 + static_cast<int>(random() % (height / 3));
    const cv::Rect box(static_cast<int>(random() % (width - w)),
                       static_cast<int>(random() % (height - h)), w, h);
    scene.disparity(box).setTo(cv::Scalar(static_cast<float>(random() % 1600) / 100.0f - 3.0f));
  }
  scene.warp = computeForwardWarp(scene.disparity, WarpDirection::kLeftToRight);
  scene.warped = applyWarp(scene.warp, scene.image, 0.0);
  return scene;
}

// The plain definition of blendSeams (seam_blend.h): brute-force distance to the nearest hole
// in the square window of half-size reach, the foreground guard kept at 1.
SeamBlendResult referenceBlend(const cv::Mat& warped, const cv::Mat& valid, const FillResult& fill,
                               double feather_px) {
  const int reach = static_cast<int>(std::ceil(feather_px + 1.0));
  const float scale = static_cast<float>(1.0 / (feather_px + 1.0));
  SeamBlendResult result;
  result.weight = cv::Mat(valid.size(), CV_32FC1, cv::Scalar(1.0f));
  result.image = fill.image.clone();
  for (int y = 0; y < valid.rows; ++y) {
    for (int x = 0; x < valid.cols; ++x) {
      float& w = result.weight.at<float>(y, x);
      if (!valid.at<std::uint8_t>(y, x)) {
        w = 0.0f;
        continue;
      }
      if (fill.foreground_guard.at<std::uint8_t>(y, x)) continue;
      bool is_near = false;
      int best = reach * reach + 1;
      for (int dy = -reach; dy <= reach; ++dy) {
        for (int dx = -reach; dx <= reach; ++dx) {
          const int yy = y + dy;
          const int xx = x + dx;
          if (yy < 0 || yy >= valid.rows || xx < 0 || xx >= valid.cols) continue;
          if (valid.at<std::uint8_t>(yy, xx)) continue;
          is_near = true;
          best = std::min(best, dx * dx + dy * dy);
        }
      }
      if (!is_near) continue;
      w = std::min(1.0f, std::sqrt(static_cast<float>(best)) * scale);
      if (w < 1.0f) {
        result.image.at<cv::Vec3f>(y, x) =
            warped.at<cv::Vec3f>(y, x) * w + fill.background_fill.at<cv::Vec3f>(y, x) * (1.0f - w);
      }
    }
  }
  return result;
}

double maxDifference(const cv::Mat& a, const cv::Mat& b) { return cv::norm(a, b, cv::NORM_INF); }

TEST(SeamBlend, EqualsTheBruteForceDefinitionExactly) {
  const Scene scene = makeScene(96, 70, 5);
  const FillResult fill = fillOcclusions(scene.warped, scene.warp, FillMethod::kBackground);
  ASSERT_GT(cv::countNonZero(fill.foreground_guard), 0) << "the scene must exercise the guard";
  for (const double feather_px : {0.5, 2.0, 6.0, 300.0}) {
    const SeamBlendResult expected =
        referenceBlend(scene.warped, scene.warp.valid, fill, feather_px);
    const SeamBlendResult blended = blendSeams(scene.warped, scene.warp.valid, fill, feather_px);
    EXPECT_EQ(maxDifference(blended.weight, expected.weight), 0.0) << "feather " << feather_px;
    EXPECT_EQ(maxDifference(blended.image, expected.image), 0.0) << "feather " << feather_px;
    // The overload that writes into the fill's background gives the same.
    FillResult own = fillOcclusions(scene.warped, scene.warp, FillMethod::kBackground);
    const uchar* background_pixels = own.background_fill.data;
    const SeamBlendResult reused =
        blendSeams(scene.warped, scene.warp.valid, std::move(own), feather_px);
    EXPECT_EQ(reused.image.data, background_pixels) << "no new image";
    EXPECT_EQ(maxDifference(reused.weight, expected.weight), 0.0) << "feather " << feather_px;
    EXPECT_EQ(maxDifference(reused.image, expected.image), 0.0) << "feather " << feather_px;
  }
}

TEST(SeamBlend, SharedBackgroundIsNotOverwritten) {
  const Scene scene = makeScene(40, 30, 9);
  FillResult fill =
      fillOcclusions(scene.warped, scene.warp, FillMethod::kNaive);  // background = image
  const cv::Mat image_before = fill.image.clone();
  const SeamBlendResult blended = blendSeams(scene.warped, scene.warp.valid, std::move(fill), 2.0);
  EXPECT_NE(blended.image.data, fill.image.data);
  EXPECT_EQ(maxDifference(fill.image, image_before), 0.0);
}

// The 2-D guard (FillParams::guard_window_px) by its definition: a landed pixel is hidden
// when its disparity exceeds, by more than the margin, the largest hole background (+ 1e-3)
// in the square window around it. The fill writes each hole's background into its
// disparity_px, and the 1-D guard alone is the fill without the window.
TEST(OcclusionFillGuard, EqualsTheWindowMaximumDefinitionExactly) {
  // Taller than the fill's bands of 128 rows, so that windows cross band borders.
  const Scene scene = makeScene(120, 300, 11);
  const cv::Mat& valid = scene.warp.valid;
  FillParams without_window;
  without_window.guard_window_px = 0;
  const FillResult one_d =
      fillOcclusions(scene.warped, scene.warp, FillMethod::kBackground, without_window);
  for (const int window_px : {1, 3, 8, 40, 200}) {
    FillParams params;
    params.guard_window_px = window_px;
    const FillResult fill =
        fillOcclusions(scene.warped, scene.warp, FillMethod::kBackground, params);
    cv::Mat expected = one_d.foreground_guard.clone();
    const float margin = static_cast<float>(params.foreground_margin_px);
    for (int y = 0; y < valid.rows; ++y) {
      for (int x = 0; x < valid.cols; ++x) {
        if (!valid.at<std::uint8_t>(y, x)) continue;
        float nearby = std::numeric_limits<float>::lowest();
        for (int yy = std::max(0, y - window_px); yy <= std::min(valid.rows - 1, y + window_px);
             ++yy) {
          for (int xx = std::max(0, x - window_px); xx <= std::min(valid.cols - 1, x + window_px);
               ++xx) {
            if (valid.at<std::uint8_t>(yy, xx)) continue;
            nearby = std::max(nearby, fill.disparity_px.at<float>(yy, xx) + 1e-3f);
          }
        }
        if (nearby > std::numeric_limits<float>::lowest() &&
            scene.warp.disparity_px.at<float>(y, x) > nearby + margin) {
          expected.at<std::uint8_t>(y, x) = 255;
        }
      }
    }
    EXPECT_EQ(cv::countNonZero(fill.foreground_guard != expected), 0) << "window " << window_px;
    if (window_px <= 40) {  // a window over the whole scene sees the nearest hole's background
      EXPECT_GT(cv::countNonZero(fill.foreground_guard), cv::countNonZero(one_d.foreground_guard))
          << "window " << window_px << " must hide more than the 1-D guard";
    }
  }
}

}  // namespace
}  // namespace genstereo

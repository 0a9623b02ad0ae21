// Preview runs of the engine (RunParams::preview_box_px, issue 25): the engine scales the photo
// and its map or depth down itself, with one resize rule (nearest; disparities scaled by the
// width ratio, depth values kept), moves a picked screen point to the same pixel, and a run at
// that size equals a full run on inputs resized by hand (what the workbench's proxy did). Also
// the notes as data (RunNote, describeRunNote). Without models (genstereo_models_none).
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "genstereo/engine.h"
#include "test_support.h"

namespace genstereo {
namespace {

// A slanted plane with a nearer box: disparities 2..14 px.
DisparityMap testDisparity(int width, int height) {
  cv::Mat values(height, width, CV_32FC1);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const bool box = x > width / 3 && x < width / 2 && y > height / 4 && y < height / 2;
      values.at<float>(y, x) = box ? 14.0f : 2.0f + 4.0f * static_cast<float>(y) / height;
    }
  }
  return makeDisparityMap(values);
}

double maxAbsDiff(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size() || a.type() != b.type()) return 1e9;
  return cv::norm(a, b, cv::NORM_INF);
}

DisparityMap nearest(const DisparityMap& map, cv::Size size, double value_scale) {
  DisparityMap resized;
  cv::resize(map.values, resized.values, size, 0, 0, cv::INTER_NEAREST);
  cv::resize(map.valid, resized.valid, size, 0, 0, cv::INTER_NEAREST);
  resized.values *= value_scale;
  return resized;
}

TEST(EnginePreview, SizeFitsTheBox) {
  EXPECT_EQ(previewSizeOf(cv::Size(4000, 2724), cv::Size(800, 800)), cv::Size(800, 545));
  EXPECT_EQ(previewSizeOf(cv::Size(4000, 2724), cv::Size(2000, 600)), cv::Size(881, 600));
  EXPECT_EQ(previewSizeOf(cv::Size(450, 375), cv::Size(1200, 900)), cv::Size(450, 375));
  EXPECT_EQ(previewSizeOf(cv::Size(450, 375), cv::Size()), cv::Size(450, 375));
  EXPECT_EQ(previewSizeOf(cv::Size(1000, 100), cv::Size(50, 50)), cv::Size(50, 16));
}

TEST(EnginePreview, DisparityPreviewEqualsARunOnResizedInputs) {
  const cv::Mat photo = test::makeTestImage(200, 120, 3);
  const DisparityMap map = testDisparity(200, 120);
  RunParams params;
  params.geometry = DisparityInput{map, "'map.pfm'"};
  params.synthesis.shaping.baseline_scale = 1.4;
  params.preview_box_px = cv::Size(100, 100);
  StereoEngine engine;
  const RunResult preview = engine.run(photo, params);
  ASSERT_TRUE(preview.is_preview);
  const cv::Size size(100, 60);
  ASSERT_EQ(preview.photo.size(), size);
  ASSERT_EQ(preview.right.size(), size);
  EXPECT_TRUE(preview.notes.empty());

  cv::Mat small_photo;
  cv::resize(photo, small_photo, size, 0, 0, cv::INTER_AREA);
  RunParams by_hand = params;
  by_hand.preview_box_px = cv::Size();
  by_hand.geometry = DisparityInput{nearest(map, size, 0.5), "'map.pfm'"};
  const RunResult reference = engine.run(small_photo, by_hand);
  EXPECT_FALSE(reference.is_preview);
  EXPECT_EQ(maxAbsDiff(preview.photo, small_photo), 0.0);
  EXPECT_EQ(maxAbsDiff(preview.disparity_px, reference.disparity_px), 0.0);
  EXPECT_EQ(maxAbsDiff(preview.right, reference.right), 0.0);

  // The same preview again (the photo's preview kept): the same products.
  const RunResult again = engine.run(photo, params);
  EXPECT_EQ(maxAbsDiff(again.right, preview.right), 0.0);
  // A box as large as the photo: the full resolution, the photo itself.
  params.preview_box_px = cv::Size(400, 400);
  const RunResult full = engine.run(photo, params);
  EXPECT_FALSE(full.is_preview);
  EXPECT_EQ(full.photo.data, photo.data);
}

TEST(EnginePreview, DepthPreviewKeepsTheDepthValues) {
  const cv::Mat photo = test::makeTestImage(160, 96, 5);
  const DisparityMap depth = testDisparity(160, 96);
  RunParams params;
  params.geometry = DepthInput{depth, "'depth.png'"};
  params.depth_shaping.foreground_scale = 0.8;
  params.preview_box_px = cv::Size(80, 80);
  const RunResult preview = StereoEngine().run(photo, params);
  const cv::Size size(80, 48);
  ASSERT_EQ(preview.disparity_px.size(), size);
  cv::Mat small_photo;
  cv::resize(photo, small_photo, size, 0, 0, cv::INTER_AREA);
  RunParams by_hand = params;
  by_hand.preview_box_px = cv::Size();
  by_hand.geometry = DepthInput{nearest(depth, size, 1.0), "'depth.png'"};
  const RunResult reference = StereoEngine().run(small_photo, by_hand);
  EXPECT_EQ(maxAbsDiff(preview.disparity_px, reference.disparity_px), 0.0);
  EXPECT_EQ(maxAbsDiff(preview.depth.values, reference.depth.values), 0.0);
}

TEST(EnginePreview, PickedScreenPointStaysOnTheScreenPlane) {
  const cv::Mat photo = test::makeTestImage(400, 240, 2);
  RunParams params;
  params.geometry = DisparityInput{testDisparity(400, 240), "'map.pfm'"};
  params.synthesis.comfort.convergence = ConvergenceMode::kPoint;
  const cv::Point point(180, 90);  // inside the box (14 px)
  params.synthesis.comfort.screen_point_px = point;
  params.preview_box_px = cv::Size(100, 100);
  const RunResult preview = StereoEngine().run(photo, params);
  ASSERT_EQ(preview.disparity_px.size(), cv::Size(100, 60));
  // Pixel centres onto pixel centres: (180.5 * 0.25, 90.5 * 0.25) -> (45, 22).
  EXPECT_NEAR(preview.disparity_px.at<float>(22, 45), 0.0f, 1e-4);
  EXPECT_NEAR(preview.screen_disparity_px, 14.0 * 0.25, 1e-4);
}

TEST(EnginePreview, AMapOfAnotherSizeIsResizedOnceAndNoted) {
  const cv::Mat photo = test::makeTestImage(200, 120, 4);
  const DisparityMap half = testDisparity(100, 60);
  RunParams params;
  params.geometry = DisparityInput{half, "'half.pfm'"};
  params.preview_box_px = cv::Size(50, 50);
  EXPECT_THROW(StereoEngine().run(photo, params), InputError);  // refused, as a full run
  params.map_size = MapSizePolicy::kResize;
  const RunResult preview = StereoEngine().run(photo, params);
  ASSERT_EQ(preview.notes.size(), 1u);
  EXPECT_EQ(preview.notes[0],
            (RunNote{RunNoteKind::kMapResized, {100, 60, 200, 120, 1}, "'half.pfm'"}));
  ASSERT_EQ(preview.disparity_px.size(), cv::Size(50, 30));
  double high = 0.0;
  cv::minMaxLoc(preview.disparity_px, nullptr, &high);
  EXPECT_NEAR(high, 14.0 * 0.5, 1e-4);  // 14 px of a 100 px map on a 50 px preview
}

TEST(RunNotes, DescribeEachKind) {
  EXPECT_EQ(describeRunNote({RunNoteKind::kMapResized, {48, 32, 96, 64, 0}, "'d.png'"}),
            "'d.png' (48x32) was resized to the photo's 96x64");
  EXPECT_EQ(describeRunNote({RunNoteKind::kBaselineNarrowed, {0.625, 3.0}, {}}),
            "the baseline was narrowed to 0.625x so that the parallax range fits 3% of the width");
  EXPECT_NE(describeRunNote({RunNoteKind::kSlowBFloat16, {}, {}}).find("will be slow"),
            std::string::npos);
}

TEST(RunNotes, NarrowedBaselineIsData) {
  const cv::Mat photo = test::makeTestImage(96, 64);
  RunParams params;
  params.geometry = DisparityInput{testDisparity(96, 64), "test"};
  params.synthesis.comfort.max_range_percent = 3.0;
  const RunResult result = StereoEngine().run(photo, params);
  ASSERT_EQ(result.notes.size(), 1u);
  EXPECT_EQ(result.notes[0].kind, RunNoteKind::kBaselineNarrowed);
  ASSERT_EQ(result.notes[0].values.size(), 2u);
  EXPECT_NEAR(result.notes[0].values[0], result.baseline_scale, 1e-12);
  EXPECT_EQ(result.notes[0].values[1], 3.0);
}

}  // namespace
}  // namespace genstereo

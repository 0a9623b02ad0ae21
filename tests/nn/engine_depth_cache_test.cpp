// The engine's estimated-depth cache (EngineOptions::depth_cache_photos, issue 25): a second
// run on the same photo does not run the depth model again, what is kept is the model's RAW
// output (before DepthShaping and the border crop), so that runs with other shaping, border or
// baseline give what a fresh engine gives, and a preview (RunParams::preview_box_px) after a
// full run resizes the kept depth. The regression of the double-shaping defect: a crop run
// followed by a full run gives the full run's map, shaped once. With the tiny random Depth
// Anything V2 of tests/data/dav2 (its architecture file beside it in the models folder).
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "genstereo/engine.h"
#include "nn/architecture_file.h"
#include "test_support.h"
#include "tiny_depth_model.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

class EngineDepthCache : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path dav2 = test::testDataDir() / "dav2";
    test::installTinyDepthModel(dav2, models_.path());
    options_.models_dir = models_.path();
    options_.threads = 2;
    StereoEngine probe(options_);
    if (!probe.inspectModels().isDepthReady()) {
      GTEST_SKIP() << "no depth model run in this build (without LibTorch)";
    }
  }

  // Estimated depth with shaping on (so that shaping twice would show), no parallax limit.
  static RunParams baseParams() {
    RunParams params;  // geometry: estimated depth
    params.engine = EngineChoice::kWeightFree;
    params.depth_conversion.kind = DepthKind::kInverse;
    params.depth_conversion.max_disparity_fraction = 0.05;
    params.depth_shaping.clip_low_percent = 5.0;
    params.depth_shaping.clip_high_percent = 90.0;
    params.depth_shaping.foreground_scale = 1.0;
    params.synthesis.border = BorderMode::kFill;
    return params;
  }

  static double maxDifference(const cv::Mat& a, const cv::Mat& b) {
    if (a.size() != b.size() || a.type() != b.type()) return 1e9;
    cv::Mat diff;
    cv::absdiff(a, b, diff);
    double high = 0.0;
    cv::minMaxLoc(diff.reshape(1), nullptr, &high);
    return high;
  }

  // `params` on `photo` in a fresh engine (the reference: no cache involved).
  RunResult freshRun(const cv::Mat& photo, const RunParams& params) const {
    StereoEngine fresh(options_);
    return fresh.run(photo, params);
  }

  test::TempDir models_;
  EngineOptions options_;
  const cv::Mat photo_ = test::makeTestImage(96, 64, 7);
};

TEST_F(EngineDepthCache, SecondRunOnTheSamePhotoSkipsTheDepthModel) {
  StereoEngine engine(options_);
  const RunResult first = engine.run(photo_, baseParams());
  EXPECT_EQ(engine.counters().depth_forwards, 1);
  EXPECT_EQ(engine.counters().depth_cache_hits, 0);
  EXPECT_GT(first.depth_seconds, 0.0);
  // The same pixels in another buffer: the key is the content, not the address.
  const RunResult second = engine.run(photo_.clone(), baseParams());
  EXPECT_EQ(engine.counters().depth_forwards, 1);
  EXPECT_EQ(engine.counters().depth_cache_hits, 1);
  EXPECT_EQ(second.depth_seconds, 0.0);
  EXPECT_EQ(maxDifference(first.disparity_px, second.disparity_px), 0.0);
  EXPECT_EQ(maxDifference(first.depth.values, second.depth.values), 0.0)
      << "the kept depth was shaped again";
  // Another photo runs the model.
  engine.run(test::makeTestImage(96, 64, 8), baseParams());
  EXPECT_EQ(engine.counters().depth_forwards, 2);
}

TEST_F(EngineDepthCache, ChangedShapingBorderAndBaselineReuseTheRawDepth) {
  StereoEngine engine(options_);
  engine.run(photo_, baseParams());
  std::vector<std::pair<std::string, RunParams>> variants;
  RunParams shaping = baseParams();
  shaping.depth_shaping.clip_low_percent = 20.0;
  shaping.depth_shaping.foreground_scale = 1.8;
  variants.emplace_back("depth shaping", shaping);
  RunParams crop = baseParams();
  crop.synthesis.border = BorderMode::kCrop;
  crop.synthesis.shaping.convergence = 0.5;  // a screen plane inside: a strip to crop
  variants.emplace_back("border crop", crop);
  RunParams baseline = baseParams();
  baseline.synthesis.shaping.baseline_scale = 1.7;
  variants.emplace_back("baseline", baseline);
  RunParams depth_range = baseParams();
  depth_range.depth_conversion.max_disparity_fraction = 0.1;
  variants.emplace_back("depth to disparity", depth_range);
  for (const auto& [name, params] : variants) {
    const RunResult cached = engine.run(photo_, params);
    const RunResult reference = freshRun(photo_, params);
    EXPECT_EQ(maxDifference(cached.disparity_px, reference.disparity_px), 0.0) << name;
    EXPECT_EQ(maxDifference(cached.depth.values, reference.depth.values), 0.0) << name;
    EXPECT_EQ(maxDifference(cached.right, reference.right), 0.0) << name;
    EXPECT_EQ(cached.columns, reference.columns) << name;
  }
  EXPECT_EQ(engine.counters().depth_forwards, 1);
  EXPECT_EQ(engine.counters().depth_cache_hits, static_cast<int>(variants.size()));
}

// The double-shaping defect of issue 25 (item 2), end to end through the engine: a crop run
// followed by a full run gives a fresh engine's full run, and that run's depth is the model's
// output shaped exactly once, at the photo's full width.
TEST_F(EngineDepthCache, CropRunThenFullRunGivesTheFullMapShapedOnce) {
  RunParams crop = baseParams();
  crop.synthesis.border = BorderMode::kCrop;
  crop.synthesis.shaping.convergence = 0.5;
  StereoEngine engine(options_);
  const RunResult cropped = engine.run(photo_, crop);
  ASSERT_LT(cropped.disparity_px.cols, photo_.cols) << "the crop run must crop for this test";
  const RunResult full = engine.run(photo_, baseParams());
  EXPECT_EQ(engine.counters().depth_forwards, 1);
  const RunResult reference = freshRun(photo_, baseParams());
  ASSERT_EQ(full.disparity_px.size(), photo_.size());
  EXPECT_EQ(maxDifference(full.disparity_px, reference.disparity_px), 0.0);
  // Shaped once: the raw estimate through shapeDepth one time is the depth the run used.
  StereoEngine raw_engine(options_);
  const DisparityMap raw = raw_engine.estimateDepth(photo_);
  const DisparityMap once = shapeDepth(raw, baseParams().depth_shaping);
  EXPECT_EQ(maxDifference(full.depth.values, once.values), 0.0);
  const DisparityMap twice = shapeDepth(once, baseParams().depth_shaping);
  EXPECT_GT(maxDifference(full.depth.values, twice.values), 0.0)
      << "shaping twice must differ for this test to see the defect";
}

TEST_F(EngineDepthCache, PreviewAfterAFullRunResizesTheKeptDepth) {
  StereoEngine engine(options_);
  engine.run(photo_, baseParams());
  RunParams preview = baseParams();
  preview.preview_box_px = cv::Size(48, 48);
  const RunResult small = engine.run(photo_, preview);
  EXPECT_EQ(engine.counters().depth_forwards, 1);
  ASSERT_TRUE(small.is_preview);
  ASSERT_EQ(small.photo.size(), cv::Size(48, 32));
  ASSERT_EQ(small.disparity_px.size(), cv::Size(48, 32));
  // What the workbench's proxy did: the photo area-averaged, the raw depth resized (nearest).
  StereoEngine raw_engine(options_);
  const DisparityMap raw = raw_engine.estimateDepth(photo_);
  RunParams given = baseParams();
  DisparityMap raw_small;
  cv::resize(raw.values, raw_small.values, cv::Size(48, 32), 0, 0, cv::INTER_NEAREST);
  cv::resize(raw.valid, raw_small.valid, cv::Size(48, 32), 0, 0, cv::INTER_NEAREST);
  given.geometry = DepthInput{raw_small, "raw"};
  cv::Mat photo_small;
  cv::resize(photo_, photo_small, cv::Size(48, 32), 0, 0, cv::INTER_AREA);
  const RunResult reference = StereoEngine().run(photo_small, given);
  EXPECT_EQ(maxDifference(small.photo, photo_small), 0.0);
  EXPECT_EQ(maxDifference(small.disparity_px, reference.disparity_px), 0.0);
  EXPECT_EQ(maxDifference(small.right, reference.right), 0.0);
  // A preview first (nothing kept yet): the depth is estimated at full resolution and kept.
  StereoEngine other(options_);
  const RunResult first_preview = other.run(photo_, preview);
  EXPECT_EQ(maxDifference(first_preview.disparity_px, small.disparity_px), 0.0);
  other.run(photo_, baseParams());
  EXPECT_EQ(other.counters().depth_forwards, 1);
}

TEST_F(EngineDepthCache, ZeroPhotosKeepsNothing) {
  EngineOptions options = options_;
  options.depth_cache_photos = 0;
  StereoEngine engine(options);
  engine.run(photo_, baseParams());
  engine.run(photo_, baseParams());
  EXPECT_EQ(engine.counters().depth_forwards, 2);
  EXPECT_EQ(engine.counters().depth_cache_hits, 0);
  options.depth_cache_photos = -1;
  EXPECT_THROW(StereoEngine{options}, InputError);
}

TEST_F(EngineDepthCache, KeepsTheMostRecentPhotos) {
  StereoEngine engine(options_);  // two photos by default
  const cv::Mat a = test::makeTestImage(96, 64, 1);
  const cv::Mat b = test::makeTestImage(96, 64, 2);
  const cv::Mat c = test::makeTestImage(96, 64, 3);
  engine.run(a, baseParams());
  engine.run(b, baseParams());
  engine.run(a, baseParams());  // kept
  EXPECT_EQ(engine.counters().depth_forwards, 2);
  engine.run(c, baseParams());  // drops b, the least recent
  engine.run(a, baseParams());
  EXPECT_EQ(engine.counters().depth_forwards, 3);
  engine.run(b, baseParams());
  EXPECT_EQ(engine.counters().depth_forwards, 4);
}

}  // namespace
}  // namespace genstereo

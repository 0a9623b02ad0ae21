// discoverStereoDataset and evaluateDataset on synthetic pairs whose right view is the left
// view shifted by a constant disparity, plus one real pair from ../shared/data/stereo-dev
// when it is present.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "errors.h"
#include "eval/dataset_evaluation.h"
#include "eval/stereo_dataset.h"
#include "genstereo/engine.h"
#include "io/disparity_io.h"
#include "io/image_io.h"
#include "test_support.h"

namespace genstereo {
namespace {

// The weight-free engine (no models), shared by the tests of this file.
StereoEngine engine_;
namespace fs = std::filesystem;

// left.png, right.png (= left shifted left by `d`; the right border strip, which no left
// pixel reaches, holds other content) and disp_left.pfm (constant d) in `folder`.
void writeShiftedPair(const fs::path& folder, int width, int height, int d, unsigned seed = 1) {
  fs::create_directories(folder);
  const cv::Mat left = test::makeTestImage(width, height, seed);
  cv::Mat right = test::makeTestImage(width, height, seed + 100);
  left.colRange(d, width).copyTo(right.colRange(0, width - d));
  writeImage(folder / "left.png", left);
  writeImage(folder / "right.png", right);
  writeDisparity(
      folder / "disp_left.pfm",
      makeDisparityMap(cv::Mat(height, width, CV_32FC1, cv::Scalar(static_cast<float>(d)))));
}

std::vector<std::string> methodNames(const std::vector<MethodScores>& scores) {
  std::vector<std::string> names;
  for (const MethodScores& m : scores) names.push_back(m.method);
  return names;
}

std::vector<std::string> methodNames(const std::vector<EvalMethod>& methods) {
  std::vector<std::string> names;
  for (const EvalMethod& m : methods) names.push_back(m.name);
  return names;
}

TEST(DatasetEvaluation, DiscoverFindsPairsSortedWithDivisor) {
  test::TempDir dir;
  // Written in reverse order: the result must be sorted anyway.
  const fs::path b = dir / "pair_b";
  fs::create_directories(b);
  const cv::Mat image = test::makeTestImage(16, 8);
  writeImage(b / "left.png", image);
  writeImage(b / "right.png", image);
  // 8-bit PNG disparity: stored 12 / divisor 4 = 3 px.
  writeImage(b / "disp_left.png", cv::Mat(8, 16, CV_32FC1, cv::Scalar(12.0 / 255.0)));
  test::writeRawFile(b / "meta.json", R"({"disparity_encoding": {"scale_divisor": 4}})");
  writeShiftedPair(dir / "pair_a", 16, 8, 2);
  // Noise that must be ignored: a file and a folder holding no pair file.
  test::writeRawFile(dir / "README.txt", "not a pair");
  fs::create_directories(dir / "notes");
  // A folder holding part of a pair is listed, to be reported as skipped (issue 14, class 7).
  fs::create_directories(dir / "incomplete");
  writeImage(dir / "incomplete" / "left.png", image);

  std::vector<StereoPairItem> items = discoverStereoDataset(dir.path());
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].name, "incomplete");
  EXPECT_NE(items[0].skip_reason.find("lacks right.png disp_left"), std::string::npos)
      << items[0].skip_reason;
  items.erase(items.begin());
  EXPECT_EQ(items[0].name, "pair_a");
  EXPECT_EQ(items[1].name, "pair_b");
  EXPECT_TRUE(items[0].skip_reason.empty());
  EXPECT_EQ(items[0].left, dir / "pair_a" / "left.png");
  EXPECT_EQ(items[0].right, dir / "pair_a" / "right.png");
  EXPECT_EQ(items[0].disparity, dir / "pair_a" / "disp_left.pfm");
  EXPECT_FALSE(items[0].disparity_options.png_divisor.has_value());
  EXPECT_EQ(items[1].disparity, b / "disp_left.png");
  ASSERT_TRUE(items[1].disparity_options.png_divisor.has_value());
  EXPECT_DOUBLE_EQ(*items[1].disparity_options.png_divisor, 4.0);
  const DisparityMap disparity = readDisparity(items[1].disparity, items[1].disparity_options);
  EXPECT_FLOAT_EQ(disparity.values.at<float>(0, 0), 3.0f);
  EXPECT_EQ(cv::countNonZero(disparity.valid), 16 * 8);
}

TEST(DatasetEvaluation, DiscoverFolderThatIsOnePair) {
  test::TempDir dir;
  writeShiftedPair(dir / "single", 16, 8, 2);
  const std::vector<StereoPairItem> items = discoverStereoDataset(dir / "single");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].name, "single");
}

TEST(DatasetEvaluation, DiscoverEmptyFolderThrowsDescribingLayout) {
  test::TempDir dir;
  try {
    discoverStereoDataset(dir.path());
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("left.png"), std::string::npos) << e.what();
  }
}

TEST(DatasetEvaluation, DiscoverMissingFolderThrows) {
  test::TempDir dir;
  EXPECT_THROW(discoverStereoDataset(dir / "does-not-exist"), InputError);
  // A file is not a dataset folder either.
  test::writeRawFile(dir / "file.txt", "x");
  EXPECT_THROW(discoverStereoDataset(dir / "file.txt"), InputError);
}

// A bad meta.json makes its pair skipped (with the reason), not the whole run fail.
TEST(DatasetEvaluation, DiscoverMarksABadMetaAsSkipped) {
  test::TempDir dir;
  writeShiftedPair(dir / "p", 16, 8, 2);
  test::writeRawFile(dir / "p" / "meta.json", "{not json");
  std::vector<StereoPairItem> items = discoverStereoDataset(dir.path());
  ASSERT_EQ(items.size(), 1u);
  EXPECT_NE(items[0].skip_reason.find("is not valid JSON"), std::string::npos)
      << items[0].skip_reason;
  test::writeRawFile(dir / "p" / "meta.json", R"({"disparity_encoding": {"scale_divisor": 0}})");
  items = discoverStereoDataset(dir.path());
  ASSERT_EQ(items.size(), 1u);
  EXPECT_NE(items[0].skip_reason.find("scale_divisor"), std::string::npos) << items[0].skip_reason;
}

TEST(DatasetEvaluation, ShiftedPairScoresHighOnVisiblePixels) {
  test::TempDir dir;
  const int width = 96;
  const int height = 40;
  const int d = 3;
  writeShiftedPair(dir / "shifted", width, height, d);
  const std::vector<StereoPairItem> items = discoverStereoDataset(dir.path());
  ASSERT_EQ(items.size(), 1u);

  const EvaluationOptions options;
  std::vector<RunProgress> progress;
  const DatasetEvaluation evaluation = evaluateDataset(
      items, options, engine_, [&](const RunProgress& p) { progress.push_back(p); });
  ASSERT_EQ(evaluation.pairs.size(), 1u);
  const PairEvaluation& pair = evaluation.pairs[0];
  EXPECT_EQ(pair.name, "shifted");
  EXPECT_EQ(pair.width, width);
  EXPECT_EQ(pair.height, height);
  EXPECT_NEAR(pair.occluded_fraction, static_cast<double>(d) / width, 1e-9);
  const std::vector<std::string> expected_names = methodNames(defaultEvalMethods());
  EXPECT_EQ(methodNames(pair.methods), expected_names);
  EXPECT_EQ(methodNames(evaluation.mean), expected_names);

  for (const MethodScores& m : pair.methods) {
    EXPECT_EQ(m.visible.pixel_count, static_cast<std::int64_t>((width - d) * height)) << m.method;
    EXPECT_EQ(m.occluded.pixel_count, static_cast<std::int64_t>(d * height)) << m.method;
    EXPECT_EQ(m.all.pixel_count, static_cast<std::int64_t>(width * height)) << m.method;
    EXPECT_GE(m.seconds, 0.0);
    if (m.method == "warp-only" || m.method == "ours") {
      EXPECT_GT(m.visible.psnr_db, 40.0) << m.method;  // +inf when exact
    }
    EXPECT_GT(m.all.psnr_db, 10.0) << m.method;
  }
  // One pair: the mean is that pair.
  for (std::size_t i = 0; i < pair.methods.size(); ++i) {
    const double a = pair.methods[i].all.psnr_db;
    const double b = evaluation.mean[i].all.psnr_db;
    if (std::isfinite(a)) {
      EXPECT_DOUBLE_EQ(a, b);
    }
    EXPECT_EQ(evaluation.mean[i].all.pixel_count, pair.methods[i].all.pixel_count);
  }
  // One report before the pair, one at the end: the job's item count, the pair's name.
  ASSERT_EQ(progress.size(), 2u);
  EXPECT_EQ(progress.front().stage, RunStage::kPreparing);
  EXPECT_EQ(progress.front().item, 1);
  EXPECT_EQ(progress.front().items, 1);
  EXPECT_EQ(progress.front().item_id, "shifted");
  EXPECT_DOUBLE_EQ(progress.front().fraction, 0.0);
  EXPECT_EQ(progress.back().stage, RunStage::kDone);
  EXPECT_EQ(progress.back().item, progress.back().items);
  EXPECT_DOUBLE_EQ(progress.back().fraction, 1.0);

  const std::string table = formatEvaluationTable(evaluation);
  EXPECT_NE(table.find("MEAN"), std::string::npos);
  EXPECT_NE(table.find("shifted"), std::string::npos);

  const nlohmann::json doc = nlohmann::json::parse(evaluationToJson(evaluation));
  ASSERT_TRUE(doc.contains("pairs"));
  ASSERT_EQ(doc["pairs"].size(), evaluation.pairs.size());
  EXPECT_EQ(doc["pairs"][0]["name"], "shifted");
  EXPECT_EQ(doc["pairs"][0]["width"], width);
  ASSERT_EQ(doc["pairs"][0]["methods"].size(), expected_names.size());
  EXPECT_EQ(doc["pairs"][0]["methods"][0]["method"], expected_names[0]);
  ASSERT_EQ(doc["mean"].size(), expected_names.size());
}

TEST(DatasetEvaluation, TwoPairsAreAveraged) {
  test::TempDir dir;
  writeShiftedPair(dir / "p1", 40, 16, 2, 1);
  writeShiftedPair(dir / "p2", 48, 16, 4, 2);
  EvaluationOptions options;
  options.methods = {evalMethodByName("naive"), evalMethodByName("subpixel-naive")};
  const DatasetEvaluation evaluation =
      evaluateDataset(discoverStereoDataset(dir.path()), options, engine_);
  ASSERT_EQ(evaluation.pairs.size(), 2u);
  ASSERT_EQ(evaluation.mean.size(), 2u);
  EXPECT_EQ(evaluation.mean[0].method, "naive");
  EXPECT_EQ(evaluation.mean[1].method, "subpixel-naive");
  EXPECT_EQ(evaluation.mean[0].all.pixel_count, 40 * 16 + 48 * 16);
  EXPECT_NEAR(evaluation.mean[0].all.mae,
              (evaluation.pairs[0].methods[0].all.mae + evaluation.pairs[1].methods[0].all.mae) / 2,
              1e-12);
  const nlohmann::json doc = nlohmann::json::parse(evaluationToJson(evaluation));
  EXPECT_EQ(doc["pairs"].size(), 2u);
}

TEST(DatasetEvaluation, UnknownMethodNameThrows) {
  EXPECT_THROW(evalMethodByName("magic"), InputError);
  EXPECT_EQ(evalMethodByName("ours").warp, WarpMode::kSubpixel);
  EXPECT_EQ(evalMethodByName("ours").fill, FillMethod::kBackground);
}

// Issue 14 class 7: a pair lacking a file, a corrupt pair and a pair of mismatched sizes are
// reported as skipped (table and JSON) and left out of the means; the good pair is scored.
TEST(DatasetEvaluation, BadPairsAreReportedAsSkippedNotFatal) {
  test::TempDir dir;
  writeShiftedPair(dir / "good", 32, 16, 2);
  writeShiftedPair(dir / "mismatched", 16, 8, 2);
  writeImage(dir / "mismatched" / "right.png", test::makeTestImage(17, 8));
  writeShiftedPair(dir / "no_right", 16, 8, 2);
  fs::remove(dir / "no_right" / "right.png");
  writeShiftedPair(dir / "corrupt", 16, 8, 2);
  test::writeRawFile(dir / "corrupt" / "left.png", "not a png");
  fs::create_directories(dir / "unrelated");  // holds no pair file: not a pair at all
  EvaluationOptions options;
  options.methods = {evalMethodByName("naive")};
  const DatasetEvaluation evaluation =
      evaluateDataset(discoverStereoDataset(dir.path()), options, engine_);
  ASSERT_EQ(evaluation.pairs.size(), 1u);
  EXPECT_EQ(evaluation.pairs[0].name, "good");
  ASSERT_EQ(evaluation.skipped.size(), 3u);
  EXPECT_EQ(evaluation.skipped[0].name, "corrupt");
  EXPECT_EQ(evaluation.skipped[1].name, "mismatched");
  EXPECT_NE(evaluation.skipped[1].reason.find("same size"), std::string::npos)
      << evaluation.skipped[1].reason;
  EXPECT_EQ(evaluation.skipped[2].name, "no_right");
  EXPECT_NE(evaluation.skipped[2].reason.find("lacks right.png"), std::string::npos)
      << evaluation.skipped[2].reason;
  EXPECT_NE(formatEvaluationTable(evaluation).find("skipped no_right: "), std::string::npos);
  const nlohmann::json doc = nlohmann::json::parse(evaluationToJson(evaluation));
  EXPECT_EQ(doc.at("skipped").size(), 3u);
  EXPECT_TRUE(std::isfinite(evaluation.mean.at(0).all.psnr_db));
}

TEST(DatasetEvaluation, StereoDevConesOursBeatsNaive) {
  const fs::path dev = test::stereoDevDir();
  if (dev.empty()) GTEST_SKIP() << "../shared/data/stereo-dev is not present";
  const fs::path cones = dev / "mb2003_cones";
  if (!fs::is_directory(cones)) GTEST_SKIP() << cones << " is not present";
  const std::vector<StereoPairItem> items = discoverStereoDataset(cones);
  ASSERT_EQ(items.size(), 1u);
  EvaluationOptions options;
  options.methods = {evalMethodByName("naive"), evalMethodByName("ours")};
  const DatasetEvaluation evaluation = evaluateDataset(items, options, engine_);
  ASSERT_EQ(evaluation.pairs.size(), 1u);
  const auto& methods = evaluation.pairs[0].methods;
  ASSERT_EQ(methods.size(), 2u);
  EXPECT_GT(methods[1].all.psnr_db, methods[0].all.psnr_db)
      << "ours " << methods[1].all.psnr_db << " dB vs naive " << methods[0].all.psnr_db << " dB";
}

}  // namespace
}  // namespace genstereo

// Batch generation end to end: a small tree with a corrupt item, resume after an interrupted
// item, sharded runs, batch-verify's checks, the geometric consistency in the item JSON, eval
// --consistency, and the CLI's exit codes and messages.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "batch/batch_job.h"
#include "batch/batch_verify.h"
#include "errors.h"
#include "eval/dataset_evaluation.h"
#include "genstereo/engine.h"
#include "io/disparity_io.h"
#include "io/image_io.h"
#include "test_support.h"

namespace genstereo {
namespace {

// The weight-free engine (no models), shared by the tests of this file.
StereoEngine engine_;
namespace fs = std::filesystem;

std::string readText(const fs::path& path) { return test::readTextFile(path); }

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

using test::CliRun;

using test::runCli;

// A 64x48 textured image and its disparity (a 2..5 px ramp with a 9 px block).
void writeItem(const fs::path& image_path, const fs::path& disparity_path, unsigned seed) {
  writeImage(image_path, test::makeTestImage(64, 48, seed));
  cv::Mat disparity(48, 64, CV_32FC1);
  for (int y = 0; y < 48; ++y) {
    for (int x = 0; x < 64; ++x)
      disparity.at<float>(y, x) = 2.0f + 3.0f * static_cast<float>(x) / 63.0f;
  }
  disparity(cv::Rect(30, 15, 16, 16)).setTo(9.0f);
  writeDisparity(disparity_path, makeDisparityMap(disparity));
}

// IN/a.png, IN/b.png, IN/scene/c.png with NAME.disp.pfm sidecars.
class BatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(in() / "scene");
    writeItem(in() / "a.png", in() / "a.disp.pfm", 1);
    writeItem(in() / "b.png", in() / "b.disp.pfm", 2);
    writeItem(in() / "scene" / "c.png", in() / "scene" / "c.disp.pfm", 3);
    options_.out_dir = dir_ / "out";
    options_.input = in().string();
  }
  fs::path in() const { return dir_ / "in"; }
  std::vector<BatchItem> scan() const {
    return scanBatchFolder({in(), std::nullopt, std::nullopt, {}});
  }
  std::map<fs::path, fs::file_time_type> itemFileTimes(const std::string& id) const {
    const BatchItemPaths p = batchItemPaths(options_.out_dir, id);
    std::map<fs::path, fs::file_time_type> times;
    for (const fs::path& file :
         {p.left, p.right, p.disparity_pfm, p.disparity_png, p.occlusion, p.filled, p.meta}) {
      times[file] = fs::last_write_time(file);
    }
    return times;
  }

  test::TempDir dir_;
  BatchOptions options_;
};

TEST_F(BatchTest, CorruptItemIsLoggedAndTheBatchGoesOn) {
  test::writeRawFile(in() / "broken.png", "this is not a PNG file");
  writeDisparity(in() / "broken.disp.pfm",
                 makeDisparityMap(cv::Mat(48, 64, CV_32FC1, cv::Scalar(3.0))));
  const fs::path out = dir_ / "cli-out";
  const CliRun run = runCli(
      {"batch", in().string(), "-o", out.string(), "--json", (dir_ / "summary.json").string()});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_TRUE(contains(run.out, "3 done")) << run.out;
  EXPECT_TRUE(contains(run.out, "1 failed")) << run.out;
  EXPECT_TRUE(contains(run.out, "broken:")) << run.out;
  EXPECT_TRUE(contains(run.out, "per item: mean")) << run.out;
  EXPECT_TRUE(contains(run.err, "[4/4]")) << run.err;
  EXPECT_TRUE(contains(run.err, "items/s, ETA")) << run.err;
  EXPECT_TRUE(contains(run.err, "broken FAILED")) << run.err;
  const nlohmann::json summary = nlohmann::json::parse(readText(dir_ / "summary.json"));
  EXPECT_EQ(summary["done"], 3);
  EXPECT_EQ(summary["failed"], 1);
  ASSERT_EQ(summary["failures"].size(), 1u);
  EXPECT_EQ(summary["failures"][0]["id"], "broken");
  for (const char* id : {"a", "b", "scene__c"}) {
    const BatchItemPaths p = batchItemPaths(out, id);
    EXPECT_TRUE(fs::exists(p.meta)) << id;
    const cv::Mat right = readImage(p.right);
    EXPECT_EQ(right.cols, 64);
    EXPECT_EQ(right.rows, 48);
    const DisparityMap pfm = readDisparity(p.disparity_pfm);
    const DisparityMap png = readDisparity(p.disparity_png);
    EXPECT_NEAR(pfm.values.at<float>(20, 35), 9.0f, 1e-4);
    EXPECT_NEAR(png.values.at<float>(20, 35), 9.0f, 1.0 / 256.0);
  }
  EXPECT_FALSE(fs::exists(batchItemPaths(out, "broken").meta));
  const CliRun verify = runCli({"batch-verify", out.string()});
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_TRUE(contains(verify.out, "3 of 4 items complete")) << verify.out;
  EXPECT_TRUE(contains(verify.out, "broken")) << verify.out;
}

TEST_F(BatchTest, ResumeRecomputesOnlyTheInterruptedItem) {
  const std::vector<BatchItem> items = scan();
  const BatchSummary first = runBatch(items, options_, engine_);
  ASSERT_EQ(first.done, 3);
  const auto times_a = itemFileTimes("a");
  const auto times_c = itemFileTimes("scene__c");
  // A run killed while writing item b: its meta JSON is not there yet and a temporary is left.
  const BatchItemPaths b = batchItemPaths(options_.out_dir, "b");
  fs::remove(b.meta);
  test::writeRawFile(options_.out_dir / "right" / ".b.genstereo-tmp-999-7.png", "half");
  EXPECT_FALSE(verifyBatchOutput({options_.out_dir, 1}).ok());

  const BatchSummary second = runBatch(items, options_, engine_);
  EXPECT_EQ(second.done, 1);
  EXPECT_EQ(second.skipped, 2);
  EXPECT_EQ(second.failed, 0);
  for (const ItemOutcome& item : second.items) {
    EXPECT_EQ(item.status, item.id == "b" ? ItemStatus::kDone : ItemStatus::kSkipped) << item.id;
  }
  EXPECT_EQ(itemFileTimes("a"), times_a);
  EXPECT_EQ(itemFileTimes("scene__c"), times_c);
  EXPECT_TRUE(fs::exists(b.meta));
  EXPECT_FALSE(fs::exists(options_.out_dir / "right" / ".b.genstereo-tmp-999-7.png"));
  const BatchVerifyReport report = verifyBatchOutput({options_.out_dir, 1});
  EXPECT_TRUE(report.ok()) << formatBatchVerifyReport(report);
  EXPECT_EQ(report.complete_items, 3);

  // A changed input is recomputed, the others stay skipped.
  writeItem(in() / "a.png", in() / "a.disp.pfm", 11);
  const BatchSummary third = runBatch(scan(), options_, engine_);
  EXPECT_EQ(third.done, 1);
  EXPECT_EQ(third.skipped, 2);
}

// runBatch reports through the engine's RunProgress: one report per item (stage kDone, item of
// items, the item's id, the job's fraction) with the item's outcome; the run's CancelToken
// cancels it between items.
TEST_F(BatchTest, ProgressIsTheEnginesRunProgressAndTheRunsTokenCancels) {
  std::vector<RunProgress> reports;
  std::vector<std::string> outcome_ids;
  const BatchSummary summary =
      runBatch(scan(), options_, engine_, [&](const RunProgress& p, const ItemOutcome& outcome) {
        reports.push_back(p);
        outcome_ids.push_back(outcome.id);
      });
  ASSERT_EQ(summary.done, 3);
  ASSERT_EQ(reports.size(), 3u);
  for (std::size_t i = 0; i < reports.size(); ++i) {
    EXPECT_EQ(reports[i].stage, RunStage::kDone) << i;
    EXPECT_EQ(reports[i].item, static_cast<int>(i + 1));
    EXPECT_EQ(reports[i].items, 3);
    EXPECT_EQ(reports[i].item_id, summary.items[i].id);
    EXPECT_EQ(outcome_ids[i], summary.items[i].id);
    EXPECT_DOUBLE_EQ(reports[i].fraction, static_cast<double>(i + 1) / 3.0);
  }
  EXPECT_GT(reports.back().items_per_second, 0.0);
  EXPECT_DOUBLE_EQ(reports.back().eta_s, 0.0);

  // Cancelled after the first item: CancelledError before the second.
  BatchOptions cancelled = options_;
  cancelled.out_dir = dir_ / "cancelled";
  int calls = 0;
  EXPECT_THROW(runBatch(scan(), cancelled, engine_,
                        [&](const RunProgress&, const ItemOutcome&) {
                          ++calls;
                          cancelled.params.run.cancel.cancel();
                        }),
               CancelledError);
  EXPECT_EQ(calls, 1);
}

// Issue 14, class 8: a run killed while writing batch.json or a shard summary leaves a
// temporary; batch-verify tolerates it (a note) and the next run removes it.
TEST_F(BatchTest, StaleBatchTemporariesAreToleratedAndSweptOnResume) {
  runBatch(scan(), options_, engine_);
  const fs::path batch_temp = options_.out_dir / ".batch.genstereo-tmp-999999999-0.json";
  const fs::path shard_temp =
      options_.out_dir / "shards" / ".shard-0-of-1.genstereo-tmp-999999999-1.json";
  for (const fs::path& temp : {batch_temp, shard_temp}) {
    test::writeRawFile(temp, "{\"items\": [");
    fs::last_write_time(temp, fs::file_time_type::clock::now() - std::chrono::hours(1));
  }
  const BatchVerifyReport before = verifyBatchOutput({options_.out_dir, 1});
  EXPECT_TRUE(before.ok()) << formatBatchVerifyReport(before);
  EXPECT_EQ(before.notes.size(), 2u) << formatBatchVerifyReport(before);
  runBatch(scan(), options_, engine_);
  EXPECT_FALSE(fs::exists(batch_temp));
  EXPECT_FALSE(fs::exists(shard_temp));
  EXPECT_TRUE(verifyBatchOutput({options_.out_dir, 1}).notes.empty());
}

// Issue 14, class 14: corruption that keeps the size is caught by the recorded SHA-256; an
// older dataset without hashes still verifies, by size, with a note.
TEST_F(BatchTest, VerifyChecksContentHashes) {
  runBatch(scan(), options_, engine_);
  const BatchItemPaths a = batchItemPaths(options_.out_dir, "a");
  const nlohmann::json meta = nlohmann::json::parse(std::ifstream(a.meta));
  EXPECT_EQ(meta.at("outputs").at("right").at("sha256").get<std::string>().size(), 64u);
  std::fstream file(a.right, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(-20, std::ios::end);
  file.put('\x55');
  file.close();
  BatchVerifyReport report = verifyBatchOutput({options_.out_dir, 1});
  EXPECT_FALSE(report.ok());
  ASSERT_EQ(report.problems.size(), 1u) << formatBatchVerifyReport(report);
  EXPECT_TRUE(contains(report.problems[0], "corrupt or modified")) << report.problems[0];

  // Hashes removed from every meta JSON (a dataset written before they were recorded).
  writeItem(in() / "a.png", in() / "a.disp.pfm", 1);
  runBatch(scan(), options_, engine_);
  for (const char* id : {"a", "b", "scene__c"}) {
    const fs::path path = batchItemPaths(options_.out_dir, id).meta;
    nlohmann::json doc = nlohmann::json::parse(std::ifstream(path));
    for (auto& [name, output] : doc.at("outputs").items()) output.erase("sha256");
    std::ofstream(path) << doc.dump(2);
  }
  report = verifyBatchOutput({options_.out_dir, 1});
  EXPECT_TRUE(report.ok()) << formatBatchVerifyReport(report);
  ASSERT_EQ(report.notes.size(), 1u);
  EXPECT_TRUE(contains(report.notes[0], "checked by size only")) << report.notes[0];
}

TEST_F(BatchTest, AnotherBatchInTheSameFolderIsRefused) {
  runBatch(scan(), options_, engine_);
  BatchOptions other = options_;
  other.params.run.synthesis.shaping.baseline_scale = 2.0;
  try {
    runBatch(scan(), other, engine_);
    FAIL() << "different parameters accepted";
  } catch (const InputError& e) {
    EXPECT_TRUE(contains(e.what(), "the parameters differ")) << e.what();
  }
}

// batch.json of an earlier version named the fill kNone "warp-only" (now its --fill name
// "none"): resuming such a batch with --fill none is the same batch.
TEST_F(BatchTest, ABatchWrittenWithTheOldWarpOnlyFillNameResumes) {
  options_.params.run.synthesis.fill = FillMethod::kNone;
  runBatch(scan(), options_, engine_);
  const fs::path path = options_.out_dir / "batch.json";
  nlohmann::json doc = nlohmann::json::parse(readText(path));
  ASSERT_EQ(doc["engine"]["fill"], "none");
  doc["engine"]["fill"] = "warp-only";
  std::ofstream(path) << doc.dump(2);
  EXPECT_NO_THROW(runBatch(scan(), options_, engine_));
  BatchOptions other = options_;
  other.params.run.synthesis.fill = FillMethod::kBackground;
  EXPECT_THROW(runBatch(scan(), other, engine_), InputError);
}

TEST_F(BatchTest, ShardedRunsCoverTheBatchAndVerify) {
  const std::vector<BatchItem> items = scan();
  int processed = 0;
  for (int index = 0; index < 3; ++index) {
    BatchOptions shard = options_;
    shard.shard = {index, 3};
    const BatchSummary summary = runBatch(items, shard, engine_);
    EXPECT_EQ(summary.batch_items, 3);
    EXPECT_EQ(summary.failed, 0);
    processed += summary.done;
    if (index == 1) {
      const BatchVerifyReport partial = verifyBatchOutput({options_.out_dir, 3});
      EXPECT_FALSE(partial.ok());
      bool names_missing_shard = false;
      for (const std::string& p : partial.problems)
        names_missing_shard |= contains(p, "shard 2/3 has not finished");
      EXPECT_TRUE(names_missing_shard) << formatBatchVerifyReport(partial);
    }
  }
  EXPECT_EQ(processed, 3);
  const BatchVerifyReport report = verifyBatchOutput({options_.out_dir, 3});
  EXPECT_TRUE(report.ok()) << formatBatchVerifyReport(report);
  EXPECT_FALSE(verifyBatchOutput({options_.out_dir, 2}).ok());
}

TEST_F(BatchTest, VerifyDetectsMissingFilesOrphansAndWrongSizes) {
  runBatch(scan(), options_, engine_);
  ASSERT_TRUE(verifyBatchOutput({options_.out_dir, 1}).ok());
  const BatchItemPaths a = batchItemPaths(options_.out_dir, "a");
  const BatchItemPaths b = batchItemPaths(options_.out_dir, "b");
  fs::remove(a.meta);
  fs::remove(b.occlusion);
  test::writeRawFile(options_.out_dir / "disparity" / ".scene__c.genstereo-tmp-12-0.pfm", "x");
  writeImage(options_.out_dir / "left" / "stranger.png", test::makeTestImage(8, 8));
  const BatchVerifyReport report = verifyBatchOutput({options_.out_dir, std::nullopt});
  EXPECT_FALSE(report.ok());
  ASSERT_EQ(report.missing_items.size(), 1u);
  EXPECT_EQ(report.missing_items[0], "a");
  EXPECT_EQ(report.complete_items, 1);
  const std::string text = formatBatchVerifyReport(report);
  EXPECT_TRUE(contains(text, "occlusion file")) << text;
  EXPECT_TRUE(contains(text, "temporary file")) << text;
  EXPECT_TRUE(contains(text, "stranger.png' belongs to no item")) << text;
  EXPECT_THROW(verifyBatchOutput({dir_ / "nothing", std::nullopt}), InputError);
}

TEST_F(BatchTest, ConsistencyAndParametersInTheItemJson) {
  options_.params.check_consistency = true;
  options_.params.run.diffusion.seed = 42;
  const BatchSummary summary = runBatch(scan(), options_, engine_);
  ASSERT_EQ(summary.done, 3);
  ASSERT_TRUE(summary.mean_consistency.has_value());
  EXPECT_TRUE(contains(formatBatchSummary(summary), "EPE"));
  const nlohmann::json meta =
      nlohmann::json::parse(readText(batchItemPaths(options_.out_dir, "a").meta));
  EXPECT_EQ(meta["engine"]["name"], "weight-free");
  EXPECT_EQ(meta["params"]["seed"], 42);
  EXPECT_EQ(meta["params"]["baseline_scale"], 1.0);
  EXPECT_EQ(meta["width"], 64);
  EXPECT_TRUE(meta["inputs"]["image"]["bytes"].get<int>() > 0);
  ASSERT_TRUE(meta.contains("consistency"));
  EXPECT_TRUE(meta["consistency"]["epe_px"].is_number());
  EXPECT_GT(meta["consistency"]["pixels"].get<int>(), 0);
}

TEST_F(BatchTest, DepthItemsAndItemsWithoutMapsFailClearly) {
  writeImage(in() / "d.png", test::makeTestImage(64, 48, 4));
  cv::Mat depth(48, 64, CV_32FC1);
  cv::randu(depth, 1.0, 5.0);
  writeDisparity(in() / "d_depth.pfm", makeDisparityMap(depth));
  writeImage(in() / "lonely.png", test::makeTestImage(64, 48, 6));
  const BatchSummary summary = runBatch(scan(), options_, engine_);
  EXPECT_EQ(summary.done, 4);
  ASSERT_EQ(summary.failed, 1);
  for (const ItemOutcome& item : summary.items) {
    if (item.status == ItemStatus::kFailed) {
      EXPECT_EQ(item.id, "lonely");
      EXPECT_TRUE(contains(item.error, "lonely.disp.{pfm,png,tif,tiff,npy}")) << item.error;
    }
  }
}

TEST(BatchCli, ManifestErrorIsOneLineWithTheLineNumber) {
  test::TempDir dir;
  writeItem(dir / "a.png", dir / "a.pfm", 1);
  test::writeRawFile(dir / "list.csv", "image,disparity\na.png,a.pfm\nb.png,b.pfm\n");
  const CliRun run = runCli({"batch", (dir / "list.csv").string(), "-o", (dir / "out").string()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.err, "list.csv line 3: image 'b.png' does not exist")) << run.err;
  EXPECT_FALSE(fs::exists(dir / "out"));

  test::writeRawFile(dir / "good.jsonl",
                     "{\"image\": \"a.png\", \"disparity\": \"a.pfm\", \"id\": \"first\"}\n");
  const CliRun good = runCli({"batch", (dir / "good.jsonl").string(), "-o", (dir / "out").string(),
                              "-q", "--shard", "0/1", "--seed", "7", "--baseline-scale", "1.5"});
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_TRUE(fs::exists(dir / "out" / "meta" / "first.json"));
  EXPECT_EQ(runCli({"batch-verify", (dir / "out").string(), "--shards", "1"}).exit_code, 0);
}

TEST(BatchCli, HelpAndUsageErrors) {
  const CliRun help = runCli({"batch", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* part :
       {"--shard", "--consistency", "disparity_png/ID.png", "--disparity-dir", "manifest"}) {
    EXPECT_TRUE(contains(help.out, part)) << part;
  }
  EXPECT_EQ(runCli({"help", "batch-verify"}).exit_code, 0);
  EXPECT_TRUE(contains(runCli({"--help"}).out, "batch-verify"));
  EXPECT_EQ(runCli({"batch", "x", "-o", "y", "--shard", "3/3"}).exit_code, 2);
  EXPECT_EQ(runCli({"batch", "x"}).exit_code, 2);
  EXPECT_EQ(runCli({"batch-verify"}).exit_code, 2);
}

TEST(EvalConsistency, GeneratedPairEncodesTheGroundTruth) {
  test::TempDir dir;
  const fs::path pair = dir / "p";
  fs::create_directories(pair);
  cv::Mat wide(60, 126, CV_32FC3);
  cv::RNG rng(3);
  rng.fill(wide, cv::RNG::UNIFORM, 0.0, 1.0);
  cv::GaussianBlur(wide, wide, cv::Size(0, 0), 1.0);
  cv::normalize(wide, wide, 0.0, 1.0, cv::NORM_MINMAX);
  writeImage(pair / "left.png", wide(cv::Rect(0, 0, 120, 60)).clone());
  writeImage(pair / "right.png", wide(cv::Rect(6, 0, 120, 60)).clone());
  writeDisparity(pair / "disp_left.pfm",
                 makeDisparityMap(cv::Mat(60, 120, CV_32FC1, cv::Scalar(6.0))));
  EvaluationOptions options;
  options.methods = {evalMethodByName("ours")};
  options.check_consistency = true;
  const DatasetEvaluation evaluation =
      evaluateDataset(discoverStereoDataset(dir.path()), options, engine_);
  ASSERT_EQ(evaluation.pairs.size(), 1u);
  ASSERT_TRUE(evaluation.pairs[0].methods[0].consistency.has_value());
  EXPECT_LT(evaluation.pairs[0].methods[0].consistency->epe_px, 0.5);
  EXPECT_LT(evaluation.pairs[0].methods[0].consistency->d1, 0.05);
  ASSERT_TRUE(evaluation.mean[0].consistency.has_value());
  EXPECT_TRUE(contains(formatEvaluationTable(evaluation), "EPE-px"));
  EXPECT_TRUE(contains(evaluationToJson(evaluation), "\"epe_px\""));
  options.check_consistency = false;
  EXPECT_FALSE(contains(
      formatEvaluationTable(evaluateDataset(discoverStereoDataset(dir.path()), options, engine_)),
      "EPE"));
}

}  // namespace
}  // namespace genstereo

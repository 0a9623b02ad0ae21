// Issue 24 (hardening round 3), writers and outputs: --json never renamed over a device, FIFO,
// link or a file of the run; outputs never over inputs; the batch.json lock and batch-verify's
// parameter check; eval's exit code with skipped pairs; hostile meta.json files; seeds out of
// range; names that are not UTF-8; unreadable sub-folders; NUL in JSON Lines paths; disparities
// far beyond the width; --save-views naming a file.
#include <gtest/gtest.h>

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <functional>
#include <future>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "batch/batch_inputs.h"
#include "batch/batch_job.h"
#include "batch/batch_verify.h"
#include "engine/map_file.h"
#include "errors.h"
#include "eval/dataset_evaluation.h"
#include "eval/stereo_dataset.h"
#include "genstereo/engine.h"
#include "io/disparity_io.h"
#include "io/image_io.h"
#include "io/json_text.h"
#include "io/map_discovery.h"
#include "pipeline/generate_job.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;
using test::CliRun;
using test::runCli;

StereoEngine engine_;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A 48x32 photo and a constant disparity of `d` px.
void writePhotoAndDisparity(const fs::path& image, const fs::path& disparity, float d = 3.0f,
                            unsigned seed = 1) {
  fs::create_directories(image.parent_path());
  writeImage(image, test::makeTestImage(48, 32, seed));
  writeDisparity(disparity, makeDisparityMap(cv::Mat(32, 48, CV_32FC1, cv::Scalar(d))));
}

// left.png, right.png, disp_left.pfm of an eval pair.
void writePair(const fs::path& folder, unsigned seed = 1, float d = 2.0f) {
  fs::create_directories(folder);
  const cv::Mat left = test::makeTestImage(32, 16, seed);
  writeImage(folder / "left.png", left);
  writeImage(folder / "right.png", test::makeTestImage(32, 16, seed + 1));
  writeDisparity(folder / "disp_left.pfm",
                 makeDisparityMap(cv::Mat(16, 32, CV_32FC1, cv::Scalar(d))));
}

// Runs `body` in a child process as user nobody (root reads every folder); returns its exit
// code, or -1 when the child could not drop its privileges.
int runAsNobody(const std::function<int()>& body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::getuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(99);
    ::_exit(body());
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) == 99) return -1;
  return WEXITSTATUS(status);
}

// --- item 1: --json of batch, batch-verify and eval -------------------------------------------

TEST(JsonDestination, BatchRefusesFifosLinksInputsAndItsOwnFiles) {
  test::TempDir dir;
  writePhotoAndDisparity(dir / "in" / "a.png", dir / "in" / "a.disp.pfm");
  ASSERT_EQ(::mkfifo((dir / "fifo.json").c_str(), 0644), 0);
  fs::create_symlink(dir / "elsewhere.json", dir / "link.json");
  const std::string photo_before = test::readTextFile(dir / "in" / "a.png");
  const fs::path out = dir / "out";
  for (const fs::path& json :
       {dir / "fifo.json", dir / "link.json", dir / "in" / "a.png", dir / "in" / "a.disp.pfm",
        out / "batch.json", out / "left" / "a.png", out / "meta" / "a.json"}) {
    const CliRun run =
        runCli({"batch", (dir / "in").string(), "-o", out.string(), "--json", json.string(), "-q"});
    EXPECT_EQ(run.exit_code, 1) << json << ": " << run.err;
    EXPECT_TRUE(contains(run.err, json.filename().string())) << run.err;
  }
  EXPECT_TRUE(fs::is_fifo(dir / "fifo.json"));
  EXPECT_TRUE(fs::is_symlink(dir / "link.json"));
  EXPECT_FALSE(fs::exists(dir / "elsewhere.json"));
  EXPECT_EQ(test::readTextFile(dir / "in" / "a.png"), photo_before);
  EXPECT_FALSE(fs::exists(out / "batch.json"));  // refused before any work

  // '-': the JSON alone on standard output, the text summary on stderr.
  const CliRun run =
      runCli({"batch", (dir / "in").string(), "-o", out.string(), "--json", "-", "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json summary = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(summary.is_discarded()) << run.out;
  EXPECT_EQ(summary["done"], 1);
  EXPECT_TRUE(contains(run.err, "1 done")) << run.err;
  EXPECT_FALSE(fs::exists(dir / "-"));

  // batch-verify: not into the batch's own files, not over a FIFO; '-' works.
  for (const fs::path& json : {out / "batch.json", out / "shards" / "x.json", dir / "fifo.json"}) {
    const CliRun verify = runCli({"batch-verify", out.string(), "--json", json.string()});
    EXPECT_EQ(verify.exit_code, 1) << json << ": " << verify.err;
  }
  EXPECT_TRUE(fs::is_fifo(dir / "fifo.json"));
  EXPECT_FALSE(fs::exists(out / "shards" / "x.json"));
  const CliRun verify = runCli({"batch-verify", out.string(), "--json", "-"});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_EQ(nlohmann::json::parse(verify.out, nullptr, false).value("ok", false), true)
      << verify.out;
}

TEST(JsonDestination, EvalRefusesFifosAndDatasetFilesAndWritesToStdout) {
  test::TempDir dir;
  writePair(dir / "data" / "p");
  ASSERT_EQ(::mkfifo((dir / "fifo.json").c_str(), 0644), 0);
  const std::string left_before = test::readTextFile(dir / "data" / "p" / "left.png");
  for (const fs::path& json :
       {dir / "fifo.json", dir / "data" / "p" / "left.png", dir / "data" / "p" / "disp_left.pfm"}) {
    const CliRun run = runCli(
        {"eval", (dir / "data").string(), "--methods", "naive", "--json", json.string(), "-q"});
    EXPECT_EQ(run.exit_code, 1) << json << ": " << run.err;
    EXPECT_TRUE(run.out.empty()) << "refused before the evaluation: " << run.out;
  }
  EXPECT_TRUE(fs::is_fifo(dir / "fifo.json"));
  EXPECT_EQ(test::readTextFile(dir / "data" / "p" / "left.png"), left_before);
  const CliRun run =
      runCli({"eval", (dir / "data").string(), "--methods", "naive", "--json", "-", "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json doc = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << run.out;
  EXPECT_EQ(doc["pairs"].size(), 1u);
  EXPECT_TRUE(contains(run.err, "MEAN")) << run.err;
}

// --- item 2: outputs never over inputs ----------------------------------------------------------

TEST(OutputsOverInputs, GenerateRefusesToWriteOverTheMapItRead) {
  test::TempDir dir;
  writeImage(dir / "p.png", test::makeTestImage(48, 32, 1));
  cv::Mat depth(32, 48, CV_32FC1);
  for (int x = 0; x < 48; ++x) depth.col(x).setTo(static_cast<float>(x));
  writeDisparity(dir / "p_depth.png", makeDisparityMap(depth));  // discovered as the depth map
  const std::string depth_before = test::readTextFile(dir / "p_depth.png");
  const CliRun run = runCli(
      {"generate", (dir / "p.png").string(), "--export-depth", "-o", dir.path().string(), "-q"});
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_TRUE(contains(run.err, "p_depth.png")) << run.err;
  EXPECT_EQ(test::readTextFile(dir / "p_depth.png"), depth_before);

  // An intermediate fed back in, -o the same folder.
  writeDisparity(dir / "p_right_disparity.pfm",
                 makeDisparityMap(cv::Mat(32, 48, CV_32FC1, cv::Scalar(2.0f))));
  const std::string disparity_before = test::readTextFile(dir / "p_right_disparity.pfm");
  const CliRun again =
      runCli({"generate", (dir / "p.png").string(), "--disparity",
              (dir / "p_right_disparity.pfm").string(), "-o", dir.path().string(), "-q"});
  EXPECT_EQ(again.exit_code, 1) << again.out;
  EXPECT_TRUE(contains(again.err, "p_right_disparity.pfm")) << again.err;
  EXPECT_EQ(test::readTextFile(dir / "p_right_disparity.pfm"), disparity_before);
  EXPECT_FALSE(fs::exists(dir / "p_right.png"));
}

// --- item 4: batch.json under a lock; batch-verify compares parameters ------------------------

TEST(BatchLock, ASecondBatchWaitsForTheLockAndIsRefused) {
  test::TempDir dir;
  writePhotoAndDisparity(dir / "in" / "a.png", dir / "in" / "a.disp.pfm");
  const std::vector<BatchItem> items =
      scanBatchFolder({dir / "in", std::nullopt, std::nullopt, {}});
  BatchOptions first;
  first.out_dir = dir / "out";
  first.input = (dir / "in").string();
  BatchOptions second = first;
  second.params.run.synthesis.shaping.baseline_scale = 2.0;
  // The batch.json the first batch writes (made in a folder of its own).
  BatchOptions reference = first;
  reference.out_dir = dir / "reference";
  runBatch(items, reference, engine_);
  fs::create_directories(first.out_dir);
  // The first batch holds the lock while it checks and writes batch.json.
  const int fd = ::open((first.out_dir / ".genstereo-batch.lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  StereoEngine engine;
  auto racing = std::async(std::launch::async, [&] { return runBatch(items, second, engine); });
  // Without the lock the racing batch writes its batch.json now and goes on.
  racing.wait_for(std::chrono::milliseconds(500));
  fs::copy_file(reference.out_dir / "batch.json", first.out_dir / "batch.json",
                fs::copy_options::overwrite_existing);
  ::close(fd);
  EXPECT_THROW(racing.get(), InputError);
  runBatch(items, first, engine_);
  const nlohmann::json batch =
      nlohmann::json::parse(test::readTextFile(first.out_dir / "batch.json"));
  EXPECT_EQ(batch["params"]["baseline_scale"], 1.0);
  EXPECT_TRUE(verifyBatchOutput({first.out_dir, 1}).ok());
}

TEST(BatchLock, VerifyRefusesItemsMadeWithOtherParameters) {
  test::TempDir dir;
  writePhotoAndDisparity(dir / "in" / "a.png", dir / "in" / "a.disp.pfm", 3.0f, 1);
  writePhotoAndDisparity(dir / "in" / "b.png", dir / "in" / "b.disp.pfm", 3.0f, 2);
  const std::vector<BatchItem> items =
      scanBatchFolder({dir / "in", std::nullopt, std::nullopt, {}});
  BatchOptions options;
  options.out_dir = dir / "out";
  options.input = (dir / "in").string();
  runBatch(items, options, engine_);
  ASSERT_TRUE(verifyBatchOutput({options.out_dir, 1}).ok());
  // Item b as a racing shard with baseline 2 would have written it.
  const fs::path meta_path = batchItemPaths(options.out_dir, "b").meta;
  nlohmann::json meta = nlohmann::json::parse(test::readTextFile(meta_path));
  meta["params"]["baseline_scale"] = 2.0;
  test::writeRawFile(meta_path, meta.dump(2));
  const BatchVerifyReport report = verifyBatchOutput({options.out_dir, 1});
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.complete_items, 1);
  EXPECT_TRUE(contains(formatBatchVerifyReport(report), "params.baseline_scale"))
      << formatBatchVerifyReport(report);
}

// --- item 5: eval's exit code ------------------------------------------------------------------

TEST(EvalExitCode, SkippedPairsFailUnlessAllowedAndNothingEvaluatedAlwaysFails) {
  test::TempDir dir;
  writePair(dir / "data" / "good");
  fs::create_directories(dir / "data" / "broken");
  writeImage(dir / "data" / "broken" / "left.png",
             test::makeTestImage(32, 16, 5));  // no right view
  const std::string data = (dir / "data").string();
  const CliRun strict = runCli({"eval", data, "--methods", "naive", "-q"});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_TRUE(contains(strict.err, "--allow-skipped")) << strict.err;
  EXPECT_TRUE(contains(strict.out, "skipped broken")) << strict.out;
  const CliRun allowed = runCli({"eval", data, "--methods", "naive", "--allow-skipped", "-q"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  fs::remove_all(dir / "data" / "good");
  const CliRun none = runCli({"eval", data, "--methods", "naive", "--allow-skipped", "-q"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_TRUE(contains(none.err, "no pair")) << none.err;
}

// --- item 6: hostile meta.json -------------------------------------------------------------------

TEST(MetaJson, HostileFilesAreRefusedLikeOtherInvalidOnes) {
  test::TempDir dir;
  const fs::path meta = dir / "meta.json";
  const auto expectRefused = [&](const std::string& what) {
    try {
      readPngDivisor(dir.path());
      ADD_FAILURE() << what << ": accepted";
    } catch (const InputError& e) {
      EXPECT_TRUE(contains(e.what(), "meta.json")) << what << ": " << e.what();
    }
  };
  ASSERT_EQ(::mkfifo(meta.c_str(), 0644), 0);  // read without blocking: refused, no hang
  expectRefused("FIFO");
  fs::remove(meta);
  fs::create_directory(meta);
  expectRefused("folder");
  fs::remove(meta);
  fs::create_symlink("/dev/zero", meta);
  expectRefused("device");
  fs::remove(meta);
  for (const std::string& text :
       {std::string("[1, 2]"), std::string("\"text\""),
        std::string(1000000, '[') + std::string(1000000, ']'),
        std::string(500000, '[') + std::string(500000, ']'),
        std::string(100, '[') + std::string(100, ']'),
        std::string(R"({"disparity_encoding": {"scale_divisor": 4, "scale_divisor": 256}})"),
        std::string(R"({"disparity_encoding": {"scale_divisor": 1e300}})"),
        std::string(R"({"disparity_encoding": {"scale_divisor": 1e-300}})"),
        std::string(R"({"disparity_encoding": {"scale_divisor": 2e6}})"),
        std::string(R"({"disparity_encoding": 4})")}) {
    test::writeRawFile(meta, text);
    expectRefused(text.substr(0, 60));
  }
  test::writeRawFile(
      meta, R"({"disparity_encoding": {"scale_divisor": 256}, "other": [{"a": 1}, {"a": 2}]})");
  EXPECT_EQ(readPngDivisor(dir.path()), 256.0);
  test::writeRawFile(meta, R"({"disparity_encoding": {"scale_divisor": 1e-6}})");
  EXPECT_EQ(readPngDivisor(dir.path()), 1e-6);
  test::writeRawFile(meta, R"({"name": "no encoding"})");
  EXPECT_FALSE(readPngDivisor(dir.path()).has_value());

  // generate does not fall back to divisor 1 with a FIFO beside an 8-bit PNG map.
  fs::remove(meta);
  ASSERT_EQ(::mkfifo(meta.c_str(), 0644), 0);
  writeImage(dir / "p.png", test::makeTestImage(48, 32, 1));
  cv::Mat map8(32, 48, CV_8UC1, cv::Scalar(8));
  ASSERT_TRUE(cv::imwrite((dir / "p_disp.png").string(), map8));
  const CliRun run =
      runCli({"generate", (dir / "p.png").string(), "-o", (dir / "o").string(), "-q"});
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_TRUE(contains(run.err, "meta.json")) << run.err;
}

// --- item 14: seeds -----------------------------------------------------------------------------

TEST(SeedOption, NegativeAndTooLargeSeedsAreRefused) {
  test::TempDir dir;
  writePhotoAndDisparity(dir / "p.png", dir / "p.pfm");
  for (const std::string seed :
       {"-1", "18446744073709551616", "99999999999999999999999", "1e3", "0x10"}) {
    const CliRun run =
        runCli({"generate", (dir / "p.png").string(), "--disparity", (dir / "p.pfm").string(),
                "--seed", seed, "-o", (dir / "o").string(), "-q"});
    EXPECT_EQ(run.exit_code, 2) << "seed '" << seed << "': " << run.err;
    EXPECT_TRUE(contains(run.err, "--seed")) << run.err;
  }
  EXPECT_FALSE(fs::exists(dir / "o"));
  const CliRun largest =
      runCli({"generate", (dir / "p.png").string(), "--disparity", (dir / "p.pfm").string(),
              "--seed", "18446744073709551615", "-o", (dir / "o").string(), "-q"});
  EXPECT_EQ(largest.exit_code, 0) << largest.err;
}

// --- item 15: names that are not UTF-8, unreadable folders, NUL in JSON Lines ------------------

TEST(Utf8Names, BatchAndEvalJsonEscapeBytesThatAreNotUtf8) {
  EXPECT_EQ(validUtf8("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(validUtf8("caf\xE9.png"), "caf\\xE9.png");
  EXPECT_EQ(validUtf8("\xED\xA0\x80"), "\\xED\\xA0\\x80");  // a surrogate is not UTF-8
  test::TempDir dir;
  writePhotoAndDisparity(dir / "in" / "caf\xE9.png", dir / "in" / "caf\xE9.disp.pfm");
  writePhotoAndDisparity(dir / "in" / "plain.png", dir / "in" / "plain.disp.pfm");
  const CliRun run = runCli({"batch", (dir / "in").string(), "-o", (dir / "out").string(), "--json",
                             (dir / "summary.json").string(), "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json batch =
      nlohmann::json::parse(test::readTextFile(dir / "out" / "batch.json"));
  EXPECT_TRUE(contains(batch.dump(), "caf\\\\xE9")) << batch.dump();
  EXPECT_EQ(nlohmann::json::parse(test::readTextFile(dir / "summary.json"))["done"], 2);
  EXPECT_TRUE(verifyBatchOutput({dir / "out", 1}).ok());
  // A resumed run finds both items complete (the escaped names compare equal).
  const CliRun again = runCli({"batch", (dir / "in").string(), "-o", (dir / "out").string(), "-q"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "2 skipped")) << again.out;

  writePair(dir / "data" / "pair\xFF");
  const CliRun eval = runCli({"eval", (dir / "data").string(), "--methods", "naive", "--json",
                              (dir / "eval.json").string(), "-q"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const nlohmann::json doc = nlohmann::json::parse(test::readTextFile(dir / "eval.json"));
  EXPECT_EQ(doc["pairs"][0]["name"], "pair\\xFF");
}

TEST(UnreadableFolders, AreReportedNotSkippedSilently) {
  test::TempDir dir;
  fs::permissions(dir.path(), fs::perms::all);
  writePhotoAndDisparity(dir / "in" / "a.png", dir / "in" / "a.disp.pfm");
  writePhotoAndDisparity(dir / "in" / "locked" / "b.png", dir / "in" / "locked" / "b.disp.pfm");
  writePair(dir / "data" / "good");
  writePair(dir / "data" / "locked");
  for (const fs::path& folder : {dir / "in", dir / "data", dir / "data" / "good"}) {
    fs::permissions(folder, fs::perms::all);
    for (const auto& entry : fs::recursive_directory_iterator(folder))
      fs::permissions(entry.path(), fs::perms::all);
  }
  fs::permissions(dir / "in" / "locked", fs::perms::none);
  fs::permissions(dir / "data" / "locked", fs::perms::none);
  const int code = runAsNobody([&] {
    std::vector<std::string> unreadable;
    FolderScanOptions scan;
    scan.root = dir / "in";
    scan.unreadable_folders = &unreadable;
    const std::vector<BatchItem> items = scanBatchFolder(scan);
    if (items.size() != 1 || unreadable.size() != 1 || !contains(unreadable[0], "locked")) return 1;
    scan.unreadable_folders = nullptr;
    try {
      scanBatchFolder(scan);
      return 2;
    } catch (const InputError& e) {
      if (!contains(e.what(), "locked")) return 3;
    }
    const std::vector<StereoPairItem> pairs = discoverStereoDataset(dir / "data");
    if (pairs.size() != 2 || pairs[1].name != "locked" ||
        !contains(pairs[1].skip_reason, "cannot read"))
      return 4;
    return 0;
  });
  fs::permissions(dir / "in" / "locked", fs::perms::all);
  fs::permissions(dir / "data" / "locked", fs::perms::all);
  if (code == -1) GTEST_SKIP() << "cannot run a child as an unprivileged user here";
  EXPECT_EQ(code, 0);
}

TEST(JsonLinesManifest, APathWithANulCharacterIsRefused) {
  test::TempDir dir;
  writePhotoAndDisparity(dir / "a.png", dir / "a.pfm");
  test::writeRawFile(dir / "list.jsonl",
                     "{\"image\": \"a.png\\u0000.jpg\", \"disparity\": \"a.pfm\"}\n");
  try {
    readBatchManifest(dir / "list.jsonl");
    FAIL() << "a NUL in a path was accepted";
  } catch (const InputError& e) {
    EXPECT_TRUE(contains(e.what(), "NUL")) << e.what();
    EXPECT_TRUE(contains(e.what(), "line 1")) << e.what();
  }
}

// --- item 19: all-NaN ground truth, disparities beyond the width, --save-views FILE ------------

TEST(EvalLeftovers, AnAllNaNGroundTruthSkipsItsPairOnly) {
  test::TempDir dir;
  writePair(dir / "data" / "a_good");
  writePair(dir / "data" / "b_nan");
  writeDisparity(dir / "data" / "b_nan" / "disp_left.pfm",
                 makeDisparityMap(cv::Mat(16, 32, CV_32FC1, cv::Scalar(std::nanf("")))));
  EvaluationOptions options;
  options.methods = {evalMethodByName("naive")};
  const DatasetEvaluation evaluation =
      evaluateDataset(discoverStereoDataset(dir / "data"), options, engine_);
  ASSERT_EQ(evaluation.pairs.size(), 1u);
  EXPECT_EQ(evaluation.pairs[0].name, "a_good");
  ASSERT_EQ(evaluation.skipped.size(), 1u);
  EXPECT_EQ(evaluation.skipped[0].name, "b_nan");
}

TEST(EvalLeftovers, SaveViewsNamingAFileSaysSo) {
  test::TempDir dir;
  writePair(dir / "data" / "p");
  test::writeRawFile(dir / "views.txt", "x");
  EvaluationOptions options;
  options.methods = {evalMethodByName("naive")};
  options.views_dir = dir / "views.txt";
  try {
    evaluateDataset(discoverStereoDataset(dir / "data"), options, engine_);
    FAIL() << "no error";
  } catch (const OutputError& e) {
    EXPECT_TRUE(contains(e.what(), "is a file, not a folder")) << e.what();
  }
  options.views_dir = dir / "views";  // created when its parent exists
  evaluateDataset(discoverStereoDataset(dir / "data"), options, engine_);
  EXPECT_TRUE(fs::exists(dir / "views" / "p_naive.png"));
}

TEST(DisparityScale, FarBeyondTheWidthIsRefusedAndSomewhatBeyondWarned) {
  test::TempDir dir;
  for (const float d : {1e6f, 1e30f}) {
    writePhotoAndDisparity(dir / "p.png", dir / "p.pfm", d);
    const CliRun run = runCli({"generate", (dir / "p.png").string(), "--disparity",
                               (dir / "p.pfm").string(), "-o", (dir / "o").string(), "-q"});
    EXPECT_EQ(run.exit_code, 1) << d << ": " << run.out;
    EXPECT_TRUE(contains(run.err, "beyond the image width")) << run.err;
    EXPECT_FALSE(contains(run.out, "within the comfort range")) << run.out;
  }
  cv::Mat values(32, 48, CV_32FC1, cv::Scalar(3.0f));
  values.rowRange(0, 4).setTo(500.0f);
  std::vector<RunNote> warnings;
  checkDisparityScale(makeDisparityMap(values), "'m.pfm'", &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].kind, RunNoteKind::kMapScaleSuspect);
  EXPECT_TRUE(contains(describeRunNote(warnings[0]), "12.5 %")) << describeRunNote(warnings[0]);
  warnings.clear();
  checkDisparityScale(makeDisparityMap(cv::Mat(32, 48, CV_32FC1, cv::Scalar(30.0f))), "'m.pfm'",
                      &warnings);
  EXPECT_TRUE(warnings.empty());
}

}  // namespace
}  // namespace genstereo

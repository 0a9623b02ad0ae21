// genstereo-cli end to end: help texts, `generate` on the bundled sample, `eval` on a
// synthetic dataset, and the error paths (exit code, one line on stderr, nothing written).
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/disparity_io.h"
#include "io/image_io.h"
#include "io/stereo_export.h"
#include "test_support.h"

namespace genstereo {
namespace {
namespace fs = std::filesystem;

using test::CliRun;

std::string readText(const fs::path& path) { return test::readTextFile(path); }

using test::runCli;

std::vector<std::string> nonEmptyLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

fs::path samplePath(const std::string& name) {
  return fs::path(GENSTEREO_SOURCE_DIR) / "resources" / "sample" / name;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Checks the error contract: non-zero exit, exactly one line on stderr, starting with the
// program's name.
void expectOneLineError(const CliRun& run, const std::string& what) {
  EXPECT_NE(run.exit_code, 0) << what;
  const std::vector<std::string> lines = nonEmptyLines(run.err);
  ASSERT_EQ(lines.size(), 1u) << what << ": stderr was\n" << run.err;
  EXPECT_EQ(lines[0].rfind("genstereo-cli:", 0), 0u) << what << ": " << lines[0];
}

TEST(Cli, MainHelp) {
  const CliRun run = runCli({"--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_TRUE(contains(run.out, "generate")) << run.out;
  EXPECT_TRUE(contains(run.out, "eval")) << run.out;
  EXPECT_TRUE(run.err.empty()) << run.err;
}

TEST(Cli, GenerateHelpListsOptionsAndFormats) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"generate", "--help"},
                                               std::vector<std::string>{"help", "generate"}}) {
    const CliRun run = runCli(args);
    EXPECT_EQ(run.exit_code, 0);
    EXPECT_TRUE(contains(run.out, "--disparity")) << run.out;
    EXPECT_FALSE(contains(run.out, "FORMATS")) << "placeholder not replaced";
    for (const std::string& name : allExportFormatNames()) {
      EXPECT_TRUE(contains(run.out, name)) << "format " << name << " missing from help";
    }
    for (const std::string& name : wiggleExportFormatNames()) {
      EXPECT_TRUE(contains(run.out, name)) << "format " << name << " missing from help";
    }
    EXPECT_TRUE(contains(run.out, "--wiggle-ms")) << run.out;
  }
}

TEST(Cli, EvalHelp) {
  const CliRun run = runCli({"eval", "--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_TRUE(contains(run.out, "DATASET_DIR")) << run.out;
  EXPECT_TRUE(contains(run.out, "--json")) << run.out;
}

TEST(Cli, NoArgumentsPrintsHelpWithUsageCode) {
  const CliRun run = runCli({});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(contains(run.out, "generate"));
}

TEST(Cli, GenerateSampleAllFormats) {
  test::TempDir dir;
  const fs::path out = dir / "out";  // created by the run (its parent exists)
  const CliRun run = runCli({"generate", samplePath("left.png").string(), "--disparity",
                             samplePath("disp_left.png").string(), "--disparity-divisor", "4",
                             "--format", "all", "-o", out.string(), "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(run.err.empty()) << "-q must keep stderr quiet: " << run.err;
  for (const char* name :
       {"left_right.png", "left_right_warped.png", "left_right_occlusion_mask.png",
        "left_right_fill.png", "left_right_fusion_weight.png", "left_right_disparity.pfm",
        "left_LRF_Full_SBS.png", "left.mpo", "left.jps"}) {
    EXPECT_TRUE(fs::is_regular_file(out / name)) << name << " missing";
    if (fs::is_regular_file(out / name)) {
      EXPECT_GT(fs::file_size(out / name), 0u) << name;
    }
    EXPECT_TRUE(contains(run.out, name)) << name << " not reported on stdout";
  }
  const cv::Mat right = readImage(out / "left_right.png");
  EXPECT_EQ(right.cols, 450);
  EXPECT_EQ(right.rows, 375);
  const cv::Mat sbs = readImage(out / "left_LRF_Full_SBS.png");
  EXPECT_EQ(sbs.cols, 900);
  EXPECT_EQ(sbs.rows, 375);
  const DisparityMap disparity = readDisparity(out / "left_right_disparity.pfm");
  EXPECT_EQ(disparity.width(), 450);
  EXPECT_EQ(disparity.height(), 375);
  // No temporary file left behind.
  for (const auto& entry : fs::directory_iterator(out)) {
    const std::string name = entry.path().filename().string();
    EXPECT_EQ(name.rfind("left", 0), 0u) << "unexpected file " << name;
  }
}

TEST(Cli, GenerateBothEyes) {
  test::TempDir dir;
  const CliRun run =
      runCli({"generate", samplePath("left.png").string(), "--disparity",
              samplePath("disp_left.png").string(), "--disparity-divisor", "4", "--eye", "both",
              "--no-intermediates", "-o", dir.path().string(), "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(fs::is_regular_file(dir / "left_left.png"));
  EXPECT_TRUE(fs::is_regular_file(dir / "left_right.png"));
  EXPECT_TRUE(fs::is_regular_file(dir / "left_LRF_Full_SBS.png"));  // default format: sbs
  EXPECT_FALSE(fs::exists(dir / "left_right_warped.png"));          // --no-intermediates
}

// Inputs for the error cases: a small image with a matching disparity, and an empty output
// folder.
class CliErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(out_);
    writeImage(image_, test::makeTestImage(24, 16));
    writeDisparity(disparity_, makeDisparityMap(cv::Mat(16, 24, CV_32FC1, cv::Scalar(2.0f))));
  }

  // The error contract plus "nothing written into the output folder".
  void expectFailsCleanly(const std::vector<std::string>& args, const std::string& what,
                          const std::string& message_part = "") {
    const CliRun run = runCli(args);
    expectOneLineError(run, what);
    if (!message_part.empty()) {
      EXPECT_TRUE(contains(run.err, message_part)) << what << ": " << run.err;
    }
    EXPECT_EQ(test::countEntries(out_), 0) << what << ": files left in the output folder";
  }

  std::vector<std::string> generate(const fs::path& image, const fs::path& disparity) const {
    return {"generate", image.string(), "--disparity", disparity.string(),
            "-o",       out_.string(),  "-q"};
  }

  test::TempDir dir_;
  fs::path out_ = dir_ / "out";
  fs::path image_ = dir_ / "image.png";
  fs::path disparity_ = dir_ / "disp.pfm";
};

TEST_F(CliErrors, ValidInputsSucceed) {
  // The fixture's inputs are fine: the error cases below fail for their own reason.
  const CliRun run = runCli(generate(image_, disparity_));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(fs::is_regular_file(out_ / "image_right.png"));
}

TEST_F(CliErrors, MissingImage) {
  expectFailsCleanly(generate(dir_ / "nope.png", disparity_), "missing image", "nope.png");
}

TEST_F(CliErrors, MissingDisparity) {
  expectFailsCleanly(generate(image_, dir_ / "nope.pfm"), "missing disparity", "nope.pfm");
}

TEST_F(CliErrors, CorruptImage) {
  const fs::path corrupt = dir_ / "x.png";
  test::writeRawFile(corrupt, std::string("this is not a PNG file at all \x01\x02\x03", 33));
  expectFailsCleanly(generate(corrupt, disparity_), "corrupt PNG", "x.png");
}

TEST_F(CliErrors, TruncatedPng) {
  // A real PNG cut in half.
  const std::string bytes = readText(image_);
  const fs::path truncated = dir_ / "half.png";
  test::writeRawFile(truncated, bytes.substr(0, bytes.size() / 2));
  expectFailsCleanly(generate(truncated, disparity_), "truncated PNG", "half.png");
}

TEST_F(CliErrors, DisparityOfAnotherSize) {
  const fs::path small = dir_ / "small.pfm";
  writeDisparity(small, makeDisparityMap(cv::Mat(10, 10, CV_32FC1, cv::Scalar(1.0f))));
  expectFailsCleanly(generate(image_, small), "disparity size", "10x10");
}

TEST_F(CliErrors, NaNOnlyDisparityPfm) {
  const fs::path nan_map = dir_ / "nan.pfm";
  writeDisparity(
      nan_map, makeDisparityMap(
                   cv::Mat(16, 24, CV_32FC1, cv::Scalar(std::numeric_limits<float>::quiet_NaN()))));
  expectFailsCleanly(generate(image_, nan_map), "NaN-only PFM", "no valid");
}

TEST_F(CliErrors, NaNOnlyDisparityNpy) {
  const fs::path nan_map = dir_ / "nan.npy";
  writeDisparity(
      nan_map, makeDisparityMap(
                   cv::Mat(16, 24, CV_32FC1, cv::Scalar(std::numeric_limits<float>::quiet_NaN()))));
  expectFailsCleanly(generate(image_, nan_map), "NaN-only npy", "no valid");
}

TEST_F(CliErrors, OutputParentMissing) {
  const fs::path missing_parent = dir_ / "no-such-parent";
  const CliRun run = runCli({"generate", image_.string(), "--disparity", disparity_.string(), "-o",
                             (missing_parent / "out").string(), "-q"});
  expectOneLineError(run, "output parent missing");
  EXPECT_TRUE(contains(run.err, "no-such-parent")) << run.err;
  EXPECT_FALSE(fs::exists(missing_parent)) << "a mistyped path must not grow a folder tree";
}

TEST_F(CliErrors, UnknownOption) {
  std::vector<std::string> args = generate(image_, disparity_);
  args.push_back("--frobnicate");
  const CliRun run = runCli(args);
  expectOneLineError(run, "unknown option");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(contains(run.err, "--frobnicate")) << run.err;
  EXPECT_EQ(test::countEntries(out_), 0);
}

TEST_F(CliErrors, UnknownFormat) {
  std::vector<std::string> args = generate(image_, disparity_);
  args.insert(args.end(), {"--format", "sbs,hologram"});
  const CliRun run = runCli(args);
  expectOneLineError(run, "unknown format");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(contains(run.err, "hologram")) << run.err;
  EXPECT_EQ(test::countEntries(out_), 0);
}

TEST_F(CliErrors, WiggleFrameTimeOutOfRange) {
  std::vector<std::string> args = generate(image_, disparity_);
  args.insert(args.end(), {"--format", "wiggle-gif", "--wiggle-ms", "5"});
  expectFailsCleanly(args, "--wiggle-ms 5", "--wiggle-ms");
}

TEST_F(CliErrors, UnknownCommandAndMissingValue) {
  expectOneLineError(runCli({"frobnicate"}), "unknown command");
  expectFailsCleanly({"generate", image_.string(), "--disparity"}, "--disparity without value");
  expectFailsCleanly({"generate", image_.string(), "-o", out_.string()}, "no disparity");
  expectFailsCleanly({"generate", image_.string(), "--disparity", disparity_.string(),
                      "--baseline-scale", "abc", "-o", out_.string()},
                     "non-numeric baseline scale", "abc");
}

TEST(Cli, EvalSyntheticDataset) {
  test::TempDir dir;
  const fs::path pair = dir / "data" / "shifted";
  fs::create_directories(pair);
  const int width = 64, height = 24, d = 3;
  const cv::Mat left = test::makeTestImage(width, height, 1);
  cv::Mat right = test::makeTestImage(width, height, 2);
  left.colRange(d, width).copyTo(right.colRange(0, width - d));
  writeImage(pair / "left.png", left);
  writeImage(pair / "right.png", right);
  writeDisparity(
      pair / "disp_left.pfm",
      makeDisparityMap(cv::Mat(height, width, CV_32FC1, cv::Scalar(static_cast<float>(d)))));
  const fs::path json_path = dir / "result.json";
  const CliRun run = runCli({"eval", (dir / "data").string(), "--json", json_path.string(), "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.out, "MEAN")) << run.out;
  EXPECT_TRUE(contains(run.out, "shifted")) << run.out;
  EXPECT_TRUE(contains(run.out, "ours")) << run.out;
  ASSERT_TRUE(fs::is_regular_file(json_path));
  const nlohmann::json doc = nlohmann::json::parse(readText(json_path), nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << "invalid JSON";
  ASSERT_EQ(doc["pairs"].size(), 1u);
  EXPECT_EQ(doc["pairs"][0]["name"], "shifted");
  EXPECT_EQ(doc["mean"].size(), 5u);
}

TEST(Cli, EvalErrors) {
  test::TempDir dir;
  expectOneLineError(runCli({"eval", (dir / "missing").string(), "-q"}), "missing dataset");
  const CliRun empty = runCli({"eval", dir.path().string(), "-q"});
  expectOneLineError(empty, "empty dataset");
  EXPECT_TRUE(contains(empty.err, "left.png")) << empty.err;
  expectOneLineError(runCli({"eval", dir.path().string(), "--methods", "magic"}), "unknown method");
}

}  // namespace
}  // namespace genstereo

namespace genstereo {
namespace {

// Hardening classes 9, 12 and 17 (docs/hardening.md): every number is validated before any
// work, with the option named; outputs that cannot be written are refused before the work.
TEST(CliValidation, BadNumbersAreUsageErrorsNamingTheOption) {
  test::TempDir dir;
  const std::string sample = samplePath("left.png").string();
  const std::vector<std::vector<std::string>> cases = {
      {"generate", sample, "-o", (dir / "o").string(), "--max-disparity", "nan"},
      {"generate", sample, "-o", (dir / "o").string(), "--baseline-scale", "-1"},
      {"generate", sample, "-o", (dir / "o").string(), "--convergence", "1e30"},
      {"generate", sample, "-o", (dir / "o").string(), "--feather", "nan"},
      {"generate", sample, "-o", (dir / "o").string(), "--steps", "1e9"},
      {"eval", dir.path().string(), "--vertical-sigma", "nan"},
      {"eval", dir.path().string(), "--vertical-sigma", "1e9"},
      {"batch", dir.path().string(), "-o", (dir / "b").string(), "--guidance", "inf"},
  };
  for (const auto& args : cases) {
    const test::CliRun run = runCli(args);
    EXPECT_EQ(run.exit_code, 2) << args[3] << " " << args.back() << ": " << run.err;
    EXPECT_NE(run.err.find("--"), std::string::npos) << run.err;
    EXPECT_FALSE(fs::exists(dir / "o"));
  }
}

TEST(CliValidation, OutputsThatCannotBeWrittenAreRefusedFirst) {
  test::TempDir dir;
  test::writeRawFile(dir / "a_file", "x");
  const test::CliRun generate =
      runCli({"generate", samplePath("left.png").string(), "-o", (dir / "a_file").string(), "-q"});
  EXPECT_EQ(generate.exit_code, 1);
  EXPECT_NE(generate.err.find("is a file"), std::string::npos) << generate.err;
  fs::create_directories(dir / "folder.json");
  const test::CliRun eval =
      runCli({"eval", (dir / "nothing").string(), "--json", (dir / "folder.json").string()});
  EXPECT_EQ(eval.exit_code, 1);
  EXPECT_NE(eval.err.find("is a folder"), std::string::npos) << eval.err;
}

}  // namespace
}  // namespace genstereo

// genstereo-cli's comfort and border options: the parallax budget and per-stage times in
// `generate`'s report, the comfortable defaults, the options' validation, and the comfort
// settings and budget recorded in `batch`'s meta.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "io/disparity_io.h"
#include "io/image_io.h"
#include "test_support.h"

namespace genstereo {
namespace {
namespace fs = std::filesystem;

using test::CliRun;
using test::runCli;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

fs::path samplePath(const std::string& name) {
  return fs::path(GENSTEREO_SOURCE_DIR) / "resources" / "sample" / name;
}

std::vector<std::string> generateSample(const fs::path& out) {
  return {"generate",
          samplePath("left.png").string(),
          "--disparity",
          samplePath("disp_left.png").string(),
          "--disparity-divisor",
          "4",
          "--no-intermediates",
          "-o",
          out.string(),
          "-q"};
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST(CliComfort, DefaultsAreComfortableAndReported) {
  test::TempDir dir;
  const CliRun run = runCli(generateSample(dir / "out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.out, "parallax: near ")) << run.out;
  EXPECT_TRUE(contains(run.out, "(auto convergence)")) << run.out;
  EXPECT_TRUE(contains(run.out, "comfort: within the comfort range")) << run.out;
  EXPECT_FALSE(contains(run.out, "warning: uncomfortable")) << run.out;
  EXPECT_TRUE(contains(run.out, "note: the baseline was narrowed")) << run.out;
  for (const char* stage : {"time: ", "read ", "depth ", "synthesis ", "write "}) {
    EXPECT_TRUE(contains(run.out, stage)) << stage << " missing: " << run.out;
  }
}

TEST(CliComfort, TheOfficialGeometryIsWarnedAbout) {
  test::TempDir dir;
  // Convergence 0 and no limit: the sample's 5.5..55 px all in front of the screen.
  const CliRun run =
      runCli(with(generateSample(dir / "out"),
                  {"--convergence", "0", "--parallax-limit", "0", "--border", "fill"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.out, "(manual convergence)")) << run.out;
  EXPECT_TRUE(contains(run.out, "warning: uncomfortable: parallax range")) << run.out;
  EXPECT_EQ(readImage(dir / "out" / "left_right.png").cols, 450);
}

TEST(CliComfort, BorderModesChangeTheSizeOnlyWhenCropping) {
  test::TempDir dir;
  const CliRun crop = runCli(with(generateSample(dir / "crop"), {"--border", "crop"}));
  ASSERT_EQ(crop.exit_code, 0) << crop.err;
  EXPECT_TRUE(contains(crop.out, "border crop (cropped ")) << crop.out;
  const cv::Mat cropped = readImage(dir / "crop" / "left_right.png");
  EXPECT_LT(cropped.cols, 450);
  EXPECT_GT(cropped.cols, 400);
  EXPECT_EQ(readImage(dir / "crop" / "left_LRF_Full_SBS.png").cols, 2 * cropped.cols);
  for (const char* mode : {"fill", "screen"}) {
    const fs::path out = dir / mode;
    const CliRun run = runCli(with(generateSample(out), {"--border", mode}));
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_TRUE(contains(run.out, std::string("border ") + mode)) << run.out;
    EXPECT_EQ(readImage(out / "left_right.png").cols, 450) << mode;
  }
}

TEST(CliComfort, ScreenPointAndPercentile) {
  test::TempDir dir;
  const CliRun point = runCli(with(generateSample(dir / "p"), {"--screen-point", "200,300"}));
  ASSERT_EQ(point.exit_code, 0) << point.err;
  EXPECT_TRUE(contains(point.out, "(point convergence)")) << point.out;
  const CliRun near = runCli(with(generateSample(dir / "n"), {"--convergence-percentile", "100"}));
  ASSERT_EQ(near.exit_code, 0) << near.err;
  // The nearest surface on the screen: the near parallax is (about) 0.
  EXPECT_TRUE(contains(near.out, "parallax: near +0.0% (on the screen)") ||
              contains(near.out, "parallax: near -0.0% (on the screen)"))
      << near.out;
}

TEST(CliComfort, OptionsAreValidated) {
  test::TempDir dir;
  const std::vector<std::vector<std::string>> bad = {
      {"--border", "window"},
      {"--convergence-percentile", "101"},
      {"--parallax-limit", "-1"},
      {"--parallax-limit", "nan"},
      {"--convergence", "0.5", "--auto-convergence"},
      {"--screen-point", "1,2", "--convergence", "0.2"},
      {"--screen-point", "5000,2"},  // outside the 450x375 photo
  };
  for (const std::vector<std::string>& options : bad) {
    const CliRun run = runCli(with(generateSample(dir / "out"), options));
    EXPECT_NE(run.exit_code, 0) << options[0] << " " << options[1];
    EXPECT_FALSE(run.err.empty()) << options[0];
    EXPECT_FALSE(fs::exists(dir / "out" / "left_right.png")) << options[0];
  }
  const CliRun help = runCli({"generate", "--help"});
  for (const char* option :
       {"--auto-convergence", "--no-auto-convergence", "--convergence-percentile", "--screen-point",
        "--parallax-limit", "--border"}) {
    EXPECT_TRUE(contains(help.out, option)) << option;
  }
}

TEST(CliComfort, BatchRecordsComfortAndTheBudget) {
  test::TempDir dir;
  fs::create_directories(dir / "in");
  writeImage(dir / "in" / "a.png", test::makeTestImage(64, 48, 1));
  cv::Mat disparity(48, 64, CV_32FC1);
  for (int x = 0; x < 64; ++x) disparity.col(x).setTo(static_cast<float>(x) / 8.0f);
  writeDisparity(dir / "in" / "a.disp.pfm", makeDisparityMap(disparity));
  const CliRun run = runCli({"batch", (dir / "in").string(), "-o", (dir / "out").string(), "-q",
                             "--auto-convergence", "--border", "crop", "--parallax-limit", "5"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const nlohmann::json meta =
      nlohmann::json::parse(test::readTextFile(dir / "out" / "meta" / "a.json"));
  EXPECT_EQ(meta.at("params").at("border"), "crop");
  EXPECT_EQ(meta.at("params").at("comfort").at("convergence"), "auto");
  EXPECT_DOUBLE_EQ(meta.at("params").at("comfort").at("parallax_limit_percent").get<double>(), 5.0);
  const nlohmann::json& parallax = meta.at("parallax");
  EXPECT_LE(parallax.at("range_percent").get<double>(), 5.0 + 1e-6);
  EXPECT_LT(parallax.at("near_percent").get<double>(), 0.0);
  EXPECT_GT(parallax.at("far_percent").get<double>(), 0.0);
  EXPECT_LT(meta.at("width").get<int>(), 64);  // cropped
  EXPECT_EQ(readImage(dir / "out" / "left" / "a.png").cols, meta.at("width").get<int>());
  EXPECT_EQ(runCli({"batch-verify", (dir / "out").string(), "--shards", "1"}).exit_code, 0);
}

}  // namespace
}  // namespace genstereo

// genstereo-cli generate --format wiggle-gif,wiggle-apng on the bundled sample: the files are
// decoded back (giflib, PNG chunks) and checked for frame count, size, frame time and order;
// `--format all` leaves the animations out.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "animation_decoding.h"
#include "test_support.h"

namespace genstereo {
namespace {
namespace fs = std::filesystem;

constexpr int kSampleWidth = 450;
constexpr int kSampleHeight = 375;

fs::path samplePath(const std::string& name) {
  return fs::path(GENSTEREO_SOURCE_DIR) / "resources" / "sample" / name;
}

std::vector<std::string> generateSample(const fs::path& out, const std::string& formats) {
  return {"generate",
          samplePath("left.png").string(),
          "--disparity",
          samplePath("disp_left.png").string(),
          "--disparity-divisor",
          "4",
          "--format",
          formats,
          "-o",
          out.string(),
          "-q"};
}

// Mean absolute difference per channel value, 0..255.
double meanAbsoluteDifference(const cv::Mat& a, const cv::Mat& b) {
  return cv::norm(a, b, cv::NORM_L1) / static_cast<double>(a.total() * a.channels());
}

TEST(CliWiggle, GifAndApngOfTheSamplePlayLeftThenRight) {
  test::TempDir dir;
  std::vector<std::string> args = generateSample(dir.path(), "wiggle-gif,wiggle-apng");
  args.insert(args.end(), {"--wiggle-ms", "200", "--no-intermediates"});
  const test::CliRun run = test::runCli(args);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const fs::path gif_path = dir / "left_wiggle.gif";
  const fs::path apng_path = dir / "left_wiggle.png";
  ASSERT_TRUE(fs::is_regular_file(gif_path)) << run.out;
  ASSERT_TRUE(fs::is_regular_file(apng_path)) << run.out;
  EXPECT_NE(run.out.find("wrote " + gif_path.string()), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("wrote " + apng_path.string()), std::string::npos) << run.out;
  // The views, the two animations, nothing else (no temporary, no sbs: not asked for).
  EXPECT_EQ(test::countEntries(dir.path()), 3);

  const cv::Mat left = cv::imread(samplePath("left.png").string(), cv::IMREAD_COLOR);
  const cv::Mat right = cv::imread((dir / "left_right.png").string(), cv::IMREAD_COLOR);
  ASSERT_EQ(left.size(), cv::Size(kSampleWidth, kSampleHeight));
  ASSERT_EQ(right.size(), left.size());
  ASSERT_GT(meanAbsoluteDifference(left, right), 1.0)
      << "the views must differ for the order check";

  const test::DecodedGif gif = test::decodeGif(test::readBinaryFile(gif_path));
  EXPECT_EQ(gif.width, kSampleWidth);
  EXPECT_EQ(gif.height, kSampleHeight);
  EXPECT_TRUE(gif.loops_forever);
  EXPECT_EQ(gif.frame_delays_cs, (std::vector<int>{20, 20}));
  ASSERT_EQ(gif.frames_bgr8.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const cv::Mat& view = i == 0 ? left : right;
    const cv::Mat& other = i == 0 ? right : left;
    ASSERT_EQ(gif.frames_bgr8[i].size(), view.size()) << "frame " << i;
    const double error = meanAbsoluteDifference(gif.frames_bgr8[i], view);
    // giflib's median cut (5 bits per channel, no dithering) leaves 10-12 levels on the sample.
    EXPECT_LT(error, 16.0) << "frame " << i << ": 256 colours, close to its view";
    EXPECT_LT(error, meanAbsoluteDifference(gif.frames_bgr8[i], other)) << "frame " << i;
  }

  const test::ApngSummary apng = test::summariseApng(test::readBinaryFile(apng_path));
  EXPECT_EQ(apng.width, kSampleWidth);
  EXPECT_EQ(apng.height, kSampleHeight);
  EXPECT_EQ(apng.declared_frames, 2);
  EXPECT_EQ(apng.plays, 0);
  EXPECT_EQ(apng.frame_delays_ms, (std::vector<double>{200.0, 200.0}));
  // A plain PNG decoder shows the first frame: the left view, lossless.
  const cv::Mat first = cv::imread(apng_path.string(), cv::IMREAD_COLOR);
  ASSERT_EQ(first.size(), left.size());
  EXPECT_EQ(cv::norm(first, left, cv::NORM_INF), 0.0);
}

TEST(CliWiggle, AllFormatsLeaveTheAnimationsOutUnlessNamed) {
  test::TempDir dir;
  std::vector<std::string> args = generateSample(dir / "all", "all");
  args.push_back("--no-intermediates");
  const test::CliRun all = test::runCli(args);
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_TRUE(fs::is_regular_file(dir / "all" / "left_LRF_Full_SBS.png"));
  EXPECT_FALSE(fs::exists(dir / "all" / "left_wiggle.gif"));
  EXPECT_FALSE(fs::exists(dir / "all" / "left_wiggle.png"));
  const int all_files = test::countEntries(dir / "all");

  args = generateSample(dir / "more", "all,wiggle-apng,sbs");
  args.push_back("--no-intermediates");
  const test::CliRun more = test::runCli(args);
  ASSERT_EQ(more.exit_code, 0) << more.err;
  EXPECT_TRUE(fs::is_regular_file(dir / "more" / "left_wiggle.png"));
  EXPECT_EQ(test::countEntries(dir / "more"), all_files + 1) << "sbs is written once";
  const std::string sbs = "wrote " + (dir / "more" / "left_LRF_Full_SBS.png").string();
  const std::size_t first = more.out.find(sbs);
  ASSERT_NE(first, std::string::npos) << more.out;
  EXPECT_EQ(more.out.find(sbs, first + 1), std::string::npos) << "sbs reported twice:\n"
                                                              << more.out;
}

}  // namespace
}  // namespace genstereo

// The wiggle writer (io/animated_writer.h): APNG decoded by parsing its chunks (and its first
// frame by OpenCV's PNG decoder), GIF decoded by giflib (animation_decoding.h); frame count,
// size, delay, loop and pixels are checked, and files are written atomically.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <zlib.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "animation_decoding.h"
#include "errors.h"
#include "io/animated_writer.h"
#include "io/atomic_write.h"
#include "test_support.h"

namespace genstereo {
namespace {

using test::PngChunk;
using test::pngChunks;
using test::u32At;

// Two clearly different frames (the second is a shifted copy with a bright bar).
std::vector<cv::Mat> twoFrames(int width, int height) {
  const cv::Mat left = test::makeTestImage(width, height, 3);
  cv::Mat right = test::makeTestImage(width, height, 4);
  right(cv::Rect(0, 0, width / 4, height)).setTo(cv::Scalar(0.1, 0.9, 0.95));
  return {left, right};
}

TEST(AnimatedWriter, ApngHasTwoFramesWithTheDelayAndLoopsForever) {
  const std::vector<cv::Mat> frames = twoFrames(37, 21);
  AnimationOptions options;
  options.format = AnimationFormat::kApng;
  options.frame_ms = 180;
  const std::vector<std::uint8_t> bytes = encodeAnimation(frames, options);
  const std::vector<PngChunk> chunks = pngChunks(bytes);
  ASSERT_GE(chunks.size(), 7u);
  EXPECT_EQ(chunks.front().type, "IHDR");
  EXPECT_EQ(u32At(chunks.front().data, 0), 37u);
  EXPECT_EQ(u32At(chunks.front().data, 4), 21u);
  EXPECT_EQ(chunks.back().type, "IEND");
  int frame_controls = 0;
  int idat = 0;
  int fdat = 0;
  std::uint32_t expected_sequence = 0;
  for (const PngChunk& chunk : chunks) {
    if (chunk.type == "acTL") {
      EXPECT_EQ(u32At(chunk.data, 0), 2u);  // frames
      EXPECT_EQ(u32At(chunk.data, 4), 0u);  // plays: forever
    } else if (chunk.type == "fcTL") {
      ++frame_controls;
      ASSERT_EQ(chunk.data.size(), 26u);
      EXPECT_EQ(u32At(chunk.data, 0), expected_sequence++);
      EXPECT_EQ(u32At(chunk.data, 4), 37u);
      EXPECT_EQ(u32At(chunk.data, 8), 21u);
      const int delay_num = chunk.data[20] << 8 | chunk.data[21];
      const int delay_den = chunk.data[22] << 8 | chunk.data[23];
      EXPECT_DOUBLE_EQ(1000.0 * delay_num / delay_den, 180.0);
    } else if (chunk.type == "IDAT") {
      ++idat;
      EXPECT_EQ(frame_controls, 1) << "IDAT is the first frame";
    } else if (chunk.type == "fdAT") {
      ++fdat;
      EXPECT_EQ(u32At(chunk.data, 0), expected_sequence++);
      // The second frame decodes to the second image: inflate and un-filter its rows.
      std::vector<std::uint8_t> rows(21 * (37 * 3 + 1));
      uLongf size = rows.size();
      ASSERT_EQ(uncompress(rows.data(), &size, chunk.data.data() + 4, chunk.data.size() - 4), Z_OK);
      ASSERT_EQ(size, rows.size());
      cv::Mat expected;
      frames[1].convertTo(expected, CV_8UC3, 255.0);
      EXPECT_EQ(rows[0], 4) << "Paeth filter";
      // Row 0 with Paeth: up and up-left are 0, so the predictor is the left pixel.
      std::vector<int> row0(37 * 3);
      for (int i = 0; i < 37 * 3; ++i) {
        row0[i] = (rows[1 + i] + (i >= 3 ? row0[i - 3] : 0)) & 0xff;
      }
      const cv::Vec3b first = expected.at<cv::Vec3b>(0, 0);
      EXPECT_EQ(row0[0], first[2]);
      EXPECT_EQ(row0[2], first[0]);
      const cv::Vec3b last = expected.at<cv::Vec3b>(0, 36);
      EXPECT_EQ(row0[36 * 3], last[2]);
    }
  }
  EXPECT_EQ(frame_controls, 2);
  EXPECT_EQ(idat, 1);
  EXPECT_EQ(fdat, 1);
  // A plain PNG decoder shows the first frame, exactly.
  const cv::Mat decoded = cv::imdecode(bytes, cv::IMREAD_COLOR);
  ASSERT_FALSE(decoded.empty());
  cv::Mat expected_first;
  frames[0].convertTo(expected_first, CV_8UC3, 255.0);
  EXPECT_EQ(cv::norm(decoded, expected_first, cv::NORM_INF), 0.0);
}

TEST(AnimatedWriter, GifHasTwoFramesWithTheDelayTheLoopAndCloseColours) {
  const std::vector<cv::Mat> frames = twoFrames(40, 30);
  AnimationOptions options;
  options.format = AnimationFormat::kGif;
  options.frame_ms = 120;
  const test::DecodedGif gif = test::decodeGif(encodeAnimation(frames, options));
  EXPECT_EQ(gif.width, 40);
  EXPECT_EQ(gif.height, 30);
  ASSERT_EQ(gif.frames_bgr8.size(), 2u);
  EXPECT_TRUE(gif.loops_forever) << "NETSCAPE2.0 extension with loop count 0 (forever)";
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(gif.frame_delays_cs[i], 12) << "centiseconds";
    ASSERT_EQ(gif.frames_bgr8[i].size(), cv::Size(40, 30));
    cv::Mat expected;
    frames[i].convertTo(expected, CV_8UC3, 255.0);
    // 256 colours from a median cut: every pixel within a few levels of the original.
    EXPECT_LT(cv::norm(gif.frames_bgr8[i], expected, cv::NORM_L1) / (40.0 * 30.0 * 3.0), 6.0)
        << "frame " << i;
  }
}

TEST(AnimatedWriter, WiggleIsWrittenAtomically) {
  test::TempDir dir;
  const std::vector<cv::Mat> frames = twoFrames(16, 12);
  AnimationOptions options;
  options.format = AnimationFormat::kApng;
  writeWiggle(dir / "wiggle.png", frames[0], frames[1], options);
  EXPECT_EQ(test::countEntries(dir.path()), 1);  // no temporary left
  const cv::Mat first = cv::imread((dir / "wiggle.png").string(), cv::IMREAD_COLOR);
  EXPECT_EQ(first.size(), cv::Size(16, 12));
  const std::filesystem::path locked = test::unwritableFolder(dir);
  EXPECT_THROW(writeWiggle(locked / "wiggle.gif", frames[0], frames[1], {}), OutputError);
}

TEST(AnimatedWriter, RefusesBadFramesAndTimesNamingThem) {
  const std::vector<cv::Mat> frames = twoFrames(16, 12);
  AnimationOptions options;
  options.frame_ms = 5;
  try {
    encodeAnimation(frames, options);
    FAIL() << "5 ms accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("found 5"), std::string::npos) << e.what();
  }
  options.frame_ms = 100;
  EXPECT_THROW(encodeAnimation({}, options), InputError);
  try {
    encodeAnimation({frames[0], test::makeTestImage(8, 8)}, options);
    FAIL() << "frames of different sizes accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("16x12"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("8x8"), std::string::npos) << e.what();
  }
  EXPECT_THROW(encodeAnimation({cv::Mat(4, 4, CV_32FC1, cv::Scalar(0.5))}, options), InputError);
}

TEST(AnimatedWriter, FormatNamesRoundTrip) {
  for (const AnimationFormat format : {AnimationFormat::kGif, AnimationFormat::kApng}) {
    EXPECT_EQ(animationFormatFromString(toString(format)), format);
  }
  EXPECT_FALSE(animationFormatFromString("webp").has_value());
  EXPECT_STREQ(extensionOf(AnimationFormat::kApng), ".png");
  EXPECT_STREQ(extensionOf(AnimationFormat::kGif), ".gif");
}

}  // namespace
}  // namespace genstereo

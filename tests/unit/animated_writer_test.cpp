// The wiggle writer (io/animated_writer.h): APNG decoded by parsing its chunks (and its first
// frame by OpenCV's PNG decoder), GIF decoded by giflib; frame count, size, delay, loop and
// pixels are checked, and files are written atomically.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include <gif_lib.h>
#include <zlib.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "io/animated_writer.h"
#include "io/atomic_write.h"
#include "test_support.h"

namespace genstereo {
namespace {

std::uint32_t u32At(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  return (std::uint32_t{bytes[at]} << 24) | (std::uint32_t{bytes[at + 1]} << 16) |
         (std::uint32_t{bytes[at + 2]} << 8) | std::uint32_t{bytes[at + 3]};
}

struct PngChunk {
  std::string type;
  std::vector<std::uint8_t> data;
};

// Splits a PNG file into its chunks; fails the test on a bad signature or CRC.
std::vector<PngChunk> pngChunks(const std::vector<std::uint8_t>& bytes) {
  const std::uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::vector<PngChunk> chunks;
  EXPECT_GE(bytes.size(), 8u);
  EXPECT_EQ(std::memcmp(bytes.data(), signature, 8), 0);
  std::size_t at = 8;
  while (at + 12 <= bytes.size()) {
    const std::uint32_t length = u32At(bytes, at);
    PngChunk chunk;
    chunk.type.assign(reinterpret_cast<const char*>(bytes.data() + at + 4), 4);
    chunk.data.assign(bytes.begin() + at + 8, bytes.begin() + at + 8 + length);
    const uLong crc = crc32(0L, bytes.data() + at + 4, 4 + length);
    EXPECT_EQ(u32At(bytes, at + 8 + length), static_cast<std::uint32_t>(crc)) << chunk.type;
    chunks.push_back(std::move(chunk));
    at += 12 + length;
  }
  EXPECT_EQ(at, bytes.size());
  return chunks;
}

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

struct GifReader {
  const std::vector<std::uint8_t>* bytes = nullptr;
  std::size_t at = 0;
};

int readGifBytes(GifFileType* gif, GifByteType* out, int count) {
  auto* reader = static_cast<GifReader*>(gif->UserData);
  const std::size_t n =
      std::min<std::size_t>(static_cast<std::size_t>(count), reader->bytes->size() - reader->at);
  std::memcpy(out, reader->bytes->data() + reader->at, n);
  reader->at += n;
  return static_cast<int>(n);
}

TEST(AnimatedWriter, GifHasTwoFramesWithTheDelayTheLoopAndCloseColours) {
  const std::vector<cv::Mat> frames = twoFrames(40, 30);
  AnimationOptions options;
  options.format = AnimationFormat::kGif;
  options.frame_ms = 120;
  const std::vector<std::uint8_t> bytes = encodeAnimation(frames, options);
  GifReader reader{&bytes, 0};
  int error = 0;
  GifFileType* gif = DGifOpen(&reader, readGifBytes, &error);
  ASSERT_NE(gif, nullptr) << GifErrorString(error);
  ASSERT_EQ(DGifSlurp(gif), GIF_OK) << GifErrorString(gif->Error);
  EXPECT_EQ(gif->SWidth, 40);
  EXPECT_EQ(gif->SHeight, 30);
  ASSERT_EQ(gif->ImageCount, 2);
  // giflib keeps the extensions before an image with that image (the loop: before image 1).
  bool has_loop = false;
  const SavedImage& first_image = gif->SavedImages[0];
  for (int e = 0; e + 1 < first_image.ExtensionBlockCount; ++e) {
    const ExtensionBlock* blocks = first_image.ExtensionBlocks;
    const ExtensionBlock& block = blocks[e];
    if (block.Function == APPLICATION_EXT_FUNC_CODE && block.ByteCount == 11 &&
        std::memcmp(block.Bytes, "NETSCAPE2.0", 11) == 0) {
      const ExtensionBlock& sub = blocks[e + 1];
      has_loop = sub.ByteCount == 3 && sub.Bytes[0] == 1 && sub.Bytes[1] == 0 && sub.Bytes[2] == 0;
    }
  }
  EXPECT_TRUE(has_loop) << "NETSCAPE2.0 extension with loop count 0 (forever)";
  for (int i = 0; i < 2; ++i) {
    GraphicsControlBlock control{};
    ASSERT_EQ(DGifSavedExtensionToGCB(gif, i, &control), GIF_OK);
    EXPECT_EQ(control.DelayTime, 12) << "centiseconds";
    const SavedImage& image = gif->SavedImages[i];
    EXPECT_EQ(image.ImageDesc.Width, 40);
    EXPECT_EQ(image.ImageDesc.Height, 30);
    const ColorMapObject* map =
        image.ImageDesc.ColorMap != nullptr ? image.ImageDesc.ColorMap : gif->SColorMap;
    ASSERT_NE(map, nullptr);
    cv::Mat decoded(30, 40, CV_8UC3);
    for (int p = 0; p < 40 * 30; ++p) {
      const GifColorType& c = map->Colors[image.RasterBits[p]];
      decoded.at<cv::Vec3b>(p / 40, p % 40) = cv::Vec3b(c.Blue, c.Green, c.Red);
    }
    cv::Mat expected;
    frames[static_cast<std::size_t>(i)].convertTo(expected, CV_8UC3, 255.0);
    // 256 colours from a median cut: every pixel within a few levels of the original.
    EXPECT_LT(cv::norm(decoded, expected, cv::NORM_L1) / (40.0 * 30.0 * 3.0), 6.0) << "frame " << i;
  }
  DGifCloseFile(gif, &error);
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

// The pixel budget (issue 14, class 5): dimensions come from the header, before decoding.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/stat.h>

#include <opencv2/imgcodecs.hpp>

#include "errors.h"
#include "io/disparity_io.h"
#include "io/image_dimensions.h"
#include "io/image_io.h"
#include "io/pixel_budget.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

// A complete PNG structure (signature, IHDR, IEND) that claims width x height 8-bit RGB.
std::string pngHeaderOnly(std::uint32_t width, std::uint32_t height) {
  const std::string ihdr = be32(width) + be32(height) + std::string("\x08\x02\x00\x00\x00", 5);
  return std::string("\x89PNG\r\n\x1a\n", 8) + be32(13) + "IHDR" + ihdr + be32(0) + be32(0) +
         "IEND" + be32(0);
}

class PixelBudgetTest : public ::testing::Test {
 protected:
  void TearDown() override { setMaxInputPixels(0); }
  test::TempDir dir_;
};

TEST_F(PixelBudgetTest, AHugeHeaderIsRefusedBeforeDecoding) {
  const fs::path path = dir_ / "bomb.png";
  test::writeRawFile(path, pngHeaderOnly(30000, 30000));
  try {
    readImage(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("30000x30000"), std::string::npos) << message;
    EXPECT_NE(message.find("pixel budget of 40.0 MP"), std::string::npos) << message;
    EXPECT_NE(message.find("GENSTEREO_MAX_PIXELS"), std::string::npos) << message;
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  }
  // The same check guards disparity maps (PNG through OpenCV, PFM from its own header).
  EXPECT_THROW(readDisparity(path), InputError);
  test::writeRawFile(dir_ / "big.pfm", "Pf\n30000 30000\n-1\n");
  try {
    readDisparity(dir_ / "big.pfm");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("pixel budget"), std::string::npos) << e.what();
  }
}

TEST_F(PixelBudgetTest, TheLimitIsConfigurable) {
  writeImage(dir_ / "small.png", test::makeTestImage(64, 48));
  EXPECT_EQ(maxInputPixels(), kDefaultMaxInputPixels);
  EXPECT_NO_THROW(readImage(dir_ / "small.png"));
  setMaxInputPixels(64 * 48 - 1);
  EXPECT_THROW(readImage(dir_ / "small.png"), InputError);
  setMaxInputPixels(64 * 48);
  EXPECT_NO_THROW(readImage(dir_ / "small.png"));
  setMaxInputPixels(0);
  ::setenv("GENSTEREO_MAX_PIXELS", "100", 1);
  EXPECT_EQ(maxInputPixels(), 100);
  EXPECT_THROW(readImage(dir_ / "small.png"), InputError);
  ::setenv("GENSTEREO_MAX_PIXELS", "lots", 1);
  EXPECT_THROW(maxInputPixels(), InputError);
  ::unsetenv("GENSTEREO_MAX_PIXELS");
  EXPECT_EQ(estimateWorkingMemoryBytes(1000, 1000), 1000 * 1000 * kWorkingBytesPerPixel);
  EXPECT_EQ(estimateWorkingMemoryBytes(std::int64_t{1} << 40, std::int64_t{1} << 40), INT64_MAX);
  // Found by fuzz_image: an overflowing size used to overflow while formatting the message.
  EXPECT_THROW(checkPixelBudget(INT64_MAX / 2, 3, "huge.bmp", "BMP image"), InputError);
  EXPECT_THROW(checkPixelBudget(2147483647, 2147483647, "huge.bmp", "BMP image"), InputError);
}

// The header parser agrees with OpenCV on every supported format (JPEG with EXIF included).
TEST_F(PixelBudgetTest, HeaderDimensionsMatchTheDecodedImage) {
  const cv::Mat image = test::makeTestImage(37, 23);
  cv::Mat image8;
  image.convertTo(image8, CV_8U, 255.0);
  for (const char* extension : {".png", ".jpg", ".tif", ".webp", ".bmp"}) {
    std::vector<std::uint8_t> bytes;
    ASSERT_TRUE(cv::imencode(extension, image8, bytes)) << extension;
    const auto dimensions = readImageDimensions(bytes, detectImageFormat(bytes));
    ASSERT_TRUE(dimensions.has_value()) << extension;
    EXPECT_EQ(dimensions->width_px, 37) << extension;
    EXPECT_EQ(dimensions->height_px, 23) << extension;
  }
  // Truncated or inconsistent headers give no dimensions, never a read past the end.
  const std::vector<std::uint8_t> truncated = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0};
  EXPECT_FALSE(readImageDimensions(truncated, ImageFileFormat::kPng).has_value());
  const std::vector<std::uint8_t> jpeg = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10};
  EXPECT_FALSE(readImageDimensions(jpeg, ImageFileFormat::kJpeg).has_value());
  const std::vector<std::uint8_t> tiff = {'I', 'I', '*', 0, 0xFF, 0xFF, 0xFF, 0x7F};
  EXPECT_FALSE(readImageDimensions(tiff, ImageFileFormat::kTiff).has_value());
}

// Issue 14, class 15: a folder or a FIFO given as a photo is "not a regular file".
TEST_F(PixelBudgetTest, FoldersAndFifosAreNotRegularFiles) {
  fs::create_directory(dir_ / "folder.png");
  ASSERT_EQ(::mkfifo((dir_ / "fifo.png").c_str(), 0600), 0);
  for (const char* name : {"folder.png", "fifo.png"}) {
    try {
      readImage(dir_ / name);
      FAIL() << "no error for " << name;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("is not a regular file"), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(readDisparity(dir_ / "fifo.png"), InputError);
}

}  // namespace
}  // namespace genstereo

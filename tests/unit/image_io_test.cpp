#include "io/image_io.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "test_support.h"

namespace genstereo {
namespace {
namespace fs = std::filesystem;

std::string toString(const std::vector<std::uint8_t>& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

std::vector<std::uint8_t> encode(const std::string& extension, const cv::Mat& image,
                                 const std::vector<int>& params = {}) {
  std::vector<std::uint8_t> bytes;
  EXPECT_TRUE(cv::imencode(extension, image, bytes, params));
  return bytes;
}

// Expects `read` to throw InputError whose message names `path` and contains `fragment`.
void expectInputError(const std::function<void()>& read, const fs::path& path,
                      const std::string& fragment) {
  try {
    read();
    ADD_FAILURE() << "no InputError for " << path;
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(path.filename().string()), std::string::npos) << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
  }
}

void expectReadImageError(const fs::path& path, const std::string& fragment) {
  expectInputError([&] { readImage(path); }, path, fragment);
}

// An 8-bit BGR image with texture (compresses like a photo).
cv::Mat testImage8(int width, int height) { return toUint8(test::makeTestImage(width, height)); }

double maxAbsDifference(const cv::Mat& a, const cv::Mat& b) { return cv::norm(a, b, cv::NORM_INF); }

// An APP1 segment holding a little-endian Exif block with one tag: Orientation = value.
std::string exifOrientationSegment(std::uint8_t orientation) {
  std::string payload("Exif\0\0", 6);
  payload += std::string("II*\0\x08\0\0\0", 8);           // TIFF header, IFD at offset 8
  payload += std::string("\x01\0", 2);                    // one entry
  payload += std::string("\x12\x01\x03\0\x01\0\0\0", 8);  // tag 0x0112, SHORT, count 1
  payload += std::string(1, static_cast<char>(orientation)) + std::string(3, '\0');
  payload += std::string(4, '\0');  // no next IFD
  const std::size_t length = payload.size() + 2;
  return std::string("\xFF\xE1", 2) + static_cast<char>(length >> 8) +
         static_cast<char>(length & 0xFF) + payload;
}

// ---- Round trips ------------------------------------------------------------------------

struct RoundTripCase {
  std::string extension;
  ImageBitDepth depth;
  double max_error;       // largest allowed per-sample error
  double max_mean_error;  // largest allowed mean absolute error
};

class ImageIoRoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(ImageIoRoundTrip, WritesAndReadsBack) {
  const RoundTripCase& c = GetParam();
  test::TempDir dir;
  const cv::Mat image = test::makeTestImage(37, 23);
  const fs::path path = dir / ("image" + c.extension);
  writeImage(path, image, c.depth);
  EXPECT_EQ(test::countEntries(dir.path()), 1);
  const cv::Mat read = readImage(path);
  ASSERT_EQ(read.type(), CV_32FC3);
  ASSERT_EQ(read.size(), image.size());
  EXPECT_LE(maxAbsDifference(read, image), c.max_error);
  EXPECT_LE(cv::norm(read, image, cv::NORM_L1) / static_cast<double>(image.total() * 3),
            c.max_mean_error);
}

constexpr double k8BitStep = 0.5 / 255.0 + 1e-6;
constexpr double k16BitStep = 0.5 / 65535.0 + 1e-6;

INSTANTIATE_TEST_SUITE_P(
    AllFormats, ImageIoRoundTrip,
    ::testing::Values(RoundTripCase{".png", ImageBitDepth::k8, k8BitStep, k8BitStep},
                      RoundTripCase{".png", ImageBitDepth::k16, k16BitStep, k16BitStep},
                      RoundTripCase{".tif", ImageBitDepth::k8, k8BitStep, k8BitStep},
                      RoundTripCase{".tiff", ImageBitDepth::k16, k16BitStep, k16BitStep},
                      RoundTripCase{".bmp", ImageBitDepth::k8, k8BitStep, k8BitStep},
                      RoundTripCase{".webp", ImageBitDepth::k8, k8BitStep, k8BitStep},
                      RoundTripCase{".jpg", ImageBitDepth::k8, 0.15, 0.02},
                      RoundTripCase{".JPEG", ImageBitDepth::k8, 0.15, 0.02}),
    [](const ::testing::TestParamInfo<RoundTripCase>& info) {
      return info.param.extension.substr(1) +
             (info.param.depth == ImageBitDepth::k16 ? "_16bit" : "_8bit");
    });

// ---- Reading ----------------------------------------------------------------------------

TEST(ImageIoRead, SixteenBitPngKeepsFullPrecision) {
  test::TempDir dir;
  cv::Mat stored(2, 3, CV_16UC3);
  stored.setTo(cv::Scalar(0, 0, 0));
  stored.at<cv::Vec3w>(0, 0) = cv::Vec3w(1, 257, 65535);
  stored.at<cv::Vec3w>(1, 2) = cv::Vec3w(32768, 65534, 2);
  const fs::path path = dir / "deep.png";
  test::writeRawFile(path, toString(encode(".png", stored)));
  const cv::Mat read = readImage(path);
  ASSERT_EQ(read.type(), CV_32FC3);
  EXPECT_FLOAT_EQ(read.at<cv::Vec3f>(0, 0)[0], 1.0f / 65535.0f);
  EXPECT_FLOAT_EQ(read.at<cv::Vec3f>(0, 0)[1], 257.0f / 65535.0f);
  EXPECT_FLOAT_EQ(read.at<cv::Vec3f>(0, 0)[2], 1.0f);
  EXPECT_FLOAT_EQ(read.at<cv::Vec3f>(1, 2)[0], 32768.0f / 65535.0f);
  EXPECT_FLOAT_EQ(read.at<cv::Vec3f>(1, 2)[1], 65534.0f / 65535.0f);
}

TEST(ImageIoRead, GrayscalePngIsExpandedToThreeChannels) {
  test::TempDir dir;
  cv::Mat gray(4, 5, CV_8UC1, cv::Scalar(51));
  gray.at<std::uint8_t>(3, 4) = 255;
  const fs::path path = dir / "gray.png";
  test::writeRawFile(path, toString(encode(".png", gray)));
  const cv::Mat read = readImage(path);
  ASSERT_EQ(read.type(), CV_32FC3);
  for (int c = 0; c < 3; ++c) {
    EXPECT_FLOAT_EQ(read.at<cv::Vec3f>(0, 0)[c], 0.2f);
    EXPECT_FLOAT_EQ(read.at<cv::Vec3f>(3, 4)[c], 1.0f);
  }
}

TEST(ImageIoRead, RgbaPngAlphaIsDropped) {
  test::TempDir dir;
  cv::Mat bgra(3, 3, CV_8UC4, cv::Scalar(255, 0, 102, 0));  // fully transparent
  const fs::path path = dir / "alpha.png";
  test::writeRawFile(path, toString(encode(".png", bgra)));
  const cv::Mat read = readImage(path);
  ASSERT_EQ(read.type(), CV_32FC3);
  EXPECT_FLOAT_EQ(read.at<cv::Vec3f>(1, 1)[0], 1.0f);
  EXPECT_FLOAT_EQ(read.at<cv::Vec3f>(1, 1)[1], 0.0f);
  EXPECT_FLOAT_EQ(read.at<cv::Vec3f>(1, 1)[2], 0.4f);
}

TEST(ImageIoRead, JpegExifOrientationIsApplied) {
  // 32 wide, 16 high: left half dark, right half bright.
  cv::Mat image(16, 32, CV_8UC3, cv::Scalar(20, 20, 20));
  image(cv::Rect(16, 0, 16, 16)).setTo(cv::Scalar(235, 235, 235));
  std::string jpeg = toString(encode(".jpg", image, {cv::IMWRITE_JPEG_QUALITY, 95}));
  jpeg.insert(2, exifOrientationSegment(6));  // right after SOI
  test::TempDir dir;
  const fs::path path = dir / "rotated.jpg";
  test::writeRawFile(path, jpeg);
  const cv::Mat read = readImage(path);
  // Orientation 6: rotate 90 degrees clockwise, so the left half becomes the top half.
  ASSERT_EQ(read.cols, 16);
  ASSERT_EQ(read.rows, 32);
  EXPECT_LT(read.at<cv::Vec3f>(4, 8)[0], 0.2f);
  EXPECT_GT(read.at<cv::Vec3f>(27, 8)[0], 0.8f);
}

TEST(ImageIoRead, ConcatenatedJpegsLikeMpoReadTheFirstImage) {
  const cv::Mat first(8, 12, CV_8UC3, cv::Scalar(0, 0, 255));
  const cv::Mat second(8, 12, CV_8UC3, cv::Scalar(255, 0, 0));
  const std::string mpo = toString(encode(".jpg", first)) + toString(encode(".jpg", second));
  test::TempDir dir;
  const fs::path path = dir / "pair.mpo";
  test::writeRawFile(path, mpo);
  const cv::Mat read = readImage(path);
  ASSERT_EQ(read.size(), cv::Size(12, 8));
  EXPECT_GT(read.at<cv::Vec3f>(4, 6)[2], 0.9f);  // red
}

TEST(ImageIoRead, DetectsFormatsFromTheirSignature) {
  const cv::Mat image(4, 4, CV_8UC3, cv::Scalar(1, 2, 3));
  EXPECT_EQ(detectImageFormat(encode(".png", image)), ImageFileFormat::kPng);
  EXPECT_EQ(detectImageFormat(encode(".jpg", image)), ImageFileFormat::kJpeg);
  EXPECT_EQ(detectImageFormat(encode(".tif", image)), ImageFileFormat::kTiff);
  EXPECT_EQ(detectImageFormat(encode(".webp", image)), ImageFileFormat::kWebp);
  EXPECT_EQ(detectImageFormat(encode(".bmp", image)), ImageFileFormat::kBmp);
  EXPECT_EQ(detectImageFormat({'P', 'f', '\n'}), ImageFileFormat::kUnknown);
  EXPECT_EQ(detectImageFormat({}), ImageFileFormat::kUnknown);
  EXPECT_STREQ(imageFormatName(ImageFileFormat::kWebp), "WebP");
}

// ---- Bad inputs -------------------------------------------------------------------------

TEST(ImageIoReadErrors, MissingFile) {
  test::TempDir dir;
  expectReadImageError(dir / "absent.png", "does not exist");
}

TEST(ImageIoReadErrors, FolderInsteadOfFile) {
  test::TempDir dir;
  fs::create_directory(dir / "folder.png");
  expectReadImageError(dir / "folder.png", "folder");
}

TEST(ImageIoReadErrors, EmptyFile) {
  test::TempDir dir;
  test::writeRawFile(dir / "empty.png", "");
  expectReadImageError(dir / "empty.png", "empty");
}

TEST(ImageIoReadErrors, RandomBytesListSupportedFormats) {
  test::TempDir dir;
  std::string noise(1000, '\0');
  cv::RNG rng(7);
  for (char& c : noise) c = static_cast<char>(rng.uniform(0, 256));
  noise[0] = 'x';
  test::writeRawFile(dir / "noise.jpg", noise);
  expectReadImageError(dir / "noise.jpg", "PNG, JPEG, TIFF, WebP, BMP");
}

TEST(ImageIoReadErrors, TruncatedPng) {
  const std::string png = toString(encode(".png", testImage8(40, 30)));
  test::TempDir dir;
  for (const std::size_t keep : {std::size_t{8}, std::size_t{40}, png.size() / 2, png.size() - 1}) {
    const fs::path path = dir / ("cut" + std::to_string(keep) + ".png");
    test::writeRawFile(path, png.substr(0, keep));
    expectReadImageError(path, "truncated PNG");
  }
}

TEST(ImageIoReadErrors, CorruptPngDataIsRejected) {
  std::string png = toString(encode(".png", testImage8(40, 30)));
  const std::size_t idat = png.find("IDAT");
  ASSERT_NE(idat, std::string::npos);
  for (std::size_t i = idat + 8; i < idat + 40; ++i) png[i] = static_cast<char>(~png[i]);
  test::TempDir dir;
  test::writeRawFile(dir / "corrupt.png", png);
  expectReadImageError(dir / "corrupt.png", "PNG");
}

TEST(ImageIoReadErrors, TruncatedJpeg) {
  const std::string jpeg = toString(encode(".jpg", testImage8(40, 30)));
  test::TempDir dir;
  for (const std::size_t keep :
       {std::size_t{3}, std::size_t{30}, jpeg.size() / 2, jpeg.size() - 1}) {
    const fs::path path = dir / ("cut" + std::to_string(keep) + ".jpg");
    test::writeRawFile(path, jpeg.substr(0, keep));
    expectReadImageError(path, "JPEG");
  }
  const fs::path half = dir / "half.jpg";
  test::writeRawFile(half, jpeg.substr(0, jpeg.size() / 2));
  expectReadImageError(half, "truncated JPEG");
}

// Issue 24 item 8: damaged JPEG scan data was decoded into garbage (OpenCV prints libjpeg's
// "Corrupt JPEG data" warning and returns the image); so was a baseline JPEG whose SOF marker
// says arithmetic coding (SOF9). Both are errors now; a good JPEG still reads.
TEST(ImageIoReadErrors, CorruptJpegScanDataIsRejected) {
  const std::string jpeg =
      toString(encode(".jpg", testImage8(320, 240), {cv::IMWRITE_JPEG_QUALITY, 90}));
  const std::size_t sos = jpeg.find("\xFF\xDA");
  const std::size_t sof = jpeg.find("\xFF\xC0");
  ASSERT_NE(sos, std::string::npos);
  ASSERT_NE(sof, std::string::npos);
  const std::size_t middle = sos + (jpeg.size() - sos) / 2;
  test::TempDir dir;
  test::writeRawFile(dir / "good.jpg", jpeg);
  EXPECT_EQ(readImage(dir / "good.jpg").size(), cv::Size(320, 240));

  std::string zeroed = jpeg;
  std::fill(zeroed.begin() + static_cast<std::ptrdiff_t>(middle),
            zeroed.begin() + static_cast<std::ptrdiff_t>(middle + 200), '\0');
  test::writeRawFile(dir / "zeroed.jpg", zeroed);
  expectReadImageError(dir / "zeroed.jpg",
                       "corrupt JPEG, its image data does not decode (libjpeg: Corrupt JPEG data");

  std::string restart = jpeg;  // a restart marker where the scan has none
  restart[middle] = '\xFF';
  restart[middle + 1] = '\xD3';
  test::writeRawFile(dir / "restart.jpg", restart);
  expectReadImageError(dir / "restart.jpg", "corrupt JPEG");

  std::string arithmetic = jpeg;
  arithmetic[sof + 1] = '\xC9';
  test::writeRawFile(dir / "sof9.jpg", arithmetic);
  expectReadImageError(dir / "sof9.jpg", "corrupt JPEG");
}

// Issue 24 item 15: a 1-pixel-wide (or high) photo failed later with an internal OpenCV
// assertion in the view synthesis; it is refused when read, naming the size.
TEST(ImageIoReadErrors, OnePixelWideImageIsRefused) {
  test::TempDir dir;
  cv::imwrite((dir / "tall.png").string(), testImage8(1, 64));
  cv::imwrite((dir / "wide.png").string(), testImage8(64, 1));
  cv::imwrite((dir / "small.png").string(), testImage8(2, 2));
  expectReadImageError(dir / "tall.png", "the image is 1x64 pixels; at least 2x2 are needed");
  expectReadImageError(dir / "wide.png", "the image is 64x1 pixels");
  EXPECT_EQ(readImage(dir / "small.png").size(), cv::Size(2, 2));
}

// Issue 24 item 19: a PNG followed by a long tail was read whole before decoding. Only the
// bytes up to IEND are read now (the 3 GB sparse tail here is never touched).
TEST(ImageIoRead, BytesAfterThePngEndAreNotRead) {
  const std::string png = toString(encode(".png", testImage8(40, 30)));
  test::TempDir dir;
  const fs::path path = dir / "tail.png";
  test::writeRawFile(path, png);
  fs::resize_file(path, png.size() + (std::uintmax_t{3} << 30));
  const std::vector<std::uint8_t> bytes = readImageFileBytes(path);
  EXPECT_EQ(bytes.size(), png.size());
  EXPECT_EQ(readImage(path).size(), cv::Size(40, 30));
  EXPECT_LT(maxImageFileBytes(), std::uint64_t{3} << 30);  // other formats: bounded as well
}

TEST(ImageIoReadErrors, TruncatedWebpAndBmp) {
  const cv::Mat image = testImage8(40, 30);
  test::TempDir dir;
  const std::string webp = toString(encode(".webp", image));
  test::writeRawFile(dir / "cut.webp", webp.substr(0, webp.size() / 2));
  expectReadImageError(dir / "cut.webp", "truncated WebP");
  const std::string bmp = toString(encode(".bmp", image));
  test::writeRawFile(dir / "cut.bmp", bmp.substr(0, bmp.size() / 2));
  expectReadImageError(dir / "cut.bmp", "truncated BMP");
}

TEST(ImageIoReadErrors, TruncatedTiff) {
  const std::string tiff = toString(encode(".tif", testImage8(40, 30)));
  test::TempDir dir;
  for (const std::size_t keep : {std::size_t{20}, tiff.size() / 2, tiff.size() - 1}) {
    const fs::path path = dir / ("cut" + std::to_string(keep) + ".tif");
    test::writeRawFile(path, tiff.substr(0, keep));
    expectReadImageError(path, "TIFF");
  }
}

// ---- Writing ----------------------------------------------------------------------------

TEST(ImageIoWrite, ToUint8RoundsAndClamps) {
  cv::Mat image01(1, 5, CV_32FC1);
  image01.at<float>(0, 0) = -0.3f;
  image01.at<float>(0, 1) = 0.0f;
  image01.at<float>(0, 2) = 0.5f / 255.0f + 0.001f;
  image01.at<float>(0, 3) = 0.999f;
  image01.at<float>(0, 4) = 7.0f;
  const cv::Mat bytes = toUint8(image01);
  ASSERT_EQ(bytes.type(), CV_8UC1);
  EXPECT_EQ(bytes.at<std::uint8_t>(0, 0), 0);
  EXPECT_EQ(bytes.at<std::uint8_t>(0, 1), 0);
  EXPECT_EQ(bytes.at<std::uint8_t>(0, 2), 1);
  EXPECT_EQ(bytes.at<std::uint8_t>(0, 3), 255);
  EXPECT_EQ(bytes.at<std::uint8_t>(0, 4), 255);
}

TEST(ImageIoWrite, EncodeJpegProducesDecodableBytes) {
  const cv::Mat image = test::makeTestImage(24, 16);
  const std::vector<std::uint8_t> jpeg = encodeJpeg(image, 90);
  ASSERT_GT(jpeg.size(), 4u);
  EXPECT_EQ(detectImageFormat(jpeg), ImageFileFormat::kJpeg);
  EXPECT_EQ(jpeg[jpeg.size() - 2], 0xFF);
  EXPECT_EQ(jpeg[jpeg.size() - 1], 0xD9);
  const cv::Mat decoded = cv::imdecode(jpeg, cv::IMREAD_COLOR);
  EXPECT_EQ(decoded.size(), image.size());
  EXPECT_THROW(encodeJpeg(image, 0), OutputError);
  EXPECT_THROW(encodeJpeg(cv::Mat(), 90), OutputError);
}

TEST(ImageIoWrite, GrayscaleImageIsWritten) {
  test::TempDir dir;
  const cv::Mat gray(5, 6, CV_32FC1, cv::Scalar(0.6));
  writeImage(dir / "gray.png", gray);
  const cv::Mat read = readImage(dir / "gray.png");
  EXPECT_NEAR(read.at<cv::Vec3f>(2, 3)[1], 0.6f, 0.5 / 255.0);
}

void expectOutputError(const std::function<void()>& write, const std::string& fragment) {
  try {
    write();
    ADD_FAILURE() << "no OutputError";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(ImageIoWriteErrors, UnknownExtensionIsNamed) {
  test::TempDir dir;
  expectOutputError([&] { writeImage(dir / "photo.gif", test::makeTestImage(4, 4)); }, "'.gif'");
  expectOutputError([&] { writeImage(dir / "photo", test::makeTestImage(4, 4)); }, "photo");
  EXPECT_EQ(test::countEntries(dir.path()), 0);
}

TEST(ImageIoWriteErrors, MissingParentFolder) {
  test::TempDir dir;
  expectOutputError([&] { writeImage(dir / "absent" / "out.png", test::makeTestImage(4, 4)); },
                    "out.png");
  EXPECT_EQ(test::countEntries(dir.path()), 0);
}

TEST(ImageIoWriteErrors, DestinationIsAFolder) {
  test::TempDir dir;
  fs::create_directory(dir / "out.png");
  expectOutputError([&] { writeImage(dir / "out.png", test::makeTestImage(4, 4)); }, "out.png");
  EXPECT_EQ(test::countEntries(dir.path()), 1);
  EXPECT_TRUE(fs::is_directory(dir / "out.png"));
}

TEST(ImageIoWriteErrors, ReadOnlyFolder) {
  test::TempDir dir;
  const fs::path locked = test::unwritableFolder(dir);
  const int entries_before = test::countEntries(locked);
  expectOutputError([&] { writeImage(locked / "out.png", test::makeTestImage(4, 4)); }, "out.png");
  EXPECT_EQ(test::countEntries(locked), entries_before);
}

TEST(ImageIoWriteErrors, BadImagesAndQuality) {
  test::TempDir dir;
  expectOutputError([&] { writeImage(dir / "empty.png", cv::Mat()); }, "empty");
  expectOutputError([&] { writeImage(dir / "two.png", cv::Mat(3, 3, CV_32FC2)); }, "2 channels");
  expectOutputError(
      [&] { writeImage(dir / "q.jpg", test::makeTestImage(4, 4), ImageBitDepth::k8, 101); },
      "quality");
  EXPECT_EQ(test::countEntries(dir.path()), 0);
}

TEST(ImageIoWrite, OverwritesAnExistingFile) {
  test::TempDir dir;
  writeImage(dir / "same.png", cv::Mat(4, 4, CV_32FC3, cv::Scalar(0, 0, 0)));
  writeImage(dir / "same.png", cv::Mat(4, 4, CV_32FC3, cv::Scalar(1, 1, 1)));
  EXPECT_EQ(test::countEntries(dir.path()), 1);
  EXPECT_EQ(readImage(dir / "same.png").at<cv::Vec3f>(0, 0), cv::Vec3f(1, 1, 1));
}

}  // namespace
}  // namespace genstereo

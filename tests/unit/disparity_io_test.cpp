#include "io/disparity_io.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "errors.h"
#include "test_support.h"

namespace genstereo {
namespace {
namespace fs = std::filesystem;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

std::string floatBytes(float value, bool is_little_endian) {
  std::uint32_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) {
    const int shift = is_little_endian ? 8 * i : 8 * (3 - i);
    out[static_cast<std::size_t>(i)] = static_cast<char>((bits >> shift) & 0xFF);
  }
  return out;
}

std::string doubleBytesLittleEndian(double value) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>(bits >> (8 * i));
  return out;
}

// A .npy file with the given header dict; version 1 (16-bit header length) or 2 (32-bit).
std::string npyFile(const std::string& dict, const std::string& data, int major_version = 1) {
  std::string header = dict;
  const std::size_t prefix = major_version == 1 ? 10 : 12;
  header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string out = std::string("\x93NUMPY", 6) + static_cast<char>(major_version) + '\0';
  const std::size_t length = header.size();
  out += static_cast<char>(length & 0xFF);
  out += static_cast<char>((length >> 8) & 0xFF);
  if (major_version != 1) out += std::string(2, '\0');
  return out + header + data;
}

std::string float32Data(const std::vector<float>& values, bool is_little_endian = true) {
  std::string out;
  for (float v : values) out += floatBytes(v, is_little_endian);
  return out;
}

std::string toString(const std::vector<std::uint8_t>& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

void expectInputError(const fs::path& path, const std::string& fragment,
                      const DisparityReadOptions& options = {}) {
  try {
    readDisparity(path, options);
    ADD_FAILURE() << "no InputError for " << path;
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(path.filename().string()), std::string::npos) << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
  }
}

void expectOutputError(const std::function<void()>& write, const std::string& fragment) {
  try {
    write();
    ADD_FAILURE() << "no OutputError";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

// A map with values in [0, 200) and about one pixel in seven invalid.
DisparityMap makeTestMap(int width, int height) {
  cv::Mat values(height, width, CV_32FC1);
  cv::RNG rng(3);
  rng.fill(values, cv::RNG::UNIFORM, 0.0, 200.0);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      if ((x * 3 + y * 5) % 7 == 0) values.at<float>(y, x) = kNaN;
    }
  }
  values.at<float>(0, 1) = 0.0f;  // a valid zero must stay valid
  return makeDisparityMap(values);
}

// ---- makeDisparityMap and validFraction ------------------------------------------------

TEST(DisparityMap, MakeMarksNonFiniteAndNegativeInvalid) {
  cv::Mat values = (cv::Mat_<float>(1, 6) << 1.5f, kNaN, kInf, -kInf, -2.0f, 0.0f);
  const cv::Mat original = values.clone();
  const DisparityMap map = makeDisparityMap(values);
  const std::vector<std::uint8_t> expected_valid = {1, 0, 0, 0, 0, 1};
  for (int x = 0; x < 6; ++x) {
    EXPECT_EQ(map.valid.at<std::uint8_t>(0, x), expected_valid[static_cast<std::size_t>(x)]) << x;
    if (!expected_valid[static_cast<std::size_t>(x)]) {
      EXPECT_EQ(map.values.at<float>(0, x), 0.0f);
    }
  }
  EXPECT_EQ(map.values.at<float>(0, 0), 1.5f);
  EXPECT_DOUBLE_EQ(map.validFraction(), 2.0 / 6.0);
  EXPECT_TRUE(std::isnan(values.at<float>(0, 1))) << "the caller's pixels were modified";
  EXPECT_EQ(values.at<float>(0, 4), original.at<float>(0, 4));
  EXPECT_THROW(makeDisparityMap(cv::Mat(2, 2, CV_64FC1)), InputError);
  EXPECT_DOUBLE_EQ(DisparityMap{}.validFraction(), 0.0);
}

// ---- Round trips ------------------------------------------------------------------------

class DisparityIoRoundTrip : public ::testing::TestWithParam<std::pair<std::string, double>> {};

TEST_P(DisparityIoRoundTrip, KeepsValuesAndValidity) {
  const auto& [extension, tolerance] = GetParam();
  const DisparityMap map = makeTestMap(29, 17);
  test::TempDir dir;
  const fs::path path = dir / ("map" + extension);
  writeDisparity(path, map);
  EXPECT_EQ(test::countEntries(dir.path()), 1);
  const DisparityMap read = readDisparity(path);
  ASSERT_EQ(read.values.type(), CV_32FC1);
  ASSERT_EQ(read.valid.type(), CV_8UC1);
  ASSERT_EQ(read.values.size(), map.values.size());
  EXPECT_EQ(cv::countNonZero(read.valid != map.valid), 0);
  cv::Mat difference;
  cv::absdiff(read.values, map.values, difference);
  EXPECT_LE(cv::norm(difference, cv::NORM_INF, map.valid), tolerance);
  EXPECT_EQ(cv::countNonZero((read.values != 0) & (map.valid == 0)), 0)
      << "invalid values not zeroed";
  EXPECT_DOUBLE_EQ(read.validFraction(), map.validFraction());
}

INSTANTIATE_TEST_SUITE_P(AllFormats, DisparityIoRoundTrip,
                         ::testing::Values(std::make_pair(std::string(".pfm"), 0.0),
                                           std::make_pair(std::string(".npy"), 0.0),
                                           std::make_pair(std::string(".tif"), 0.0),
                                           std::make_pair(std::string(".TIFF"), 0.0),
                                           // 1/256 px: a valid 0 is stored as 1 to stay valid.
                                           std::make_pair(std::string(".png"), 1.0 / 256.0)),
                         [](const auto& info) { return info.param.first.substr(1); });

TEST(DisparityIoWrite, PngUsesKittiEncoding) {
  cv::Mat values = (cv::Mat_<float>(1, 4) << 12.5f, 300.0f, kNaN, 0.0f);
  test::TempDir dir;
  writeDisparity(dir / "kitti.png", makeDisparityMap(values));
  const cv::Mat stored = cv::imread((dir / "kitti.png").string(), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(stored.type(), CV_16UC1);
  EXPECT_EQ(stored.at<std::uint16_t>(0, 0), 3200);
  EXPECT_EQ(stored.at<std::uint16_t>(0, 1), 65535);  // clamped
  EXPECT_EQ(stored.at<std::uint16_t>(0, 2), 0);      // invalid
  EXPECT_EQ(stored.at<std::uint16_t>(0, 3), 1);      // valid zero stays valid
}

TEST(DisparityIoWrite, SignedDisparityKeepsItsSignWhereTheFormatCan) {
  // A converged run's disparity: negative in front of the screen. PFM keeps the sign (the
  // generate intermediates and the workbench's export); KITTI PNG cannot and writes invalid.
  cv::Mat values = (cv::Mat_<float>(1, 4) << -3.25f, 2.5f, kNaN, -kInf);
  const DisparityMap map = makeSignedDisparityMap(values);
  EXPECT_EQ(map.valid.at<std::uint8_t>(0, 0), 1);
  EXPECT_EQ(map.valid.at<std::uint8_t>(0, 2), 0);
  EXPECT_EQ(map.valid.at<std::uint8_t>(0, 3), 0);
  EXPECT_EQ(map.values.at<float>(0, 0), -3.25f);
  test::TempDir dir;
  writeDisparity(dir / "signed.pfm", map);
  writeDisparity(dir / "signed.png", map);
  cv::Mat pfm = cv::imread((dir / "signed.pfm").string(), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(pfm.type(), CV_32FC1);
  EXPECT_EQ(pfm.at<float>(0, 0), -3.25f);
  EXPECT_EQ(pfm.at<float>(0, 1), 2.5f);
  EXPECT_TRUE(std::isinf(pfm.at<float>(0, 2)));
  const cv::Mat png = cv::imread((dir / "signed.png").string(), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(png.type(), CV_16UC1);
  EXPECT_EQ(png.at<std::uint16_t>(0, 0), 0);  // negative: invalid, not a tiny positive
  EXPECT_EQ(png.at<std::uint16_t>(0, 1), 640);
}

TEST(DisparityIoWrite, PfmIsLittleEndianBottomToTopWithInfForInvalid) {
  cv::Mat values = (cv::Mat_<float>(2, 2) << 1.0f, 2.0f, 3.0f, kNaN);
  test::TempDir dir;
  writeDisparity(dir / "out.pfm", makeDisparityMap(values));
  const std::string expected = std::string("Pf\n2 2\n-1\n") + float32Data({3.0f, kInf, 1.0f, 2.0f});
  std::string bytes(expected.size() + 10, '\0');
  FILE* file = std::fopen((dir / "out.pfm").c_str(), "rb");
  ASSERT_NE(file, nullptr);
  bytes.resize(std::fread(bytes.data(), 1, bytes.size(), file));
  std::fclose(file);
  EXPECT_EQ(bytes, expected);
}

// ---- PFM --------------------------------------------------------------------------------

TEST(DisparityIoPfm, BigEndianRowsAreFlipped) {
  // 3 x 2, scale +1 (big endian). Stored rows: bottom row first.
  const std::string pfm = std::string("Pf\n3 2\n1.0\n") +
                          float32Data({10, 11, 12, 20, 21, 22}, /*is_little_endian=*/false);
  test::TempDir dir;
  test::writeRawFile(dir / "be.pfm", pfm);
  const DisparityMap map = readDisparity(dir / "be.pfm");
  ASSERT_EQ(map.width(), 3);
  ASSERT_EQ(map.height(), 2);
  EXPECT_EQ(map.values.at<float>(1, 0), 10.0f);  // first stored value: bottom-left
  EXPECT_EQ(map.values.at<float>(1, 2), 12.0f);
  EXPECT_EQ(map.values.at<float>(0, 0), 20.0f);  // top-left
  EXPECT_EQ(map.values.at<float>(0, 2), 22.0f);
  EXPECT_DOUBLE_EQ(map.validFraction(), 1.0);
}

TEST(DisparityIoPfm, LittleEndianWithInfinityAsInvalid) {
  const std::string pfm = std::string("Pf\n2 1\n-1.000000\n") + float32Data({kInf, 4.25f});
  test::TempDir dir;
  test::writeRawFile(dir / "mb.pfm", pfm);
  const DisparityMap map = readDisparity(dir / "mb.pfm");
  EXPECT_EQ(map.valid.at<std::uint8_t>(0, 0), 0);
  EXPECT_EQ(map.values.at<float>(0, 0), 0.0f);
  EXPECT_EQ(map.valid.at<std::uint8_t>(0, 1), 1);
  EXPECT_EQ(map.values.at<float>(0, 1), 4.25f);
}

// Issue 24 item 8: a header with CR LF line ends (written on Windows) was read one byte off,
// every disparity becoming a denormal like 5e-36. CR LF ends the header as one separator.
TEST(DisparityIoPfm, CrLfHeaderLineEnds) {
  const std::string pfm = std::string("Pf\r\n3 1\r\n-1\r\n") + float32Data({1.5f, 20.0f, 300.25f});
  test::TempDir dir;
  test::writeRawFile(dir / "crlf.pfm", pfm);
  const DisparityMap map = readDisparity(dir / "crlf.pfm");
  ASSERT_EQ(map.values.size(), cv::Size(3, 1));
  EXPECT_EQ(map.values.at<float>(0, 0), 1.5f);
  EXPECT_EQ(map.values.at<float>(0, 1), 20.0f);
  EXPECT_EQ(map.values.at<float>(0, 2), 300.25f);
}

TEST(DisparityIoPfm, ColourPfmTakesTheFirstChannel) {
  const std::string pfm = std::string("PF\n2 1\n-1\n") + float32Data({1, 100, 100, 2, 200, 200});
  test::TempDir dir;
  test::writeRawFile(dir / "rgb.pfm", pfm);
  const DisparityMap map = readDisparity(dir / "rgb.pfm");
  ASSERT_EQ(map.width(), 2);
  EXPECT_EQ(map.values.at<float>(0, 0), 1.0f);
  EXPECT_EQ(map.values.at<float>(0, 1), 2.0f);
}

TEST(DisparityIoPfm, TruncatedData) {
  const std::string pfm = std::string("Pf\n64 48\n-1\n") + std::string(1000, '\0');
  test::TempDir dir;
  test::writeRawFile(dir / "cut.pfm", pfm);
  expectInputError(
      dir / "cut.pfm",
      "truncated PFM: header says 64x48x1 float32 (12288 bytes of data), file has 1000");
}

TEST(DisparityIoPfm, BadHeaders) {
  test::TempDir dir;
  const std::vector<std::string> headers = {
      "Pf\n", "Pf\n3 x\n-1\n", "Pf\n3 2\n0\n", "Pf\n3 2\nscale\n", "Pf\n-3 2\n-1\n", "Pf\n3 2 -1"};
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const fs::path path = dir / ("bad" + std::to_string(i) + ".pfm");
    test::writeRawFile(path, headers[i] + std::string(24, '\0'));
    expectInputError(path, "bad PFM header");
  }
  test::writeRawFile(dir / "zero.pfm", "Pf\n0 0\n-1\n");
  expectInputError(dir / "zero.pfm", "0x0");
}

// ---- PNG --------------------------------------------------------------------------------

TEST(DisparityIoPng, KittiSixteenBit) {
  cv::Mat stored = (cv::Mat_<std::uint16_t>(1, 3) << 3200, 0, 65535);
  test::TempDir dir;
  ASSERT_TRUE(cv::imwrite((dir / "kitti.png").string(), stored));
  const DisparityMap map = readDisparity(dir / "kitti.png");
  EXPECT_FLOAT_EQ(map.values.at<float>(0, 0), 12.5f);
  EXPECT_EQ(map.valid.at<std::uint8_t>(0, 1), 0);
  EXPECT_FLOAT_EQ(map.values.at<float>(0, 2), 65535.0f / 256.0f);
  DisparityReadOptions options;
  options.png_divisor = 64.0;
  EXPECT_FLOAT_EQ(readDisparity(dir / "kitti.png", options).values.at<float>(0, 0), 50.0f);
  options.png_divisor = 0.0;
  expectInputError(dir / "kitti.png", "divisor", options);
}

TEST(DisparityIoPng, EightBitDividesByOneByDefault) {
  cv::Mat stored = (cv::Mat_<std::uint8_t>(1, 3) << 0, 7, 255);
  test::TempDir dir;
  ASSERT_TRUE(cv::imwrite((dir / "eight.png").string(), stored));
  const DisparityMap map = readDisparity(dir / "eight.png");
  EXPECT_EQ(map.valid.at<std::uint8_t>(0, 0), 0);
  EXPECT_EQ(map.values.at<float>(0, 1), 7.0f);
  EXPECT_EQ(map.values.at<float>(0, 2), 255.0f);
  DisparityReadOptions options;
  options.png_divisor = 4.0;
  EXPECT_EQ(readDisparity(dir / "eight.png", options).values.at<float>(0, 1), 1.75f);
}

TEST(DisparityIoPng, ColourPngIsRejected) {
  test::TempDir dir;
  ASSERT_TRUE(
      cv::imwrite((dir / "colour.png").string(), cv::Mat(4, 4, CV_8UC3, cv::Scalar(1, 2, 3))));
  expectInputError(dir / "colour.png", "3 channels");
}

TEST(DisparityIoPng, TruncatedPngIsRejected) {
  std::vector<std::uint8_t> png;
  cv::Mat stored(20, 30, CV_16UC1);
  cv::randu(stored, 0, 65535);
  ASSERT_TRUE(cv::imencode(".png", stored, png));
  test::TempDir dir;
  test::writeRawFile(dir / "cut.png", toString(png).substr(0, png.size() / 2));
  expectInputError(dir / "cut.png", "truncated PNG");
}

// ---- TIFF -------------------------------------------------------------------------------

TEST(DisparityIoTiff, Float64IsAccepted) {
  cv::Mat stored = (cv::Mat_<double>(2, 2) << 1.25, -1.0, 3.5, std::nan(""));
  test::TempDir dir;
  ASSERT_TRUE(cv::imwrite((dir / "double.tif").string(), stored));
  const DisparityMap map = readDisparity(dir / "double.tif");
  EXPECT_EQ(map.values.at<float>(0, 0), 1.25f);
  EXPECT_EQ(map.valid.at<std::uint8_t>(0, 1), 0);
  EXPECT_EQ(map.values.at<float>(1, 0), 3.5f);
  EXPECT_EQ(map.valid.at<std::uint8_t>(1, 1), 0);
}

TEST(DisparityIoTiff, IntegerTiffIsRejected) {
  test::TempDir dir;
  ASSERT_TRUE(cv::imwrite((dir / "int.tif").string(), cv::Mat(3, 3, CV_16UC1, cv::Scalar(5))));
  expectInputError(dir / "int.tif", "float32 or float64");
}

// ---- NPY --------------------------------------------------------------------------------

const std::string kNpy2x3 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

TEST(DisparityIoNpy, VersionOneFloat32) {
  test::TempDir dir;
  test::writeRawFile(dir / "a.npy", npyFile(kNpy2x3, float32Data({0, 1, 2, 3, 4, 5})));
  const DisparityMap map = readDisparity(dir / "a.npy");
  ASSERT_EQ(map.width(), 3);
  ASSERT_EQ(map.height(), 2);
  EXPECT_EQ(map.values.at<float>(1, 0), 3.0f);
  EXPECT_EQ(map.values.at<float>(0, 2), 2.0f);
}

TEST(DisparityIoNpy, VersionTwoBigEndianAndHxWx1) {
  test::TempDir dir;
  test::writeRawFile(dir / "b.npy",
                     npyFile("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3, 1), }",
                             float32Data({0, 1, 2, 3, 4, 5}, false), 2));
  const DisparityMap map = readDisparity(dir / "b.npy");
  ASSERT_EQ(map.values.size(), cv::Size(3, 2));
  EXPECT_EQ(map.values.at<float>(1, 2), 5.0f);
}

TEST(DisparityIoNpy, Float64) {
  std::string data;
  for (double v : {0.5, 1.5, -1.0, 2.5, 3.5, 4.5}) data += doubleBytesLittleEndian(v);
  test::TempDir dir;
  test::writeRawFile(dir / "d.npy",
                     npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }", data));
  const DisparityMap map = readDisparity(dir / "d.npy");
  ASSERT_EQ(map.values.size(), cv::Size(2, 3));
  EXPECT_EQ(map.values.at<float>(0, 1), 1.5f);
  EXPECT_EQ(map.valid.at<std::uint8_t>(1, 0), 0);
  EXPECT_EQ(map.values.at<float>(2, 1), 4.5f);
}

TEST(DisparityIoNpy, NonFiniteAndNegativeBecomeInvalid) {
  test::TempDir dir;
  test::writeRawFile(dir / "nan.npy",
                     npyFile(kNpy2x3, float32Data({kNaN, kInf, -kInf, -0.5f, 0.0f, 7.0f})));
  const DisparityMap map = readDisparity(dir / "nan.npy");
  EXPECT_EQ(cv::countNonZero(map.valid), 2);
  EXPECT_EQ(map.valid.at<std::uint8_t>(1, 1), 1);
  EXPECT_EQ(map.values.at<float>(1, 2), 7.0f);
  EXPECT_EQ(cv::countNonZero(map.values), 1);
}

TEST(DisparityIoNpy, Errors) {
  test::TempDir dir;
  const std::string six = float32Data({0, 1, 2, 3, 4, 5});
  test::writeRawFile(dir / "cut.npy", npyFile(kNpy2x3, six.substr(0, 10)));
  expectInputError(dir / "cut.npy",
                   "truncated NPY: header says 3x2 float32 (24 bytes of data), file has 10");
  test::writeRawFile(dir / "cuthead.npy", npyFile(kNpy2x3, "").substr(0, 30));
  expectInputError(dir / "cuthead.npy", "truncated NPY");
  test::writeRawFile(dir / "fortran.npy",
                     npyFile("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", six));
  expectInputError(dir / "fortran.npy", "Fortran");
  test::writeRawFile(
      dir / "int.npy",
      npyFile("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }", six + six));
  expectInputError(dir / "int.npy", "expected float32 or float64, found '<i8'");
  test::writeRawFile(
      dir / "rgb.npy",
      npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3), }", six));
  expectInputError(dir / "rgb.npy", "(1, 2, 3)");
  test::writeRawFile(dir / "flat.npy",
                     npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }", six));
  expectInputError(dir / "flat.npy", "(6,)");
  test::writeRawFile(dir / "zero.npy",
                     npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 0), }", ""));
  expectInputError(dir / "zero.npy", "0x0");
  test::writeRawFile(dir / "nokeys.npy", npyFile("{}", six));
  expectInputError(dir / "nokeys.npy", "bad NPY header");
}

// ---- Other bad inputs -------------------------------------------------------------------

TEST(DisparityIoReadErrors, MissingFolderEmptyRandom) {
  test::TempDir dir;
  expectInputError(dir / "absent.pfm", "does not exist");
  fs::create_directory(dir / "folder.npy");
  expectInputError(dir / "folder.npy", "folder");
  test::writeRawFile(dir / "empty.pfm", "");
  expectInputError(dir / "empty.pfm", "empty");
  std::string noise(500, '\0');
  cv::RNG rng(11);
  for (char& c : noise) c = static_cast<char>(rng.uniform(0, 256));
  noise[0] = 'z';
  test::writeRawFile(dir / "noise.pfm", noise);
  expectInputError(dir / "noise.pfm", "PFM, PNG");
}

TEST(DisparityIoReadErrors, JpegIsNotADisparityFormat) {
  std::vector<std::uint8_t> jpeg;
  ASSERT_TRUE(cv::imencode(".jpg", cv::Mat(8, 8, CV_8UC1, cv::Scalar(9)), jpeg));
  test::TempDir dir;
  test::writeRawFile(dir / "depth.jpg", toString(jpeg));
  expectInputError(dir / "depth.jpg", "JPEG");
}

// ---- Write errors -----------------------------------------------------------------------

TEST(DisparityIoWriteErrors, UnknownExtensionMissingFolderAndFolderDestination) {
  const DisparityMap map = makeTestMap(5, 4);
  test::TempDir dir;
  expectOutputError([&] { writeDisparity(dir / "map.exr", map); }, "'.exr'");
  expectOutputError([&] { writeDisparity(dir / "absent" / "map.pfm", map); }, "map.pfm");
  EXPECT_EQ(test::countEntries(dir.path()), 0);
  fs::create_directory(dir / "map.npy");
  expectOutputError([&] { writeDisparity(dir / "map.npy", map); }, "map.npy");
  EXPECT_EQ(test::countEntries(dir.path()), 1);
  EXPECT_TRUE(fs::is_directory(dir / "map.npy"));
}

TEST(DisparityIoWriteErrors, MalformedMap) {
  test::TempDir dir;
  expectOutputError([&] { writeDisparity(dir / "e.pfm", DisparityMap{}); }, "empty");
  DisparityMap mismatched = makeTestMap(5, 4);
  mismatched.valid = cv::Mat(2, 2, CV_8UC1, cv::Scalar(1));
  expectOutputError([&] { writeDisparity(dir / "m.pfm", mismatched); }, "validity mask");
  EXPECT_EQ(test::countEntries(dir.path()), 0);
}

}  // namespace
}  // namespace genstereo

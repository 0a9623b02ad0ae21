// The strip-parallel PNG encoder (io/png_encoder.h): decoded by OpenCV (libpng) to the exact
// pixels of the input, for every supported type, strip counts from 1 to one per row, odd sizes.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "errors.h"
#include "io/png_encoder.h"

namespace genstereo {
namespace {

cv::Mat patterned(int rows, int cols, int type, unsigned seed) {
  cv::Mat image(rows, cols, type);
  cv::RNG rng(seed);
  const double top = CV_MAT_DEPTH(type) == CV_16U ? 65535.0 : 255.0;
  rng.fill(image, cv::RNG::UNIFORM, 0.0, top + 1.0);
  // Flat runs and gradients as well as noise, so that the run-length strategy has work.
  if (rows > 4) image.rowRange(rows / 4, rows / 2).setTo(cv::Scalar::all(top / 3));
  return image;
}

void expectRoundTrip(const cv::Mat& image, int strips) {
  const std::vector<std::uint8_t> png = encodePng(image, strips);
  const cv::Mat decoded = cv::imdecode(png, cv::IMREAD_UNCHANGED);
  ASSERT_FALSE(decoded.empty()) << "libpng could not decode it: " << cv::typeToString(image.type())
                                << " " << image.cols << "x" << image.rows << ", " << strips
                                << " strips";
  ASSERT_EQ(decoded.type(), image.type());
  ASSERT_EQ(decoded.size(), image.size());
  EXPECT_EQ(cv::norm(decoded, image, cv::NORM_INF), 0.0)
      << cv::typeToString(image.type()) << " " << image.cols << "x" << image.rows << ", " << strips
      << " strips";
}

TEST(PngEncoder, EveryTypeDecodesToTheSamePixels) {
  for (const int type : {CV_8UC1, CV_8UC3, CV_8UC4, CV_16UC1, CV_16UC3, CV_16UC4}) {
    const cv::Mat image = patterned(37, 53, type, 5);
    for (const int strips : {1, 2, 3, 36, 37}) expectRoundTrip(image, strips);
  }
}

TEST(PngEncoder, TinyAndThinImages) {
  expectRoundTrip(patterned(1, 1, CV_8UC3, 1), 1);
  expectRoundTrip(patterned(1, 300, CV_8UC3, 2), 4);  // more strips than rows: one row
  expectRoundTrip(patterned(300, 1, CV_8UC1, 3), 7);
  expectRoundTrip(patterned(2, 2, CV_16UC1, 4), 2);
}

TEST(PngEncoder, LargeImageOnAllThreadsEqualsOpenCvsPixels) {
  const cv::Mat image = patterned(1500, 1700, CV_8UC3, 9);  // 7.6 MB: the parallel default
  const std::vector<std::uint8_t> ours = encodePng(image);
  std::vector<std::uint8_t> opencv;
  ASSERT_TRUE(cv::imencode(".png", image, opencv));
  const cv::Mat a = cv::imdecode(ours, cv::IMREAD_UNCHANGED);
  const cv::Mat b = cv::imdecode(opencv, cv::IMREAD_UNCHANGED);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0.0);
  // Same settings as OpenCV's default: the size is within a few percent of its file.
  EXPECT_LT(static_cast<double>(ours.size()), 1.05 * static_cast<double>(opencv.size()));
}

TEST(PngEncoder, UnsupportedImagesAreRefusedByName) {
  EXPECT_FALSE(isPngEncodable(cv::Mat()));
  EXPECT_FALSE(isPngEncodable(cv::Mat(4, 4, CV_32FC3)));
  EXPECT_FALSE(isPngEncodable(cv::Mat(4, 4, CV_8UC2)));
  try {
    encodePng(cv::Mat(4, 4, CV_32FC1));
    FAIL() << "a float image was encoded";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("CV_32FC1"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace genstereo

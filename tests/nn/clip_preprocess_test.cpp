// The CLIP preprocessing (Pillow bicubic resize, crop, normalisation) against the pixel values
// the official pipeline fed its image encoder (e2e_tiny: a 64x64 image up-sampled to 224).
// Pillow's fixed-point resampling is reproduced exactly, so the tolerance is float32 rounding
// of the normalisation: 1e-6.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include "image/clip_preprocess.h"
#include "image/pil_resize.h"
#include "nn_test_support.h"
#include "test_support.h"

namespace genstereo {
namespace {

TEST(ClipPreprocess, MatchesTheOfficialPixelValues) {
  const SafetensorsFile e2e(test::testDataDir() / "e2e" / "e2e_tiny.safetensors");
  const at::Tensor hwc = test::fixtureTensor(e2e, "input_image_uint8_hwc");
  cv::Mat rgb(64, 64, CV_8UC3);
  for (int y = 0; y < 64; ++y) {
    for (int x = 0; x < 64; ++x) {
      for (int c = 0; c < 3; ++c)
        rgb.at<cv::Vec3b>(y, x)[c] = static_cast<std::uint8_t>(hwc[y][x][c].item<float>());
    }
  }
  const cv::Mat pixels = clipPreprocess(rgb);
  const at::Tensor expected = test::fixtureTensor(e2e, "clip_pixel_values");
  double worst = 0.0;
  for (int c = 0; c < 3; ++c) {
    for (int y = 0; y < 224; ++y) {
      for (int x = 0; x < 224; ++x) {
        worst = std::max(worst, std::abs(static_cast<double>(pixels.at<cv::Vec3f>(y, x)[c]) -
                                         expected[0][c][y][x].item<double>()));
      }
    }
  }
  EXPECT_LE(worst, 1e-6);
}

TEST(PilResize, DownsamplingAveragesAndKeepsConstants) {
  cv::Mat constant(40, 60, CV_8UC3, cv::Scalar(10, 128, 250));
  const cv::Mat small = pilResize(constant, {17, 9}, PilFilter::kBicubic);
  EXPECT_EQ(small.size(), cv::Size(17, 9));
  EXPECT_EQ(cv::norm(small, cv::Mat(9, 17, CV_8UC3, cv::Scalar(10, 128, 250)), cv::NORM_INF), 0.0);
  cv::Mat stripes(8, 8, CV_8UC1);
  for (int x = 0; x < 8; ++x) stripes.col(x).setTo(x % 2 ? 255 : 0);
  const cv::Mat half = pilResize(stripes, {4, 8}, PilFilter::kBilinear);  // anti-aliased: grey
  for (int x = 1; x < 3; ++x) EXPECT_NEAR(half.at<std::uint8_t>(3, x), 128, 2);
}

}  // namespace
}  // namespace genstereo

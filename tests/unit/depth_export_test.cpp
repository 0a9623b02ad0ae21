// Export of depth and disparity: normalised 16-bit PNG, PFM round trip, colour preview, the
// combined export and atomic failure on an unwritable folder.
#include "io/depth_export.h"

#include <cmath>
#include <filesystem>
#include <limits>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "errors.h"
#include "stereo/disparity_preparation.h"
#include "test_support.h"

namespace genstereo {
namespace {

DisparityMap sampleDepth() {
  cv::Mat values(12, 16, CV_32FC1);
  for (int y = 0; y < values.rows; ++y) {
    for (int x = 0; x < values.cols; ++x)
      values.at<float>(y, x) = 0.25f + 0.125f * static_cast<float>(x);
  }
  values.at<float>(3, 4) = std::numeric_limits<float>::quiet_NaN();  // invalid
  return makeDisparityMap(values);
}

TEST(DepthExport, Png16IsNormalisedWithInvalidAsZero) {
  test::TempDir dir;
  const DisparityMap depth = sampleDepth();
  writeDepthPng16(dir / "d.png", depth);
  const cv::Mat png = cv::imread((dir / "d.png").string(), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(png.type(), CV_16UC1);
  EXPECT_EQ(png.at<std::uint16_t>(0, 0), 1);       // the farthest valid value
  EXPECT_EQ(png.at<std::uint16_t>(0, 15), 65535);  // the nearest
  EXPECT_EQ(png.at<std::uint16_t>(3, 4), 0);       // invalid
  EXPECT_EQ(png.at<std::uint16_t>(5, 5),
            static_cast<std::uint16_t>(std::lround(1 + 65534.0 * 5 / 15)));
}

TEST(DepthExport, PfmKeepsTheValues) {
  test::TempDir dir;
  const DisparityMap depth = sampleDepth();
  writeDepthPfm(dir / "d.pfm", depth);
  const DisparityMap back = readDisparity(dir / "d.pfm");
  EXPECT_EQ(cv::norm(back.values, depth.values, cv::NORM_INF), 0.0);
  EXPECT_EQ(back.valid.at<std::uint8_t>(3, 4), 0);
}

TEST(DepthExport, PreviewIsColourMappedNearBright) {
  test::TempDir dir;
  const DisparityMap depth = sampleDepth();
  writeDepthPreview(dir / "p.png", depth, DepthColormap::kInferno);
  const cv::Mat preview = cv::imread((dir / "p.png").string(), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(preview.type(), CV_8UC3);
  EXPECT_EQ(preview.at<cv::Vec3b>(3, 4), cv::Vec3b(0, 0, 0));
  const cv::Vec3b near = preview.at<cv::Vec3b>(0, 15);
  const cv::Vec3b far = preview.at<cv::Vec3b>(0, 0);
  EXPECT_GT(near[0] + near[1] + near[2], far[0] + far[1] + far[2]);
  const cv::Mat grey = renderDepthPreview(depth, DepthColormap::kGray);
  EXPECT_EQ(grey.at<cv::Vec3b>(0, 15), cv::Vec3b(255, 255, 255));
  EXPECT_STREQ(toString(DepthColormap::kTurbo), "turbo");
}

TEST(DepthExport, ExportsDepthAndDisparitySet) {
  test::TempDir dir;
  const DisparityMap depth = sampleDepth();
  const DisparityMap disparity = depthToDisparity(depth, DepthConversion{});
  const auto written = exportDepthAndDisparity(dir.path(), "photo", depth, disparity);
  ASSERT_EQ(written.size(), 5u);
  for (const auto& path : written) EXPECT_TRUE(std::filesystem::is_regular_file(path)) << path;
  EXPECT_EQ(written[3].filename(), "photo_disparity.pfm");
  const DisparityMap png = readDisparity(written[4]);
  // KITTI 16-bit PNG stores pixels * 256 as integers: within one step (1/256 px).
  EXPECT_LE(cv::norm(png.values, disparity.values, cv::NORM_INF, png.valid), 1.0 / 256 + 1e-6);
  EXPECT_EQ(test::countEntries(dir.path()), 5);
}

TEST(DepthExport, UnwritableFolderThrowsAndLeavesNothing) {
  test::TempDir dir;
  const std::filesystem::path locked = test::unwritableFolder(dir);
  const int before = test::countEntries(locked);
  EXPECT_THROW(writeDepthPng16(locked / "d.png", sampleDepth()), OutputError);
  EXPECT_THROW(writeDepthPreview(locked / "p.png", sampleDepth()), OutputError);
  EXPECT_THROW(writeDepthPreview(dir / "p.unknownext", sampleDepth()), OutputError);
  EXPECT_EQ(test::countEntries(locked), before);
}

}  // namespace
}  // namespace genstereo

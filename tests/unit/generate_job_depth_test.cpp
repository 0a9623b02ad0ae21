// The generate job with a depth source other than a disparity file: a depth estimator (as the
// Depth Anything V2 model plugs in; here a synthetic one) with depth shaping and the export of
// the depth and disparity used.
#include <gtest/gtest.h>

#include "errors.h"
#include "io/disparity_io.h"
#include "io/image_io.h"
#include "pipeline/generate_job.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

TEST(GenerateJobDepth, UsesTheEstimatorShapesAndExports) {
  test::TempDir dir;
  const cv::Mat photo = test::makeTestImage(64, 40, 5);
  writeImage(dir / "photo.png", photo);
  int calls = 0;
  GenerateJob job;
  job.image = dir / "photo.png";
  job.out_dir = dir / "out";
  job.depth_estimator = [&calls](const cv::Mat& image01) {
    ++calls;
    cv::Mat depth(image01.size(), CV_32FC1);
    for (int x = 0; x < depth.cols; ++x) depth.col(x).setTo(static_cast<float>(x));  // nearer to the right
    return makeDisparityMap(depth);
  };
  job.depth_shaping.edge_dilation_x_px = 1;
  job.export_depth = true;
  const GenerateReport report = runGenerateJob(job);
  EXPECT_EQ(calls, 1);
  for (const char* name : {"photo_depth.png", "photo_depth.pfm", "photo_depth_preview.png", "photo_disparity.pfm",
                           "photo_disparity.png", "photo_right.png"}) {
    EXPECT_TRUE(fs::exists(dir / "out" / name)) << name;
  }
  // Official conversion: the nearest column gets 0.15 * width of disparity.
  const DisparityMap used = readDisparity(dir / "out" / "photo_disparity.pfm");
  EXPECT_NEAR(used.values.at<float>(20, 63), 0.15f * 64, 1e-3);
  EXPECT_NEAR(used.values.at<float>(20, 0), 0.0f, 1e-3);
  EXPECT_GT(report.written.size(), 6u);
}

TEST(GenerateJobDepth, NeedsSomeGeometry) {
  test::TempDir dir;
  writeImage(dir / "photo.png", test::makeTestImage(8, 8));
  GenerateJob job;
  job.image = dir / "photo.png";
  job.out_dir = dir / "out";
  EXPECT_THROW(validateGenerateJob(job), InputError);
}

}  // namespace
}  // namespace genstereo

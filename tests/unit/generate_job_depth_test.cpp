// The generate job with a depth map instead of a disparity file: depth shaping and the export
// of the depth and disparity used; and a photo without any map in an engine without models.
// (Depth estimated by Depth Anything V2: tests/nn/engine_models_test.cpp.)
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
  cv::Mat depth(photo.size(), CV_32FC1);
  for (int x = 0; x < depth.cols; ++x)
    depth.col(x).setTo(static_cast<float>(x));  // nearer to the right
  writeDisparity(dir / "photo_depth_map.pfm", makeDisparityMap(depth));
  GenerateJob job;
  job.image = dir / "photo.png";
  job.depth = dir / "photo_depth_map.pfm";
  job.out_dir = dir / "out";
  job.run.depth_shaping.edge_dilation_x_px = 1;
  job.export_depth = true;
  StereoEngine engine;
  const GenerateReport report = runGenerateJob(engine, job);
  for (const char* name : {"photo_depth.png", "photo_depth.pfm", "photo_depth_preview.png",
                           "photo_disparity.pfm", "photo_disparity.png", "photo_right.png"}) {
    EXPECT_TRUE(fs::exists(dir / "out" / name)) << name;
  }
  // Official conversion: the nearest column gets 0.15 * width of disparity.
  const DisparityMap used = readDisparity(dir / "out" / "photo_disparity.pfm");
  EXPECT_NEAR(used.values.at<float>(20, 63), 0.15f * 64, 1e-3);
  EXPECT_NEAR(used.values.at<float>(20, 0), 0.0f, 1e-3);
  EXPECT_GT(report.written.size(), 6u);
}

TEST(GenerateJobDepth, WithoutMapAndModelsFailsBeforeWritingAnything) {
  test::TempDir dir;
  writeImage(dir / "photo.png", test::makeTestImage(8, 8));
  GenerateJob job;
  job.image = dir / "photo.png";
  job.out_dir = dir / "out";
  StereoEngine engine;
  try {
    runGenerateJob(engine, job);
    FAIL() << "no map and no depth model: must throw";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no disparity or depth map"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(fs::exists(dir / "out"));
}

}  // namespace
}  // namespace genstereo

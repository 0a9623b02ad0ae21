// GenStereo's evaluation protocol (eval --protocol official): the pair preparation and piq's
// PSNR / SSIM as evaluation.py computes them.
#include <gtest/gtest.h>

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "eval/official_protocol.h"
#include "io/disparity_io.h"
#include "io/image_io.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

TEST(OfficialProtocol, PsnrIsPiqsFormula) {
  const cv::Mat a(64, 64, CV_32FC3, cv::Scalar::all(0.5));
  const cv::Mat b(64, 64, CV_32FC3, cv::Scalar::all(0.6));
  // mse = 0.01 -> 10 log10(1 / (0.01 + 1e-8))
  EXPECT_NEAR(piqPsnr(a, b), 10.0 * std::log10(1.0 / (0.01 + 1e-8)), 1e-5);
  EXPECT_NEAR(piqPsnr(a, a), 80.0, 1e-9);  // piq's 1e-8 floor
}

TEST(OfficialProtocol, SsimIsOneForIdenticalImagesAndFallsWithNoise) {
  const cv::Mat image = test::makeTestImage(512, 512, 3);
  EXPECT_NEAR(piqSsim(image, image), 1.0, 1e-12);
  cv::Mat noisy = image.clone();
  cv::Mat noise(noisy.size(), noisy.type());
  cv::randn(noise, cv::Scalar::all(0.0), cv::Scalar::all(0.05));
  noisy += noise;
  const double ssim = piqSsim(image, noisy);
  EXPECT_LT(ssim, 0.99);
  EXPECT_GT(ssim, 0.3);
}

TEST(OfficialProtocol, SsimDownsamplesLikePiq) {
  // At 512 x 512 piq pools 2x2 first (f = round(512 / 256) = 2): the result equals the SSIM of
  // the pooled images, where no further pooling happens (round(256 / 256) = 1).
  const cv::Mat a = test::makeTestImage(512, 512, 4);
  const cv::Mat b = test::makeTestImage(512, 512, 5);
  cv::Mat a_pooled, b_pooled;
  cv::resize(a, a_pooled, {256, 256}, 0, 0, cv::INTER_AREA);
  cv::resize(b, b_pooled, {256, 256}, 0, 0, cv::INTER_AREA);
  EXPECT_NEAR(piqSsim(a, b), piqSsim(a_pooled, b_pooled), 1e-6);
}

TEST(OfficialProtocol, PairIsSquashedToSAndDisparityScaledByTheWidth) {
  cv::Mat left = test::makeTestImage(120, 60, 1);
  cv::Mat right = test::makeTestImage(120, 60, 2);
  DisparityMap disparity = makeDisparityMap(cv::Mat(60, 120, CV_32FC1, cv::Scalar(12.0f)));
  prepareOfficialPair(64, left, right, disparity);
  EXPECT_EQ(left.size(), cv::Size(64, 64));
  EXPECT_EQ(right.size(), cv::Size(64, 64));
  ASSERT_EQ(disparity.values.size(), cv::Size(64, 64));
  EXPECT_NEAR(disparity.values.at<float>(10, 10), 12.0f * 64.0f / 120.0f, 1e-5);
  EXPECT_EQ(left.type(), CV_32FC3);
}

TEST(OfficialProtocol, CliPrintsTheTableWithAMeanRow) {
  test::TempDir dir;
  const fs::path pair = dir / "data" / "shifted";
  fs::create_directories(pair);
  const int width = 96, height = 48, d = 4;
  const cv::Mat left = test::makeTestImage(width, height, 1);
  cv::Mat right = test::makeTestImage(width, height, 2);
  left.colRange(d, width).copyTo(right.colRange(0, width - d));
  writeImage(pair / "left.png", left);
  writeImage(pair / "right.png", right);
  writeDisparity(
      pair / "disp_left.pfm",
      makeDisparityMap(cv::Mat(height, width, CV_32FC1, cv::Scalar(static_cast<float>(d)))));
  const test::CliRun run = test::runCli({"eval", (dir / "data").string(), "--protocol", "official",
                                         "--size", "128", "--methods", "naive,ours", "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("protocol: official"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("MEAN"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("128x128"), std::string::npos) << run.out;
  EXPECT_EQ(test::runCli({"eval", (dir / "data").string(), "--protocol", "unofficial"}).exit_code,
            2);
}

}  // namespace
}  // namespace genstereo

// Parity of the forward warp and the coordinate embedding with the official GenStereo code
// (fixtures tests/data/warp, produced by genstereo.ops.convert_left_to_right_torch through
// GenStereo.prepare_conditions_stereogen, torch 1.13 CPU float32).
// Tolerances: masks and warped pixels must match exactly (a pure copy); the embedding is
// computed with std::sin/std::cos in float32 against torch's vectorised sin/cos: max abs
// difference 1e-6.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "io/safetensors_reader.h"
#include "stereo/coordinate_embedding.h"
#include "stereo/forward_warp.h"
#include "test_support.h"

namespace genstereo {
namespace {

// Converts a [C, H, W] (or [1, C, H, W]) float tensor to an HxW Mat with C channels.
cv::Mat chwToMat(const SafetensorsFile& file, const std::string& name, int height, int width) {
  const std::vector<float> data = file.readAsFloat32(name);
  const int channels = static_cast<int>(data.size() / (static_cast<std::size_t>(height) * width));
  cv::Mat mat(height, width, CV_32FC(channels));
  for (int c = 0; c < channels; ++c) {
    for (int y = 0; y < height; ++y) {
      float* row = mat.ptr<float>(y);
      for (int x = 0; x < width; ++x) {
        row[x * channels + c] = data[(static_cast<std::size_t>(c) * height + y) * width + x];
      }
    }
  }
  return mat;
}

double maxAbsDiff(const cv::Mat& a, const cv::Mat& b) {
  EXPECT_EQ(a.size(), b.size());
  EXPECT_EQ(a.channels(), b.channels());
  cv::Mat fa, fb;
  a.convertTo(fa, CV_32F);
  b.convertTo(fb, CV_32F);
  return cv::norm(fa.reshape(1), fb.reshape(1), cv::NORM_INF);
}

class WarpParity : public ::testing::TestWithParam<std::string> {};

TEST_P(WarpParity, MatchesOfficialWarpAndEmbedding) {
  const SafetensorsFile file(test::testDataDir() / "warp" /
                             ("warp_" + GetParam() + ".safetensors"));
  const int height = 48;
  const int width = 64;
  const cv::Mat source = chwToMat(file, "src_image", height, width);  // RGB, [-1, 1]
  const cv::Mat disparity = chwToMat(file, "src_disparity", height, width);

  const cv::Mat embedding = computeCoordinateEmbedding(width, height);
  EXPECT_LE(maxAbsDiff(embedding, chwToMat(file, "embed", height, width)), 1e-6);

  const WarpCorrespondence warp = computeForwardWarp(disparity, WarpDirection::kLeftToRight);
  EXPECT_EQ(maxAbsDiff(warp.valid, chwToMat(file, "mask_valid", height, width)), 0.0);
  EXPECT_EQ(maxAbsDiff(warp.holeMask(), chwToMat(file, "direct_mask_invalid", height, width)), 0.0);
  const cv::Mat warped_image = applyWarp(warp, source, -1.0);
  EXPECT_EQ(maxAbsDiff(warped_image, chwToMat(file, "warped_image", height, width)), 0.0);
  const cv::Mat warped_embedding = applyWarp(warp, embedding, 0.0);
  EXPECT_LE(maxAbsDiff(warped_embedding, chwToMat(file, "warped_embed", height, width)), 1e-6);

  EXPECT_LE(maxAbsDiff(makeConditionMap(embedding, cv::Mat(), source),
                       chwToMat(file, "src_coords_embed", height, width)),
            1e-6);
  EXPECT_LE(maxAbsDiff(makeConditionMap(warped_embedding, warp.holeMask(), warped_image),
                       chwToMat(file, "trg_coords_embed", height, width)),
            1e-6);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, WarpParity, ::testing::Values("A_occlusion", "B_invalid"));

TEST(ForwardWarp, RoundsHalfToEvenLikeTorch) {
  // 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -0.5 -> -0.
  cv::Mat d = (cv::Mat_<float>(1, 8) << 0.5f, 0.5f, 1.5f, 2.5f, -0.5f, 0.f, 0.f, 0.f);
  const WarpCorrespondence w = computeForwardWarp(d, WarpDirection::kLeftToRight);
  // x=0 (d 0) -> 0; x=1 (d 0) -> 1; x=2 (d 2) -> 0; x=3 (d 2) -> 1; x=4 (d 0) -> 4.
  EXPECT_EQ(w.source_x.at<int>(0, 0), 2);
  EXPECT_EQ(w.source_x.at<int>(0, 1), 3);
  EXPECT_EQ(w.source_x.at<int>(0, 2), -1);
  EXPECT_EQ(w.source_x.at<int>(0, 4), 4);
}

TEST(ForwardWarp, NearerSurfaceWinsInBothDirections) {
  // Background d=1 everywhere, a foreground pixel at x=5 with d=3.
  cv::Mat d(1, 10, CV_32FC1, cv::Scalar(1.0f));
  d.at<float>(0, 5) = 3.0f;
  const WarpCorrespondence right = computeForwardWarp(d, WarpDirection::kLeftToRight);
  EXPECT_EQ(right.source_x.at<int>(0, 2), 5);  // 5-3 = 2, background x=3 -> 2 loses
  const WarpCorrespondence left = computeForwardWarp(d, WarpDirection::kRightToLeft);
  EXPECT_EQ(left.source_x.at<int>(0, 8), 5);  // 5+3 = 8, background x=7 -> 8 loses
  EXPECT_FLOAT_EQ(left.disparity_px.at<float>(0, 8), 3.0f);
}

TEST(ForwardWarp, NonFiniteDisparityLeavesAHole) {
  cv::Mat d(1, 4, CV_32FC1, cv::Scalar(0.0f));
  d.at<float>(0, 2) = std::nanf("");
  const WarpCorrespondence w = computeForwardWarp(d, WarpDirection::kLeftToRight);
  EXPECT_EQ(w.valid.at<std::uint8_t>(0, 2), 0);
  EXPECT_EQ(w.valid.at<std::uint8_t>(0, 1), 1);
}

}  // namespace
}  // namespace genstereo

// Parity of the pose guider and the adaptive fusion layer with the official code (fixture
// e2e_tiny: official classes, deterministic random weights, torch 1.13 CPU float32), loading
// the official .pth files through the strict loader. Tolerance: 1e-5 max abs (float32 convs,
// different kernels and summation order; observed differences are ~1e-7).
#include <gtest/gtest.h>

#include <cmath>

#include <torch/torch.h>

#include "errors.h"
#include "io/checkpoint_file.h"
#include "nn/adaptive_fusion.h"
#include "nn/attention.h"
#include "nn/pose_guider.h"
#include "nn/state_dict_loader.h"
#include "nn_test_support.h"
#include "test_support.h"

namespace genstereo {
namespace {

const SafetensorsFile& e2e() {
  static const SafetensorsFile file(test::testDataDir() / "e2e" / "e2e_tiny.safetensors");
  return file;
}

std::filesystem::path weights(const std::string& name) {
  return test::testDataDir() / "checkpoints" / name;
}

// The large-attention path (one head and a block of query rows at a time, the softmax's division
// applied to the output) against the textbook formula in double precision. Sizes: above the
// blocked path's threshold (2^22 scores), with a last block shorter than the others and keys
// of two lengths (self-attention, and the reference-shared [x, bank] of twice the length).
TEST(ScaledDotProductAttention, BlockedPathEqualsTheFormula) {
  torch::NoGradGuard no_grad;
  torch::manual_seed(7);
  for (const std::int64_t keys : {std::int64_t{1500}, std::int64_t{3000}}) {
    const at::Tensor q = torch::randn({3, 1501, 40}) * 2.0;
    const at::Tensor k = torch::randn({3, keys, 40});
    const at::Tensor v = torch::randn({3, keys, 24});
    ASSERT_GT(q.size(0) * q.size(1) * keys, std::int64_t{1} << 22)
        << "the test must take the blocked path";
    const double scale = 1.0 / std::sqrt(40.0);
    const at::Tensor expected = at::matmul(
        at::softmax(at::matmul(q.to(at::kDouble), k.to(at::kDouble).transpose(1, 2)) * scale, -1),
        v.to(at::kDouble));
    const at::Tensor got = scaledDotProductAttention(q, k, v, scale);
    ASSERT_EQ(got.sizes(), expected.sizes());
    const double max_error = (got.to(at::kDouble) - expected).abs().max().item<double>();
    EXPECT_LT(max_error, 2e-5) << "keys " << keys;  // float32 rounding of sums over `keys` terms
  }
}

TEST(PoseGuider, MatchesOfficialOutputsForBothViews) {
  torch::NoGradGuard no_grad;
  PoseGuiderConfig config;
  config.embedding_channels = 32;  // the tiny fixture's U-Net width
  PoseGuider guider(config);
  loadStateDict(*guider, *CheckpointFile::open(weights("pose_guider.pth")));
  for (const char* view : {"src", "trg"}) {
    const at::Tensor input =
        test::fixtureTensor(e2e(), std::string("pose_guider_in_") + view).squeeze(2);
    const at::Tensor expected =
        test::fixtureTensor(e2e(), std::string("pose_guider_out_") + view).squeeze(2);
    const at::Tensor output = guider->forward(input);
    EXPECT_LE(test::maxAbsDiff(output, expected), 1e-5) << view;
  }
}

TEST(AdaptiveFusion, MatchesOfficialWeightsAndFusedImage) {
  torch::NoGradGuard no_grad;
  AdaptiveFusion fusion;
  loadStateDict(*fusion, *CheckpointFile::open(weights("fusion_layer.safetensors")));
  const FusionOutput out = fusion->forward(test::fixtureTensor(e2e(), "synthesized"),
                                           test::fixtureTensor(e2e(), "warped01"),
                                           test::fixtureTensor(e2e(), "mask_valid_opened7"));
  EXPECT_LE(test::maxAbsDiff(out.weights, test::fixtureTensor(e2e(), "fusion_weights")), 1e-5);
  EXPECT_LE(test::maxAbsDiff(out.fused, test::fixtureTensor(e2e(), "fused")), 1e-5);
}

TEST(StateDictLoader, NamesMissingUnexpectedAndMisshapenKeys) {
  PoseGuiderConfig config;  // full size: 320 output channels, the tiny file has 32
  PoseGuider guider(config);
  try {
    loadStateDict(*guider, *CheckpointFile::open(weights("pose_guider.pth")));
    ADD_FAILURE() << "a 32-channel pose guider loaded into a 320-channel one";
  } catch (const CheckpointError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("pose_guider.pth"), std::string::npos) << message;
    EXPECT_NE(message.find("conv_out.weight"), std::string::npos) << message;
    EXPECT_NE(message.find("[32, 128, 3, 3]"), std::string::npos) << message;
    EXPECT_NE(message.find("[320, 128, 3, 3]"), std::string::npos) << message;
  }
  AdaptiveFusion fusion;
  try {
    loadStateDict(*fusion, *CheckpointFile::open(weights("pose_guider.pth")));
    ADD_FAILURE() << "a pose guider file loaded into the fusion layer";
  } catch (const CheckpointError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("missing key(s) 'fusion_layer.0.bias'"), std::string::npos) << message;
    EXPECT_NE(message.find("unexpected key(s)"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace genstereo

// The GenStereo U-Nets against the official code (e2e_tiny: the official reference
// UNet2DConditionModel and the denoising UNet3DConditionModel built from the tiny config,
// deterministic random weights, torch 1.13 CPU float32): the output of every top-level part on
// the first call of each network, the reference-attention banks, and the CFG pair of noise
// predictions at step 0. Tolerance 1e-4 max abs (about 20 float32 layers with other kernels;
// observed differences are printed). Manifests: both variants, both networks, full size.
// The tiny U-Net weights (7 MB each) are read from ../shared/fixtures; without it the parity
// tests skip.
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <map>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "io/checkpoint_file.h"
#include "manifest_support.h"
#include "nn/state_dict_loader.h"
#include "nn/unet_2d_condition.h"
#include "nn_test_support.h"
#include "shared_fixtures.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

UNetConfig tinyConfig(bool has_output_head) {
  UNetConfig c;
  c.block_out_channels = {32, 32, 64, 64};
  c.layers_per_block = 1;
  c.attention_heads = {2, 2, 4, 4};
  c.cross_attention_dim = 272;
  c.use_linear_projection = true;
  c.has_output_head = has_output_head;
  return c;
}

// The traversal index of a transformer block path such as
// "up_blocks.2.attentions.1.transformer_blocks.0" in the tiny config: down 0..2, mid, up 1..3 with
// two attentions each.
int blockIndex(const std::string& path) {
  static const std::map<std::string, int> order = {
      {"down_blocks.0.attentions.0", 0}, {"down_blocks.1.attentions.0", 1},
      {"down_blocks.2.attentions.0", 2}, {"mid_block.attentions.0", 3},
      {"up_blocks.1.attentions.0", 4},   {"up_blocks.1.attentions.1", 5},
      {"up_blocks.2.attentions.0", 6},   {"up_blocks.2.attentions.1", 7},
      {"up_blocks.3.attentions.0", 8},   {"up_blocks.3.attentions.1", 9}};
  return order.at(path.substr(0, path.find(".transformer_blocks")));
}

class UNetParity : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::path shared;
    GENSTEREO_NEED_SHARED_FIXTURES(shared, "tiny U-Net weights live there");
    weights_ = shared / "e2e_tiny" / "weights";
    reference_ = UNet2DCondition(tinyConfig(false));
    denoising_ = UNet2DCondition(tinyConfig(true));
    loadStateDict(*reference_, *CheckpointFile::open(weights_ / "reference_unet.safetensors"));
    loadStateDict(*denoising_, *CheckpointFile::open(weights_ / "denoising_unet.pth"));
  }

  // The official reference pass: batch 2 (uncond, cond), t = 0, source pose features.
  void runReference(ReferenceAttention& bank, std::map<std::string, at::Tensor>* outputs) {
    UNetInputs in;
    in.sample = test::fixtureTensor(e2e_, "ref_image_latents").repeat({2, 1, 1, 1});
    in.timestep = at::scalar_tensor(0.0, at::kFloat);
    in.context = test::fixtureTensor(e2e_, "image_prompt_embeds");
    in.pose_features =
        test::fixtureTensor(e2e_, "pose_guider_out_src").squeeze(2).repeat({2, 1, 1, 1});
    bank.mode = ReferenceAttention::Mode::kWrite;
    in.reference = &bank;
    in.block_outputs = outputs;
    reference_->forward(in);
  }

  const SafetensorsFile e2e_{test::testDataDir() / "e2e" / "e2e_tiny.safetensors"};
  const SafetensorsFile blocks_{test::testDataDir() / "e2e" / "e2e_tiny_blocks.safetensors"};
  fs::path weights_;
  UNet2DCondition reference_{nullptr};
  UNet2DCondition denoising_{nullptr};
};

TEST_F(UNetParity, ReferenceUNetBlocksAndBanks) {
  torch::NoGradGuard no_grad;
  ReferenceAttention bank;
  std::map<std::string, at::Tensor> outputs;
  runReference(bank, &outputs);
  for (const auto& [name, value] : outputs) {
    const double diff = test::maxAbsDiff(value, test::fixtureTensor(blocks_, "refunet." + name));
    EXPECT_LE(diff, 1e-4) << name;
  }
  EXPECT_EQ(outputs.size(), 11u);
  ASSERT_EQ(bank.banks.size(), 10u);
  const SafetensorsFile banks(test::testDataDir() / "e2e" / "e2e_tiny_refbank.safetensors");
  std::ifstream json_in(test::testDataDir() / "e2e" / "e2e_tiny_refbank.json");
  const nlohmann::json pairs = nlohmann::json::parse(json_in)["pairs"];
  for (const auto& pair : pairs) {
    char key[32];
    std::snprintf(key, sizeof key, "refbank%02d_reader", pair["index"].get<int>());
    const at::Tensor& ours =
        bank.banks[static_cast<std::size_t>(blockIndex(pair["writer"].get<std::string>()))];
    // Both sides are rounded to float16: equal up to one float16 step of the inputs' error.
    EXPECT_LE(test::maxAbsDiff(ours, test::fixtureTensor(banks, key)), 2e-3) << key;
  }
}

TEST_F(UNetParity, DenoisingUNetStepZeroWithReferenceAttentionAndCfg) {
  torch::NoGradGuard no_grad;
  ReferenceAttention bank;
  runReference(bank, nullptr);
  bank.mode = ReferenceAttention::Mode::kRead;
  bank.next_block = 0;
  bank.unconditional_batch = 1;
  std::map<std::string, at::Tensor> outputs;
  UNetInputs in;
  in.sample = test::fixtureTensor(e2e_, "step0_unet_input").squeeze(2);
  in.timestep = at::scalar_tensor(999, at::kLong);
  in.context = test::fixtureTensor(e2e_, "image_prompt_embeds");
  in.pose_features =
      test::fixtureTensor(e2e_, "pose_guider_out_trg").squeeze(2).repeat({2, 1, 1, 1});
  in.reference = &bank;
  in.block_outputs = &outputs;
  const at::Tensor prediction = denoising_->forward(in);
  EXPECT_EQ(bank.next_block, bank.banks.size());
  for (const auto& [name, value] : outputs) {
    at::Tensor expected = test::fixtureTensor(blocks_, "denoise_step0." + name);
    if (expected.dim() == 5) expected = expected.squeeze(2);
    EXPECT_LE(test::maxAbsDiff(value, expected), 1e-4) << name;
  }
  EXPECT_LE(test::maxAbsDiff(prediction,
                             test::fixtureTensor(e2e_, "step0_unet_output_cfg_pair").squeeze(2)),
            1e-4);
}

struct ManifestCase {
  const char* manifest;
  bool is_sd21;
  bool has_output_head;
};

class UNetManifest : public ::testing::TestWithParam<ManifestCase> {};

TEST_P(UNetManifest, FullSizeMatches) {
  const ManifestCase c = GetParam();
  UNetConfig config = c.is_sd21 ? UNetConfig::sd21() : UNetConfig::sd15();
  config.has_output_head = c.has_output_head;
  UNet2DCondition unet(config);
  EXPECT_EQ(test::compareWithManifest(
                *unet, test::testDataDir() / "manifests" / (std::string(c.manifest) + ".json")),
            "");
}

INSTANTIATE_TEST_SUITE_P(
    Checkpoints, UNetManifest,
    ::testing::Values(ManifestCase{"genstereo-v2.1_denoising_unet", true, true},
                      ManifestCase{"genstereo-v2.1_reference_unet", true, false},
                      ManifestCase{"genstereo-v1.5_denoising_unet", false, true},
                      ManifestCase{"genstereo-v1.5_reference_unet", false, false}),
    [](const ::testing::TestParamInfo<ManifestCase>& info) {
      std::string name = info.param.manifest;
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

}  // namespace
}  // namespace genstereo

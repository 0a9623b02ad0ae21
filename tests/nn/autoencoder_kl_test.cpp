// The VAE against the official pipeline's tensors (e2e_tiny: diffusers 0.31 AutoencoderKL with
// the tiny config, deterministic random weights, torch 1.13 CPU float32): encode (posterior
// mean * 0.18215) and decode (clamped to [0, 1]). Tolerance 1e-4 max abs: four resolution
// levels of float32 convs and GroupNorms with other kernels and summation orders.
// Plus the key/shape manifest of the real sd-vae-ft-mse checkpoint.
#include <gtest/gtest.h>

#include <torch/torch.h>

#include "io/checkpoint_file.h"
#include "manifest_support.h"
#include "nn/autoencoder_kl.h"
#include "nn/state_dict_loader.h"
#include "nn_test_support.h"
#include "test_support.h"

namespace genstereo {
namespace {

AutoencoderKLConfig tinyConfig() {
  AutoencoderKLConfig config;
  config.block_out_channels = {32, 32, 64, 64};
  config.layers_per_block = 1;
  return config;
}

class AutoencoderKLParity : public ::testing::Test {
 protected:
  void SetUp() override {
    vae_ = AutoencoderKL(tinyConfig());
    loadStateDict(*vae_,
                  *CheckpointFile::open(test::testDataDir() / "checkpoints" / "vae.safetensors"));
  }
  const SafetensorsFile e2e_{test::testDataDir() / "e2e" / "e2e_tiny.safetensors"};
  AutoencoderKL vae_{nullptr};
};

TEST_F(AutoencoderKLParity, EncodeGivesTheReferenceLatents) {
  torch::NoGradGuard no_grad;
  const at::Tensor latents = vae_->encode(test::fixtureTensor(e2e_, "src_image_m11"));
  EXPECT_LE(test::maxAbsDiff(latents, test::fixtureTensor(e2e_, "ref_image_latents")), 1e-4);
}

TEST_F(AutoencoderKLParity, DecodeGivesTheSynthesizedImage) {
  torch::NoGradGuard no_grad;
  const at::Tensor image = vae_->decode(test::fixtureTensor(e2e_, "latents_clean"));
  EXPECT_LE(test::maxAbsDiff(image, test::fixtureTensor(e2e_, "synthesized")), 1e-4);
}

TEST(AutoencoderKLManifest, FullSizeMatchesSdVaeFtMse) {
  AutoencoderKL vae;  // the default config is sd-vae-ft-mse's
  EXPECT_EQ(
      test::compareWithManifest(*vae, test::testDataDir() / "manifests" / "sd-vae-ft-mse.json"),
      "");
}

}  // namespace
}  // namespace genstereo

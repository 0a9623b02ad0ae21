// The CLIP image encoder against the fixture (e2e_tiny: the transformers-layout stand-in
// described in the fixtures README "Deviations" — pre_layrnorm, LN -> MHA -> residual,
// LN -> fc1 -> quick_gelu -> fc2 -> residual, post_layernorm on the CLS token, projection
// without bias — which is the math of transformers' CLIPVisionModelWithProjection), from the
// saved pixel values. Tolerance 1e-5 max abs (two float32 layers). Plus the manifest of the
// real image encoder (ViT-L/14).
#include <gtest/gtest.h>

#include <torch/torch.h>

#include "io/checkpoint_file.h"
#include "manifest_support.h"
#include "nn/clip_vision_encoder.h"
#include "nn/state_dict_loader.h"
#include "nn_test_support.h"
#include "test_support.h"

namespace genstereo {
namespace {

TEST(ClipVisionEncoder, MatchesTheFixtureEmbedding) {
  torch::NoGradGuard no_grad;
  ClipVisionConfig config;
  config.hidden_size = 32;
  config.intermediate_size = 64;
  config.projection_dim = 16;
  config.num_hidden_layers = 2;
  config.num_attention_heads = 4;
  ClipVisionEncoder encoder(config);
  StateDictLoadOptions options;
  options.ignored_keys = {ClipVisionEncoderImpl::ignoredPositionIdsKey()};
  loadStateDict(
      *encoder,
      *CheckpointFile::open(test::testDataDir() / "checkpoints" / "image_encoder.safetensors"),
      options);
  const SafetensorsFile e2e(test::testDataDir() / "e2e" / "e2e_tiny.safetensors");
  const at::Tensor embeds = encoder->forward(test::fixtureTensor(e2e, "clip_pixel_values"));
  EXPECT_LE(test::maxAbsDiff(embeds, test::fixtureTensor(e2e, "clip_image_embeds")), 1e-5);
}

TEST(ClipVisionEncoder, FullSizeMatchesTheImageEncoderManifest) {
  ClipVisionEncoder encoder;
  EXPECT_EQ(
      test::compareWithManifest(*encoder, test::testDataDir() / "manifests" / "image_encoder.json"),
      "");
}

}  // namespace
}  // namespace genstereo

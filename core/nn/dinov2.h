// DINOv2 vision transformer as Depth Anything V2 builds it (official depth_anything_v2/dinov2.py
// with DINOv2(model_name): patch 14, img_size 518, LayerScale, MLP feed-forward, no register
// tokens, no block chunks). State-dict keys as the official checkpoints under "pretrained.":
// cls_token [1,1,D], pos_embed [1,1+37*37,D], mask_token [1,D], patch_embed.proj,
// blocks.{i}.{norm1, attn.qkv, attn.proj, ls1.gamma, norm2, mlp.fc1, mlp.fc2, ls2.gamma}, norm.
#pragma once

#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "nn/compute_precision.h"

namespace genstereo {

struct DinoV2Config {
  int embed_dim = 384;
  int depth = 12;  // number of transformer blocks
  int num_heads = 6;
  int mlp_ratio = 4;
  int patch_size = 14;
  int img_size = 518;  // the position embedding covers (img_size / patch_size)^2 patches
  double layer_scale_init = 1.0;
  // Official work-around added to the patch grid before the bicubic position-embedding
  // interpolation (DINOv2 without registers: 0.1).
  double interpolate_offset = 0.1;
  double layer_norm_eps = 1e-6;
};

// One pre-norm transformer block: x += ls1 * attn(norm1(x)); x += ls2 * mlp(norm2(x)).
class DinoV2BlockImpl : public torch::nn::Module {
 public:
  explicit DinoV2BlockImpl(const DinoV2Config& config);
  // [B, N, D] -> [B, N, D]
  at::Tensor forward(const at::Tensor& tokens);

 private:
  at::Tensor attention(const at::Tensor& normed);

  int num_heads_ = 1;
  LayerNorm32 norm1_{nullptr};
  torch::nn::Linear qkv_{nullptr};
  torch::nn::Linear proj_{nullptr};
  at::Tensor gamma1_;
  LayerNorm32 norm2_{nullptr};
  torch::nn::Linear fc1_{nullptr};
  torch::nn::Linear fc2_{nullptr};
  at::Tensor gamma2_;
};
TORCH_MODULE(DinoV2Block);

class DinoVisionTransformerImpl : public torch::nn::Module {
 public:
  explicit DinoVisionTransformerImpl(const DinoV2Config& config);

  // The official get_intermediate_layers(x, layers, return_class_token=True) with norm=True:
  // for each requested block index (0-based, increasing), the final-LayerNorm'd patch tokens
  // [B, H/14 * W/14, D] (row-major patch order). The class tokens are not returned (the DPT head
  // of Depth Anything V2 does not use them). `image` is [B, 3, H, W] normalised RGB with H and
  // W multiples of the patch size.
  std::vector<at::Tensor> intermediatePatchTokens(const at::Tensor& image,
                                                  const std::vector<int>& block_indices);

  // The position embedding for an H x W input (official interpolate_pos_encoding): returned as
  // stored for the 518 x 518 grid, else bicubically resized with scale factors
  // (grid + interpolate_offset) / 37, as torch 1.13's F.interpolate(scale_factor=...) does.
  at::Tensor positionEmbedding(std::int64_t height, std::int64_t width) const;

  const DinoV2Config& config() const { return config_; }

 private:
  DinoV2Config config_;
  at::Tensor cls_token_;
  at::Tensor pos_embed_;
  at::Tensor mask_token_;
  torch::nn::Conv2d patch_proj_{nullptr};
  torch::nn::ModuleList blocks_{nullptr};
  LayerNorm32 norm_{nullptr};
};
TORCH_MODULE(DinoVisionTransformer);

}  // namespace genstereo

// The Stable Diffusion U-Net as GenStereo uses it (diffusers UNet2DConditionModel; the
// denoising "3D" U-Net with one frame and no motion modules is the same network): the
// pose-guider features are added right after conv_in, every transformer block takes part in
// the reference attention (transformer_2d.h), and the reference U-Net has no output head
// (conv_norm_out / conv_out). Standard block layout: CrossAttnDown x (n-1), Down, mid
// (resnet, attention, resnet), Up, CrossAttnUp x (n-1). Key names as the official checkpoints.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "nn/compute_precision.h"
#include "nn/transformer_2d.h"

namespace genstereo {

struct UNetConfig {
  int in_channels = 4;
  int out_channels = 4;
  std::vector<int> block_out_channels = {320, 640, 1280, 1280};
  int layers_per_block = 2;
  // diffusers' `attention_head_dim`, which is in fact the number of heads per block.
  std::vector<int> attention_heads = {5, 10, 20, 20};
  int cross_attention_dim = 1024;
  bool use_linear_projection = true;
  int norm_groups = 32;
  double norm_eps = 1e-5;
  bool has_output_head = true;  // false for GenStereo's reference U-Net

  // GenStereo v2.1 (SD 2.1, 768 px) and v1.5 (SD 1.5, 512 px).
  static UNetConfig sd21();
  static UNetConfig sd15();
};

struct UNetInputs {
  at::Tensor sample;         // [B, in, h, w]
  at::Tensor timestep;       // [B] or a scalar
  at::Tensor context;        // [B, tokens, cross_attention_dim]
  at::Tensor pose_features;  // [B, block_out[0], h, w] or undefined
  ReferenceAttention* reference = nullptr;
  // When set, receives the output of each top-level part (time_embedding, conv_in,
  // down_blocks.i, mid_block, up_blocks.i, conv_norm_out, conv_out), for parity tests.
  std::map<std::string, at::Tensor>* block_outputs = nullptr;
};

class UNet2DConditionImpl : public torch::nn::Module {
 public:
  explicit UNet2DConditionImpl(const UNetConfig& config);
  // The prediction [B, out, h, w] (or the last up block's features without an output head).
  at::Tensor forward(const UNetInputs& inputs);
  const UNetConfig& config() const { return config_; }

 private:
  UNetConfig config_;
  torch::nn::Conv2d conv_in_{nullptr};
  torch::nn::Linear time_linear_1_{nullptr}, time_linear_2_{nullptr};
  torch::nn::ModuleList down_blocks_{nullptr};
  torch::nn::Module* mid_block_ = nullptr;
  torch::nn::ModuleList up_blocks_{nullptr};
  GroupNorm32 conv_norm_out_{nullptr};
  torch::nn::Conv2d conv_out_{nullptr};
};
TORCH_MODULE(UNet2DCondition);

// Sinusoidal timestep embedding (flip_sin_to_cos, shift 0): [cos, sin] of t * 10000^(-i/half).
at::Tensor timestepEmbedding(const at::Tensor& timesteps, int dim);

}  // namespace genstereo

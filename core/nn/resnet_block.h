// diffusers' ResnetBlock2D: GroupNorm -> SiLU -> conv3x3 (+ time embedding) -> GroupNorm ->
// SiLU -> conv3x3, plus a 1x1 conv_shortcut when the width changes. Keys: norm1, conv1,
// time_emb_proj (when temb_channels > 0), norm2, conv2, conv_shortcut.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "nn/compute_precision.h"

namespace genstereo {

struct ResnetBlockConfig {
  int in_channels = 0;
  int out_channels = 0;
  int temb_channels = 0;  // 0: no time embedding (VAE)
  int groups = 32;
  double eps = 1e-6;
};

class ResnetBlock2DImpl : public torch::nn::Module {
 public:
  explicit ResnetBlock2DImpl(const ResnetBlockConfig& config);
  // x: [B, C, H, W]; temb: [B, temb_channels] or undefined.
  at::Tensor forward(const at::Tensor& x, const at::Tensor& temb = at::Tensor());

 private:
  GroupNorm32 norm1_{nullptr};
  torch::nn::Conv2d conv1_{nullptr};
  torch::nn::Linear time_emb_proj_{nullptr};
  GroupNorm32 norm2_{nullptr};
  torch::nn::Conv2d conv2_{nullptr};
  torch::nn::Conv2d conv_shortcut_{nullptr};
};
TORCH_MODULE(ResnetBlock2D);

// diffusers' Downsample2D with a conv: stride-2 3x3 conv. `padding` 1 (U-Net) or 0 with an
// explicit (0, 1, 0, 1) zero pad first (VAE encoder). Key: conv.
class Downsample2DImpl : public torch::nn::Module {
 public:
  Downsample2DImpl(int channels, int padding);
  at::Tensor forward(const at::Tensor& x);

 private:
  int padding_;
  torch::nn::Conv2d conv_{nullptr};
};
TORCH_MODULE(Downsample2D);

// diffusers' Upsample2D with a conv: nearest x2 then 3x3 conv. Key: conv.
class Upsample2DImpl : public torch::nn::Module {
 public:
  explicit Upsample2DImpl(int channels);
  at::Tensor forward(const at::Tensor& x);

 private:
  torch::nn::Conv2d conv_{nullptr};
};
TORCH_MODULE(Upsample2D);

}  // namespace genstereo

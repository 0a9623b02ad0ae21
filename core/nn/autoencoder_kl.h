// The Stable Diffusion VAE (diffusers AutoencoderKL, as stabilityai/sd-vae-ft-mse), with the
// key names of its checkpoint. GenStereo uses the posterior mean (no sampling) and the
// hard-coded scaling factor 0.18215.
#pragma once

#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/normalization.h>

#include "nn/attention.h"
#include "nn/compute_precision.h"
#include "nn/resnet_block.h"

namespace genstereo {

struct AutoencoderKLConfig {
  std::vector<int> block_out_channels = {128, 256, 512, 512};
  int layers_per_block = 2;
  int latent_channels = 4;
  int norm_groups = 32;
  double scaling_factor = 0.18215;
};

// Resnet, attention, resnet at the lowest resolution (VAE flavour: one head over all channels,
// GroupNorm before the attention, residual). Keys: resnets.0/1, attentions.0.{group_norm,
// to_q, to_k, to_v, to_out.0}.
class VaeMidBlockImpl : public torch::nn::Module {
 public:
  VaeMidBlockImpl(int channels, int groups);
  at::Tensor forward(const at::Tensor& x);

 private:
  torch::nn::ModuleList resnets_{nullptr};
  torch::nn::ModuleList attentions_{nullptr};
  Attention attention_impl_{nullptr};  // the projections registered under attentions.0
};
TORCH_MODULE(VaeMidBlock);

class VaeEncoderImpl : public torch::nn::Module {
 public:
  explicit VaeEncoderImpl(const AutoencoderKLConfig& config);
  at::Tensor forward(const at::Tensor& image_m11);  // -> [B, 2*latent, H/8, W/8]

 private:
  torch::nn::Conv2d conv_in_{nullptr};
  torch::nn::ModuleList down_blocks_{nullptr};
  VaeMidBlock mid_block_{nullptr};
  GroupNorm32 conv_norm_out_{nullptr};
  torch::nn::Conv2d conv_out_{nullptr};
};
TORCH_MODULE(VaeEncoder);

class VaeDecoderImpl : public torch::nn::Module {
 public:
  explicit VaeDecoderImpl(const AutoencoderKLConfig& config);
  at::Tensor forward(const at::Tensor& z);  // -> [B, 3, 8H, 8W] in about [-1, 1]

 private:
  torch::nn::Conv2d conv_in_{nullptr};
  VaeMidBlock mid_block_{nullptr};
  torch::nn::ModuleList up_blocks_{nullptr};
  GroupNorm32 conv_norm_out_{nullptr};
  torch::nn::Conv2d conv_out_{nullptr};
};
TORCH_MODULE(VaeDecoder);

class AutoencoderKLImpl : public torch::nn::Module {
 public:
  explicit AutoencoderKLImpl(const AutoencoderKLConfig& config = {});
  // image [B, 3, H, W] in [-1, 1] -> latents [B, 4, H/8, W/8] = posterior mean * 0.18215.
  at::Tensor encode(const at::Tensor& image_m11);
  // latents -> image [B, 3, 8h, 8w] in [0, 1] (clamped), as GenStereo's decode_latents.
  at::Tensor decode(const at::Tensor& latents);

 private:
  AutoencoderKLConfig config_;
  VaeEncoder encoder_{nullptr};
  VaeDecoder decoder_{nullptr};
  torch::nn::Conv2d quant_conv_{nullptr};
  torch::nn::Conv2d post_quant_conv_{nullptr};
};
TORCH_MODULE(AutoencoderKL);

}  // namespace genstereo

// Mixed precision for the networks (docs/diffusion.md "bfloat16"): a network computes in
// bfloat16 (or float16 on CUDA) with its convolutions, linear layers and attention products in
// that dtype, while GroupNorm / LayerNorm keep float32 parameters and compute their statistics
// in float32. Torch 1.13's CPU group_norm refuses a bfloat16 input with float32 weights, and
// its all-bfloat16 kernel is both less accurate (11% relative error on a channel of mean 20,
// against 0.17% with float32 statistics) and 3.5x slower than converting to float32 and back.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/normalization.h>

namespace genstereo {

// GroupNorm with float32 statistics: an input of another dtype than the parameters is
// normalised in float32 and returned in its own dtype. The same module (and keys) otherwise.
class GroupNorm32Impl : public torch::nn::GroupNormImpl {
 public:
  using torch::nn::GroupNormImpl::GroupNormImpl;
  at::Tensor forward(const at::Tensor& input);
};
TORCH_MODULE(GroupNorm32);

// LayerNorm with float32 statistics (as GroupNorm32).
class LayerNorm32Impl : public torch::nn::LayerNormImpl {
 public:
  using torch::nn::LayerNormImpl::LayerNormImpl;
  at::Tensor forward(const at::Tensor& input);
};
TORCH_MODULE(LayerNorm32);

// Moves `module` to `device` in `dtype`, once (at load), except the parameters of its
// GroupNorm and LayerNorm layers, which stay float32, and of its ConvTranspose2d layers
// (Depth Anything's DPT head), which stay float32 because LibTorch 1.13's bfloat16
// conv_transpose2d on the CPU computes wrong values (relative error 5 at stride 4); their
// callers convert the input.
void toComputeDtype(torch::nn::Module& module, c10::Device device, c10::ScalarType dtype);

}  // namespace genstereo

// The spatial transformer of the Stable Diffusion U-Net (diffusers Transformer2DModel with one
// BasicTransformerBlock), plus GenStereo's cross-view "reference attention": the reference
// U-Net records norm1(hidden) of every block (write), and the denoising U-Net's self-attention
// then attends over [its own tokens; the reference tokens] (read), except for the
// unconditional half of a classifier-free-guidance batch, which keeps plain self-attention.
#pragma once

#include <cstdint>
#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "nn/attention.h"
#include "nn/compute_precision.h"

namespace genstereo {

// State shared by all transformer blocks during one U-Net forward.
struct ReferenceAttention {
  enum class Mode { kOff, kWrite, kRead };
  Mode mode = Mode::kOff;
  // One bank per transformer block in traversal order: norm1(hidden) of the reference U-Net,
  // rounded to float16 as the official code stores it ([batch, tokens, channels]).
  std::vector<at::Tensor> banks;
  std::size_t next_block = 0;
  // Read mode: the first `unconditional_batch` samples attend only to themselves.
  std::int64_t unconditional_batch = 0;
};

class BasicTransformerBlockImpl : public torch::nn::Module {
 public:
  BasicTransformerBlockImpl(int channels, int heads, int context_dim);
  at::Tensor forward(const at::Tensor& x, const at::Tensor& context, ReferenceAttention* reference);

 private:
  LayerNorm32 norm1_{nullptr}, norm2_{nullptr}, norm3_{nullptr};
  Attention attn1_{nullptr}, attn2_{nullptr};
  torch::nn::Linear ff_proj_{nullptr}, ff_out_{nullptr};
};
TORCH_MODULE(BasicTransformerBlock);

struct Transformer2DConfig {
  int channels = 0;
  int heads = 1;
  int context_dim = 0;
  int groups = 32;
  bool use_linear_projection = true;  // SD 2.1: Linear proj_in/out; SD 1.5: 1x1 convs
};

class Transformer2DImpl : public torch::nn::Module {
 public:
  explicit Transformer2DImpl(const Transformer2DConfig& config);
  at::Tensor forward(const at::Tensor& x, const at::Tensor& context, ReferenceAttention* reference);

 private:
  bool use_linear_projection_;
  GroupNorm32 norm_{nullptr};
  torch::nn::Linear proj_in_linear_{nullptr}, proj_out_linear_{nullptr};
  torch::nn::Conv2d proj_in_conv_{nullptr}, proj_out_conv_{nullptr};
  torch::nn::ModuleList transformer_blocks_{nullptr};
};
TORCH_MODULE(Transformer2D);

}  // namespace genstereo

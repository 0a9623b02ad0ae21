// diffusers' Attention (the classic AttnProcessor math): q/k/v projections, scaled dot-product
// attention per head, output projection `to_out.0`. Scores are computed as matmul * scale
// (never baddbmm on an uninitialised tensor: torch 1.13 CPU propagates its NaNs, see
// ../shared/fixtures/README.md "Deviations").
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>

namespace genstereo {

struct AttentionConfig {
  int query_dim = 0;
  int context_dim = 0;  // 0: self-attention (context_dim = query_dim)
  int heads = 1;
  int head_dim = 0;  // inner dim = heads * head_dim
  bool qkv_bias = false;
};

class AttentionImpl : public torch::nn::Module {
 public:
  explicit AttentionImpl(const AttentionConfig& config);
  // query_tokens: [B, N, query_dim]; context: [B, M, context_dim] (undefined = self).
  at::Tensor forward(const at::Tensor& query_tokens, const at::Tensor& context = at::Tensor());

 private:
  int heads_;
  double scale_;
  torch::nn::Linear to_q_{nullptr};
  torch::nn::Linear to_k_{nullptr};
  torch::nn::Linear to_v_{nullptr};
  torch::nn::ModuleList to_out_{nullptr};
};
TORCH_MODULE(Attention);

// softmax(q k^T * scale) v for [B*heads, N, d] tensors. bfloat16 / float16 inputs: the
// products in that dtype, the softmax statistics in float32.
at::Tensor scaledDotProductAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                                     double scale);

// softmax along `dim` with float32 statistics (row maximum, sum of exponentials), returned in
// the scores' dtype.
at::Tensor softmaxInFloat(const at::Tensor& scores, std::int64_t dim);

}  // namespace genstereo

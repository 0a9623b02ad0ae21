#include "nn/attention.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <ATen/ATen.h>

namespace genstereo {

namespace {

// [B, N, heads*d] -> [B*heads, N, d]
at::Tensor splitHeads(const at::Tensor& x, int heads) {
  const auto b = x.size(0), n = x.size(1), d = x.size(2) / heads;
  return x.reshape({b, n, heads, d}).permute({0, 2, 1, 3}).reshape({b * heads, n, d});
}

// [B*heads, N, d] -> [B, N, heads*d]
at::Tensor mergeHeads(const at::Tensor& x, int heads) {
  const auto bh = x.size(0), n = x.size(1), d = x.size(2);
  return x.reshape({bh / heads, heads, n, d}).permute({0, 2, 1, 3}).reshape({bh / heads, n, heads * d});
}

}  // namespace

at::Tensor scaledDotProductAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                                     double scale) {
  // Large attentions (a 96x96 latent attending over 2 x 9216 reference-shared tokens) would
  // need gigabytes of scores: process the queries in chunks of at most ~64 Mi scores. Each
  // query row is independent, so the result is the same.
  constexpr std::int64_t kMaxScores = std::int64_t{1} << 26;
  const std::int64_t rows = q.size(-2);
  const std::int64_t per_row = q.numel() / q.size(-1) / rows * k.size(-2);
  const std::int64_t chunk = std::max<std::int64_t>(1, kMaxScores / std::max<std::int64_t>(1, per_row));
  const at::Tensor keys_t = k.transpose(-1, -2);
  if (chunk >= rows) return at::matmul(at::softmax(at::matmul(q, keys_t) * scale, -1), v);
  std::vector<at::Tensor> parts;
  for (std::int64_t start = 0; start < rows; start += chunk) {
    const at::Tensor q_part = q.slice(-2, start, std::min(rows, start + chunk));
    parts.push_back(at::matmul(at::softmax(at::matmul(q_part, keys_t) * scale, -1), v));
  }
  return at::cat(parts, -2);
}

AttentionImpl::AttentionImpl(const AttentionConfig& c)
    : heads_(c.heads), scale_(1.0 / std::sqrt(static_cast<double>(c.head_dim))) {
  const int inner = c.heads * c.head_dim;
  const int context_dim = c.context_dim > 0 ? c.context_dim : c.query_dim;
  to_q_ = register_module("to_q", torch::nn::Linear(torch::nn::LinearOptions(c.query_dim, inner).bias(c.qkv_bias)));
  to_k_ = register_module("to_k", torch::nn::Linear(torch::nn::LinearOptions(context_dim, inner).bias(c.qkv_bias)));
  to_v_ = register_module("to_v", torch::nn::Linear(torch::nn::LinearOptions(context_dim, inner).bias(c.qkv_bias)));
  to_out_ = register_module("to_out", torch::nn::ModuleList(torch::nn::Linear(inner, c.query_dim)));
}

at::Tensor AttentionImpl::forward(const at::Tensor& query_tokens, const at::Tensor& context) {
  const at::Tensor& kv = context.defined() ? context : query_tokens;
  const at::Tensor q = splitHeads(to_q_->forward(query_tokens), heads_);
  const at::Tensor k = splitHeads(to_k_->forward(kv), heads_);
  const at::Tensor v = splitHeads(to_v_->forward(kv), heads_);
  const at::Tensor out = mergeHeads(scaledDotProductAttention(q, k, v, scale_), heads_);
  return to_out_[0]->as<torch::nn::LinearImpl>()->forward(out);
}

}  // namespace genstereo

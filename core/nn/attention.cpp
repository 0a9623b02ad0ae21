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
  return x.reshape({bh / heads, heads, n, d})
      .permute({0, 2, 1, 3})
      .reshape({bh / heads, n, heads * d});
}

// The blocked large attention of scaledDotProductAttention below for bfloat16 / float16
// inputs: per head and block of query rows, q k^T in that dtype (oneDNN's bfloat16 GEMM
// accumulates in float32), the softmax of the block (softmaxInFloat: float32 statistics), and
// the product with v. The softmax works row by row in the cache; a float32 copy of the scores
// with separate max / exp / sum passes (the float32 path's scheme) measured 3x slower here,
// most of it in conversions and a mixed-dtype division.
at::Tensor blockedAttentionReduced(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                                   double scale) {
  const std::int64_t rows = q.size(-2);
  const std::int64_t keys = k.size(-2);
  constexpr std::int64_t kBlockScores = std::int64_t{1} << 23;
  const std::int64_t block = std::clamp<std::int64_t>(kBlockScores / keys, 16, rows);
  const at::Tensor q_scaled = (q * scale).contiguous();
  const at::Tensor k_c = k.contiguous();
  const at::Tensor v_c = v.contiguous();
  at::Tensor out = at::empty({q.size(0), rows, v.size(-1)}, q.options());
  at::Tensor scores_buffer = at::empty({block, keys}, q.options());
  at::Tensor probs_buffer = at::empty({block, keys}, q.options());
  for (std::int64_t head = 0; head < q.size(0); ++head) {
    const at::Tensor keys_t = k_c[head].t();
    const at::Tensor values = v_c[head];
    const at::Tensor q_head = q_scaled[head];
    const at::Tensor out_head = out[head];
    for (std::int64_t start = 0; start < rows; start += block) {
      const std::int64_t count = std::min(block, rows - start);
      at::Tensor scores = scores_buffer.narrow(0, 0, count);
      at::Tensor probs = probs_buffer.narrow(0, 0, count);
      at::mm_out(scores, q_head.narrow(0, start, count), keys_t);
      at::_softmax_out(probs, scores, 1, false);
      at::Tensor out_rows = out_head.narrow(0, start, count);
      at::mm_out(out_rows, probs, values);
    }
  }
  return out;
}

}  // namespace

at::Tensor softmaxInFloat(const at::Tensor& scores, std::int64_t dim) {
  // LibTorch 1.13's bfloat16 softmax on the CPU (and its float16 / bfloat16 softmax on CUDA)
  // keeps the row maximum and the sum of exponentials in float32 and rounds only the result:
  // its error against a float32 softmax of the same scores is the output rounding alone
  // (AttentionPrecision test), and it is 3x faster than converting to float32 and back.
  return at::softmax(scores, dim);
}

at::Tensor scaledDotProductAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                                     double scale) {
  const std::int64_t rows = q.size(-2);
  const std::int64_t keys = k.size(-2);
  const std::int64_t score_count = q.numel() / q.size(-1) * keys;
  // Small attentions (CLIP, the cross-attention, the deep levels): one batched product.
  constexpr std::int64_t kSmallScores = std::int64_t{1} << 22;
  const bool needs_grad =
      at::GradMode::is_enabled() && (q.requires_grad() || k.requires_grad() || v.requires_grad());
  if (score_count <= kSmallScores || q.dim() != 3 || !q.is_cpu() || needs_grad) {
    constexpr std::int64_t kMaxScores = std::int64_t{1} << 26;  // ~256 MB of scores at a time
    const std::int64_t per_row = score_count / rows;
    const std::int64_t chunk =
        std::max<std::int64_t>(1, kMaxScores / std::max<std::int64_t>(1, per_row));
    const at::Tensor keys_t = k.transpose(-1, -2);
    // bfloat16 / float16: the products in that dtype, the softmax with float32 statistics
    // (softmaxInFloat); the scale goes on q (fewer values than scores).
    const bool is_reduced = q.scalar_type() != at::kFloat;
    const at::Tensor q_in = is_reduced ? q * scale : q;
    auto attend = [&](const at::Tensor& q_part) {
      if (!is_reduced) return at::matmul(at::softmax(at::matmul(q_part, keys_t) * scale, -1), v);
      return at::matmul(softmaxInFloat(at::matmul(q_part, keys_t), -1), v);
    };
    if (chunk >= rows) return attend(q_in);
    std::vector<at::Tensor> parts;
    for (std::int64_t start = 0; start < rows; start += chunk) {
      parts.push_back(attend(q_in.slice(-2, start, std::min(rows, start + chunk))));
    }
    return at::cat(parts, -2);
  }
  if (q.scalar_type() != at::kFloat) return blockedAttentionReduced(q, k, v, scale);
  // Large attentions on the CPU (a 96x96 latent over 2 x 9216 reference-shared tokens: 0.85 G
  // scores per layer): one head and a block of query rows at a time (8 Mi scores, 32 MiB), so
  // that a block's scores stay in the last-level cache through the product, the softmax and the
  // product with v instead of going to memory and back five times; the softmax's division is
  // applied to the output rows (d values) rather than to the scores (`keys` values). Smaller
  // blocks lose more to BLAS packing k and v again per block. Level-0 attention of the v2.1 768
  // U-Net on 2 AVX2 cores (`genstereo_diffusion_bench attention`): blocks of 1 Mi scores 4.19 s,
  // 4 Mi 3.51 s, 8 Mi 3.02-3.45 s, 16 Mi 3.35 s, 32 Mi 3.76 s, a whole head 4.08 s.
  // Same result up to rounding.
  constexpr std::int64_t kBlockScores = std::int64_t{1} << 23;
  const std::int64_t block = std::clamp<std::int64_t>(kBlockScores / keys, 16, rows);
  const at::Tensor q_scaled = (q * scale).contiguous();
  const at::Tensor k_c = k.contiguous();
  const at::Tensor v_c = v.contiguous();
  at::Tensor out = at::empty({q.size(0), rows, v.size(-1)}, q.options());
  at::Tensor scores_buffer = at::empty({block, keys}, q.options());
  at::Tensor max_buffer = at::empty({block, 1}, q.options());
  at::Tensor sum_buffer = at::empty({block, 1}, q.options());
  for (std::int64_t head = 0; head < q.size(0); ++head) {
    const at::Tensor keys_t = k_c[head].t();
    const at::Tensor values = v_c[head];
    const at::Tensor q_head = q_scaled[head];
    const at::Tensor out_head = out[head];
    for (std::int64_t start = 0; start < rows; start += block) {
      const std::int64_t count = std::min(block, rows - start);
      at::Tensor scores = scores_buffer.narrow(0, 0, count);
      at::Tensor row_max = max_buffer.narrow(0, 0, count);
      at::Tensor row_sum = sum_buffer.narrow(0, 0, count);
      at::mm_out(scores, q_head.narrow(0, start, count), keys_t);
      at::amax_out(row_max, scores, {1}, true);
      scores.sub_(row_max).exp_();
      at::sum_out(row_sum, scores, {1}, true);
      at::Tensor out_rows = out_head.narrow(0, start, count);
      at::mm_out(out_rows, scores, values);
      out_rows.div_(row_sum);
    }
  }
  return out;
}

AttentionImpl::AttentionImpl(const AttentionConfig& c)
    : heads_(c.heads), scale_(1.0 / std::sqrt(static_cast<double>(c.head_dim))) {
  const int inner = c.heads * c.head_dim;
  const int context_dim = c.context_dim > 0 ? c.context_dim : c.query_dim;
  to_q_ = register_module(
      "to_q", torch::nn::Linear(torch::nn::LinearOptions(c.query_dim, inner).bias(c.qkv_bias)));
  to_k_ = register_module(
      "to_k", torch::nn::Linear(torch::nn::LinearOptions(context_dim, inner).bias(c.qkv_bias)));
  to_v_ = register_module(
      "to_v", torch::nn::Linear(torch::nn::LinearOptions(context_dim, inner).bias(c.qkv_bias)));
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

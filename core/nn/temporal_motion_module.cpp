#include "nn/temporal_motion_module.h"

#include <cmath>
#include <string>

#include <ATen/ops/arange.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/exp.h>
#include <ATen/ops/gelu.h>
#include <ATen/ops/matmul.h>
#include <ATen/ops/softmax.h>
#include <ATen/ops/zeros.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include "errors.h"

namespace genstereo {

at::Tensor sinusoidalPositionTable(int max_len, int dim) {
  const at::Tensor position = at::arange(max_len, at::kLong).unsqueeze(1).to(at::kFloat);
  const at::Tensor div_term =
      at::exp(at::arange(0, dim, 2, at::kLong).to(at::kFloat) * (-std::log(10000.0) / dim));
  at::Tensor table = at::zeros({1, max_len, dim}, at::kFloat);
  const at::Tensor angle = position * div_term;  // [max_len, ceil(dim / 2)]
  using at::indexing::None;
  using at::indexing::Slice;
  table.index_put_({0, Slice(), Slice(0, None, 2)}, angle.sin());
  table.index_put_({0, Slice(), Slice(1, None, 2)}, angle.slice(1, 0, dim / 2).cos());
  return table;
}

TemporalAttentionImpl::TemporalAttentionImpl(int dim, int num_heads, int max_frames)
    : num_heads_(num_heads), max_frames_(max_frames) {
  const auto linear = [&](bool bias) {
    return torch::nn::Linear(torch::nn::LinearOptions(dim, dim).bias(bias));
  };
  to_q_ = register_module("to_q", linear(false));
  to_k_ = register_module("to_k", linear(false));
  to_v_ = register_module("to_v", linear(false));
  auto to_out = register_module("to_out", torch::nn::ModuleList());
  to_out_ = linear(true);
  to_out->push_back(to_out_);
  to_out->push_back(torch::nn::Dropout(0.0));
  auto pos_encoder = register_module("pos_encoder", std::make_shared<torch::nn::Module>());
  pe_ = pos_encoder->register_buffer("pe", sinusoidalPositionTable(max_frames, dim));
}

at::Tensor TemporalAttentionImpl::forward(const at::Tensor& normed, std::int64_t num_frames,
                                          const at::Tensor& cache, at::Tensor* state) {
  const std::int64_t spatial = normed.size(1), dim = normed.size(2);
  const std::int64_t batch = normed.size(0) / num_frames;
  // "(b f) d c -> (b d) f c"
  const at::Tensor frames = normed.reshape({batch, num_frames, spatial, dim})
                                .permute({0, 2, 1, 3})
                                .reshape({batch * spatial, num_frames, dim});
  if (state != nullptr) *state = frames;
  const std::int64_t cached = cache.defined() ? cache.size(1) : 0;
  const std::int64_t length = cached + num_frames;
  if (length > max_frames_) {
    throw InputError("temporal attention over " + std::to_string(length) +
                     " frames; the model's position table covers " + std::to_string(max_frames_));
  }
  at::Tensor sequence = cached > 0 ? at::cat({cache, frames}, 1) : frames;
  sequence = sequence + pe_.slice(1, 0, length);
  const std::int64_t head_dim = dim / num_heads_;
  const auto heads = [&](const at::Tensor& x) {  // [N, L, dim] -> [N, heads, L, head_dim]
    return x.reshape({x.size(0), x.size(1), num_heads_, head_dim}).permute({0, 2, 1, 3});
  };
  const at::Tensor query = heads(to_q_->forward(sequence.slice(1, cached, length)));
  const at::Tensor key = heads(to_k_->forward(sequence));
  const at::Tensor value = heads(to_v_->forward(sequence));
  const double scale = 1.0 / std::sqrt(static_cast<double>(head_dim));
  // Official: baddbmm(empty, q, k^T, beta=0, alpha=scale); see the torch 1.13 NaN note in
  // ../shared/fixtures/README.md, hence a plain matmul.
  const at::Tensor probs = at::softmax(at::matmul(query, key.transpose(-1, -2)) * scale, -1);
  at::Tensor out =
      at::matmul(probs, value).permute({0, 2, 1, 3}).reshape({batch * spatial, num_frames, dim});
  out = to_out_->forward(out);
  // "(b d) f c -> (b f) d c"
  return out.reshape({batch, spatial, num_frames, dim})
      .permute({0, 2, 1, 3})
      .reshape({batch * num_frames, spatial, dim});
}

TemporalTransformerBlockImpl::TemporalTransformerBlockImpl(const TemporalModuleConfig& config) {
  const int dim = config.channels;
  attention_blocks_ = register_module("attention_blocks", torch::nn::ModuleList());
  norms_ = register_module("norms", torch::nn::ModuleList());
  for (int i = 0; i < config.num_attention_blocks; ++i) {
    attention_blocks_->push_back(TemporalAttention(dim, config.num_heads, config.max_frames));
  }
  for (int i = 0; i < config.num_attention_blocks; ++i) {
    norms_->push_back(LayerNorm32(torch::nn::LayerNormOptions({dim}).eps(1e-5)));
  }
  auto ff = register_module("ff", std::make_shared<torch::nn::Module>());
  auto net = ff->register_module("net", torch::nn::ModuleList());
  auto geglu = std::make_shared<torch::nn::Module>();
  ff_in_ = geglu->register_module("proj", torch::nn::Linear(dim, 4 * dim * 2));
  net->push_back(geglu);
  net->push_back(torch::nn::Dropout(0.0));
  ff_out_ = torch::nn::Linear(4 * dim, dim);
  net->push_back(ff_out_);
  ff_norm_ = register_module("ff_norm", LayerNorm32(torch::nn::LayerNormOptions({dim}).eps(1e-5)));
}

at::Tensor TemporalTransformerBlockImpl::forward(const at::Tensor& tokens, std::int64_t num_frames,
                                                 const std::vector<at::Tensor>& caches,
                                                 std::vector<at::Tensor>* states) {
  at::Tensor hidden = tokens;
  for (std::size_t i = 0; i < attention_blocks_->size(); ++i) {
    const at::Tensor normed = norms_[i]->as<LayerNorm32Impl>()->forward(hidden);
    at::Tensor state;
    hidden = attention_blocks_[i]->as<TemporalAttentionImpl>()->forward(
                 normed, num_frames, caches.empty() ? at::Tensor() : caches[i],
                 states != nullptr ? &state : nullptr) +
             hidden;
    if (states != nullptr) states->push_back(state);
  }
  const std::vector<at::Tensor> halves = ff_in_->forward(ff_norm_->forward(hidden)).chunk(2, -1);
  return ff_out_->forward(halves[0] * at::gelu(halves[1])) + hidden;
}

TemporalModuleImpl::TemporalModuleImpl(const TemporalModuleConfig& config) : config_(config) {
  if (config.channels % config.num_groups != 0 || config.channels % config.num_heads != 0) {
    throw InputError("temporal module: " + std::to_string(config.channels) +
                     " channels must be a multiple of the " + std::to_string(config.num_groups) +
                     " groups and of the " + std::to_string(config.num_heads) + " heads");
  }
  auto transformer = register_module("temporal_transformer", std::make_shared<torch::nn::Module>());
  norm_ = transformer->register_module(
      "norm",
      GroupNorm32(torch::nn::GroupNormOptions(config.num_groups, config.channels).eps(1e-6)));
  proj_in_ =
      transformer->register_module("proj_in", torch::nn::Linear(config.channels, config.channels));
  blocks_ = transformer->register_module("transformer_blocks", torch::nn::ModuleList());
  for (int i = 0; i < config.num_blocks; ++i) blocks_->push_back(TemporalTransformerBlock(config));
  proj_out_ =
      transformer->register_module("proj_out", torch::nn::Linear(config.channels, config.channels));
}

at::Tensor TemporalModuleImpl::forward(const at::Tensor& frames, std::int64_t num_frames,
                                       const std::vector<at::Tensor>& caches,
                                       std::vector<at::Tensor>* states) {
  const int per_block = config_.num_attention_blocks;
  if (!caches.empty() && static_cast<int>(caches.size()) != statesPerFrame()) {
    throw InputError("temporal module: expected " + std::to_string(statesPerFrame()) +
                     " cached states, got " + std::to_string(caches.size()));
  }
  const std::int64_t count = frames.size(0), channels = frames.size(1);
  const std::int64_t height = frames.size(2), width = frames.size(3);
  at::Tensor hidden =
      norm_->forward(frames).permute({0, 2, 3, 1}).reshape({count, height * width, channels});
  hidden = proj_in_->forward(hidden);
  for (std::size_t i = 0; i < blocks_->size(); ++i) {
    const std::vector<at::Tensor> block_caches =
        caches.empty() ? std::vector<at::Tensor>()
                       : std::vector<at::Tensor>(caches.begin() + i * per_block,
                                                 caches.begin() + (i + 1) * per_block);
    hidden = blocks_[i]->as<TemporalTransformerBlockImpl>()->forward(hidden, num_frames,
                                                                     block_caches, states);
  }
  hidden =
      proj_out_->forward(hidden).reshape({count, height, width, channels}).permute({0, 3, 1, 2});
  return hidden + frames;
}

}  // namespace genstereo

// The temporal attention module of Video Depth Anything (official
// video_depth_anything/motion_module/motion_module.py TemporalModule, an AnimateDiff motion
// module): per frame GroupNorm(32, eps 1e-6) -> Linear proj_in -> transformer blocks that attend
// over the frames at each spatial position -> Linear proj_out, plus the input (residual).
// A block: for each attention block, x += attn(LayerNorm(x)) with sinusoidal position encoding
// of the frame index added before q/k/v; then x += FF(LayerNorm(x)), FF = GEGLU(dim -> 4 dim)
// -> Linear. Keys under the module: temporal_transformer.{norm, proj_in, proj_out,
// transformer_blocks.{i}.{attention_blocks.{j}.{to_q, to_k, to_v, to_out.0, pos_encoder.pe},
// norms.{j}, ff.net.0.proj, ff.net.2, ff_norm}}. to_q/to_k/to_v have no bias. `pe` is a
// buffer in the checkpoint ([1, max_len, dim], also computed here).
//
// Streaming (official video_depth_stream.py): each attention block can be given the states of
// earlier frames ("cache": the LayerNorm'd block inputs of those frames, [B * h * w, F, dim]);
// the new frames then attend over cache + themselves, with frame positions 0 .. F + T - 1, and
// only the new frames are queried. The block inputs of the new frames are returned as states.
#pragma once

#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "nn/compute_precision.h"

namespace genstereo {

struct TemporalModuleConfig {
  int channels = 64;   // in_channels = inner dim
  int num_heads = 8;   // head dim = channels / num_heads
  int num_blocks = 1;  // num_transformer_block (VDA: 1)
  int num_attention_blocks = 2;
  int num_groups = 32;  // GroupNorm groups
  int max_frames = 32;  // temporal_max_len: positions of the sinusoidal table
};

// The official PositionalEncoding table: pe[0, t, 2i] = sin(t / 10000^(2i/d)),
// pe[0, t, 2i+1] = cos(...), [1, max_len, d], float32 (computed as torch does, in float32).
at::Tensor sinusoidalPositionTable(int max_len, int dim);

class TemporalAttentionImpl : public torch::nn::Module {
 public:
  TemporalAttentionImpl(int dim, int num_heads, int max_frames);
  // `normed`: [B * T, S, dim] (S spatial positions); `cache`: undefined or [B * S, F, dim].
  // Returns the attention output [B * T, S, dim] and, in `state`, the input as [B * S, T, dim].
  at::Tensor forward(const at::Tensor& normed, std::int64_t num_frames, const at::Tensor& cache,
                     at::Tensor* state);

 private:
  int num_heads_ = 8;
  int max_frames_ = 32;
  torch::nn::Linear to_q_{nullptr};
  torch::nn::Linear to_k_{nullptr};
  torch::nn::Linear to_v_{nullptr};
  torch::nn::Linear to_out_{nullptr};
  at::Tensor pe_;
};
TORCH_MODULE(TemporalAttention);

class TemporalTransformerBlockImpl : public torch::nn::Module {
 public:
  explicit TemporalTransformerBlockImpl(const TemporalModuleConfig& config);
  // `tokens`: [B * T, S, dim]. `caches`: one per attention block, or empty. Appends one state
  // per attention block to `states`.
  at::Tensor forward(const at::Tensor& tokens, std::int64_t num_frames,
                     const std::vector<at::Tensor>& caches, std::vector<at::Tensor>* states);

 private:
  torch::nn::ModuleList attention_blocks_{nullptr};
  torch::nn::ModuleList norms_{nullptr};
  torch::nn::Linear ff_in_{nullptr};   // ff.net.0.proj (GEGLU: value and gate halves)
  torch::nn::Linear ff_out_{nullptr};  // ff.net.2
  LayerNorm32 ff_norm_{nullptr};
};
TORCH_MODULE(TemporalTransformerBlock);

class TemporalModuleImpl : public torch::nn::Module {
 public:
  explicit TemporalModuleImpl(const TemporalModuleConfig& config);
  // `frames`: [B * T, C, h, w] (clip-major: index b * T + t). `caches`: empty, or
  // statesPerFrame() tensors [B * h * w, F, C] (the states of F earlier frames, oldest first,
  // F + T <= max_frames). Returns [B * T, C, h, w] and, when `states` is given, appends
  // statesPerFrame() tensors [B * h * w, T, C].
  at::Tensor forward(const at::Tensor& frames, std::int64_t num_frames,
                     const std::vector<at::Tensor>& caches = {},
                     std::vector<at::Tensor>* states = nullptr);
  int statesPerFrame() const { return config_.num_blocks * config_.num_attention_blocks; }
  const TemporalModuleConfig& config() const { return config_; }

 private:
  TemporalModuleConfig config_;
  GroupNorm32 norm_{nullptr};
  torch::nn::Linear proj_in_{nullptr};
  torch::nn::ModuleList blocks_{nullptr};
  torch::nn::Linear proj_out_{nullptr};
};
TORCH_MODULE(TemporalModule);

}  // namespace genstereo

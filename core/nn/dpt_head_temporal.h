// The temporal DPT head of Video Depth Anything (official video_depth_anything/dpt_temporal.py
// DPTHeadTemporal): the Depth Anything V2 DPT head (same keys, see dpt_head.h) with four temporal
// modules (motion_modules.{0-3}, see temporal_motion_module.h) applied over the frames of a clip
// after the projected layer 3 (out_channels[2] channels), layer 4 (out_channels[3]) and after
// refinenet4 and refinenet3 (`features` channels). 8 heads, 1 transformer block with 2 attention
// blocks each, position table of 32 frames.
#pragma once

#include <vector>

#include <torch/nn/modules/container/modulelist.h>

#include "nn/dpt_head.h"

namespace genstereo {

class DptHeadTemporalImpl : public DptHeadImpl {
 public:
  static constexpr int kNumModules = 4;
  DptHeadTemporalImpl(const DptHeadConfig& config, int max_frames);

  // `patch_tokens`: four [B * T, patch_h * patch_w, in_channels] maps, clip-major. Returns
  // [B * T, 1, patch_h * 14, patch_w * 14] (after the head's ReLU).
  // Streaming: `caches` is empty or statesPerFrame() tensors (module-major, each [B * h_m * w_m,
  // F, C_m]: the states of F earlier frames); `states`, when given, receives statesPerFrame()
  // tensors [B * h_m * w_m, T, C_m] for these frames (official cached_hidden_state_list order).
  // `is_last_frame_only`: the stages after the last temporal module run for the last frame of
  // each clip only, and the result is [B, 1, ...] (a sliding window needs no more).
  at::Tensor forward(const std::vector<at::Tensor>& patch_tokens, std::int64_t patch_h,
                     std::int64_t patch_w, std::int64_t num_frames,
                     const std::vector<at::Tensor>& caches = {},
                     std::vector<at::Tensor>* states = nullptr, bool is_last_frame_only = false);

  int statesPerFrame() const;

 private:
  torch::nn::ModuleList motion_modules_{nullptr};
};
TORCH_MODULE(DptHeadTemporal);

}  // namespace genstereo

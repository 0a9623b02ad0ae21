// GenStereo's pose guider (Moore-AnimateAnyone's conditioning encoder): turns a 14-channel
// condition map (coordinate embedding, hole mask, RGB; see stereo/coordinate_embedding.h)
// into the residual added to the U-Net right after conv_in. Keys and shapes as the official
// pose_guider.pth: conv_in (14 -> 16), blocks.0-5 (16,16 -> 32 s2, 32, 32 -> 64 s2, 64,
// 64 -> 128 s2), conv_out (128 -> embedding channels), 3x3 convs, SiLU between them.
#pragma once

#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>

namespace genstereo {

struct PoseGuiderConfig {
  int conditioning_channels = 14;
  int embedding_channels = 320;  // the U-Net's first block width
  std::vector<int> block_out_channels = {16, 32, 64, 128};
};

class PoseGuiderImpl : public torch::nn::Module {
 public:
  explicit PoseGuiderImpl(const PoseGuiderConfig& config = {});
  // [B, 14, H, W] -> [B, embedding_channels, H/8, W/8]
  at::Tensor forward(const at::Tensor& condition);

 private:
  torch::nn::Conv2d conv_in_{nullptr};
  torch::nn::ModuleList blocks_{nullptr};
  torch::nn::Conv2d conv_out_{nullptr};
};
TORCH_MODULE(PoseGuider);

}  // namespace genstereo

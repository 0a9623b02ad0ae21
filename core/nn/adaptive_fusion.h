// GenStereo's adaptive fusion layer: a 3x3 conv (7 -> 1) and a sigmoid weigh the warped view
// against the generated one. Keys as the official fusion_layer.pth: fusion_layer.0.weight
// [1, 7, 3, 3], fusion_layer.0.bias [1].
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>

namespace genstereo {

struct FusionOutput {
  at::Tensor weights;  // [B, 1, H, W], sigmoid output
  at::Tensor fused;    // [B, 3, H, W] in [0, 1]
};

class AdaptiveFusionImpl : public torch::nn::Module {
 public:
  AdaptiveFusionImpl();
  // generated, warped: [B, 3, H, W] in [0, 1] (warped holes 0); mask: [B, 1, H, W], 1 = valid
  // warped pixel (after the official 7x7 opening). fused = M*W*warped + (1 - M*W)*generated.
  FusionOutput forward(const at::Tensor& generated, const at::Tensor& warped,
                       const at::Tensor& mask);

 private:
  torch::nn::Sequential fusion_layer_{nullptr};
};
TORCH_MODULE(AdaptiveFusion);

}  // namespace genstereo

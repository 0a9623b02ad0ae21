#include "nn/adaptive_fusion.h"

#include <ATen/ATen.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/conv.h>

namespace genstereo {

AdaptiveFusionImpl::AdaptiveFusionImpl() {
  fusion_layer_ = register_module(
      "fusion_layer",
      torch::nn::Sequential(torch::nn::Conv2d(torch::nn::Conv2dOptions(7, 1, 3).padding(1)),
                            torch::nn::Sigmoid()));
}

FusionOutput AdaptiveFusionImpl::forward(const at::Tensor& generated, const at::Tensor& warped,
                                         const at::Tensor& mask) {
  FusionOutput out;
  out.weights = fusion_layer_->forward(at::cat({generated, warped, mask}, 1));
  const at::Tensor w = mask * out.weights;
  out.fused = w * warped + (1 - w) * generated;
  return out;
}

}  // namespace genstereo

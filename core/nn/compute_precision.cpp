#include "nn/compute_precision.h"

#include <ATen/ATen.h>
#include <torch/nn/modules/conv.h>

namespace genstereo {

at::Tensor GroupNorm32Impl::forward(const at::Tensor& input) {
  if (!weight.defined() || input.scalar_type() == weight.scalar_type()) {
    return torch::nn::GroupNormImpl::forward(input);
  }
  return at::group_norm(input.to(weight.scalar_type()), options.num_groups(), weight, bias,
                        options.eps())
      .to(input.scalar_type());
}

at::Tensor LayerNorm32Impl::forward(const at::Tensor& input) {
  if (!weight.defined() || input.scalar_type() == weight.scalar_type()) {
    return torch::nn::LayerNormImpl::forward(input);
  }
  return at::layer_norm(input.to(weight.scalar_type()), options.normalized_shape(), weight, bias,
                        options.eps())
      .to(input.scalar_type());
}

void toComputeDtype(torch::nn::Module& module, c10::Device device, c10::ScalarType dtype) {
  module.to(device, dtype);
  if (dtype == c10::kFloat) return;
  for (const std::shared_ptr<torch::nn::Module>& child : module.modules()) {
    if (dynamic_cast<torch::nn::GroupNormImpl*>(child.get()) != nullptr ||
        dynamic_cast<torch::nn::LayerNormImpl*>(child.get()) != nullptr ||
        dynamic_cast<torch::nn::ConvTranspose2dImpl*>(child.get()) != nullptr) {
      child->to(device, c10::kFloat);
    }
  }
}

}  // namespace genstereo

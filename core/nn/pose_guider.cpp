#include "nn/pose_guider.h"

#include <ATen/ATen.h>

namespace genstereo {

namespace {

torch::nn::Conv2d conv3x3(int in, int out, int stride) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).stride(stride).padding(1));
}

}  // namespace

PoseGuiderImpl::PoseGuiderImpl(const PoseGuiderConfig& config) {
  const std::vector<int>& widths = config.block_out_channels;
  conv_in_ = register_module("conv_in", conv3x3(config.conditioning_channels, widths.front(), 1));
  blocks_ = register_module("blocks", torch::nn::ModuleList());
  for (std::size_t i = 0; i + 1 < widths.size(); ++i) {
    blocks_->push_back(conv3x3(widths[i], widths[i], 1));
    blocks_->push_back(conv3x3(widths[i], widths[i + 1], 2));
  }
  conv_out_ = register_module("conv_out", conv3x3(widths.back(), config.embedding_channels, 1));
}

at::Tensor PoseGuiderImpl::forward(const at::Tensor& condition) {
  at::Tensor x = at::silu(conv_in_->forward(condition));
  for (const auto& block : *blocks_) x = at::silu(block->as<torch::nn::Conv2dImpl>()->forward(x));
  return conv_out_->forward(x);
}

}  // namespace genstereo

#include "nn/resnet_block.h"

#include <ATen/ATen.h>

namespace genstereo {

namespace {

torch::nn::Conv2d conv(int in, int out, int kernel, int stride, int padding) {
  return torch::nn::Conv2d(
      torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding));
}

GroupNorm32 groupNorm(int groups, int channels, double eps) {
  return GroupNorm32(torch::nn::GroupNormOptions(groups, channels).eps(eps));
}

}  // namespace

ResnetBlock2DImpl::ResnetBlock2DImpl(const ResnetBlockConfig& c) {
  norm1_ = register_module("norm1", groupNorm(c.groups, c.in_channels, c.eps));
  conv1_ = register_module("conv1", conv(c.in_channels, c.out_channels, 3, 1, 1));
  if (c.temb_channels > 0) {
    time_emb_proj_ =
        register_module("time_emb_proj", torch::nn::Linear(c.temb_channels, c.out_channels));
  }
  norm2_ = register_module("norm2", groupNorm(c.groups, c.out_channels, c.eps));
  conv2_ = register_module("conv2", conv(c.out_channels, c.out_channels, 3, 1, 1));
  if (c.in_channels != c.out_channels) {
    conv_shortcut_ = register_module("conv_shortcut", conv(c.in_channels, c.out_channels, 1, 1, 0));
  }
}

at::Tensor ResnetBlock2DImpl::forward(const at::Tensor& x, const at::Tensor& temb) {
  at::Tensor h = conv1_->forward(at::silu(norm1_->forward(x)));
  if (!time_emb_proj_.is_empty() && temb.defined()) {
    h = h + time_emb_proj_->forward(at::silu(temb)).unsqueeze(-1).unsqueeze(-1);
  }
  h = conv2_->forward(at::silu(norm2_->forward(h)));
  const at::Tensor shortcut = conv_shortcut_.is_empty() ? x : conv_shortcut_->forward(x);
  return shortcut + h;
}

Downsample2DImpl::Downsample2DImpl(int channels, int padding) : padding_(padding) {
  conv_ = register_module("conv", conv(channels, channels, 3, 2, padding));
}

at::Tensor Downsample2DImpl::forward(const at::Tensor& x) {
  if (padding_ == 0) return conv_->forward(at::constant_pad_nd(x, {0, 1, 0, 1}, 0));
  return conv_->forward(x);
}

Upsample2DImpl::Upsample2DImpl(int channels) {
  conv_ = register_module("conv", conv(channels, channels, 3, 1, 1));
}

at::Tensor Upsample2DImpl::forward(const at::Tensor& x) {
  const at::Tensor up = at::upsample_nearest2d(x, {x.size(2) * 2, x.size(3) * 2});
  return conv_->forward(up);
}

}  // namespace genstereo

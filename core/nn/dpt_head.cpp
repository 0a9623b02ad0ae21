#include "nn/dpt_head.h"

#include <string>

#include <ATen/ops/relu.h>
#include <ATen/ops/upsample_bilinear2d.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/linear.h>

#include "errors.h"

namespace genstereo {

namespace {

torch::nn::Conv2d conv(int in, int out, int kernel, int stride, int padding, bool bias = true) {
  return torch::nn::Conv2d(
      torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).bias(bias));
}

at::Tensor resizeBilinearAlignCorners(const at::Tensor& x, std::int64_t height,
                                      std::int64_t width) {
  if (x.size(2) == height && x.size(3) == width) return x;
  // In float32: LibTorch 1.13's bfloat16 bilinear kernel rounds its weights (1% error).
  return at::upsample_bilinear2d(x.to(at::kFloat), {height, width}, /*align_corners=*/true)
      .to(x.scalar_type());
}

}  // namespace

ResidualConvUnitImpl::ResidualConvUnitImpl(int features) {
  conv1_ = register_module("conv1", conv(features, features, 3, 1, 1));
  conv2_ = register_module("conv2", conv(features, features, 3, 1, 1));
}

at::Tensor ResidualConvUnitImpl::forward(const at::Tensor& x) {
  return conv2_->forward(at::relu(conv1_->forward(at::relu(x)))) + x;
}

FeatureFusionBlockImpl::FeatureFusionBlockImpl(int features) {
  out_conv_ = register_module("out_conv", conv(features, features, 1, 1, 0));
  unit1_ = register_module("resConfUnit1", ResidualConvUnit(features));
  unit2_ = register_module("resConfUnit2", ResidualConvUnit(features));
}

at::Tensor FeatureFusionBlockImpl::forward(const at::Tensor& x, const at::Tensor& skip,
                                           std::array<std::int64_t, 2> output_hw) {
  at::Tensor output = skip.defined() ? x + unit1_->forward(skip) : x;
  output = unit2_->forward(output);
  // Official: F.interpolate(size=..., or scale_factor=2, mode="bilinear", align_corners=True);
  // with align_corners the scale factor does not enter the coordinate mapping.
  output = resizeBilinearAlignCorners(output, output_hw[0], output_hw[1]);
  return out_conv_->forward(output);
}

DptHeadImpl::DptHeadImpl(const DptHeadConfig& config) : config_(config) {
  const std::array<int, 4>& oc = config.out_channels;
  projects_ = register_module("projects", torch::nn::ModuleList());
  for (int channels : oc) projects_->push_back(conv(config.in_channels, channels, 1, 1, 0));
  resize_layers_ = register_module("resize_layers", torch::nn::ModuleList());
  resize_layers_->push_back(
      torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(oc[0], oc[0], 4).stride(4)));
  resize_layers_->push_back(
      torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(oc[1], oc[1], 2).stride(2)));
  resize_layers_->push_back(torch::nn::Identity());
  resize_layers_->push_back(conv(oc[3], oc[3], 3, 2, 1));
  auto scratch = register_module("scratch", std::make_shared<torch::nn::Module>("Scratch"));
  for (int i = 0; i < 4; ++i) {
    layer_rn_[i] = scratch->register_module("layer" + std::to_string(i + 1) + "_rn",
                                            conv(oc[i], config.features, 3, 1, 1, /*bias=*/false));
  }
  for (int i = 0; i < 4; ++i) {
    refinenet_[i] = scratch->register_module("refinenet" + std::to_string(i + 1),
                                             FeatureFusionBlock(config.features));
  }
  const int head_features_2 = 32;
  output_conv1_ =
      scratch->register_module("output_conv1", conv(config.features, config.features / 2, 3, 1, 1));
  output_conv2_ = scratch->register_module(
      "output_conv2",
      torch::nn::Sequential(conv(config.features / 2, head_features_2, 3, 1, 1), torch::nn::ReLU(),
                            conv(head_features_2, 1, 1, 1, 0), torch::nn::ReLU()));
}

std::array<at::Tensor, 4> DptHeadImpl::projectTokens(const std::vector<at::Tensor>& patch_tokens,
                                                     std::int64_t patch_h, std::int64_t patch_w) {
  if (patch_tokens.size() != 4) {
    throw InputError("DPT head: expected 4 token maps, got " + std::to_string(patch_tokens.size()));
  }
  std::array<at::Tensor, 4> layers;
  for (int i = 0; i < 4; ++i) {
    const at::Tensor& tokens = patch_tokens[i];
    at::Tensor x =
        tokens.permute({0, 2, 1}).reshape({tokens.size(0), tokens.size(2), patch_h, patch_w});
    x = projects_[i]->as<torch::nn::Conv2dImpl>()->forward(x);
    if (i == 0 || i == 1) {
      // float32 weights (toComputeDtype): LibTorch 1.13's bfloat16 conv_transpose2d on the CPU
      // gives wrong values (and wrong shapes for some strides).
      auto* layer = resize_layers_[i]->as<torch::nn::ConvTranspose2dImpl>();
      x = layer->forward(x.to(layer->weight.scalar_type())).to(x.scalar_type());
    } else if (i == 3) {
      x = resize_layers_[i]->as<torch::nn::Conv2dImpl>()->forward(x);
    }
    layers[i] = x;
  }
  return layers;
}

at::Tensor DptHeadImpl::reduce(int level, const at::Tensor& x) {
  return layer_rn_.at(level)->forward(x);
}

at::Tensor DptHeadImpl::fuse(int level, const at::Tensor& x, const at::Tensor& skip,
                             std::array<std::int64_t, 2> output_hw) {
  return refinenet_.at(level)->forward(x, skip, output_hw);
}

at::Tensor DptHeadImpl::output(const at::Tensor& path_1, std::int64_t patch_h,
                               std::int64_t patch_w) {
  at::Tensor out = output_conv1_->forward(path_1);
  out = resizeBilinearAlignCorners(out, patch_h * config_.patch_size, patch_w * config_.patch_size);
  return output_conv2_->forward(out);
}

at::Tensor DptHeadImpl::forward(const std::vector<at::Tensor>& patch_tokens, std::int64_t patch_h,
                                std::int64_t patch_w) {
  const std::array<at::Tensor, 4> projected = projectTokens(patch_tokens, patch_h, patch_w);
  std::array<at::Tensor, 4> layers;
  for (int i = 0; i < 4; ++i) layers[i] = reduce(i, projected[i]);
  auto hw = [](const at::Tensor& t) { return std::array<std::int64_t, 2>{t.size(2), t.size(3)}; };
  at::Tensor path = fuse(3, layers[3], at::Tensor(), hw(layers[2]));
  path = fuse(2, path, layers[2], hw(layers[1]));
  path = fuse(1, path, layers[1], hw(layers[0]));
  path = fuse(0, path, layers[0], {2 * layers[0].size(2), 2 * layers[0].size(3)});
  return output(path, patch_h, patch_w);
}

}  // namespace genstereo

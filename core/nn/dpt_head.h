// The DPT head of Depth Anything V2 (official depth_anything_v2/dpt.py DPTHead with
// use_bn=False, use_clstoken=False): four token maps from the encoder are projected (1x1),
// resized to 4x, 2x, 1x and 1/2x the patch grid, reduced to `features` channels and fused
// coarse-to-fine by RefineNet blocks; the output is one non-negative channel at 14x the patch grid.
// Keys under "depth_head.": projects.{0-3}, resize_layers.{0,1,3}, scratch.layer{1-4}_rn,
// scratch.refinenet{1-4}.{out_conv, resConfUnit1.conv{1,2}, resConfUnit2.conv{1,2}},
// scratch.output_conv1, scratch.output_conv2.{0,2}.
#pragma once

#include <array>
#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>

namespace genstereo {

struct DptHeadConfig {
  int in_channels = 384;  // the encoder's embed dim
  int features = 64;
  std::array<int, 4> out_channels = {48, 96, 192, 384};
  int patch_size = 14;
};

// ResidualConvUnit (official util/blocks.py): x + conv2(relu(conv1(relu(x)))).
class ResidualConvUnitImpl : public torch::nn::Module {
 public:
  explicit ResidualConvUnitImpl(int features);
  at::Tensor forward(const at::Tensor& x);

 private:
  torch::nn::Conv2d conv1_{nullptr};
  torch::nn::Conv2d conv2_{nullptr};
};
TORCH_MODULE(ResidualConvUnit);

// FeatureFusionBlock: out_conv(upsample(rcu2(x0 [+ rcu1(skip)]))), bilinear with align_corners.
// resConfUnit1 exists (and is in the checkpoint) even in refinenet4, which has no skip input.
class FeatureFusionBlockImpl : public torch::nn::Module {
 public:
  explicit FeatureFusionBlockImpl(int features);
  // `skip` may be undefined. The result is resized to `output_hw`.
  at::Tensor forward(const at::Tensor& x, const at::Tensor& skip,
                     std::array<std::int64_t, 2> output_hw);

 private:
  torch::nn::Conv2d out_conv_{nullptr};
  ResidualConvUnit unit1_{nullptr};
  ResidualConvUnit unit2_{nullptr};
};
TORCH_MODULE(FeatureFusionBlock);

class DptHeadImpl : public torch::nn::Module {
 public:
  explicit DptHeadImpl(const DptHeadConfig& config);
  // `patch_tokens`: four [B, patch_h * patch_w, in_channels] maps (row-major patches).
  // Returns [B, 1, patch_h * 14, patch_w * 14], after the head's final ReLU.
  at::Tensor forward(const std::vector<at::Tensor>& patch_tokens, std::int64_t patch_h,
                     std::int64_t patch_w);

  // The stages of forward(), for heads that insert modules between them (the temporal head of
  // Video Depth Anything). projectTokens: projects.{i} and resize_layers.{i}, [B, out_channels[i],
  // 4x, 2x, 1x, 1/2x the patch grid]. reduce: scratch.layer{level+1}_rn. fuse:
  // scratch.refinenet{level+1} (`skip` may be undefined). output: output_conv1, resize to 14x
  // the patch grid, output_conv2 (ends with a ReLU).
  std::array<at::Tensor, 4> projectTokens(const std::vector<at::Tensor>& patch_tokens,
                                          std::int64_t patch_h, std::int64_t patch_w);
  at::Tensor reduce(int level, const at::Tensor& x);
  at::Tensor fuse(int level, const at::Tensor& x, const at::Tensor& skip,
                  std::array<std::int64_t, 2> output_hw);
  at::Tensor output(const at::Tensor& path_1, std::int64_t patch_h, std::int64_t patch_w);
  const DptHeadConfig& config() const { return config_; }

 private:
  DptHeadConfig config_;
  torch::nn::ModuleList projects_{nullptr};
  torch::nn::ModuleList resize_layers_{nullptr};
  std::array<torch::nn::Conv2d, 4> layer_rn_{nullptr, nullptr, nullptr, nullptr};
  std::array<FeatureFusionBlock, 4> refinenet_{nullptr, nullptr, nullptr, nullptr};
  torch::nn::Conv2d output_conv1_{nullptr};
  torch::nn::Sequential output_conv2_{nullptr};
};
TORCH_MODULE(DptHead);

}  // namespace genstereo

#include "nn/unet_2d_condition.h"

#include <cmath>
#include <memory>

#include <ATen/ATen.h>

#include "nn/resnet_block.h"

namespace genstereo {

namespace {

// resnets (+ attentions) (+ down/upsampler), as diffusers' Down/Up/CrossAttn blocks.
class UNetBlockImpl : public torch::nn::Module {
 public:
  torch::nn::ModuleList resnets{nullptr};
  torch::nn::ModuleList attentions{nullptr};
  torch::nn::ModuleList samplers{nullptr};
  bool is_up = false;
};
TORCH_MODULE(UNetBlock);

ResnetBlock2D resnet(const UNetConfig& c, int in, int out, int temb) {
  ResnetBlockConfig r;
  r.in_channels = in;
  r.out_channels = out;
  r.temb_channels = temb;
  r.groups = c.norm_groups;
  r.eps = c.norm_eps;
  return ResnetBlock2D(r);
}

Transformer2D transformer(const UNetConfig& c, int channels, int heads) {
  Transformer2DConfig t;
  t.channels = channels;
  t.heads = heads;
  t.context_dim = c.cross_attention_dim;
  t.groups = c.norm_groups;
  t.use_linear_projection = c.use_linear_projection;
  return Transformer2D(t);
}

}  // namespace

UNetConfig UNetConfig::sd21() { return UNetConfig{}; }

UNetConfig UNetConfig::sd15() {
  UNetConfig c;
  c.attention_heads = {8, 8, 8, 8};
  c.cross_attention_dim = 768;
  c.use_linear_projection = false;
  return c;
}

at::Tensor timestepEmbedding(const at::Tensor& timesteps, int dim) {
  const int half = dim / 2;
  const at::Tensor exponent =
      -std::log(10000.0) *
      at::arange(0, half, at::TensorOptions().dtype(at::kFloat).device(timesteps.device())) / half;
  const at::Tensor frequencies = at::exp(exponent);
  const at::Tensor angles = timesteps.reshape({-1, 1}).to(at::kFloat) * frequencies.unsqueeze(0);
  return at::cat({at::cos(angles), at::sin(angles)}, -1);  // flip_sin_to_cos
}

UNet2DConditionImpl::UNet2DConditionImpl(const UNetConfig& c) : config_(c) {
  const std::vector<int>& widths = c.block_out_channels;
  const int n = static_cast<int>(widths.size());
  const int temb = widths.front() * 4;
  conv_in_ = register_module(
      "conv_in",
      torch::nn::Conv2d(torch::nn::Conv2dOptions(c.in_channels, widths.front(), 3).padding(1)));
  auto time_embedding = register_module("time_embedding", std::make_shared<torch::nn::Module>());
  time_linear_1_ =
      time_embedding->register_module("linear_1", torch::nn::Linear(widths.front(), temb));
  time_linear_2_ = time_embedding->register_module("linear_2", torch::nn::Linear(temb, temb));

  down_blocks_ = register_module("down_blocks", torch::nn::ModuleList());
  int in = widths.front();
  for (int i = 0; i < n; ++i) {
    const bool has_attention = i < n - 1;
    UNetBlock block;
    block->resnets = block->register_module("resnets", torch::nn::ModuleList());
    if (has_attention)
      block->attentions = block->register_module("attentions", torch::nn::ModuleList());
    for (int l = 0; l < c.layers_per_block; ++l) {
      block->resnets->push_back(resnet(c, l == 0 ? in : widths[i], widths[i], temb));
      if (has_attention)
        block->attentions->push_back(transformer(c, widths[i], c.attention_heads[i]));
    }
    if (i < n - 1)
      block->samplers =
          block->register_module("downsamplers", torch::nn::ModuleList(Downsample2D(widths[i], 1)));
    down_blocks_->push_back(block);
    in = widths[i];
  }

  auto mid = register_module("mid_block", std::make_shared<UNetBlockImpl>());
  mid->resnets = mid->register_module(
      "resnets", torch::nn::ModuleList(resnet(c, widths.back(), widths.back(), temb),
                                       resnet(c, widths.back(), widths.back(), temb)));
  mid->attentions = mid->register_module(
      "attentions", torch::nn::ModuleList(transformer(c, widths.back(), c.attention_heads.back())));
  mid_block_ = mid.get();

  up_blocks_ = register_module("up_blocks", torch::nn::ModuleList());
  const std::vector<int> reversed(widths.rbegin(), widths.rend());
  const std::vector<int> reversed_heads(c.attention_heads.rbegin(), c.attention_heads.rend());
  int prev_output = reversed.front();
  for (int i = 0; i < n; ++i) {
    const int output = reversed[i];
    const int input = reversed[std::min(i + 1, n - 1)];
    const bool has_attention = i > 0;
    UNetBlock block;
    block->is_up = true;
    block->resnets = block->register_module("resnets", torch::nn::ModuleList());
    if (has_attention)
      block->attentions = block->register_module("attentions", torch::nn::ModuleList());
    for (int l = 0; l < c.layers_per_block + 1; ++l) {
      const int skip = l == c.layers_per_block ? input : output;
      const int resnet_in = l == 0 ? prev_output : output;
      block->resnets->push_back(resnet(c, resnet_in + skip, output, temb));
      if (has_attention) block->attentions->push_back(transformer(c, output, reversed_heads[i]));
    }
    if (i < n - 1)
      block->samplers =
          block->register_module("upsamplers", torch::nn::ModuleList(Upsample2D(output)));
    up_blocks_->push_back(block);
    prev_output = output;
  }
  if (c.has_output_head) {
    conv_norm_out_ = register_module(
        "conv_norm_out",
        GroupNorm32(torch::nn::GroupNormOptions(c.norm_groups, widths.front()).eps(c.norm_eps)));
    conv_out_ = register_module(
        "conv_out",
        torch::nn::Conv2d(torch::nn::Conv2dOptions(widths.front(), c.out_channels, 3).padding(1)));
  }
}

at::Tensor UNet2DConditionImpl::forward(const UNetInputs& in) {
  auto record = [&](const std::string& name, const at::Tensor& value) {
    if (in.block_outputs != nullptr) (*in.block_outputs)[name] = value;
  };
  const auto batch = in.sample.size(0);
  at::Tensor timesteps =
      in.timestep.dim() == 0 ? in.timestep.reshape({1}).expand({batch}) : in.timestep;
  at::Tensor temb =
      timestepEmbedding(timesteps, config_.block_out_channels.front()).to(in.sample.scalar_type());
  temb = time_linear_2_->forward(at::silu(time_linear_1_->forward(temb)));
  record("time_embedding", temb);

  at::Tensor h = conv_in_->forward(in.sample);
  record("conv_in", h);
  if (in.pose_features.defined()) h = h + in.pose_features;

  std::vector<at::Tensor> skips = {h};
  for (std::size_t i = 0; i < down_blocks_->size(); ++i) {
    auto* block = down_blocks_[i]->as<UNetBlockImpl>();
    for (std::size_t l = 0; l < block->resnets->size(); ++l) {
      h = block->resnets[l]->as<ResnetBlock2DImpl>()->forward(h, temb);
      if (!block->attentions.is_empty())
        h = block->attentions[l]->as<Transformer2DImpl>()->forward(h, in.context, in.reference);
      skips.push_back(h);
    }
    if (!block->samplers.is_empty()) {
      h = block->samplers[0]->as<Downsample2DImpl>()->forward(h);
      skips.push_back(h);
    }
    record("down_blocks." + std::to_string(i), h);
  }

  auto* mid = static_cast<UNetBlockImpl*>(mid_block_);
  h = mid->resnets[0]->as<ResnetBlock2DImpl>()->forward(h, temb);
  h = mid->attentions[0]->as<Transformer2DImpl>()->forward(h, in.context, in.reference);
  h = mid->resnets[1]->as<ResnetBlock2DImpl>()->forward(h, temb);
  record("mid_block", h);

  for (std::size_t i = 0; i < up_blocks_->size(); ++i) {
    auto* block = up_blocks_[i]->as<UNetBlockImpl>();
    for (std::size_t l = 0; l < block->resnets->size(); ++l) {
      h = at::cat({h, skips.back()}, 1);
      skips.pop_back();
      h = block->resnets[l]->as<ResnetBlock2DImpl>()->forward(h, temb);
      if (!block->attentions.is_empty())
        h = block->attentions[l]->as<Transformer2DImpl>()->forward(h, in.context, in.reference);
    }
    if (!block->samplers.is_empty()) h = block->samplers[0]->as<Upsample2DImpl>()->forward(h);
    record("up_blocks." + std::to_string(i), h);
  }
  if (!config_.has_output_head) return h;
  h = conv_norm_out_->forward(h);
  record("conv_norm_out", h);
  h = conv_out_->forward(at::silu(h));
  record("conv_out", h);
  return h;
}

}  // namespace genstereo

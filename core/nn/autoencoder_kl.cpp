#include "nn/autoencoder_kl.h"

#include <ATen/ATen.h>

namespace genstereo {

namespace {

constexpr double kVaeEps = 1e-6;

torch::nn::Conv2d conv(int in, int out, int kernel, int padding) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel).padding(padding));
}

ResnetBlock2D resnet(int in, int out, int groups) {
  ResnetBlockConfig c;
  c.in_channels = in;
  c.out_channels = out;
  c.groups = groups;
  c.eps = kVaeEps;
  return ResnetBlock2D(c);
}

// A ModuleList of resnets (+ an optional resampler list), as diffusers' Down/UpDecoderBlock2D.
class SamplingBlockImpl : public torch::nn::Module {
 public:
  torch::nn::ModuleList resnets{nullptr};
  torch::nn::ModuleList samplers{nullptr};
  bool is_down = true;

  at::Tensor forward(at::Tensor x) {
    for (const auto& r : *resnets) x = r->as<ResnetBlock2DImpl>()->forward(x);
    if (!samplers.is_empty()) {
      if (is_down) {
        x = samplers[0]->as<Downsample2DImpl>()->forward(x);
      } else {
        x = samplers[0]->as<Upsample2DImpl>()->forward(x);
      }
    }
    return x;
  }
};
TORCH_MODULE(SamplingBlock);

}  // namespace

VaeMidBlockImpl::VaeMidBlockImpl(int channels, int groups) {
  resnets_ = register_module("resnets", torch::nn::ModuleList(resnet(channels, channels, groups),
                                                              resnet(channels, channels, groups)));
  // diffusers builds the VAE attention with one head of `channels` dims, biases on q/k/v.
  auto attention = std::make_shared<torch::nn::Module>();
  attention->register_module(
      "group_norm", GroupNorm32(torch::nn::GroupNormOptions(groups, channels).eps(kVaeEps)));
  AttentionConfig ac;
  ac.query_dim = channels;
  ac.heads = 1;
  ac.head_dim = channels;
  ac.qkv_bias = true;
  Attention inner(ac);
  // Re-register the projections directly under attentions.0 (keys to_q, to_k, ... ).
  for (const auto& child : inner->named_children())
    attention->register_module(child.key(), child.value());
  attentions_ = register_module("attentions", torch::nn::ModuleList(attention));
  attention_impl_ = inner;
}

at::Tensor VaeMidBlockImpl::forward(const at::Tensor& x) {
  at::Tensor h = resnets_[0]->as<ResnetBlock2DImpl>()->forward(x);
  const auto b = h.size(0), c = h.size(1), height = h.size(2), width = h.size(3);
  auto norm = attentions_[0]->named_children()["group_norm"];
  at::Tensor tokens =
      norm->as<GroupNorm32Impl>()->forward(h).reshape({b, c, height * width}).transpose(1, 2);
  tokens = attention_impl_->forward(tokens);
  h = tokens.transpose(1, 2).reshape({b, c, height, width}) + h;
  return resnets_[1]->as<ResnetBlock2DImpl>()->forward(h);
}

VaeEncoderImpl::VaeEncoderImpl(const AutoencoderKLConfig& config) {
  const auto& widths = config.block_out_channels;
  conv_in_ = register_module("conv_in", conv(3, widths.front(), 3, 1));
  down_blocks_ = register_module("down_blocks", torch::nn::ModuleList());
  int in = widths.front();
  for (std::size_t i = 0; i < widths.size(); ++i) {
    SamplingBlock block;
    block->resnets = block->register_module("resnets", torch::nn::ModuleList());
    for (int l = 0; l < config.layers_per_block; ++l) {
      block->resnets->push_back(resnet(l == 0 ? in : widths[i], widths[i], config.norm_groups));
    }
    if (i + 1 < widths.size()) {
      block->samplers =
          block->register_module("downsamplers", torch::nn::ModuleList(Downsample2D(widths[i], 0)));
    }
    down_blocks_->push_back(block);
    in = widths[i];
  }
  mid_block_ = register_module("mid_block", VaeMidBlock(widths.back(), config.norm_groups));
  conv_norm_out_ = register_module(
      "conv_norm_out",
      GroupNorm32(torch::nn::GroupNormOptions(config.norm_groups, widths.back()).eps(kVaeEps)));
  conv_out_ = register_module("conv_out", conv(widths.back(), 2 * config.latent_channels, 3, 1));
}

at::Tensor VaeEncoderImpl::forward(const at::Tensor& image_m11) {
  at::Tensor x = conv_in_->forward(image_m11);
  for (const auto& block : *down_blocks_) x = block->as<SamplingBlockImpl>()->forward(x);
  x = mid_block_->forward(x);
  return conv_out_->forward(at::silu(conv_norm_out_->forward(x)));
}

VaeDecoderImpl::VaeDecoderImpl(const AutoencoderKLConfig& config) {
  std::vector<int> widths(config.block_out_channels.rbegin(), config.block_out_channels.rend());
  conv_in_ = register_module("conv_in", conv(config.latent_channels, widths.front(), 3, 1));
  mid_block_ = register_module("mid_block", VaeMidBlock(widths.front(), config.norm_groups));
  up_blocks_ = register_module("up_blocks", torch::nn::ModuleList());
  int in = widths.front();
  for (std::size_t i = 0; i < widths.size(); ++i) {
    SamplingBlock block;
    block->is_down = false;
    block->resnets = block->register_module("resnets", torch::nn::ModuleList());
    for (int l = 0; l < config.layers_per_block + 1; ++l) {
      block->resnets->push_back(resnet(l == 0 ? in : widths[i], widths[i], config.norm_groups));
    }
    if (i + 1 < widths.size()) {
      block->samplers =
          block->register_module("upsamplers", torch::nn::ModuleList(Upsample2D(widths[i])));
    }
    up_blocks_->push_back(block);
    in = widths[i];
  }
  conv_norm_out_ = register_module(
      "conv_norm_out",
      GroupNorm32(torch::nn::GroupNormOptions(config.norm_groups, widths.back()).eps(kVaeEps)));
  conv_out_ = register_module("conv_out", conv(widths.back(), 3, 3, 1));
}

at::Tensor VaeDecoderImpl::forward(const at::Tensor& z) {
  at::Tensor x = mid_block_->forward(conv_in_->forward(z));
  for (const auto& block : *up_blocks_) x = block->as<SamplingBlockImpl>()->forward(x);
  return conv_out_->forward(at::silu(conv_norm_out_->forward(x)));
}

AutoencoderKLImpl::AutoencoderKLImpl(const AutoencoderKLConfig& config) : config_(config) {
  encoder_ = register_module("encoder", VaeEncoder(config));
  decoder_ = register_module("decoder", VaeDecoder(config));
  quant_conv_ = register_module("quant_conv",
                                conv(2 * config.latent_channels, 2 * config.latent_channels, 1, 0));
  post_quant_conv_ = register_module("post_quant_conv",
                                     conv(config.latent_channels, config.latent_channels, 1, 0));
}

at::Tensor AutoencoderKLImpl::encode(const at::Tensor& image_m11) {
  const at::Tensor moments = quant_conv_->forward(encoder_->forward(image_m11));
  return moments.slice(1, 0, config_.latent_channels) * config_.scaling_factor;
}

at::Tensor AutoencoderKLImpl::decode(const at::Tensor& latents) {
  const at::Tensor z = post_quant_conv_->forward(latents / config_.scaling_factor);
  return (decoder_->forward(z) / 2 + 0.5).clamp(0, 1);
}

}  // namespace genstereo

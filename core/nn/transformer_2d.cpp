#include "nn/transformer_2d.h"

#include <ATen/ATen.h>

#include "errors.h"

namespace genstereo {

namespace {

LayerNorm32 layerNorm(int channels) {
  return LayerNorm32(torch::nn::LayerNormOptions({channels}).eps(1e-5));
}

// The bank rows that go with the conditional samples of `cond_batch` hidden states.
at::Tensor bankFor(const at::Tensor& bank, std::int64_t total_batch, std::int64_t unconditional,
                   std::int64_t cond_batch) {
  if (bank.size(0) == cond_batch) return bank;
  if (bank.size(0) == total_batch) return bank.slice(0, unconditional);
  if (bank.size(0) == 1) return bank.expand({cond_batch, bank.size(1), bank.size(2)});
  throw InputError("reference attention: a bank of batch " + std::to_string(bank.size(0)) +
                   " does not fit a batch of " + std::to_string(total_batch));
}

}  // namespace

BasicTransformerBlockImpl::BasicTransformerBlockImpl(int channels, int heads, int context_dim) {
  AttentionConfig self;
  self.query_dim = channels;
  self.heads = heads;
  self.head_dim = channels / heads;
  AttentionConfig cross = self;
  cross.context_dim = context_dim;
  norm1_ = register_module("norm1", layerNorm(channels));
  attn1_ = register_module("attn1", Attention(self));
  norm2_ = register_module("norm2", layerNorm(channels));
  attn2_ = register_module("attn2", Attention(cross));
  norm3_ = register_module("norm3", layerNorm(channels));
  // ff.net.0 = GEGLU (proj: C -> 2 * 4C), ff.net.1 = dropout, ff.net.2 = Linear(4C -> C).
  auto ff = register_module("ff", std::make_shared<torch::nn::Module>());
  auto net = ff->register_module("net", torch::nn::ModuleList());
  auto geglu = std::make_shared<torch::nn::Module>();
  ff_proj_ = geglu->register_module("proj", torch::nn::Linear(channels, channels * 8));
  net->push_back(geglu);
  net->push_back(std::make_shared<torch::nn::Module>());  // dropout (no parameters)
  ff_out_ = torch::nn::Linear(channels * 4, channels);
  net->push_back(ff_out_);
}

at::Tensor BasicTransformerBlockImpl::forward(const at::Tensor& x, const at::Tensor& context,
                                              ReferenceAttention* reference) {
  const at::Tensor n1 = norm1_->forward(x);
  at::Tensor h;
  if (reference != nullptr && reference->mode == ReferenceAttention::Mode::kWrite) {
    reference->banks.push_back(n1.to(at::kHalf).to(n1.scalar_type()));
    h = attn1_->forward(n1) + x;
  } else if (reference != nullptr && reference->mode == ReferenceAttention::Mode::kRead) {
    if (reference->next_block >= reference->banks.size()) {
      throw InputError("reference attention: more transformer blocks than recorded banks");
    }
    const at::Tensor& bank = reference->banks[reference->next_block++];
    const std::int64_t total = x.size(0);
    const std::int64_t uncond = reference->unconditional_batch;
    const at::Tensor n1_cond = n1.slice(0, uncond);
    const at::Tensor shared = attn1_->forward(
        n1_cond, at::cat({n1_cond, bankFor(bank, total, uncond, total - uncond)}, 1));
    if (uncond > 0) {
      const at::Tensor n1_uncond = n1.slice(0, 0, uncond);
      h = at::cat({attn1_->forward(n1_uncond), shared}, 0) + x;
    } else {
      h = shared + x;
    }
  } else {
    h = attn1_->forward(n1) + x;
  }
  h = attn2_->forward(norm2_->forward(h), context) + h;
  const std::vector<at::Tensor> parts = ff_proj_->forward(norm3_->forward(h)).chunk(2, -1);
  return ff_out_->forward(parts[0] * at::gelu(parts[1])) + h;
}

Transformer2DImpl::Transformer2DImpl(const Transformer2DConfig& c)
    : use_linear_projection_(c.use_linear_projection) {
  norm_ = register_module("norm",
                          GroupNorm32(torch::nn::GroupNormOptions(c.groups, c.channels).eps(1e-6)));
  if (use_linear_projection_) {
    proj_in_linear_ = register_module("proj_in", torch::nn::Linear(c.channels, c.channels));
  } else {
    proj_in_conv_ = register_module(
        "proj_in", torch::nn::Conv2d(torch::nn::Conv2dOptions(c.channels, c.channels, 1)));
  }
  transformer_blocks_ = register_module(
      "transformer_blocks",
      torch::nn::ModuleList(BasicTransformerBlock(c.channels, c.heads, c.context_dim)));
  if (use_linear_projection_) {
    proj_out_linear_ = register_module("proj_out", torch::nn::Linear(c.channels, c.channels));
  } else {
    proj_out_conv_ = register_module(
        "proj_out", torch::nn::Conv2d(torch::nn::Conv2dOptions(c.channels, c.channels, 1)));
  }
}

at::Tensor Transformer2DImpl::forward(const at::Tensor& x, const at::Tensor& context,
                                      ReferenceAttention* reference) {
  const auto b = x.size(0), c = x.size(1), height = x.size(2), width = x.size(3);
  at::Tensor h = norm_->forward(x);
  if (!use_linear_projection_) h = proj_in_conv_->forward(h);
  h = h.permute({0, 2, 3, 1}).reshape({b, height * width, c});
  if (use_linear_projection_) h = proj_in_linear_->forward(h);
  for (const auto& block : *transformer_blocks_) {
    h = block->as<BasicTransformerBlockImpl>()->forward(h, context, reference);
  }
  if (use_linear_projection_) h = proj_out_linear_->forward(h);
  // Back to NCHW in memory too: a channels-last result would make every following conv and
  // GroupNorm take the slow strided path (2.3x slower U-Net forwards at 768).
  h = h.reshape({b, height, width, c}).permute({0, 3, 1, 2}).contiguous();
  if (!use_linear_projection_) h = proj_out_conv_->forward(h);
  return h + x;
}

}  // namespace genstereo

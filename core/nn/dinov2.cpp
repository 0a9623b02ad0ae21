#include "nn/dinov2.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <ATen/ops/cat.h>
#include <ATen/ops/gelu.h>
#include <ATen/ops/matmul.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/softmax.h>
#include <ATen/ops/upsample_bicubic2d.h>
#include <ATen/ops/zeros.h>

#include "errors.h"
#include "nn/attention.h"

namespace genstereo {

namespace {

// Above this many tokens the attention is computed for blocks of queries, so that the score
// matrix (heads x queries x tokens) stays bounded on long images. Each query row is
// independent, so the result is the same.
constexpr std::int64_t kMaxTokensUnchunked = 2048;
constexpr std::int64_t kQueryChunk = 1024;

LayerNorm32 layerNorm(const DinoV2Config& config) {
  return LayerNorm32(torch::nn::LayerNormOptions({config.embed_dim}).eps(config.layer_norm_eps));
}

}  // namespace

DinoV2BlockImpl::DinoV2BlockImpl(const DinoV2Config& config) : num_heads_(config.num_heads) {
  const int dim = config.embed_dim;
  const int hidden = dim * config.mlp_ratio;
  norm1_ = register_module("norm1", layerNorm(config));
  auto attn = register_module("attn", std::make_shared<torch::nn::Module>("Attention"));
  qkv_ = attn->register_module("qkv", torch::nn::Linear(dim, 3 * dim));
  proj_ = attn->register_module("proj", torch::nn::Linear(dim, dim));
  auto ls1 = register_module("ls1", std::make_shared<torch::nn::Module>("LayerScale"));
  gamma1_ = ls1->register_parameter("gamma", at::ones({dim}) * config.layer_scale_init);
  norm2_ = register_module("norm2", layerNorm(config));
  auto mlp = register_module("mlp", std::make_shared<torch::nn::Module>("Mlp"));
  fc1_ = mlp->register_module("fc1", torch::nn::Linear(dim, hidden));
  fc2_ = mlp->register_module("fc2", torch::nn::Linear(hidden, dim));
  auto ls2 = register_module("ls2", std::make_shared<torch::nn::Module>("LayerScale"));
  gamma2_ = ls2->register_parameter("gamma", at::ones({dim}) * config.layer_scale_init);
}

at::Tensor DinoV2BlockImpl::attention(const at::Tensor& normed) {
  const std::int64_t batch = normed.size(0);
  const std::int64_t tokens = normed.size(1);
  const std::int64_t channels = normed.size(2);
  const std::int64_t head_dim = channels / num_heads_;
  // [B, N, 3, heads, head_dim] -> [3, B, heads, N, head_dim]
  const at::Tensor qkv = qkv_->forward(normed)
                             .reshape({batch, tokens, 3, num_heads_, head_dim})
                             .permute({2, 0, 3, 1, 4});
  // Official order: the scale multiplies q before q @ k^T (plain matmul, no baddbmm).
  const double scale = 1.0 / std::sqrt(static_cast<double>(head_dim));
  const at::Tensor q = qkv[0] * scale;
  const at::Tensor k_t = qkv[1].transpose(-2, -1);
  const at::Tensor v = qkv[2];
  at::Tensor context;
  if (tokens <= kMaxTokensUnchunked) {
    context = at::matmul(softmaxInFloat(at::matmul(q, k_t), -1), v);
  } else {
    std::vector<at::Tensor> parts;
    for (std::int64_t start = 0; start < tokens; start += kQueryChunk) {
      const at::Tensor q_part = q.narrow(2, start, std::min(kQueryChunk, tokens - start));
      parts.push_back(at::matmul(softmaxInFloat(at::matmul(q_part, k_t), -1), v));
    }
    context = at::cat(parts, 2);
  }
  return proj_->forward(context.transpose(1, 2).reshape({batch, tokens, channels}));
}

at::Tensor DinoV2BlockImpl::forward(const at::Tensor& tokens) {
  at::Tensor x = tokens + attention(norm1_->forward(tokens)) * gamma1_;
  const at::Tensor hidden = at::gelu(fc1_->forward(norm2_->forward(x)));
  return x + fc2_->forward(hidden) * gamma2_;
}

DinoVisionTransformerImpl::DinoVisionTransformerImpl(const DinoV2Config& config) : config_(config) {
  const int dim = config.embed_dim;
  const int grid = config.img_size / config.patch_size;
  cls_token_ = register_parameter("cls_token", at::zeros({1, 1, dim}));
  pos_embed_ = register_parameter("pos_embed", at::zeros({1, 1 + grid * grid, dim}));
  mask_token_ = register_parameter("mask_token", at::zeros({1, dim}));
  auto patch_embed =
      register_module("patch_embed", std::make_shared<torch::nn::Module>("PatchEmbed"));
  patch_proj_ = patch_embed->register_module(
      "proj", torch::nn::Conv2d(
                  torch::nn::Conv2dOptions(3, dim, config.patch_size).stride(config.patch_size)));
  blocks_ = register_module("blocks", torch::nn::ModuleList());
  for (int i = 0; i < config.depth; ++i) blocks_->push_back(DinoV2Block(config));
  norm_ = register_module("norm", layerNorm(config));
}

at::Tensor DinoVisionTransformerImpl::positionEmbedding(std::int64_t height,
                                                        std::int64_t width) const {
  const std::int64_t stored_patches = pos_embed_.size(1) - 1;
  const std::int64_t grid_h = height / config_.patch_size;
  const std::int64_t grid_w = width / config_.patch_size;
  // Official condition: the patch count equals the stored one and the input is square.
  if (grid_h * grid_w == stored_patches && height == width) return pos_embed_;
  const std::int64_t dim = pos_embed_.size(2);
  const double sqrt_n = std::sqrt(static_cast<double>(stored_patches));
  const std::int64_t side = static_cast<std::int64_t>(sqrt_n);
  const double target_h = static_cast<double>(grid_h) + config_.interpolate_offset;
  const double target_w = static_cast<double>(grid_w) + config_.interpolate_offset;
  const std::vector<double> scale_factors = {target_h / sqrt_n, target_w / sqrt_n};
  // Interpolated in float32 (bfloat16 models too).
  const at::Tensor grid = pos_embed_.narrow(1, 1, stored_patches)
                              .reshape({1, side, side, dim})
                              .permute({0, 3, 1, 2})
                              .to(at::kFloat);
  // Same call as torch 1.13's F.interpolate(scale_factor=(sx, sy), mode="bicubic"): the output
  // size is floor(37 * s) and the kernel maps coordinates with 1/s (not 37/size).
  const at::Tensor resized = at::upsample_bicubic2d(grid, c10::nullopt, /*align_corners=*/false,
                                                    at::ArrayRef<double>(scale_factors));
  if (resized.size(2) != grid_h || resized.size(3) != grid_w) {
    throw InputError("DINOv2 position embedding: interpolated grid " +
                     std::to_string(resized.size(2)) + "x" + std::to_string(resized.size(3)) +
                     " does not match the " + std::to_string(grid_h) + "x" +
                     std::to_string(grid_w) + " patch grid");
  }
  const at::Tensor patches =
      resized.permute({0, 2, 3, 1}).reshape({1, grid_h * grid_w, dim}).to(pos_embed_.scalar_type());
  return at::cat({pos_embed_.narrow(1, 0, 1), patches}, 1);
}

std::vector<at::Tensor> DinoVisionTransformerImpl::intermediatePatchTokens(
    const at::Tensor& image, const std::vector<int>& block_indices) {
  const std::int64_t height = image.size(2);
  const std::int64_t width = image.size(3);
  if (height % config_.patch_size != 0 || width % config_.patch_size != 0) {
    throw InputError("DINOv2 input " + std::to_string(width) + "x" + std::to_string(height) +
                     " is not a multiple of the patch size " + std::to_string(config_.patch_size));
  }
  for (int index : block_indices) {
    if (index < 0 || index >= config_.depth) {
      throw InputError("DINOv2: intermediate block " + std::to_string(index) + " outside 0.." +
                       std::to_string(config_.depth - 1));
    }
  }
  const std::int64_t batch = image.size(0);
  at::Tensor x = patch_proj_->forward(image).flatten(2).transpose(1, 2);
  x = at::cat({cls_token_.expand({batch, -1, -1}), x}, 1);
  x = x + positionEmbedding(height, width);
  std::vector<at::Tensor> outputs;
  std::size_t next = 0;
  for (int i = 0; i < config_.depth && next < block_indices.size(); ++i) {
    x = blocks_[i]->as<DinoV2BlockImpl>()->forward(x);
    while (next < block_indices.size() && block_indices[next] == i) {
      outputs.push_back(norm_->forward(x).narrow(1, 1, x.size(1) - 1));
      ++next;
    }
  }
  if (outputs.size() != block_indices.size()) {
    throw InputError("DINOv2: intermediate block indices must be increasing");
  }
  return outputs;
}

}  // namespace genstereo

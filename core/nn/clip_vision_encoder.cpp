#include "nn/clip_vision_encoder.h"

#include <cmath>
#include <memory>

#include <ATen/ATen.h>

#include "nn/attention.h"

namespace genstereo {

namespace {

LayerNorm32 layerNorm(int dim, double eps) {
  return LayerNorm32(torch::nn::LayerNormOptions({dim}).eps(eps));
}

at::Tensor quickGelu(const at::Tensor& x) { return x * at::sigmoid(1.702 * x); }

}  // namespace

ClipEncoderLayerImpl::ClipEncoderLayerImpl(const ClipVisionConfig& c)
    : heads_(c.num_attention_heads) {
  auto attention = register_module("self_attn", std::make_shared<torch::nn::Module>());
  k_proj_ = attention->register_module("k_proj", torch::nn::Linear(c.hidden_size, c.hidden_size));
  v_proj_ = attention->register_module("v_proj", torch::nn::Linear(c.hidden_size, c.hidden_size));
  q_proj_ = attention->register_module("q_proj", torch::nn::Linear(c.hidden_size, c.hidden_size));
  out_proj_ =
      attention->register_module("out_proj", torch::nn::Linear(c.hidden_size, c.hidden_size));
  layer_norm1_ = register_module("layer_norm1", layerNorm(c.hidden_size, c.layer_norm_eps));
  auto mlp = register_module("mlp", std::make_shared<torch::nn::Module>());
  fc1_ = mlp->register_module("fc1", torch::nn::Linear(c.hidden_size, c.intermediate_size));
  fc2_ = mlp->register_module("fc2", torch::nn::Linear(c.intermediate_size, c.hidden_size));
  layer_norm2_ = register_module("layer_norm2", layerNorm(c.hidden_size, c.layer_norm_eps));
}

at::Tensor ClipEncoderLayerImpl::forward(const at::Tensor& x) {
  const auto b = x.size(0), n = x.size(1), dim = x.size(2);
  const auto head_dim = dim / heads_;
  const double scale = 1.0 / std::sqrt(static_cast<double>(head_dim));
  const at::Tensor h = layer_norm1_->forward(x);
  auto heads = [&](const at::Tensor& t) {
    return t.reshape({b, n, heads_, head_dim})
        .permute({0, 2, 1, 3})
        .reshape({b * heads_, n, head_dim});
  };
  // transformers scales the queries before the product (q_proj(x) * scale).
  const at::Tensor q = heads(q_proj_->forward(h) * scale);
  const at::Tensor attended =
      scaledDotProductAttention(q, heads(k_proj_->forward(h)), heads(v_proj_->forward(h)), 1.0);
  const at::Tensor merged =
      attended.reshape({b, heads_, n, head_dim}).permute({0, 2, 1, 3}).reshape({b, n, dim});
  const at::Tensor after_attention = x + out_proj_->forward(merged);
  return after_attention +
         fc2_->forward(quickGelu(fc1_->forward(layer_norm2_->forward(after_attention))));
}

ClipVisionEncoderImpl::ClipVisionEncoderImpl(const ClipVisionConfig& c) : config_(c) {
  auto vision = register_module("vision_model", std::make_shared<torch::nn::Module>());
  auto embeddings = vision->register_module("embeddings", std::make_shared<torch::nn::Module>());
  class_embedding_ = embeddings->register_parameter("class_embedding", at::randn({c.hidden_size}));
  patch_embedding_ = embeddings->register_module(
      "patch_embedding", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, c.hidden_size, c.patch_size)
                                               .stride(c.patch_size)
                                               .bias(false)));
  const int positions = (c.image_size / c.patch_size) * (c.image_size / c.patch_size) + 1;
  position_embedding_ = embeddings->register_module("position_embedding",
                                                    torch::nn::Embedding(positions, c.hidden_size));
  pre_layrnorm_ =
      vision->register_module("pre_layrnorm", layerNorm(c.hidden_size, c.layer_norm_eps));
  auto encoder = vision->register_module("encoder", std::make_shared<torch::nn::Module>());
  layers_ = encoder->register_module("layers", torch::nn::ModuleList());
  for (int i = 0; i < c.num_hidden_layers; ++i) layers_->push_back(ClipEncoderLayer(c));
  post_layernorm_ =
      vision->register_module("post_layernorm", layerNorm(c.hidden_size, c.layer_norm_eps));
  visual_projection_ = register_module(
      "visual_projection",
      torch::nn::Linear(torch::nn::LinearOptions(c.hidden_size, c.projection_dim).bias(false)));
}

at::Tensor ClipVisionEncoderImpl::forward(const at::Tensor& pixel_values) {
  const auto b = pixel_values.size(0);
  const at::Tensor patches = patch_embedding_->forward(pixel_values).flatten(2).transpose(1, 2);
  const at::Tensor cls =
      class_embedding_.reshape({1, 1, -1}).expand({b, 1, class_embedding_.size(0)});
  at::Tensor x = at::cat({cls, patches}, 1) + position_embedding_->weight.unsqueeze(0);
  x = pre_layrnorm_->forward(x);
  for (const auto& layer : *layers_) x = layer->as<ClipEncoderLayerImpl>()->forward(x);
  const at::Tensor pooled = post_layernorm_->forward(x.select(1, 0));
  return visual_projection_->forward(pooled);
}

}  // namespace genstereo

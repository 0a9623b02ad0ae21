// The CLIP image encoder GenStereo conditions on: transformers' CLIPVisionModelWithProjection
// (ViT-L/14 from lambdalabs/sd-image-variations-diffusers, quick_gelu), with its key layout
// (vision_model.embeddings..., vision_model.encoder.layers.N..., visual_projection). Only the
// projected image embedding is used: visual_projection(post_layernorm(CLS token)).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "nn/compute_precision.h"

namespace genstereo {

struct ClipVisionConfig {
  int hidden_size = 1024;
  int intermediate_size = 4096;
  int projection_dim = 768;
  int num_hidden_layers = 24;
  int num_attention_heads = 16;
  int image_size = 224;
  int patch_size = 14;
  double layer_norm_eps = 1e-5;
};

class ClipEncoderLayerImpl : public torch::nn::Module {
 public:
  explicit ClipEncoderLayerImpl(const ClipVisionConfig& config);
  at::Tensor forward(const at::Tensor& x);

 private:
  int heads_;
  torch::nn::Linear q_proj_{nullptr}, k_proj_{nullptr}, v_proj_{nullptr}, out_proj_{nullptr};
  LayerNorm32 layer_norm1_{nullptr}, layer_norm2_{nullptr};
  torch::nn::Linear fc1_{nullptr}, fc2_{nullptr};
};
TORCH_MODULE(ClipEncoderLayer);

class ClipVisionEncoderImpl : public torch::nn::Module {
 public:
  explicit ClipVisionEncoderImpl(const ClipVisionConfig& config = {});
  // pixel_values: [B, 3, 224, 224], CLIP-normalised -> image embeddings [B, projection_dim].
  at::Tensor forward(const at::Tensor& pixel_values);

  // The checkpoint key that transformers may store but does not use.
  static const char* ignoredPositionIdsKey() { return "vision_model.embeddings.position_ids"; }

 private:
  ClipVisionConfig config_;
  at::Tensor class_embedding_;
  torch::nn::Conv2d patch_embedding_{nullptr};
  torch::nn::Embedding position_embedding_{nullptr};
  LayerNorm32 pre_layrnorm_{nullptr};
  torch::nn::ModuleList layers_{nullptr};
  LayerNorm32 post_layernorm_{nullptr};
  torch::nn::Linear visual_projection_{nullptr};
};
TORCH_MODULE(ClipVisionEncoder);

}  // namespace genstereo

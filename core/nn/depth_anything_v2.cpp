#include "nn/depth_anything_v2.h"

#include <ATen/ops/relu.h>

#include "errors.h"
#include "nn/state_dict_loader.h"

namespace genstereo {

DepthAnythingV2Config DepthAnythingV2Config::preset(DepthModelSize size) {
  DepthAnythingV2Config config;
  switch (size) {
    case DepthModelSize::kSmall:
      config.encoder.embed_dim = 384;
      config.encoder.depth = 12;
      config.encoder.num_heads = 6;
      config.features = 64;
      config.out_channels = {48, 96, 192, 384};
      config.intermediate_layers = {2, 5, 8, 11};
      return config;
    case DepthModelSize::kBase:
      config.encoder.embed_dim = 768;
      config.encoder.depth = 12;
      config.encoder.num_heads = 12;
      config.features = 128;
      config.out_channels = {96, 192, 384, 768};
      config.intermediate_layers = {2, 5, 8, 11};
      return config;
    case DepthModelSize::kLarge:
      config.encoder.embed_dim = 1024;
      config.encoder.depth = 24;
      config.encoder.num_heads = 16;
      config.features = 256;
      config.out_channels = {256, 512, 1024, 1024};
      config.intermediate_layers = {4, 11, 17, 23};
      return config;
    case DepthModelSize::kAuto:
      break;
  }
  throw InputError("Depth Anything V2: a preset needs an explicit model size (vits, vitb or vitl)");
}

DepthAnythingV2Impl::DepthAnythingV2Impl(const DepthAnythingV2Config& config) : config_(config) {
  pretrained_ = register_module("pretrained", DinoVisionTransformer(config.encoder));
  DptHeadConfig head;
  head.in_channels = config.encoder.embed_dim;
  head.features = config.features;
  head.out_channels = config.out_channels;
  head.patch_size = config.encoder.patch_size;
  depth_head_ = register_module("depth_head", DptHead(head));
}

at::Tensor DepthAnythingV2Impl::forward(const at::Tensor& image) {
  const std::int64_t patch_h = image.size(2) / config_.encoder.patch_size;
  const std::int64_t patch_w = image.size(3) / config_.encoder.patch_size;
  const std::vector<at::Tensor> tokens =
      pretrained_->intermediatePatchTokens(image, config_.intermediate_layers);
  // The depth in float32 whatever the network computes in.
  return at::relu(depth_head_->forward(tokens, patch_h, patch_w).to(at::kFloat)).squeeze(1);
}

DepthModelSize detectDepthModelSize(const CheckpointFile& checkpoint) {
  std::int64_t width = 0;
  for (const CheckpointEntry& entry : checkpoint.entries()) {
    if (entry.name == "pretrained.cls_token" && entry.shape.size() == 3) width = entry.shape[2];
  }
  if (width == 0) {
    for (const CheckpointEntry& entry : checkpoint.entries()) {
      if (entry.name == "pretrained.patch_embed.proj.weight" && !entry.shape.empty())
        width = entry.shape[0];
    }
  }
  const std::string file = "'" + checkpoint.path().string() + "'";
  if (width == 0) {
    throw CheckpointError(
        file +
        " is not a Depth Anything V2 checkpoint: it has no 'pretrained.cls_token' or "
        "'pretrained.patch_embed.proj.weight' tensor");
  }
  switch (width) {
    case 384:
      return DepthModelSize::kSmall;
    case 768:
      return DepthModelSize::kBase;
    case 1024:
      return DepthModelSize::kLarge;
    default:
      break;
  }
  throw CheckpointError(file + " has a DINOv2 encoder of embed dim " + std::to_string(width) +
                        "; supported are ViT-S (384), ViT-B (768) and ViT-L (1024)" +
                        (width == 1536 ? " (1536 is ViT-G, which is not supported)" : ""));
}

DepthAnythingV2 loadDepthAnythingV2(const std::filesystem::path& checkpoint_path,
                                    DepthModelSize size) {
  const std::unique_ptr<CheckpointFile> checkpoint = CheckpointFile::open(checkpoint_path);
  const DepthModelSize found = detectDepthModelSize(*checkpoint);
  if (size != DepthModelSize::kAuto && size != found) {
    const DepthAnythingV2Config found_config = DepthAnythingV2Config::preset(found);
    throw CheckpointError("'" + checkpoint_path.string() + "' is a " + displayName(found) +
                          " (embed dim " + std::to_string(found_config.encoder.embed_dim) +
                          ") checkpoint but " + displayName(size) + " was selected");
  }
  DepthAnythingV2 model(DepthAnythingV2Config::preset(found));
  loadStateDict(*model, *checkpoint);
  model->eval();
  return model;
}

DepthAnythingV2 loadDepthAnythingV2(const std::filesystem::path& checkpoint_path,
                                    const DepthAnythingV2Config& config) {
  DepthAnythingV2 model(config);
  loadStateDict(*model, *CheckpointFile::open(checkpoint_path));
  model->eval();
  return model;
}

}  // namespace genstereo

// Depth Anything V2 (official depth_anything_v2/dpt.py DepthAnythingV2): a DINOv2 encoder
// ("pretrained.*") and a DPT head ("depth_head.*"). forward() maps a normalised RGB image whose
// sides are multiples of 14 to relative inverse depth (larger = nearer, >= 0) at the same size.
// The architecture is configurable so that the tiny test model (48-dim, 2 heads) and the three
// official sizes share one implementation.
#pragma once

#include <array>
#include <string>
#include <vector>

#include <torch/nn/module.h>

#include "io/checkpoint_file.h"
#include "nn/depth_estimator.h"  // DepthModelSize
#include "nn/dinov2.h"
#include "nn/dpt_head.h"

namespace genstereo {

struct DepthAnythingV2Config {
  DinoV2Config encoder;
  int features = 64;
  std::array<int, 4> out_channels = {48, 96, 192, 384};
  std::vector<int> intermediate_layers = {2, 5, 8, 11};  // block indices fed to the head

  // The official model_configs and intermediate_layer_idx:
  //   vits: ViT-S/14 384-dim, 12 blocks, 6 heads;  features 64,  out [48, 96, 192, 384],    layers
  //   [2, 5, 8, 11] vitb: ViT-B/14 768-dim, 12 blocks, 12 heads; features 128, out [96, 192, 384,
  //   768],   layers [2, 5, 8, 11] vitl: ViT-L/14 1024-dim, 24 blocks, 16 heads; features 256, out
  //   [256, 512, 1024, 1024], layers [4, 11, 17, 23]
  static DepthAnythingV2Config preset(DepthModelSize size);
};

class DepthAnythingV2Impl : public torch::nn::Module {
 public:
  explicit DepthAnythingV2Impl(const DepthAnythingV2Config& config);
  // [B, 3, H, W] normalised RGB (ImageNet mean/std), H and W multiples of 14 -> [B, H, W]
  // relative inverse depth (official forward(): head, ReLU, squeeze).
  at::Tensor forward(const at::Tensor& image);
  const DepthAnythingV2Config& config() const { return config_; }

 private:
  DepthAnythingV2Config config_;
  DinoVisionTransformer pretrained_{nullptr};
  DptHead depth_head_{nullptr};
};
TORCH_MODULE(DepthAnythingV2);

// The official size a checkpoint holds, from the width of "pretrained.cls_token" (or of
// "pretrained.patch_embed.proj.weight"): 384 ViT-S, 768 ViT-B, 1024 ViT-L. Throws
// CheckpointError naming the file when it is no Depth Anything V2 checkpoint or of another
// width (e.g. ViT-G, 1536, which is not supported).
DepthModelSize detectDepthModelSize(const CheckpointFile& checkpoint);

// Loads an official checkpoint (.pth or .safetensors) strictly into a model of `size`
// (kAuto: the size the file holds). Throws CheckpointError "'FILE' is a ViT-B (embed dim 768)
// checkpoint but ViT-S was selected" when the file holds another size, and names missing,
// unexpected or misshapen keys otherwise.
DepthAnythingV2 loadDepthAnythingV2(const std::filesystem::path& checkpoint_path,
                                    DepthModelSize size);

// Loads a checkpoint into a model built from an explicit configuration (test models).
DepthAnythingV2 loadDepthAnythingV2(const std::filesystem::path& checkpoint_path,
                                    const DepthAnythingV2Config& config);

}  // namespace genstereo

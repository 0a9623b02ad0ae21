// Architecture files: a JSON beside a model's weights that overrides the architecture of the
// released models, for fine-tuned models of other sizes and for the tiny test models. The
// engine reads them when present:
//   MODELS/genstereo-v2.1/genstereo_architecture.json  (or genstereo-v1.5/): GenStereoConfig
//   MODELS/depth_anything_v2_architecture.json                     : DepthAnythingV2Config
// Keys (all optional; absent keys keep the released model's value):
//   {"working_size": 64,
//    "unet": {"block_out_channels": [..], "layers_per_block": 1, "attention_heads": [..],
//             "cross_attention_dim": 272, "use_linear_projection": true},
//    "vae": {"block_out_channels": [..], "layers_per_block": 1},
//    "clip": {"hidden_size": 32, "intermediate_size": 64, "projection_dim": 16,
//             "num_hidden_layers": 2, "num_attention_heads": 4, "image_size": 224,
//             "patch_size": 14}}
//   {"encoder": {"embed_dim", "depth", "num_heads", "mlp_ratio", "patch_size", "img_size",
//                "layer_scale_init", "interpolate_offset"},
//    "features": 64, "out_channels": [4 ints], "intermediate_layers": [4 ints]}
#pragma once

#include <filesystem>
#include <optional>

#include "nn/depth_anything_v2.h"
#include "nn/genstereo_models.h"

namespace genstereo {

inline constexpr const char* kGenStereoArchitectureFile = "genstereo_architecture.json";
inline constexpr const char* kDepthArchitectureFile = "depth_anything_v2_architecture.json";

// `base` with the keys of `path` applied. Throws InputError naming the file and key when the
// JSON is invalid or a value has the wrong type or range.
GenStereoConfig readGenStereoArchitecture(const std::filesystem::path& path, GenStereoConfig base);
DepthAnythingV2Config readDepthArchitecture(const std::filesystem::path& path,
                                            DepthAnythingV2Config base);

}  // namespace genstereo

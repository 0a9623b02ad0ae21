// Where each model file lives under a models folder (the official checkpoint root), the one
// rule the loaders, the engine's inspection and the CLI share:
//   genstereo-v2.1/  reference_unet.pth  denoising_unet.pth  pose_guider.pth  fusion_layer.pth
//                    (Hugging Face FQiao/GenStereo-sd2.1; genstereo-v1.5/ from FQiao/GenStereo)
//   sd-vae-ft-mse/diffusion_pytorch_model.safetensors   (stabilityai/sd-vae-ft-mse)
//   image_encoder/pytorch_model.bin                     (lambdalabs/sd-image-variations-
//                                                         diffusers, subfolder image_encoder)
// A .safetensors twin of a .pth/.bin file is accepted under the same name.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "nn/genstereo_variant.h"

namespace genstereo {

struct ModelFileSlot {
  std::string role;            // "reference_unet", "denoising_unet", "pose_guider",
                               // "fusion_layer", "vae", "image_encoder"
  std::filesystem::path path;  // the file if present (or its twin), else the primary name
  std::string hub_repo;        // where it comes from
  bool is_present = false;
};

// The six files of a variant, in load order.
std::vector<ModelFileSlot> genStereoModelSlots(const std::filesystem::path& models_dir,
                                               GenStereoVariant variant);

// `primary` if it exists, else its .safetensors twin if that exists, else `primary`.
std::filesystem::path existingOrSafetensorsTwin(const std::filesystem::path& primary);

}  // namespace genstereo

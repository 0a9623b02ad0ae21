// The GenStereo networks, their configurations per released variant, and where their weights
// live. Folder layout expected under a models folder (the official checkpoint root):
//   genstereo-v2.1/  reference_unet.pth  denoising_unet.pth  pose_guider.pth  fusion_layer.pth
//                    (Hugging Face FQiao/GenStereo-sd2.1; genstereo-v1.5/ from FQiao/GenStereo)
//   sd-vae-ft-mse/diffusion_pytorch_model.safetensors   (stabilityai/sd-vae-ft-mse)
//   image_encoder/pytorch_model.bin                     (lambdalabs/sd-image-variations-
//                                                         diffusers, subfolder image_encoder)
// .safetensors twins of the .pth/.bin files are accepted under the same names.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include "genstereo/progress.h"
#include "nn/adaptive_fusion.h"
#include "nn/autoencoder_kl.h"
#include "nn/clip_vision_encoder.h"
#include "nn/genstereo_variant.h"
#include "nn/pose_guider.h"
#include "nn/unet_2d_condition.h"

namespace genstereo {

struct GenStereoConfig {
  int working_size = 768;  // the square the models run at (v2.1: 768, v1.5: 512)
  UNetConfig unet;         // the denoising U-Net (the reference one has no output head)
  AutoencoderKLConfig vae;
  ClipVisionConfig clip;
  PoseGuiderConfig pose_guider;

  static GenStereoConfig forVariant(GenStereoVariant variant);
};

struct GenStereoModelFiles {
  std::filesystem::path reference_unet, denoising_unet, pose_guider, fusion_layer, vae,
      image_encoder;
};

// The files of a variant under `models_dir`. Throws InputError listing every missing file with
// the path expected and the Hugging Face repository to get it from.
GenStereoModelFiles locateGenStereoModels(const std::filesystem::path& models_dir,
                                          GenStereoVariant variant);

// All six networks, loaded strictly, in eval mode on one device.
struct GenStereoModels {
  GenStereoConfig config;
  PoseGuider pose_guider{nullptr};
  UNet2DCondition reference_unet{nullptr};
  UNet2DCondition denoising_unet{nullptr};
  AutoencoderKL vae{nullptr};
  ClipVisionEncoder image_encoder{nullptr};
  AdaptiveFusion fusion{nullptr};
  c10::Device device = c10::Device(c10::kCPU);
  c10::ScalarType dtype = c10::kFloat;

  // Builds the networks for `config` with random weights, in eval mode, on the CPU in float32
  // (for benchmarks and tests; `load` uses it too).
  static GenStereoModels build(const GenStereoConfig& config);

  // Opens every file first (a missing or broken checkpoint is reported before any network is
  // built), then builds the networks for `config` and loads `files` (CheckpointError names any
  // mismatch), then moves them to `device` in `dtype` (float16/bfloat16 only make sense on
  // CUDA; the fusion layer always runs in float32, as the official code). `cancel` is checked
  // between networks (CancelledError; everything built so far is freed).
  static GenStereoModels load(const GenStereoConfig& config, const GenStereoModelFiles& files,
                              c10::Device device = c10::Device(c10::kCPU),
                              c10::ScalarType dtype = c10::kFloat,
                              const CancelToken& cancel = CancelToken());
};

}  // namespace genstereo

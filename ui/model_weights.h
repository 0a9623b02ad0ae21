// Where the model weights go, and whether they are there (README.md, "Model weights"):
//   MODELS/genstereo-v2.1/ (or genstereo-v1.5/)  reference_unet.pth  denoising_unet.pth
//                                                pose_guider.pth  fusion_layer.pth
//   MODELS/sd-vae-ft-mse/diffusion_pytorch_model.safetensors
//   MODELS/image_encoder/pytorch_model.bin
//   MODELS/depth_anything_v2_{vits,vitb,vitl}.pth   (depth for photos without a map)
// The check looks for the files only (genstereo::locateGenStereoModels and
// genstereo::findDepthCheckpoint); whether they load shows when the engine loads them.
#pragma once

#include <QString>
#include <QStringList>

namespace genstereo::ui {

struct WeightsStatus {
  QString folder;            // the models folder as given
  QString variant;           // "sd21" or "sd15"
  QString depth_model_size;  // "auto", "vits", "vitb" or "vitl"

  bool is_diffusion_found = false;  // all six files of the variant are there
  QStringList diffusion_missing;    // relative paths, e.g. "genstereo-v2.1/reference_unet.pth"
  QString diffusion_error;          // the core's message naming what is missing (English)

  bool is_depth_found = false;
  QString depth_checkpoint;  // the checkpoint found
  QString depth_error;       // the core's message naming the file expected (English)

  // What was found, and what is missing where (translated; several lines).
  QString message;
  // Short reason why the diffusion engine cannot run, e.g. "missing:
  // genstereo-v2.1/reference_unet.pth, …" (translated); empty when it can.
  QString diffusionReason() const;
};

// `variant`: "sd21" / "sd15"; `depth_model_size`: "auto", "vits", "vitb" or "vitl".
WeightsStatus checkModelWeights(const QString& models_folder, const QString& variant,
                                const QString& depth_model_size);
// The same with the variant and depth model size of AppSettings.
WeightsStatus checkModelWeights(const QString& models_folder);

// True when LibTorch sees a CUDA device.
bool isCudaAvailable();

// "v2.1 (768 px)" / "v1.5 (512 px)".
QString variantLabel(const QString& variant);

}  // namespace genstereo::ui

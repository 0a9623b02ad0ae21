// Where the model weights go, and whether they are there (README.md, "Model weights"):
//   MODELS/genstereo-v2.1/ (or genstereo-v1.5/)  reference_unet.pth  denoising_unet.pth
//                                                pose_guider.pth  fusion_layer.pth
//   MODELS/sd-vae-ft-mse/diffusion_pytorch_model.safetensors
//   MODELS/image_encoder/pytorch_model.bin
//   MODELS/depth_anything_v2_{vits,vitb,vitl}.pth   (depth for photos without a map)
// The state of each file comes from the engine as data (StereoEngine::inspectModels: found,
// missing or invalid by a structural check of the file, without building any network); this
// file only words it for the window.
#pragma once

#include <QString>
#include <QStringList>

#include "genstereo/engine.h"

namespace genstereo::ui {

struct WeightsStatus {
  QString folder;            // the models folder as given
  QString variant;           // "sd21" or "sd15"
  QString depth_model_size;  // "auto", "vits", "vitb" or "vitl"
  ModelReport report;        // the engine's report, file by file

  bool is_diffusion_found = false;  // all six files of the variant are there and valid
  // The files of the variant that are missing or invalid, relative to the folder, e.g.
  // "genstereo-v2.1/reference_unet.pth".
  QStringList diffusion_missing;

  bool is_depth_found = false;
  QString depth_checkpoint;  // the checkpoint found
  // The depth checkpoints looked for and why none is usable (translated; empty when found).
  QString depth_expected;

  // What was found, and what is missing or invalid where (translated; several lines).
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

// One file of the report for a message: its path and what is wrong (translated).
QString describeModelFile(const EngineModelFile& file);

// "v2.1 (768 px)" / "v1.5 (512 px)".
QString variantLabel(const QString& variant);

}  // namespace genstereo::ui

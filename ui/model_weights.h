// Where the diffusion engine's weights go, and whether they are there.
//
// Layout: MODELS/genstereo/ holds the files of the Hugging Face repository FQiao/GenStereo
// (512 px; or FQiao/GenStereo-sd2.1, 768 px): *.safetensors, *.pth or *.bin checkpoints.
#pragma once

#include <QString>

namespace genstereo::ui {

struct WeightsStatus {
  bool is_found = false;
  QString folder;   // MODELS/genstereo
  QString message;  // what was found, or what to put where (translated)
};

WeightsStatus checkDiffusionWeights(const QString& models_folder);

}  // namespace genstereo::ui

// The LibTorch runtime of the engine's models (core/engine/models_runtime.h): Depth Anything V2,
// Video Depth Anything and the GenStereo diffusion models. Linked into the neural-module tests
// (genstereo_models_torch) and into the models module (torch_models_module_entry.cpp).
#pragma once

#include "engine/models_runtime.h"

namespace genstereo {

ModelsRuntime& torchModelsRuntime();

}  // namespace genstereo

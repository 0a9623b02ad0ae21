// The Depth Anything V2 (or Video Depth Anything) checkpoints the engine looks for in a models
// folder and the Hugging Face cache (kAuto: every size, largest first), each with its catalogue
// id and the hub repository the built-in catalogue names. No LibTorch: model reports list them
// without loading the network library.
#pragma once

#include <vector>

#include "genstereo/engine.h"

namespace genstereo {

std::vector<EngineModelFile> expectedDepthModelFiles(const EngineOptions& options);

}  // namespace genstereo

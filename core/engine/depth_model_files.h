// The Depth Anything V2 checkpoints the engine looks for in a models folder (kAuto: every size,
// largest first), with their hub repositories. No LibTorch: model reports list them without
// loading the network library.
#pragma once

#include <vector>

#include "genstereo/engine.h"

namespace genstereo {

std::vector<EngineModelFile> expectedDepthModelFiles(const EngineOptions& options);

}  // namespace genstereo

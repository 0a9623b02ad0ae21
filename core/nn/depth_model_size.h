// The Depth Anything V2 sizes: genstereo/depth_model_size.h (part of the engine's vocabulary).
#pragma once

#include "genstereo/depth_model_size.h"

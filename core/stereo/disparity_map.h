// The map value type: genstereo/disparity_map.h (part of the engine's vocabulary).
#pragma once

#include "genstereo/disparity_map.h"

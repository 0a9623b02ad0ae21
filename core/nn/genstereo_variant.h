// The GenStereo variants: genstereo/genstereo_variant.h (part of the engine's vocabulary).
#pragma once

#include "genstereo/genstereo_variant.h"

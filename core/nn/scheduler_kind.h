// The diffusion samplers: genstereo/scheduler_kind.h (part of the engine's vocabulary).
#pragma once

#include "genstereo/scheduler_kind.h"

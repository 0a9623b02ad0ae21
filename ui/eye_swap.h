// Swap eyes: the result with its left and right views exchanged, for viewers and files that
// expect the other order (cross-eyed viewing of a parallel pair, a mislabelled photo).
#pragma once

#include "engine_types.h"

namespace genstereo::ui {

// A copy of `result` with left <-> right and the two pictures of the wiggle (input <-> final
// view) exchanged; nullptr stays nullptr. The inspection images are kept as they are.
EngineResultPtr withEyesSwapped(const EngineResultPtr& result);

}  // namespace genstereo::ui

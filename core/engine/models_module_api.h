// The models module: the LibTorch runtime (core/engine/torch/) built as a shared library of its
// own, libgenstereo_torch_models.so, which the core library opens with dlopen the first time a
// run needs a model (core/engine/module/). `--help`, `--version` and weight-free runs then never
// load LibTorch (~0.5 s and ~150 MB per process).
//
// The module links the shared core library like the programs do, and exports one C function,
// kModelsModuleEntry, of type ModelsModuleEntry. Its runtime (core/engine/models_runtime.h) is
// used only when the module was built with this core library: both carry the build id stamped
// at configure time (GENSTEREO_BUILD_ID, generated header engine/models_build_id.h).
#pragma once

#include "engine/models_runtime.h"

namespace genstereo {

inline constexpr const char* kModelsModuleEntry = "genstereo_models_entry";
inline constexpr const char* kModelsModuleFileName = "libgenstereo_torch_models.so";

// Returns the module's runtime when `build_id` is the module's own build id; else nullptr, with
// `*module_build_id` set to the module's id (a string of the module, valid while it is loaded).
using ModelsModuleEntry = ModelsRuntime* (*)(const char* build_id, const char** module_build_id);

}  // namespace genstereo

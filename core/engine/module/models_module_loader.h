// Finds and opens the models module (core/engine/models_module_api.h) once per process, and
// the runtime that uses it (the default runtime of a build with LibTorch).
// Looked for: $GENSTEREO_MODELS_MODULE (a file path) when set, else beside the core library
// libgenstereo_core.so (lib/genstereo when installed, build/app in the build tree).
// A candidate whose ELF headers do not fit in the file (a truncated copy) is refused before
// dlopen, which would otherwise die of SIGBUS.
#pragma once

#include <filesystem>
#include <vector>

#include "engine/models_runtime.h"

namespace genstereo {

// The places looked at, in order (existing or not).
std::vector<std::filesystem::path> modelsModuleCandidates();

// The module's runtime, loading the module on the first call (thread-safe). Throws Error naming
// the places looked at, the dlopen error, or the build ids of a module from another build.
ModelsRuntime& modelsModule();

// The module's runtime when it is already loaded, else nullptr (never loads it).
ModelsRuntime* loadedModelsModule();

// The runtime that loads the models module when a model is first needed.
ModelsRuntime& moduleModelsRuntime();

}  // namespace genstereo

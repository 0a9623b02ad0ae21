// Finds and opens the models module (core/engine/models_module_api.h) once per process.
// Looked for, in this order: $GENSTEREO_MODELS_MODULE (a file path); next to the program;
// the installed folder relative to the program (GENSTEREO_MODELS_MODULE_RELATIVE_DIR); the
// build tree (GENSTEREO_MODELS_MODULE_BUILD_PATH, so that tests anywhere in it find it), only
// when the program itself runs from the build tree (GENSTEREO_BUILD_DIR).
// A candidate whose ELF headers do not fit in the file (a truncated copy) is refused before
// dlopen, which would otherwise die of SIGBUS.
#pragma once

#include <filesystem>
#include <vector>

#include "engine/models_module_api.h"

namespace genstereo {

// The places looked at, in order (existing or not).
std::vector<std::filesystem::path> modelsModuleCandidates();

// True when one of the candidates is a file (the module is not loaded).
bool modelsModuleIsPresent();

// The module's table, loading it on the first call (thread-safe). Throws Error naming the
// places looked at, the dlopen error, or the mismatch of a module from another build.
const ModelsModuleApi& modelsModule();

// The table when the module is already loaded, else nullptr (never loads it).
const ModelsModuleApi* loadedModelsModule();

// The file the module was loaded from (empty before).
std::filesystem::path loadedModelsModulePath();

}  // namespace genstereo

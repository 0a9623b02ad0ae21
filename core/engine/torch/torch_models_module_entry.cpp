// The entry point of the models module (core/engine/models_module_api.h). Built only into the
// module, whose code has hidden visibility: this is its one exported symbol.
#include <cstring>
#include <type_traits>

#include "engine/models_build_id.h"
#include "engine/models_module_api.h"
#include "engine/torch/torch_models_runtime.h"

extern "C" __attribute__((visibility("default"))) genstereo::ModelsRuntime* genstereo_models_entry(
    const char* build_id, const char** module_build_id) {
  static_assert(std::is_same_v<decltype(&genstereo_models_entry), genstereo::ModelsModuleEntry>);
  if (build_id == nullptr || std::strcmp(build_id, GENSTEREO_BUILD_ID) != 0) {
    if (module_build_id != nullptr) *module_build_id = GENSTEREO_BUILD_ID;
    return nullptr;
  }
  return &genstereo::torchModelsRuntime();
}

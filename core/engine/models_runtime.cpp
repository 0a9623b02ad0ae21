#include "engine/models_runtime.h"

#include <atomic>

#ifdef GENSTEREO_MODELS_MODULE
#include "engine/module/models_module_loader.h"
#endif

namespace genstereo {
namespace {

std::atomic<ModelsRuntime*> g_installed{nullptr};

}  // namespace

ModelsRuntime& modelsRuntime() {
  if (ModelsRuntime* runtime = g_installed.load(std::memory_order_acquire)) return *runtime;
#ifdef GENSTEREO_MODELS_MODULE
  return moduleModelsRuntime();
#else
  return noModelsRuntime();
#endif
}

void installModelsRuntime(ModelsRuntime* runtime) {
  g_installed.store(runtime, std::memory_order_release);
}

// The public questions of include/genstereo/engine.h.
bool isCudaAvailable() { return modelsRuntime().isCudaAvailable(); }

ModelLibraryInfo modelLibraryInfo() { return modelsRuntime().libraryInfo(); }

}  // namespace genstereo

// The engine's models through the models module (core/engine/models_module_api.h): nothing of
// LibTorch is loaded until a run needs the depth model or the diffusion models; questions that
// need no model (is one loaded? which depth files are expected?) never load it.
#include "engine/depth_model_files.h"
#include "engine/engine_models.h"
#include "engine/module/models_module_loader.h"
#include "errors.h"

namespace genstereo {

struct EngineModels {
  EngineOptions options;
  const ModelsModuleApi* api = nullptr;  // set with `inner` on first use
  void* inner = nullptr;                 // the module's own EngineModels

  ~EngineModels() {
    if (inner != nullptr) api->destroy(inner);
  }

  // The module's models, loading the module on first use.
  void* use() {
    if (inner == nullptr) {
      const ModelsModuleApi& module = modelsModule();
      inner = module.make(options);
      api = &module;
    }
    return inner;
  }
};

void EngineModelsDeleter::operator()(EngineModels* models) const { delete models; }

EngineModelsPtr makeEngineModels(const EngineOptions& options) {
  EngineModelsPtr models(new EngineModels);
  models->options = options;
  return models;
}

// The build has the models; a missing or broken module file is reported when a run needs it
// (the loader's message names the places looked at), rather than silently running without.
bool engineHasModelSupport() { return true; }

bool isCudaAvailable() {
  if (!modelsModuleIsPresent()) return false;
  return modelsModule().is_cuda_available();
}

const char* modelLibraryRuntime() { return ""; }  // the module's own answers

ModelLibraryInfo modelLibraryInfo() {
  ModelLibraryInfo info;
  try {
    const ModelsModuleApi& module = modelsModule();
    info.usable = true;
    info.location = loadedModelsModulePath().string();
    info.runtime = module.runtime();
    info.cuda = module.is_cuda_available();
  } catch (const Error& error) {
    info.problem = error.what();
  }
  return info;
}

std::vector<EngineModelFile> inspectDepthModels(const EngineOptions& options) {
  return expectedDepthModelFiles(options);
}

bool isDepthModelLoaded(const EngineModels& models) {
  return models.inner != nullptr && models.api->is_depth_loaded(models.inner);
}

void loadDepthModel(EngineModels& models, const CancelToken& cancel) {
  if (cancel.isCancelled()) throw CancelledError();
  void* inner = models.use();
  models.api->load_depth(inner, cancel);
}

cv::Mat estimateDepth(EngineModels& models, const cv::Mat& image01) {
  void* inner = models.use();
  return models.api->estimate_depth(inner, image01);
}

void resetDepthState(EngineModels& models) {
  if (models.inner != nullptr) models.api->reset_depth_state(models.inner);
}

std::string depthModelName(const EngineModels& models) {
  return models.inner != nullptr ? models.api->depth_model_name(models.inner) : std::string();
}

bool isDiffusionLoaded(const EngineModels& models) {
  return models.inner != nullptr && models.api->is_diffusion_loaded(models.inner);
}

bool isDiffusionLoading(const EngineModels& models) {
  return models.inner != nullptr && models.api->is_diffusion_loading(models.inner);
}

void awaitDiffusionModels(EngineModels& models, const CancelToken& cancel) {
  if (cancel.isCancelled()) throw CancelledError();
  void* inner = models.use();
  models.api->await_diffusion(inner, cancel);
}

RightViewSynthesizer diffusionSynthesizer(EngineModels& models, const DiffusionSettings& settings,
                                          std::function<void(int, int)> on_step,
                                          const CancelToken& cancel) {
  void* inner = models.use();
  return models.api->diffusion_synthesizer(inner, settings, std::move(on_step), cancel);
}

void addPhotoCounters(const EngineModels& models, StereoEngine::Counters& counters) {
  if (models.inner != nullptr) models.api->add_photo_counters(models.inner, counters);
}

bool describeModelLibraryError(const std::exception& error, std::string& message) {
  const ModelsModuleApi* module = loadedModelsModule();
  return module != nullptr && module->describe_error(error, message);
}

}  // namespace genstereo

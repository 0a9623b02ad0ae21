// The entry point of the models module (core/engine/models_module_api.h): the table of the
// LibTorch implementation in torch_engine_models.cpp. Built only into the module, with hidden
// visibility, so that its functions never bind to the program's loader of the same names.
#include "engine/engine_models.h"
#include "engine/models_module_api.h"

namespace genstereo {
namespace {

EngineModels& self(void* models) { return *static_cast<EngineModels*>(models); }
const EngineModels& self(const void* models) { return *static_cast<const EngineModels*>(models); }

ModelsModuleApi makeTable() {
  ModelsModuleApi api;
  api.make = [](const EngineOptions& options) -> void* {
    return makeEngineModels(options).release();
  };
  api.destroy = [](void* models) { EngineModelsDeleter()(static_cast<EngineModels*>(models)); };
  api.is_cuda_available = [] { return isCudaAvailable(); };
  api.runtime = [] { return modelLibraryRuntime(); };
  api.is_depth_loaded = [](const void* models) { return isDepthModelLoaded(self(models)); };
  api.load_depth = [](void* models, const CancelToken& cancel) {
    loadDepthModel(self(models), cancel);
  };
  api.estimate_depth = [](void* models, const cv::Mat& image01) {
    return estimateDepth(self(models), image01);
  };
  api.reset_depth_state = [](void* models) { resetDepthState(self(models)); };
  api.depth_model_name = [](const void* models) { return depthModelName(self(models)); };
  api.is_diffusion_loaded = [](const void* models) { return isDiffusionLoaded(self(models)); };
  api.is_diffusion_loading = [](const void* models) { return isDiffusionLoading(self(models)); };
  api.await_diffusion = [](void* models, const CancelToken& cancel) {
    awaitDiffusionModels(self(models), cancel);
  };
  api.diffusion_synthesizer = [](void* models, const DiffusionSettings& settings,
                                 std::function<void(int, int)> on_step, const CancelToken& cancel) {
    return diffusionSynthesizer(self(models), settings, std::move(on_step), cancel);
  };
  api.add_photo_counters = [](const void* models, StereoEngine::Counters& counters) {
    addPhotoCounters(self(models), counters);
  };
  api.describe_error = [](const std::exception& error, std::string& message) {
    return describeModelLibraryError(error, message);
  };
  return api;
}

}  // namespace
}  // namespace genstereo

extern "C" __attribute__((visibility("default"))) const genstereo::ModelsModuleApi*
genstereo_models_module_api() {
  static const genstereo::ModelsModuleApi api = genstereo::makeTable();
  return &api;
}

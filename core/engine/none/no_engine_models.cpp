// The engine without models (no LibTorch): the weight-free engine with given maps only.
#include "engine/engine_models.h"

#include "errors.h"

namespace genstereo {

struct EngineModels {};

void EngineModelsDeleter::operator()(EngineModels* models) const { delete models; }

EngineModelsPtr makeEngineModels(const EngineOptions&) { return EngineModelsPtr(new EngineModels); }

bool engineHasModelSupport() { return false; }

bool isCudaAvailable() { return false; }

const char* modelLibraryRuntime() { return ""; }

ModelLibraryInfo modelLibraryInfo() {
  ModelLibraryInfo info;
  info.problem =
      "built without the neural models (LibTorch): the weight-free engine with given maps only";
  return info;
}

std::vector<EngineModelFile> inspectDepthModels(const EngineOptions&) { return {}; }

bool isDepthModelLoaded(const EngineModels&) { return false; }

namespace {
[[noreturn]] void noModels() {
  throw InputError(
      "this program was built without the neural models (LibTorch): give a disparity or depth map "
      "and use the weight-free engine");
}
}  // namespace

void loadDepthModel(EngineModels&, const CancelToken&) { noModels(); }
cv::Mat estimateDepth(EngineModels&, const cv::Mat&) { noModels(); }
void resetDepthState(EngineModels&) {}

std::string depthModelName(const EngineModels&) { return {}; }
bool isDiffusionLoaded(const EngineModels&) { return false; }
bool isDiffusionLoading(const EngineModels&) { return false; }
void awaitDiffusionModels(EngineModels&, const CancelToken&) { noModels(); }
RightViewSynthesizer diffusionSynthesizer(EngineModels&, const DiffusionSettings&,
                                          std::function<void(int, int)>, const CancelToken&) {
  noModels();
}
void addPhotoCounters(const EngineModels&, StereoEngine::Counters&) {}
bool describeModelLibraryError(const std::exception&, std::string&) { return false; }

}  // namespace genstereo

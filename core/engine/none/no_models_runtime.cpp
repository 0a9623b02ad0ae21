// No models (no LibTorch): the weight-free engine with given maps only.
#include "engine/models_runtime.h"
#include "errors.h"

namespace genstereo {
namespace {

[[noreturn]] void noModels() {
  throw InputError(
      "this program was built without the neural models (LibTorch): give a disparity or depth map "
      "and use the weight-free engine");
}

class NoModels final : public EngineModels {
 public:
  bool isDepthLoaded() const override { return false; }
  void loadDepth(const CancelToken&, const ModelLoadProgress&) override { noModels(); }
  cv::Mat estimateDepth(const cv::Mat&) override { noModels(); }
  void resetDepthState() override {}
  std::string depthModelName() const override { return {}; }
  bool isDiffusionLoaded() const override { return false; }
  bool isDiffusionLoading() const override { return false; }
  void awaitDiffusion(const CancelToken&, const ModelLoadProgress&) override { noModels(); }
  RightViewSynthesizer diffusionSynthesizer(const DiffusionSettings&, std::function<void(int, int)>,
                                            const CancelToken&) override {
    noModels();
  }
  void addPhotoCounters(StereoEngine::Counters&) const override {}
};

class NoModelsRuntime final : public ModelsRuntime {
 public:
  bool hasModelSupport() const override { return false; }
  ModelLibraryInfo libraryInfo() override {
    ModelLibraryInfo info;
    info.problem =
        "built without the neural models (LibTorch): the weight-free engine with given maps only";
    return info;
  }
  bool isCudaAvailable() override { return false; }
  std::unique_ptr<EngineModels> makeModels(const EngineOptions&) override {
    return std::make_unique<NoModels>();
  }
  bool describeError(const std::exception&, std::string&) const override { return false; }
};

}  // namespace

ModelsRuntime& noModelsRuntime() {
  static NoModelsRuntime runtime;
  return runtime;
}

}  // namespace genstereo

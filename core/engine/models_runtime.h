// The models behind the engine (depth estimation, the diffusion synthesiser) as the engine
// sees them: one abstract runtime that makes the models of an engine. Three implementations:
//   core/engine/torch/   LibTorch (Depth Anything V2, GenStereo). Linked into the neural-module
//                        tests (genstereo_models_torch) and built as the models module
//                        libgenstereo_torch_models.so (core/engine/models_module_api.h).
//   core/engine/module/  the models module's runtime, loaded with dlopen on first use: the
//                        default of a build with LibTorch (genstereo-cli, genstereo), so that
//                        `--help`, `--version` and weight-free runs never load LibTorch.
//   core/engine/none/    no models: the default of a build without LibTorch, and the torch-free
//                        unit tests (genstereo_models_none).
// The module and the program link the same shared core library and come from one build (the
// module is refused otherwise), so C++ types and exceptions cross the boundary as they are.
// Internal to the engine; clients use include/genstereo/engine.h.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>

#include <opencv2/core.hpp>

#include "genstereo/engine.h"
#include "stereo/stereo_synthesis.h"

namespace genstereo {

// Called on the loading thread about every 50 ms while models load, with the bytes of
// checkpoint tensors read so far in this load.
using ModelLoadProgress = std::function<void(std::uint64_t bytes_read)>;

// The models of one engine, loaded on demand.
class EngineModels {
 public:
  virtual ~EngineModels() = default;

  virtual bool isDepthLoaded() const = 0;
  // Loads the depth model if needed (CancelToken checked before and after). Throws on failure.
  virtual void loadDepth(const CancelToken& cancel, const ModelLoadProgress& on_read) = 0;
  // Relative inverse depth at the photo's size (CV_32FC1). `image01` CV_32FC3 BGR [0,1].
  virtual cv::Mat estimateDepth(const cv::Mat& image01) = 0;
  // Forgets the earlier frames of a video depth model (nothing for an image model).
  virtual void resetDepthState() = 0;
  // "Depth Anything V2 ViT-S" (empty before loading).
  virtual std::string depthModelName() const = 0;

  virtual bool isDiffusionLoaded() const = 0;
  // True while a load started by awaitDiffusion is still running (e.g. after a cancelled wait).
  virtual bool isDiffusionLoading() const = 0;
  // Waits for the GenStereo models (starting their load on a thread of its own when needed),
  // polling `cancel` every 50 ms: a cancelled wait throws CancelledError at once and leaves the
  // load going for the next run. A failed load is forgotten (its memory freed) and rethrown.
  virtual void awaitDiffusion(const CancelToken& cancel, const ModelLoadProgress& on_read) = 0;
  // The right-view synthesiser of the loaded models with these settings. `on_step(step, total)`.
  virtual RightViewSynthesizer diffusionSynthesizer(const DiffusionSettings& settings,
                                                    std::function<void(int, int)> on_step,
                                                    const CancelToken& cancel) = 0;
  // Adds the diffusion engine's photo-only network runs and cache hits to `counters` (nothing
  // before the diffusion models are loaded).
  virtual void addPhotoCounters(StereoEngine::Counters& counters) const = 0;
};

class ModelsRuntime {
 public:
  virtual ~ModelsRuntime() = default;

  // False without models (the weight-free engine only). Never loads the models module.
  virtual bool hasModelSupport() const = 0;
  // Where the model library is, its runtime and device (loads the models module).
  virtual ModelLibraryInfo libraryInfo() = 0;
  // False when the models module is absent (loads it when present).
  virtual bool isCudaAvailable() = 0;
  // The models of an engine with these options (nothing is loaded yet). Throws Error when the
  // runtime cannot be loaded.
  virtual std::unique_ptr<EngineModels> makeModels(const EngineOptions& options) = 0;
  // Turns an exception of the model library (LibTorch) into a message, or returns false when
  // `error` is not one of its types. Never loads the models module.
  virtual bool describeError(const std::exception& error, std::string& message) const = 0;
};

// The runtime of this process: the one installed with installModelsRuntime, else the build's
// default (the models module with LibTorch, none without).
ModelsRuntime& modelsRuntime();
// Chooses the runtime of this process (the test programs, from a static initialiser: before
// the first engine is made). `runtime` lives as long as the process.
void installModelsRuntime(ModelsRuntime* runtime);

// No models (core/engine/none).
ModelsRuntime& noModelsRuntime();

}  // namespace genstereo

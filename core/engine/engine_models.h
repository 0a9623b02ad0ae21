// The models behind the engine (depth estimation, the diffusion synthesiser), as the engine
// sees them: an opaque holder with free functions. Two implementations, chosen at link time:
//   core/engine/torch/  (library genstereo_models_torch, LibTorch: Depth Anything V2, GenStereo)
//   core/engine/none/   (library genstereo_models_none: no models; weight-free builds and the
//                        torch-free unit tests, which then skip LibTorch's start-up cost)
// Internal to the engine; clients use include/genstereo/engine.h.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "genstereo/engine.h"

namespace genstereo {

struct EngineModels;  // defined by the implementation

struct EngineModelsDeleter {
  void operator()(EngineModels* models) const;
};
using EngineModelsPtr = std::unique_ptr<EngineModels, EngineModelsDeleter>;

EngineModelsPtr makeEngineModels(const EngineOptions& options);

// False in the none implementation.
bool engineHasModelSupport();

// "LibTorch 1.13.1" (the torch implementation only: the others ask it through modelLibraryInfo).
const char* modelLibraryRuntime();

// The depth checkpoints looked for (kAuto: every size, largest first), with their state.
std::vector<EngineModelFile> inspectDepthModels(const EngineOptions& options);

bool isDepthModelLoaded(const EngineModels& models);
// Loads the depth model if needed (CancelToken checked before and after). Throws on failure.
void loadDepthModel(EngineModels& models, const CancelToken& cancel);
// Relative inverse depth at the photo's size (CV_32FC1). `image01` CV_32FC3 BGR [0,1].
cv::Mat estimateDepth(EngineModels& models, const cv::Mat& image01);
// Forgets the earlier frames of a video depth model (nothing for an image model).
void resetDepthState(EngineModels& models);
// "Depth Anything V2 ViT-S" (empty before loading).
std::string depthModelName(const EngineModels& models);

bool isDiffusionLoaded(const EngineModels& models);
// True while a load started by awaitDiffusionModels is still running (e.g. after a cancelled wait).
bool isDiffusionLoading(const EngineModels& models);
// Waits for the GenStereo models (starting their load on a thread of its own when needed),
// polling `cancel` every 50 ms: a cancelled wait throws CancelledError at once and leaves the
// load going for the next run. A failed load is forgotten (its memory freed) and rethrown.
void awaitDiffusionModels(EngineModels& models, const CancelToken& cancel);
// The right-view synthesiser of the loaded models with these settings. `on_step(step, total)`.
RightViewSynthesizer diffusionSynthesizer(EngineModels& models, const DiffusionSettings& settings,
                                          std::function<void(int, int)> on_step,
                                          const CancelToken& cancel);

// Adds the diffusion engine's photo-only network runs and cache hits to `counters` (nothing
// before the diffusion models are loaded).
void addPhotoCounters(const EngineModels& models, StereoEngine::Counters& counters);

// Turns an exception of the model library (LibTorch) into a message, or returns false when
// `error` is not one of its types.
bool describeModelLibraryError(const std::exception& error, std::string& message);

}  // namespace genstereo

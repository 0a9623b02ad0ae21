// The models module: the LibTorch implementation of core/engine/engine_models.h built as a
// shared library of its own (libgenstereo_torch_models.so), which genstereo-cli and genstereo
// load with dlopen the first time a run needs a model. A weight-free run, `--help` or
// `--version` then never loads LibTorch (~0.5 s and ~150 MB per process).
//
// The module exports one C function, kModelsModuleEntry, that returns this table. Types cross
// the boundary as C++ types (the module and the program come from one build, same compiler and
// headers); `abi` and the sizes below refuse a module of another build. The module resolves the
// core library's symbols against the program (linked with --export-dynamic and the whole core).
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <string>

#include <opencv2/core.hpp>

#include "genstereo/engine.h"

namespace genstereo {

inline constexpr const char* kModelsModuleEntry = "genstereo_models_module_api";
inline constexpr const char* kModelsModuleFileName = "libgenstereo_torch_models.so";
// Raise whenever the table or a type passed through it changes.
inline constexpr int kModelsModuleAbi = 2;

struct ModelsModuleApi {
  int abi = kModelsModuleAbi;
  const char* version = GENSTEREO_VERSION;
  std::size_t options_size = sizeof(EngineOptions);
  std::size_t settings_size = sizeof(DiffusionSettings);
  std::size_t counters_size = sizeof(StereoEngine::Counters);

  // `models` below is the module's own EngineModels, opaque to the program.
  void* (*make)(const EngineOptions& options) = nullptr;
  void (*destroy)(void* models) = nullptr;
  bool (*is_cuda_available)() = nullptr;
  const char* (*runtime)() = nullptr;  // "LibTorch 1.13.1"
  bool (*is_depth_loaded)(const void* models) = nullptr;
  void (*load_depth)(void* models, const CancelToken& cancel) = nullptr;
  cv::Mat (*estimate_depth)(void* models, const cv::Mat& image01) = nullptr;
  void (*reset_depth_state)(void* models) = nullptr;
  std::string (*depth_model_name)(const void* models) = nullptr;
  bool (*is_diffusion_loaded)(const void* models) = nullptr;
  bool (*is_diffusion_loading)(const void* models) = nullptr;
  void (*await_diffusion)(void* models, const CancelToken& cancel) = nullptr;
  RightViewSynthesizer (*diffusion_synthesizer)(void* models, const DiffusionSettings& settings,
                                                std::function<void(int, int)> on_step,
                                                const CancelToken& cancel) = nullptr;
  void (*add_photo_counters)(const void* models, StereoEngine::Counters& counters) = nullptr;
  bool (*describe_error)(const std::exception& error, std::string& message) = nullptr;
};

using ModelsModuleEntry = const ModelsModuleApi* (*)();

}  // namespace genstereo

// The diffusion engine as the CLI and the GUI use it: checks and loads the GenStereo weights
// of a models folder on the chosen device, and hands out the right-view synthesizer for
// stereo_synthesis / generate_job.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "genstereo/progress.h"
#include "nn/diffusion_view_synthesizer.h"
#include "nn/genstereo_models.h"
#include "nn/photo_condition_cache.h"

namespace genstereo {

struct DiffusionEngineOptions {
  std::filesystem::path models_dir;
  GenStereoVariant variant = GenStereoVariant::kSd21;
  DiffusionParams params;
  std::string device = "cpu";  // "cpu", "cuda" or "cuda:N"
  std::string dtype = "auto";  // "auto", "float32", "bfloat16"; "float16" on CUDA only
                               // (genstereo/engine.h ComputeDtype)
  int threads = 0;             // CPU threads for LibTorch; 0 = all cores (LibTorch's own
                               // default is 1 on some machines)
  int photo_cache_photos = 2;  // per-photo cache (nn/photo_condition_cache.h); 0 = off
};

// The dtype the networks compute in for `text` ("auto", "float32", "float16", "bfloat16") on
// `device`: auto is bfloat16 on a CPU with native bfloat16 and on a CUDA device that has it,
// else float32. Throws InputError for another text and for float16 on the CPU.
c10::ScalarType parseComputeDtype(const std::string& text, const c10::Device& device);

// "sd21"/"sd15" (also "v2.1"/"v1.5"); throws InputError otherwise.
GenStereoVariant parseVariant(const std::string& text);

// The architecture of the variant's networks: the released one, or the one of
// MODELS/genstereo-vX/genstereo_architecture.json when present (nn/architecture_file.h).
GenStereoConfig genStereoArchitecture(const std::filesystem::path& models_dir,
                                      GenStereoVariant variant);

class DiffusionEngine {
 public:
  // Checks every file first (InputError naming all missing ones), the device (InputError when
  // CUDA is asked for but unavailable) and the dtype, then loads the models (CheckpointError
  // on any mismatch).
  // `cancel` is checked between the networks while loading (CancelledError).
  explicit DiffusionEngine(const DiffusionEngineOptions& options,
                           const CancelToken& cancel = CancelToken());

  RightViewSynthesizer synthesizer(DiffusionProgressCallback progress = nullptr,
                                   const CancelToken& cancel = CancelToken());
  // The same with other sampling settings than the options' (one loaded engine serves
  // requests with different steps, guidance and seed; the GUI).
  RightViewSynthesizer synthesizer(const DiffusionParams& params,
                                   DiffusionProgressCallback progress, const CancelToken& cancel);
  // e.g. "diffusion (GenStereo sd21, 50 steps, guidance 1.5, seed 0, cpu float32)".
  std::string description() const;

  // Runs of the photo-only networks and per-photo cache hits since the engine was made.
  PhotoConditionCounters photoCounters() const;

 private:
  DiffusionEngineOptions options_;
  std::string resolved_dtype_;  // what ran: "float32", "bfloat16" or "float16"
  std::unique_ptr<GenStereoModels> models_;
  std::unique_ptr<PhotoConditionCache> photo_cache_;
};

}  // namespace genstereo

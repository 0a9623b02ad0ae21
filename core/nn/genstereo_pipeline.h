// The GenStereo diffusion pipeline, exactly as the official inference runs it
// (GenStereo.__call__ + test.py's fusion), on a square image of the models' working size:
//   conditions: coordinate embedding, official integer warp, 14-channel condition maps;
//   CLIP image embedding (zero-padded to the U-Net's context width), unconditional = zeros;
//   VAE posterior mean * 0.18215 of the left image;
//   reference U-Net once at t = 0 recording its attention banks (float16-rounded);
//   DDIM (v-prediction, zero-SNR, trailing) with classifier-free guidance, the denoising
//   U-Net attending over [own; reference] tokens for the conditional half only (or another
//   sampler on the same noise schedule: DiffusionParams::scheduler);
//   VAE decode; adaptive fusion with the valid mask opened by a 7x7 kernel.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include <ATen/core/Tensor.h>
#include <opencv2/core.hpp>

#include "genstereo/progress.h"
#include "nn/genstereo_models.h"
#include "nn/scheduler_kind.h"

namespace genstereo {

class PhotoConditionCache;

struct DiffusionParams {
  int steps = 50;
  // DDIM is the official sampler; see docs/diffusion.md for the others and their step counts.
  SchedulerKind scheduler = SchedulerKind::kDdim;
  double guidance_scale = 1.5;
  std::uint64_t seed = 0;
  // Photos larger than the working size: tiled generation at full resolution
  // (nn/tiled_diffusion.h; the official test_arbitrary_size.py) instead of one run at the
  // working size. `tile_overlap`: share of a patch its neighbour overlaps, [0, 1).
  bool tiles = false;
  double tile_overlap = 0.5;
  // Seam cross-fade width in pixels of the tiled image; 0: the official straight seams.
  int tile_feather_px = 0;
  // The start latent [1, 4, S/8, S/8]; drawn from N(0, 1) with `seed` on the CPU when unset
  // (the same on every device).
  std::optional<at::Tensor> initial_noise;
};

struct DiffusionProgress {
  int step = 0;  // steps done
  int total = 0;
  double elapsed_s = 0.0;
};
using DiffusionProgressCallback = std::function<void(const DiffusionProgress&)>;

// Every intermediate, at the working size. Images are CV_32FC3 RGB in [0, 1].
struct DiffusionResult {
  cv::Mat warped;          // warped left view, holes 0
  cv::Mat valid;           // CV_8UC1, 1 where a pixel landed
  cv::Mat generated;       // the decoded diffusion output before fusion
  cv::Mat fusion_weights;  // CV_32FC1, sigmoid output of the fusion layer
  cv::Mat fused;           // the right view
};

// Optional record of the internals, for parity tests.
struct DiffusionTrace {
  at::Tensor source_condition, target_condition, prompt, reference_latents;
  at::Tensor source_pose, target_pose;
  std::vector<at::Tensor> noise_predictions;  // after guidance, per step
  std::vector<at::Tensor> latents;            // after each step
};

// `image_rgb8`: CV_8UC3 RGB, working_size x working_size. `disparity_px`: CV_32FC1 of the
// same size, in pixels at that size. Cancelling (between steps) throws CancelledError.
// `cache`: the per-photo cache (nn/photo_condition_cache.h) and its counters; nullptr computes
// everything (the results are identical either way).
DiffusionResult runGenStereoDiffusion(GenStereoModels& models, const cv::Mat& image_rgb8,
                                      const cv::Mat& disparity_px, const DiffusionParams& params,
                                      const DiffusionProgressCallback& progress = nullptr,
                                      const CancelToken& cancel = CancelToken(),
                                      DiffusionTrace* trace = nullptr,
                                      PhotoConditionCache* cache = nullptr);

}  // namespace genstereo

// DDIM sampling exactly as diffusers' DDIMScheduler (0.31) runs with GenStereo's config:
// scaled-linear betas (0.00085 .. 0.012, 1000 steps) rescaled to zero terminal SNR,
// "trailing" timestep spacing, v-prediction, set_alpha_to_one, no clipping or thresholding.
// Every coefficient is computed with the same ATen float32 operations as the Python code,
// so results match bit for bit on the same kernels.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <ATen/core/Tensor.h>

namespace genstereo {

struct DdimConfig {
  int num_train_timesteps = 1000;
  double beta_start = 0.00085;
  double beta_end = 0.012;
  bool rescale_betas_zero_snr = true;
};

struct DdimStepOutput {
  at::Tensor prev_sample;
  at::Tensor pred_original_sample;
};

class DdimScheduler {
 public:
  explicit DdimScheduler(const DdimConfig& config = {});

  // Trailing spacing: round(arange(T, 0, -T/steps)) - 1, e.g. 999, 979, ..., 19 for 50.
  // Throws InputError for steps outside 1..num_train_timesteps.
  void setTimesteps(int num_inference_steps);
  const std::vector<std::int64_t>& timesteps() const { return timesteps_; }

  // One step from timestep t for a v-prediction `model_output`. eta = 0 is deterministic
  // (GenStereo's setting); eta > 0 needs `variance_noise` of the sample's shape.
  DdimStepOutput step(const at::Tensor& model_output, std::int64_t timestep,
                      const at::Tensor& sample, double eta = 0.0,
                      const std::optional<at::Tensor>& variance_noise = std::nullopt) const;

  // sqrt(abar_t) * original + sqrt(1 - abar_t) * noise.
  at::Tensor addNoise(const at::Tensor& original, const at::Tensor& noise,
                      std::int64_t timestep) const;

  const at::Tensor& betas() const { return betas_; }
  const at::Tensor& alphasCumprod() const { return alphas_cumprod_; }
  const at::Tensor& finalAlphaCumprod() const { return final_alpha_cumprod_; }

 private:
  DdimConfig config_;
  at::Tensor betas_;
  at::Tensor alphas_cumprod_;
  at::Tensor final_alpha_cumprod_;
  int num_inference_steps_ = 0;
  std::vector<std::int64_t> timesteps_;
};

}  // namespace genstereo

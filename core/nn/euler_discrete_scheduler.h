// Euler (Karras et al. 2022, Algorithm 2 without churn) exactly as diffusers 0.31's
// EulerDiscreteScheduler runs with its defaults (linear sigma interpolation, discrete
// timesteps, final sigma 0, s_churn 0 so deterministic), on the model's noise schedule as
// from_config carries a DDIM config over. It works on x / alpha: the start noise is scaled by
// initNoiseSigma (sigma_max, 4096 under zero-SNR with the 2^-24 clamp) and the U-Net input by
// 1 / sqrt(sigma^2 + 1). Float32 ATen arithmetic like the Python code.
#pragma once

#include <vector>

#include <ATen/core/Tensor.h>

#include "nn/scheduler.h"

namespace genstereo {

class EulerDiscreteScheduler final : public Scheduler {
 public:
  explicit EulerDiscreteScheduler(
      const NoiseScheduleConfig& config = NoiseScheduleConfig::genStereo());

  SchedulerKind kind() const override { return SchedulerKind::kEulerDiscrete; }
  void setTimesteps(int num_inference_steps) override;
  const std::vector<double>& timesteps() const override { return timesteps_; }
  double initNoiseSigma() const override;
  at::Tensor scaleModelInput(const at::Tensor& sample, int step_index) const override;
  at::Tensor step(const at::Tensor& model_output, int step_index,
                  const at::Tensor& sample) override;

  // num_inference_steps + 1 values, the last 0.
  const std::vector<float>& sigmas() const { return sigmas_; }

 private:
  void checkStep(int step_index) const;

  NoiseScheduleConfig config_;
  std::vector<float> train_sigmas_;
  std::vector<double> timesteps_;  // float32 values, as diffusers stores them
  std::vector<float> sigmas_;
};

}  // namespace genstereo

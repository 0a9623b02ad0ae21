// DPM-Solver++ 2M (Lu et al. 2022) exactly as diffusers 0.31's DPMSolverMultistepScheduler runs
// with its defaults: algorithm_type "dpmsolver++", solver_order 2, solver_type "midpoint",
// lower_order_final, final_sigmas_type "zero" (so the last step is always first order and
// lands on the predicted clean sample), no thresholding; optionally Karras sigmas. The
// noise schedule (betas, zero-SNR rescaling, spacing, prediction type) comes from the model's
// config, as diffusers' from_config carries a DDIM config over. Under zero-SNR rescaling the
// last alphas_cumprod is clamped to 2^-24 (sigma_max = 4096) as diffusers does.
// Coefficients use ATen float32 scalar arithmetic like the Python code; sigmas and timesteps
// follow its numpy float64 steps.
#pragma once

#include <vector>

#include <ATen/core/Tensor.h>

#include "nn/scheduler.h"

namespace genstereo {

struct DpmSolverMultistepConfig {
  NoiseScheduleConfig schedule;
  bool use_karras_sigmas = false;
};

class DpmSolverMultistepScheduler final : public Scheduler {
 public:
  explicit DpmSolverMultistepScheduler(const DpmSolverMultistepConfig& config = {});

  SchedulerKind kind() const override;
  void setTimesteps(int num_inference_steps) override;
  const std::vector<double>& timesteps() const override { return timesteps_; }
  at::Tensor step(const at::Tensor& model_output, int step_index,
                  const at::Tensor& sample) override;

  // num_inference_steps + 1 values, the last 0.
  const std::vector<float>& sigmas() const { return sigmas_; }

 private:
  // The data prediction x0 from the model output at step `step_index`.
  at::Tensor predictOriginalSample(const at::Tensor& model_output, int step_index,
                                   const at::Tensor& sample) const;

  DpmSolverMultistepConfig config_;
  std::vector<float> train_sigmas_;
  std::vector<float> train_log_sigmas_;
  std::vector<double> timesteps_;
  std::vector<float> sigmas_;
  at::Tensor previous_x0_;  // the data prediction of the previous step (2M history)
  int next_step_ = -1;      // -1: setTimesteps not called yet
};

}  // namespace genstereo

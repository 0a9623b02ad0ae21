// The common interface of the diffusion samplers (DDIM, DPM-Solver++ 2M, Euler), as diffusers'
// pipelines drive them:
//   scheduler->setTimesteps(steps);
//   x = noise * scheduler->initNoiseSigma();
//   for i in 0..steps-1:
//     model_output = unet(scheduler->scaleModelInput(x, i), scheduler->timesteps()[i]);
//     x = scheduler->step(model_output, i, x);
// Steps are addressed by position (diffusers' set_begin_index(0) behaviour); multistep solvers
// keep the earlier model outputs, so steps must be taken in order 0, 1, 2...
#pragma once

#include <memory>
#include <vector>

#include <ATen/core/Tensor.h>

#include "nn/scheduler_kind.h"
#include "nn/scheduler_noise_schedule.h"

namespace genstereo {

class Scheduler {
 public:
  virtual ~Scheduler() = default;

  virtual SchedulerKind kind() const = 0;

  // Prepares a run of `num_inference_steps` steps and forgets any earlier run. Throws
  // InputError for step counts outside 1..num_train_timesteps.
  virtual void setTimesteps(int num_inference_steps) = 0;

  // The timestep given to the U-Net at each step (Euler with "linspace" spacing or Karras
  // sigmas has fractional ones).
  virtual const std::vector<double>& timesteps() const = 0;

  // The standard deviation of the start latent: N(0, 1) noise is multiplied by it.
  virtual double initNoiseSigma() const { return 1.0; }

  // The U-Net input for the current sample at step `step_index` (Euler divides by
  // sqrt(sigma^2 + 1); the others pass the sample through).
  virtual at::Tensor scaleModelInput(const at::Tensor& sample, int step_index) const;

  // The sample after step `step_index` for the U-Net's `model_output` (the prediction type of
  // the config). Throws InputError when called before setTimesteps or out of order.
  virtual at::Tensor step(const at::Tensor& model_output, int step_index,
                          const at::Tensor& sample) = 0;
};

// A sampler of `kind` for the model's noise schedule. DDIM supports GenStereo's schedule only
// (v-prediction, trailing spacing; InputError otherwise).
std::unique_ptr<Scheduler> makeScheduler(
    SchedulerKind kind, const NoiseScheduleConfig& config = NoiseScheduleConfig::genStereo());

}  // namespace genstereo

#include "nn/scheduler.h"

#include <string>

#include "errors.h"
#include "nn/ddim_scheduler.h"
#include "nn/dpm_solver_multistep_scheduler.h"
#include "nn/euler_discrete_scheduler.h"

namespace genstereo {

namespace {

// DdimScheduler (kept as the paper's reference implementation, with its own parity tests)
// behind the common interface.
class DdimSampler final : public Scheduler {
 public:
  explicit DdimSampler(const NoiseScheduleConfig& config)
      : ddim_(DdimConfig{config.num_train_timesteps, config.beta_start, config.beta_end,
                         config.rescale_betas_zero_snr}) {}

  SchedulerKind kind() const override { return SchedulerKind::kDdim; }

  void setTimesteps(int num_inference_steps) override {
    ddim_.setTimesteps(num_inference_steps);
    timesteps_.assign(ddim_.timesteps().begin(), ddim_.timesteps().end());
  }

  const std::vector<double>& timesteps() const override { return timesteps_; }

  at::Tensor step(const at::Tensor& model_output, int step_index,
                  const at::Tensor& sample) override {
    if (step_index < 0 || step_index >= static_cast<int>(timesteps_.size())) {
      throw InputError("DDIM: step " + std::to_string(step_index) + " is outside the " +
                       std::to_string(timesteps_.size()) + " steps set");
    }
    return ddim_.step(model_output, ddim_.timesteps()[static_cast<std::size_t>(step_index)], sample)
        .prev_sample;
  }

 private:
  DdimScheduler ddim_;
  std::vector<double> timesteps_;
};

}  // namespace

at::Tensor Scheduler::scaleModelInput(const at::Tensor& sample, int /*step_index*/) const {
  return sample;
}

std::unique_ptr<Scheduler> makeScheduler(SchedulerKind kind, const NoiseScheduleConfig& config) {
  switch (kind) {
    case SchedulerKind::kDdim:
      if (config.prediction_type != PredictionType::kVPrediction ||
          config.timestep_spacing != TimestepSpacing::kTrailing) {
        throw InputError(
            "the DDIM sampler supports GenStereo's schedule only (v-prediction, trailing spacing)");
      }
      return std::make_unique<DdimSampler>(config);
    case SchedulerKind::kDpmSolverMultistep:
    case SchedulerKind::kDpmSolverMultistepKarras: {
      DpmSolverMultistepConfig dpm;
      dpm.schedule = config;
      dpm.use_karras_sigmas = kind == SchedulerKind::kDpmSolverMultistepKarras;
      return std::make_unique<DpmSolverMultistepScheduler>(dpm);
    }
    case SchedulerKind::kEulerDiscrete:
      return std::make_unique<EulerDiscreteScheduler>(config);
  }
  throw InputError("unknown scheduler kind");
}

}  // namespace genstereo

#include "nn/dpm_solver_multistep_scheduler.h"

#include <cmath>
#include <string>

#include <ATen/ATen.h>

#include "errors.h"

namespace genstereo {

namespace {

struct AlphaSigma {
  at::Tensor alpha, sigma, lambda;
};

// diffusers' _sigma_to_alpha_sigma_t and lambda = log(alpha) - log(sigma), float32.
AlphaSigma alphaSigma(float sigma_value) {
  const at::Tensor sigma = at::scalar_tensor(sigma_value, at::kFloat);
  AlphaSigma out;
  out.alpha = at::reciprocal((sigma.pow(2) + 1).pow(0.5));
  out.sigma = sigma * out.alpha;
  out.lambda = at::log(out.alpha) - at::log(out.sigma);
  return out;
}

// The spaced integer timesteps of DPMSolverMultistepScheduler.set_timesteps.
std::vector<double> spacedTimesteps(const NoiseScheduleConfig& config, int steps) {
  const int last = config.num_train_timesteps;  // lambda_min_clipped = -inf clips nothing
  std::vector<double> t;
  switch (config.timestep_spacing) {
    case TimestepSpacing::kLinspace: {
      // np.linspace(0, last - 1, steps + 1).round()[::-1][:-1]
      const double step = static_cast<double>(last - 1) / steps;
      for (int i = steps; i >= 1; --i)
        t.push_back(std::nearbyint(i == steps ? last - 1.0 : i * step));
      break;
    }
    case TimestepSpacing::kLeading: {
      const int ratio = last / (steps + 1);
      for (int i = steps; i >= 1; --i)
        t.push_back(static_cast<double>(i * ratio + config.steps_offset));
      break;
    }
    case TimestepSpacing::kTrailing: {
      const double ratio = static_cast<double>(config.num_train_timesteps) / steps;
      for (int k = 0;; ++k) {
        const double value = last - k * ratio;
        if (value <= 0.0) break;
        t.push_back(std::nearbyint(value) - 1);
      }
      break;
    }
  }
  return t;
}

}  // namespace

DpmSolverMultistepScheduler::DpmSolverMultistepScheduler(const DpmSolverMultistepConfig& config)
    : config_(config) {
  train_sigmas_ =
      trainSigmas(trainAlphasCumprod(config.schedule, /*clamp_terminal_zero_snr=*/true));
  train_log_sigmas_.reserve(train_sigmas_.size());
  for (const float s : train_sigmas_) train_log_sigmas_.push_back(std::log(s));
}

SchedulerKind DpmSolverMultistepScheduler::kind() const {
  return config_.use_karras_sigmas ? SchedulerKind::kDpmSolverMultistepKarras
                                   : SchedulerKind::kDpmSolverMultistep;
}

void DpmSolverMultistepScheduler::setTimesteps(int num_inference_steps) {
  const int train_steps = config_.schedule.num_train_timesteps;
  if (num_inference_steps < 1 || num_inference_steps > train_steps) {
    throw InputError("the number of sampling steps must be within 1.." +
                     std::to_string(train_steps) + ", got " + std::to_string(num_inference_steps));
  }
  timesteps_.clear();
  sigmas_.clear();
  if (config_.use_karras_sigmas) {
    const std::vector<double> karras =
        karrasSigmas(train_sigmas_.front(), train_sigmas_.back(), num_inference_steps);
    for (const double sigma : karras) {
      timesteps_.push_back(std::nearbyint(sigmaToTimestep(sigma, train_log_sigmas_)));
      sigmas_.push_back(static_cast<float>(sigma));
    }
  } else {
    timesteps_ = spacedTimesteps(config_.schedule, num_inference_steps);
    for (const double t : timesteps_)
      sigmas_.push_back(static_cast<float>(interpolateSigma(train_sigmas_, t)));
  }
  sigmas_.push_back(0.0f);  // final_sigmas_type "zero"
  previous_x0_ = at::Tensor();
  next_step_ = 0;
}

at::Tensor DpmSolverMultistepScheduler::predictOriginalSample(const at::Tensor& model_output,
                                                              int step_index,
                                                              const at::Tensor& sample) const {
  const AlphaSigma s = alphaSigma(sigmas_[static_cast<std::size_t>(step_index)]);
  if (config_.schedule.prediction_type == PredictionType::kVPrediction) {
    return s.alpha * sample - s.sigma * model_output;
  }
  return (sample - s.sigma * model_output) / s.alpha;
}

at::Tensor DpmSolverMultistepScheduler::step(const at::Tensor& model_output, int step_index,
                                             const at::Tensor& sample) {
  if (next_step_ < 0) throw InputError("DPM-Solver++: setTimesteps must be called before step");
  if (step_index != next_step_ || step_index >= static_cast<int>(timesteps_.size())) {
    throw InputError("DPM-Solver++: expected step " + std::to_string(next_step_) + " of " +
                     std::to_string(timesteps_.size()) + ", got step " +
                     std::to_string(step_index) + " (multistep solvers step in order)");
  }
  const at::Tensor x = sample.to(at::kFloat);
  const at::Tensor x0 = predictOriginalSample(model_output.to(at::kFloat), step_index, x);
  const auto i = static_cast<std::size_t>(step_index);
  const AlphaSigma t = alphaSigma(sigmas_[i + 1]);
  const AlphaSigma s0 = alphaSigma(sigmas_[i]);
  const at::Tensor h = t.lambda - s0.lambda;
  const bool is_last = step_index == static_cast<int>(timesteps_.size()) - 1;
  at::Tensor prev;
  if (!previous_x0_.defined() || is_last) {
    // First order (= DDIM in the data-prediction form); with sigma_t = 0 it returns x0.
    prev = (t.sigma / s0.sigma) * x - (t.alpha * (at::exp(-h) - 1.0)) * x0;
  } else {
    const AlphaSigma s1 = alphaSigma(sigmas_[i - 1]);
    const at::Tensor h_0 = s0.lambda - s1.lambda;
    const at::Tensor r0 = h_0 / h;
    const at::Tensor& d0 = x0;
    const at::Tensor d1 = at::reciprocal(r0) * (x0 - previous_x0_);
    prev = (t.sigma / s0.sigma) * x - (t.alpha * (at::exp(-h) - 1.0)) * d0 -
           0.5 * (t.alpha * (at::exp(-h) - 1.0)) * d1;
  }
  previous_x0_ = x0;
  ++next_step_;
  return prev.to(model_output.scalar_type());
}

}  // namespace genstereo

#include "nn/euler_discrete_scheduler.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <ATen/ATen.h>

#include "errors.h"

namespace genstereo {

namespace {

// The spaced timesteps of EulerDiscreteScheduler.set_timesteps (float32 values).
std::vector<double> spacedTimesteps(const NoiseScheduleConfig& config, int steps) {
  const int train_steps = config.num_train_timesteps;
  std::vector<double> t;
  switch (config.timestep_spacing) {
    case TimestepSpacing::kLinspace: {
      // np.linspace(0, T - 1, steps, dtype=float32)[::-1]
      const double step = steps > 1 ? static_cast<double>(train_steps - 1) / (steps - 1) : 0.0;
      for (int i = steps - 1; i >= 0; --i) {
        const double value = (steps > 1 && i == steps - 1) ? train_steps - 1.0 : i * step;
        t.push_back(static_cast<float>(value));
      }
      break;
    }
    case TimestepSpacing::kLeading: {
      const int ratio = train_steps / steps;
      for (int i = steps - 1; i >= 0; --i)
        t.push_back(static_cast<double>(i * ratio + config.steps_offset));
      break;
    }
    case TimestepSpacing::kTrailing: {
      const double ratio = static_cast<double>(train_steps) / steps;
      for (int k = 0;; ++k) {
        const double value = train_steps - k * ratio;
        if (value <= 0.0) break;
        t.push_back(std::nearbyint(value) - 1);
      }
      break;
    }
  }
  return t;
}

}  // namespace

EulerDiscreteScheduler::EulerDiscreteScheduler(const NoiseScheduleConfig& config)
    : config_(config) {
  train_sigmas_ = trainSigmas(trainAlphasCumprod(config, /*clamp_terminal_zero_snr=*/true));
}

void EulerDiscreteScheduler::setTimesteps(int num_inference_steps) {
  const int train_steps = config_.num_train_timesteps;
  if (num_inference_steps < 1 || num_inference_steps > train_steps) {
    throw InputError("the number of sampling steps must be within 1.." +
                     std::to_string(train_steps) + ", got " + std::to_string(num_inference_steps));
  }
  timesteps_ = spacedTimesteps(config_, num_inference_steps);
  sigmas_.clear();
  for (const double t : timesteps_)
    sigmas_.push_back(static_cast<float>(interpolateSigma(train_sigmas_, t)));
  sigmas_.push_back(0.0f);  // final_sigmas_type "zero"
}

double EulerDiscreteScheduler::initNoiseSigma() const {
  if (sigmas_.empty()) throw InputError("Euler: setTimesteps must be called first");
  const double max_sigma = *std::max_element(sigmas_.begin(), sigmas_.end());
  if (config_.timestep_spacing == TimestepSpacing::kLeading) {
    return at::scalar_tensor(static_cast<float>(max_sigma), at::kFloat)
        .pow(2)
        .add(1)
        .pow(0.5)
        .item<float>();
  }
  return max_sigma;
}

void EulerDiscreteScheduler::checkStep(int step_index) const {
  if (sigmas_.empty()) throw InputError("Euler: setTimesteps must be called before step");
  if (step_index < 0 || step_index >= static_cast<int>(timesteps_.size())) {
    throw InputError("Euler: step " + std::to_string(step_index) + " is outside the " +
                     std::to_string(timesteps_.size()) + " steps set");
  }
}

at::Tensor EulerDiscreteScheduler::scaleModelInput(const at::Tensor& sample, int step_index) const {
  checkStep(step_index);
  const at::Tensor sigma =
      at::scalar_tensor(sigmas_[static_cast<std::size_t>(step_index)], at::kFloat);
  return sample / (sigma.pow(2) + 1).pow(0.5);
}

at::Tensor EulerDiscreteScheduler::step(const at::Tensor& model_output, int step_index,
                                        const at::Tensor& sample) {
  checkStep(step_index);
  const auto i = static_cast<std::size_t>(step_index);
  const at::Tensor x = sample.to(at::kFloat);
  const at::Tensor output = model_output.to(at::kFloat);
  const at::Tensor sigma = at::scalar_tensor(sigmas_[i], at::kFloat);
  const at::Tensor sigma_hat = sigma * 1.0;  // gamma = 0 (no churn)
  at::Tensor pred_original;
  if (config_.prediction_type == PredictionType::kVPrediction) {
    pred_original = output * (-sigma / (sigma.pow(2) + 1).pow(0.5)) + (x / (sigma.pow(2) + 1));
  } else {
    pred_original = x - sigma_hat * output;
  }
  const at::Tensor derivative = (x - pred_original) / sigma_hat;
  const at::Tensor dt = at::scalar_tensor(sigmas_[i + 1], at::kFloat) - sigma_hat;
  return (x + derivative * dt).to(model_output.scalar_type());
}

}  // namespace genstereo

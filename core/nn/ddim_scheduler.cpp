#include "nn/ddim_scheduler.h"
#include "nn/scheduler_noise_schedule.h"

#include <cmath>
#include <string>

#include <ATen/ATen.h>

#include "errors.h"

namespace genstereo {

DdimScheduler::DdimScheduler(const DdimConfig& config) : config_(config) {
  betas_ = at::linspace(std::sqrt(config.beta_start), std::sqrt(config.beta_end),
                        config.num_train_timesteps, at::kFloat)
               .pow(2);
  if (config.rescale_betas_zero_snr) betas_ = rescaleZeroTerminalSnr(betas_);
  alphas_cumprod_ = at::cumprod(1.0 - betas_, 0);
  final_alpha_cumprod_ = at::scalar_tensor(1.0, at::kFloat);
}

void DdimScheduler::setTimesteps(int num_inference_steps) {
  if (num_inference_steps < 1 || num_inference_steps > config_.num_train_timesteps) {
    throw InputError("the number of sampling steps must be within 1.." +
                     std::to_string(config_.num_train_timesteps) + ", got " +
                     std::to_string(num_inference_steps));
  }
  num_inference_steps_ = num_inference_steps;
  timesteps_.clear();
  const double ratio = static_cast<double>(config_.num_train_timesteps) / num_inference_steps;
  // numpy: np.round(np.arange(T, 0, -ratio)) - 1; arange's k-th value is T - k * ratio.
  for (int k = 0;; ++k) {
    const double value = config_.num_train_timesteps - k * ratio;
    if (value <= 0.0) break;
    timesteps_.push_back(static_cast<std::int64_t>(std::nearbyint(value)) - 1);
  }
}

DdimStepOutput DdimScheduler::step(const at::Tensor& model_output, std::int64_t timestep,
                                   const at::Tensor& sample, double eta,
                                   const std::optional<at::Tensor>& variance_noise) const {
  if (num_inference_steps_ == 0) throw InputError("DDIM: setTimesteps must be called before step");
  if (timestep < 0 || timestep >= config_.num_train_timesteps) {
    throw InputError("DDIM: timestep " + std::to_string(timestep) + " is out of range");
  }
  const std::int64_t prev_timestep = timestep - config_.num_train_timesteps / num_inference_steps_;
  const at::Tensor alpha_prod_t = alphas_cumprod_[timestep];
  const at::Tensor alpha_prod_t_prev =
      prev_timestep >= 0 ? alphas_cumprod_[prev_timestep] : final_alpha_cumprod_;
  const at::Tensor beta_prod_t = 1 - alpha_prod_t;
  const at::Tensor beta_prod_t_prev = 1 - alpha_prod_t_prev;

  DdimStepOutput out;
  out.pred_original_sample = alpha_prod_t.pow(0.5) * sample - beta_prod_t.pow(0.5) * model_output;
  const at::Tensor pred_epsilon =
      alpha_prod_t.pow(0.5) * model_output + beta_prod_t.pow(0.5) * sample;
  const at::Tensor variance =
      (beta_prod_t_prev / beta_prod_t) * (1 - alpha_prod_t / alpha_prod_t_prev);
  const at::Tensor std_dev_t = eta * variance.pow(0.5);
  const at::Tensor direction = (1 - alpha_prod_t_prev - std_dev_t.pow(2)).pow(0.5) * pred_epsilon;
  out.prev_sample = alpha_prod_t_prev.pow(0.5) * out.pred_original_sample + direction;
  if (eta > 0.0) {
    if (!variance_noise) throw InputError("DDIM: eta > 0 needs variance noise");
    out.prev_sample = out.prev_sample + std_dev_t * *variance_noise;
  }
  return out;
}

at::Tensor DdimScheduler::addNoise(const at::Tensor& original, const at::Tensor& noise,
                                   std::int64_t timestep) const {
  const at::Tensor alpha = alphas_cumprod_[timestep].to(original.scalar_type());
  return alpha.pow(0.5) * original + (1 - alpha).pow(0.5) * noise;
}

}  // namespace genstereo

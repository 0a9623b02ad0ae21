#include "nn/scheduler_noise_schedule.h"

#include <algorithm>
#include <cmath>

#include <ATen/ATen.h>

namespace genstereo {

at::Tensor rescaleZeroTerminalSnr(const at::Tensor& betas) {
  const at::Tensor alphas = 1.0 - betas;
  const at::Tensor alphas_cumprod = at::cumprod(alphas, 0);
  at::Tensor alphas_bar_sqrt = alphas_cumprod.sqrt();
  const at::Tensor sqrt_0 = alphas_bar_sqrt[0].clone();
  const at::Tensor sqrt_T = alphas_bar_sqrt[-1].clone();
  alphas_bar_sqrt -= sqrt_T;
  alphas_bar_sqrt *= sqrt_0 / (sqrt_0 - sqrt_T);
  const at::Tensor alphas_bar = alphas_bar_sqrt.pow(2);
  at::Tensor rescaled = alphas_bar.slice(0, 1) / alphas_bar.slice(0, 0, -1);
  rescaled = at::cat({alphas_bar.slice(0, 0, 1), rescaled});
  return 1 - rescaled;
}

at::Tensor trainAlphasCumprod(const NoiseScheduleConfig& config, bool clamp_terminal_zero_snr) {
  at::Tensor betas = at::linspace(std::sqrt(config.beta_start), std::sqrt(config.beta_end),
                                  config.num_train_timesteps, at::kFloat)
                         .pow(2);
  if (config.rescale_betas_zero_snr) betas = rescaleZeroTerminalSnr(betas);
  at::Tensor alphas_cumprod = at::cumprod(1.0 - betas, 0);
  if (config.rescale_betas_zero_snr && clamp_terminal_zero_snr)
    alphas_cumprod[-1] = std::ldexp(1.0, -24);
  return alphas_cumprod;
}

std::vector<float> trainSigmas(const at::Tensor& alphas_cumprod) {
  const at::Tensor sigmas = ((1 - alphas_cumprod) / alphas_cumprod).pow(0.5).contiguous();
  const float* data = sigmas.data_ptr<float>();
  return std::vector<float>(data, data + sigmas.numel());
}

double interpolateSigma(const std::vector<float>& sigmas, double timestep) {
  const auto last = static_cast<double>(sigmas.size() - 1);
  if (timestep <= 0.0) return sigmas.front();
  if (timestep >= last) return sigmas.back();
  const auto j = static_cast<std::size_t>(std::floor(timestep));
  // numpy returns the grid value itself when x lies on a grid point (grid spacing is 1).
  if (timestep == static_cast<double>(j)) return sigmas[j];
  const double slope = static_cast<double>(sigmas[j + 1]) - static_cast<double>(sigmas[j]);
  return slope * (timestep - static_cast<double>(j)) + sigmas[j];
}

std::vector<double> karrasSigmas(double sigma_min, double sigma_max, int count) {
  constexpr double kRho = 7.0;
  const double min_inv_rho = std::pow(sigma_min, 1.0 / kRho);
  const double max_inv_rho = std::pow(sigma_max, 1.0 / kRho);
  std::vector<double> sigmas(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    // np.linspace(0, 1, n): i * step, the last value exactly 1.
    const double ramp = count == 1 ? 0.0 : (i == count - 1 ? 1.0 : i * (1.0 / (count - 1)));
    sigmas[static_cast<std::size_t>(i)] =
        std::pow(max_inv_rho + ramp * (min_inv_rho - max_inv_rho), kRho);
  }
  return sigmas;
}

double sigmaToTimestep(double sigma, const std::vector<float>& log_sigmas) {
  const double log_sigma = std::log(std::max(sigma, 1e-10));
  // low_idx: the last index with log_sigmas[i] <= log_sigma (0 when there is none), at most T - 2.
  std::size_t low_idx = 0;
  for (std::size_t i = 0; i < log_sigmas.size(); ++i) {
    if (log_sigma - static_cast<double>(log_sigmas[i]) >= 0.0) low_idx = i;
  }
  low_idx = std::min(low_idx, log_sigmas.size() - 2);
  const std::size_t high_idx = low_idx + 1;
  const float low = log_sigmas[low_idx];
  const float high = log_sigmas[high_idx];
  // numpy: (float32 low - float64 log_sigma) / (float32 low - float32 high).
  const float low_minus_high = low - high;
  double w = (static_cast<double>(low) - log_sigma) / static_cast<double>(low_minus_high);
  w = std::clamp(w, 0.0, 1.0);
  return (1.0 - w) * static_cast<double>(low_idx) + w * static_cast<double>(high_idx);
}

}  // namespace genstereo

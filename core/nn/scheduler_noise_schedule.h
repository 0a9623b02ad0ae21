// The training noise schedule the samplers share, as diffusers 0.31 builds it: scaled-linear
// betas (optionally rescaled to zero terminal SNR), their alphas_cumprod, the sigmas
// sqrt((1 - abar) / abar) of the 1000 training timesteps, and the two sigma helpers of its
// k-diffusion style schedulers (Karras sigmas, sigma -> fractional timestep). Numbers follow
// the Python code's arithmetic: ATen float32 where diffusers uses torch, double where it uses
// numpy float64 (then float32 where it casts).
#pragma once

#include <vector>

#include <ATen/core/Tensor.h>

namespace genstereo {

enum class PredictionType { kEpsilon, kVPrediction };
enum class TimestepSpacing { kLinspace, kLeading, kTrailing };

struct NoiseScheduleConfig {
  int num_train_timesteps = 1000;
  double beta_start = 0.00085;  // scaled_linear: linspace(sqrt(start), sqrt(end))^2
  double beta_end = 0.012;
  bool rescale_betas_zero_snr = true;
  TimestepSpacing timestep_spacing = TimestepSpacing::kTrailing;
  int steps_offset = 1;  // used by "leading" spacing only
  PredictionType prediction_type = PredictionType::kVPrediction;

  // GenStereo's scheduler (both released checkpoints, official GenStereo.py): the defaults.
  static NoiseScheduleConfig genStereo() { return {}; }
};

// diffusers' rescale_zero_terminal_snr (Lin et al. 2023, Algorithm 1), float32.
at::Tensor rescaleZeroTerminalSnr(const at::Tensor& betas);

// alphas_cumprod [T] float32. With zero-SNR rescaling the last value is 0; the k-diffusion
// style schedulers (DPM-Solver, Euler) clamp it with `clamp_terminal_zero_snr` to 2^-24 as
// diffusers does ("close to 0 without being 0 so first sigma is not inf"): sigma_max = 4096.
at::Tensor trainAlphasCumprod(const NoiseScheduleConfig& config, bool clamp_terminal_zero_snr);

// sqrt((1 - abar) / abar) per training timestep (ascending in t), float32 values.
std::vector<float> trainSigmas(const at::Tensor& alphas_cumprod);

// numpy.interp(x, arange(T), sigmas) in double.
double interpolateSigma(const std::vector<float>& sigmas, double timestep);

// Karras et al. (2022) sigmas, rho 7, from sigma_max down to sigma_min, `count` values.
std::vector<double> karrasSigmas(double sigma_min, double sigma_max, int count);

// diffusers' _sigma_to_t: the fractional training timestep of `sigma` by linear
// interpolation of log sigma (log_sigmas = float32 log of trainSigmas).
double sigmaToTimestep(double sigma, const std::vector<float>& log_sigmas);

}  // namespace genstereo

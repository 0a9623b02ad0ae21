#include "progress_estimate.h"

#include <algorithm>

namespace genstereo::ui {

void ProgressEstimate::start(const EngineParams& params) {
  params_ = params;
  stage_.reset();
  step_ = 0;
  total_ = 0;
  stage_start_ms_ = 0.0;
  stage_first_step_ = 0;
  first_step_ms_ = -1.0;
  first_step_ = 0;
  last_step_ms_ = 0.0;
  last_report_ms_ = 0.0;
  last_step_ = 0;
  loading_ms_ = -1.0;
  depth_ms_ = -1.0;
  is_first_step_in_loading_ = false;
}

QString ProgressEstimate::modelsKey() const {
  return params_.models.variant + QLatin1Char('/') + params_.models.device + QLatin1Char('/') +
         params_.models.folder;
}

QString ProgressEstimate::depthKey() const {
  return params_.models.depth_model_size + QLatin1Char('/') + params_.models.device;
}

void ProgressEstimate::report(RunStage stage, int step, int total, double now_ms) {
  if (!stage_ || *stage_ != stage) {
    // The stage that ends is measured.
    if (stage_ == RunStage::kLoadingModels) {
      loading_ms_ = now_ms - stage_start_ms_;
      // The engine reports nothing between the end of loading and the first step's end: the
      // loading measure includes one step, taken off once a step time is measured (finish).
      is_first_step_in_loading_ = stage == RunStage::kDenoising && step > 0;
    }
    if (stage_ == RunStage::kEstimatingDepth) depth_ms_ = now_ms - stage_start_ms_;
    stage_ = stage;
    // A denoising report comes at the end of a step: the stage began at the report before.
    stage_start_ms_ = stage == RunStage::kDenoising && step > 0 ? last_report_ms_ : now_ms;
    stage_first_step_ = step;
  }
  last_report_ms_ = now_ms;
  if (stage == RunStage::kDenoising && step > 0 && step < total && step != step_) {
    if (first_step_ms_ < 0.0) {
      first_step_ms_ = now_ms;
      first_step_ = step;
    }
    last_step_ms_ = now_ms;
    last_step_ = step;
  }
  step_ = step;
  total_ = total;
}

std::optional<double> ProgressEstimate::loadingLeftMs(double now_ms) const {
  const int read = step_ - stage_first_step_;
  if (total_ > 0 && read > 0 && last_report_ms_ > stage_start_ms_) {
    const double ms_per_step = (last_report_ms_ - stage_start_ms_) / read;
    return std::max(0.0, (total_ - step_) * ms_per_step - (now_ms - last_report_ms_));
  }
  const auto known = load_ms_by_models_.find(modelsKey());
  if (known == load_ms_by_models_.end()) return std::nullopt;
  return std::max(0.0, known->second - (now_ms - stage_start_ms_));
}

std::optional<double> ProgressEstimate::stepMs(double now_ms) const {
  (void)now_ms;
  if (first_step_ms_ >= 0.0 && last_step_ > first_step_) {
    return (last_step_ms_ - first_step_ms_) / (last_step_ - first_step_);
  }
  const auto known = step_ms_by_models_.find(modelsKey());
  if (known != step_ms_by_models_.end()) return known->second;
  return std::nullopt;
}

void ProgressEstimate::finish(double now_ms) {
  if (!stage_) return;
  if (*stage_ == RunStage::kLoadingModels) loading_ms_ = now_ms - stage_start_ms_;
  if (loading_ms_ >= 0.0 && is_first_step_in_loading_) {
    const std::optional<double> step_ms = stepMs(now_ms);
    loading_ms_ = std::max(0.0, loading_ms_ - step_ms.value_or(0.0));
  }
  if (loading_ms_ >= 0.0) load_ms_by_models_[modelsKey()] = loading_ms_;
  if (depth_ms_ >= 0.0) depth_ms_by_model_[depthKey()] = depth_ms_;
  if (params_.engine == EngineKind::kDiffusion) {
    if (const std::optional<double> step_ms = stepMs(now_ms)) {
      step_ms_by_models_[modelsKey()] = *step_ms;
    }
  } else {
    (params_.proxy_box_px.isEmpty() ? weight_free_ms_ : weight_free_proxy_ms_) = now_ms;
  }
}

void ProgressEstimate::forgetPhoto() {
  weight_free_ms_ = -1.0;
  weight_free_proxy_ms_ = -1.0;
}

double ProgressEstimate::etaMs(double now_ms) const {
  if (params_.engine == EngineKind::kWeightFree) {
    // Loading and depth have their own measures; the warp and fill the last run's duration
    // without them (a few hundred milliseconds).
    const double last_ms = params_.proxy_box_px.isEmpty() ? weight_free_ms_ : weight_free_proxy_ms_;
    if (stage_ == RunStage::kLoadingModels) {
      const std::optional<double> loading_ms = loadingLeftMs(now_ms);
      if (!loading_ms) return -1.0;
      return *loading_ms + std::max(0.0, last_ms);
    }
    if (stage_ == RunStage::kEstimatingDepth) {
      const auto known = depth_ms_by_model_.find(depthKey());
      if (known == depth_ms_by_model_.end()) return -1.0;
      return std::max(0.0, known->second - (now_ms - stage_start_ms_)) + std::max(0.0, last_ms);
    }
    if (last_ms < 0.0) return -1.0;
    return std::max(0.0, last_ms - now_ms);
  }
  // Diffusion: what is left of the stage now, plus the denoising still to come.
  const int steps = std::max(1, params_.sampling_steps);
  const std::optional<double> step_ms = stepMs(now_ms);
  const RunStage stage = stage_.value_or(RunStage::kPreparing);
  double left_ms = 0.0;
  if (stage == RunStage::kLoadingModels) {
    const std::optional<double> loading_ms = loadingLeftMs(now_ms);
    if (!loading_ms) return -1.0;
    left_ms += *loading_ms;
  }
  if (stage == RunStage::kEstimatingDepth) {
    const auto known = depth_ms_by_model_.find(depthKey());
    if (known == depth_ms_by_model_.end()) return -1.0;
    left_ms += std::max(0.0, known->second - (now_ms - stage_start_ms_));
  }
  if (stage == RunStage::kDenoising && total_ > 0) {
    if (step_ >= total_) return -1.0;  // decoding: short, not measured
    if (!step_ms) return -1.0;
    const double into_step_ms = now_ms - (first_step_ms_ >= 0.0 ? last_step_ms_ : stage_start_ms_);
    return std::max(0.0, (total_ - step_) * *step_ms - std::min(into_step_ms, *step_ms));
  }
  // Before the denoising: the whole of it, known only without tiles (their count comes with
  // the first report) and with a step time of these models.
  if (params_.tiles || !step_ms) return -1.0;
  return left_ms + steps * *step_ms;
}

QString ProgressEstimate::tileText() const {
  if (stage_ != RunStage::kDenoising || !params_.tiles) return QString();
  const int steps = params_.sampling_steps;
  if (steps <= 0 || total_ <= steps || total_ % steps != 0 || step_ >= total_) return QString();
  const int tiles = total_ / steps;
  return tr("Tile %1 of %2, step %3 of %4")
      .arg(step_ / steps + 1)
      .arg(tiles)
      .arg(step_ % steps + 1)
      .arg(steps);
}

}  // namespace genstereo::ui

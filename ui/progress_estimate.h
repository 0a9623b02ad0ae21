// The time left of a run, estimated stage by stage from each stage's own measure (issue 23,
// point 3), so that one kind of run never lends its duration to another:
// - loading the models: the rate of the bytes read so far (the engine reports loading as MiB
//   read of the MiB of the files to read), before the first MiB the last load of the same
//   models (engine, variant, device);
// - estimating depth: the last depth estimate with the same depth model;
// - denoising: the step time measured in this run (the last run's per-step time before the
//   first step ends), times the steps left; tiles as "Tile k of n, step s of S";
// - the weight-free synthesis: the last run of the same kind (full or proxy) on this photo.
// A stage whose measure does not exist yet gives no estimate (eta < 0) rather than a wrong one.
// Plain arithmetic on times given by the caller (milliseconds since the run was queued), so
// that tests drive it without clocks.
#pragma once

#include <map>
#include <optional>

#include <QCoreApplication>
#include <QString>

#include "engine_types.h"

namespace genstereo::ui {

class ProgressEstimate {
  Q_DECLARE_TR_FUNCTIONS(ProgressEstimate)

 public:
  // A new run of `params` starts (time 0).
  void start(const EngineParams& params);
  // The engine reached `stage` (RunStage) with `step` of `total` done, at `now_ms`.
  void report(RunStage stage, int step, int total, double now_ms);
  // The run ended well at `now_ms`: its stages' measures become the history.
  void finish(double now_ms);
  // A new photo: the weight-free runs' durations say nothing about it (the models' and the
  // step times stay).
  void forgetPhoto();

  // Milliseconds left at `now_ms`; < 0 when no measure exists for a stage still to come.
  double etaMs(double now_ms) const;
  // The status text of a denoising report with tiles ("Tile 2 of 6, step 14 of 50"); empty
  // when the report is not one (the engine's text stands).
  QString tileText() const;
  bool hasStage() const { return stage_.has_value(); }

 private:
  QString modelsKey() const;
  QString depthKey() const;
  // What is left of the loading stage: from the MiB read so far in it, else the history's.
  std::optional<double> loadingLeftMs(double now_ms) const;
  // The per-step time: measured in this run between two steps' ends (the first step holds
  // the warm-up, and the model loading when it came just before), else the history's.
  std::optional<double> stepMs(double now_ms) const;

  EngineParams params_;
  std::optional<RunStage> stage_;
  int step_ = 0;
  int total_ = 0;
  double stage_start_ms_ = 0.0;
  int stage_first_step_ = 0;     // the step of the stage's first report (loading: MiB read before)
  double first_step_ms_ = -1.0;  // when this run's first denoising step ended
  int first_step_ = 0;
  int last_step_ = 0;
  double last_step_ms_ = 0.0;    // when the last denoising report came
  double last_report_ms_ = 0.0;  // when the last report of any stage came
  double loading_ms_ = -1.0;     // this run's measures, recorded by finish()
  double depth_ms_ = -1.0;
  bool is_first_step_in_loading_ = false;
  // History.
  std::map<QString, double> load_ms_by_models_;
  std::map<QString, double> depth_ms_by_model_;
  std::map<QString, double> step_ms_by_models_;
  double weight_free_ms_ = -1.0;
  double weight_free_proxy_ms_ = -1.0;
};

}  // namespace genstereo::ui

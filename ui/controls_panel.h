// The engine controls: presets, engine, map kind, baseline scale, convergence, the view
// synthesis (eye, warp, fill, feather), depth shaping (foreground scale, edge dilation, clip
// percentiles) and the diffusion settings (sampling steps, guidance, seed). The same
// parameters, ranges and defaults as genstereo-cli generate (app/cli_common.cpp).
#pragma once

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QLabel>
#include <QSlider>
#include <QSpinBox>
#include <QWidget>

#include "engine_types.h"
#include "preset_bar.h"

namespace genstereo::ui {

class ComfortControls;

class ControlsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ControlsPanel(QWidget* parent = nullptr);

  EngineParams params() const;
  void setParams(const EngineParams& params);
  // Sets the map kind without emitting paramsChanged (a new map was opened).
  void setMapKind(MapKind kind);
  // Live preview is on and the engine is the weight-free one (a diffusion run takes minutes
  // on a CPU: it runs on Generate / F5 only).
  bool isLivePreview() const;
  // A result came: the Comfort group's budget, the baseline in effect when the parallax limit
  // narrowed it (docs/comfort.md, "The baseline control and the limit") and, under auto
  // convergence or a picked point, where the screen plane went, shown on the greyed
  // convergence slider (unticking Auto starts from there).
  void showResult(const EngineResult& result);
  // The baseline scale the user chose (params().baseline_scale); the slider shows the one in
  // effect, which the limit may narrow.
  double requestedBaselineScale() const { return requested_baseline_scale_; }
  // "Limited to 0.37 × by the parallax limit …" beside the baseline slider (hidden otherwise).
  QLabel* baselineLimitLabel() const { return baseline_limit_label_; }

  QSlider* baselineSlider() const { return baseline_slider_; }
  QSlider* convergenceSlider() const { return convergence_slider_; }
  QComboBox* engineBox() const { return engine_box_; }
  QComboBox* mapKindBox() const { return map_kind_box_; }
  QComboBox* eyeBox() const { return eye_box_; }
  QComboBox* warpBox() const { return warp_box_; }
  QComboBox* fillBox() const { return fill_box_; }
  QDoubleSpinBox* featherBox() const { return feather_box_; }
  QSlider* foregroundSlider() const { return foreground_slider_; }
  QSpinBox* edgeDilationBox() const { return edge_dilation_box_; }
  QDoubleSpinBox* clipLowBox() const { return clip_low_box_; }
  QDoubleSpinBox* clipHighBox() const { return clip_high_box_; }
  QGroupBox* depthGroup() const { return depth_group_; }
  PresetBar* presets() const { return preset_bar_; }
  ComfortControls* comfortControls() const { return comfort_controls_; }

  // Enables the diffusion entry of the engine list when its weights are complete; otherwise
  // the entry is disabled and shows `reason` (e.g. "missing: genstereo-v2.1/…"), and a chosen
  // diffusion engine falls back to the weight-free one. `label` names the model when found.
  void setDiffusionAvailable(bool is_available, const QString& reason,
                             const QString& label = QString());
  bool isDiffusionAvailable() const { return is_diffusion_available_; }

 signals:
  // A control that changes the result moved (the window debounces it).
  void paramsChanged();

 private:
  void updateLabels();
  void updateEnabled();
  void showNarrowedBaseline(double narrowed_baseline_scale);

  PresetBar* preset_bar_ = nullptr;
  QComboBox* engine_box_ = nullptr;
  QComboBox* map_kind_box_ = nullptr;
  QDoubleSpinBox* max_disparity_box_ = nullptr;
  QSlider* baseline_slider_ = nullptr;
  QLabel* baseline_value_ = nullptr;
  QLabel* baseline_limit_label_ = nullptr;
  double requested_baseline_scale_ = 1.0;
  QSlider* convergence_slider_ = nullptr;
  QLabel* convergence_value_ = nullptr;
  QComboBox* eye_box_ = nullptr;
  QComboBox* warp_box_ = nullptr;
  QComboBox* fill_box_ = nullptr;
  QDoubleSpinBox* feather_box_ = nullptr;
  QGroupBox* depth_group_ = nullptr;
  QSlider* foreground_slider_ = nullptr;
  QLabel* foreground_value_ = nullptr;
  QSpinBox* edge_dilation_box_ = nullptr;
  QDoubleSpinBox* clip_low_box_ = nullptr;
  QDoubleSpinBox* clip_high_box_ = nullptr;
  QGroupBox* diffusion_group_ = nullptr;
  QSlider* steps_slider_ = nullptr;
  QLabel* steps_value_ = nullptr;
  QDoubleSpinBox* guidance_box_ = nullptr;
  QSpinBox* seed_box_ = nullptr;
  QComboBox* scheduler_box_ = nullptr;
  QCheckBox* tiles_box_ = nullptr;
  QDoubleSpinBox* tile_overlap_box_ = nullptr;
  QSpinBox* tile_feather_box_ = nullptr;
  QCheckBox* live_box_ = nullptr;
  ComfortControls* comfort_controls_ = nullptr;
  bool is_diffusion_available_ = false;
  QString diffusion_reason_;
};

}  // namespace genstereo::ui

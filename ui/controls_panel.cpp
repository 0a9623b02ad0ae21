#include "controls_panel.h"

#include <cmath>

#include <QFormLayout>
#include <QHBoxLayout>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include "comfort_controls.h"

namespace genstereo::ui {

namespace {

// Slider positions: baseline scale in hundredths (0.10 .. 3.00), convergence in hundredths.
constexpr int kBaselineMin = 10;
constexpr int kBaselineMax = 300;

QWidget* sliderRow(QSlider* slider, QLabel* value, QWidget* parent) {
  auto* row = new QWidget(parent);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(slider, 1);
  value->setMinimumWidth(value->fontMetrics().horizontalAdvance(QStringLiteral("0.00 ×")) + 6);
  value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  layout->addWidget(value);
  return row;
}

}  // namespace

ControlsPanel::ControlsPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);

  auto* engine_group = new QGroupBox(tr("Engine"), this);
  auto* engine_form = new QFormLayout(engine_group);
  engine_box_ = new QComboBox(engine_group);
  engine_box_->setObjectName(QStringLiteral("engineBox"));
  engine_box_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  engine_box_->setMinimumContentsLength(18);
  engine_box_->addItem(tr("Weight-free (warp + fill)"), static_cast<int>(EngineKind::kWeightFree));
  engine_box_->addItem(tr("Diffusion"), static_cast<int>(EngineKind::kDiffusion));
  engine_form->addRow(tr("&Engine:"), engine_box_);
  live_box_ = new QCheckBox(tr("&Live preview"), engine_group);
  live_box_->setChecked(true);
  engine_form->addRow(live_box_);
  layout->addWidget(engine_group);

  auto* geometry_group = new QGroupBox(tr("Geometry"), this);
  auto* form = new QFormLayout(geometry_group);
  map_kind_box_ = new QComboBox(geometry_group);
  map_kind_box_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  map_kind_box_->setMinimumContentsLength(18);
  map_kind_box_->addItem(tr("Disparity (pixels)"), static_cast<int>(MapKind::kDisparity));
  map_kind_box_->addItem(tr("Inverse depth (larger = nearer)"),
                         static_cast<int>(MapKind::kInverseDepth));
  map_kind_box_->addItem(tr("Metric depth (larger = farther)"),
                         static_cast<int>(MapKind::kMetricDepth));
  form->addRow(tr("&Map holds:"), map_kind_box_);
  max_disparity_box_ = new QDoubleSpinBox(geometry_group);
  max_disparity_box_->setRange(1.0, 50.0);
  max_disparity_box_->setDecimals(1);
  max_disparity_box_->setSingleStep(0.5);
  max_disparity_box_->setValue(15.0);
  max_disparity_box_->setSuffix(tr(" % of width"));
  max_disparity_box_->setToolTip(
      tr("Depth maps: disparity of the nearest point (official GenStereo: 15 %)."));
  form->addRow(tr("Ma&x disparity:"), max_disparity_box_);

  baseline_slider_ = new QSlider(Qt::Horizontal, geometry_group);
  baseline_slider_->setObjectName(QStringLiteral("baselineSlider"));
  baseline_slider_->setRange(kBaselineMin, kBaselineMax);
  baseline_slider_->setSingleStep(5);
  baseline_slider_->setPageStep(25);
  baseline_slider_->setValue(100);
  baseline_slider_->setToolTip(
      tr("Multiplies every disparity: a wider or narrower stereo baseline."));
  baseline_value_ = new QLabel(geometry_group);
  form->addRow(tr("&Baseline scale:"),
               sliderRow(baseline_slider_, baseline_value_, geometry_group));

  convergence_slider_ = new QSlider(Qt::Horizontal, geometry_group);
  convergence_slider_->setObjectName(QStringLiteral("convergenceSlider"));
  convergence_slider_->setRange(0, 100);
  convergence_slider_->setSingleStep(5);
  convergence_slider_->setPageStep(10);
  convergence_slider_->setToolTip(
      tr("Screen plane as a fraction of the largest disparity: 0 puts the farthest point on the "
         "screen, 1 the nearest."));
  convergence_value_ = new QLabel(geometry_group);
  form->addRow(tr("&Convergence:"),
               sliderRow(convergence_slider_, convergence_value_, geometry_group));
  layout->addWidget(geometry_group);
  comfort_controls_ = new ComfortControls(this);
  layout->addWidget(comfort_controls_);
  connect(comfort_controls_, &ComfortControls::settingsChanged, this, &ControlsPanel::paramsChanged);

  diffusion_group_ = new QGroupBox(tr("Diffusion"), this);
  auto* diffusion_form = new QFormLayout(diffusion_group_);
  steps_slider_ = new QSlider(Qt::Horizontal, diffusion_group_);
  steps_slider_->setRange(1, 100);
  steps_slider_->setValue(50);
  steps_value_ = new QLabel(diffusion_group_);
  diffusion_form->addRow(tr("Sampling &steps:"),
                         sliderRow(steps_slider_, steps_value_, diffusion_group_));
  guidance_box_ = new QDoubleSpinBox(diffusion_group_);
  guidance_box_->setRange(1.0, 10.0);
  guidance_box_->setSingleStep(0.1);
  guidance_box_->setValue(1.5);
  diffusion_form->addRow(tr("&Guidance:"), guidance_box_);
  seed_box_ = new QSpinBox(diffusion_group_);
  seed_box_->setRange(0, 2147483647);
  diffusion_form->addRow(tr("See&d:"), seed_box_);
  layout->addWidget(diffusion_group_);

  auto* reset_button = new QPushButton(tr("&Reset controls"), this);
  layout->addWidget(reset_button);
  layout->addStretch(1);

  const auto changed = [this] {
    updateLabels();
    emit paramsChanged();
  };
  connect(baseline_slider_, &QSlider::valueChanged, this, changed);
  connect(convergence_slider_, &QSlider::valueChanged, this, changed);
  connect(max_disparity_box_, &QDoubleSpinBox::valueChanged, this, changed);
  connect(map_kind_box_, &QComboBox::currentIndexChanged, this, [this, changed] {
    updateEnabled();
    changed();
  });
  connect(engine_box_, &QComboBox::currentIndexChanged, this, [this, changed] {
    updateEnabled();
    changed();
  });
  connect(steps_slider_, &QSlider::valueChanged, this, changed);
  connect(guidance_box_, &QDoubleSpinBox::valueChanged, this, changed);
  connect(seed_box_, &QSpinBox::valueChanged, this, changed);
  connect(reset_button, &QPushButton::clicked, this, [this] {
    EngineParams defaults;
    defaults.map_kind = params().map_kind;
    setParams(defaults);
    emit paramsChanged();
  });
  setDiffusionAvailable(false, tr("GenStereo weights not checked yet"));
  updateLabels();
  updateEnabled();
}

bool ControlsPanel::isLivePreview() const {
  return live_box_->isChecked() &&
         engine_box_->currentData().toInt() == static_cast<int>(EngineKind::kWeightFree);
}

void ControlsPanel::setDiffusionAvailable(bool is_available, const QString& reason,
                                          const QString& label) {
  is_diffusion_available_ = is_available;
  diffusion_reason_ = reason;
  auto* model = qobject_cast<QStandardItemModel*>(engine_box_->model());
  QStandardItem* diffusion = model->item(1);
  diffusion->setEnabled(is_available);
  if (is_available) {
    diffusion->setText(label.isEmpty() ? tr("Diffusion") : tr("Diffusion (%1)").arg(label));
    diffusion->setToolTip(
        tr("The GenStereo diffusion model fills what the photo does not "
           "show. A run takes minutes on a CPU: it starts on Generate (F5) "
           "only, live preview is paused."));
  } else {
    diffusion->setText(tr("Diffusion (unavailable: %1)").arg(reason));
    diffusion->setToolTip(tr("The diffusion engine needs the GenStereo weights (see "
                             "File > Preferences and README.md, \"Model weights\"): %1.")
                              .arg(reason));
    if (engine_box_->currentData().toInt() == static_cast<int>(EngineKind::kDiffusion)) {
      engine_box_->setCurrentIndex(0);  // emits paramsChanged through the engine box
    }
  }
  updateEnabled();
}

EngineParams ControlsPanel::params() const {
  EngineParams params;
  params.engine = static_cast<EngineKind>(engine_box_->currentData().toInt());
  params.baseline_scale = baseline_slider_->value() / 100.0;
  params.convergence = convergence_slider_->value() / 100.0;
  params.map_kind = static_cast<MapKind>(map_kind_box_->currentData().toInt());
  params.max_disparity_fraction = max_disparity_box_->value() / 100.0;
  params.sampling_steps = steps_slider_->value();
  params.guidance = guidance_box_->value();
  params.seed = seed_box_->value();
  return params;
}

void ControlsPanel::setParams(const EngineParams& params) {
  const QSignalBlocker block_engine(engine_box_);
  const QSignalBlocker block_baseline(baseline_slider_);
  const QSignalBlocker block_convergence(convergence_slider_);
  const QSignalBlocker block_max(max_disparity_box_);
  const QSignalBlocker block_map(map_kind_box_);
  const QSignalBlocker block_steps(steps_slider_);
  const QSignalBlocker block_guidance(guidance_box_);
  const QSignalBlocker block_seed(seed_box_);
  const bool is_diffusion = params.engine == EngineKind::kDiffusion;
  engine_box_->setCurrentIndex(is_diffusion && !is_diffusion_available_
                                   ? 0
                                   : engine_box_->findData(static_cast<int>(params.engine)));
  baseline_slider_->setValue(static_cast<int>(std::lround(params.baseline_scale * 100.0)));
  convergence_slider_->setValue(static_cast<int>(std::lround(params.convergence * 100.0)));
  map_kind_box_->setCurrentIndex(map_kind_box_->findData(static_cast<int>(params.map_kind)));
  max_disparity_box_->setValue(params.max_disparity_fraction * 100.0);
  steps_slider_->setValue(params.sampling_steps);
  guidance_box_->setValue(params.guidance);
  seed_box_->setValue(static_cast<int>(params.seed));
  updateLabels();
  updateEnabled();
}

void ControlsPanel::setMapKind(MapKind kind) {
  const QSignalBlocker block(map_kind_box_);
  map_kind_box_->setCurrentIndex(map_kind_box_->findData(static_cast<int>(kind)));
  updateEnabled();
}

void ControlsPanel::updateLabels() {
  baseline_value_->setText(tr("%1 ×").arg(baseline_slider_->value() / 100.0, 0, 'f', 2));
  convergence_value_->setText(QString::number(convergence_slider_->value() / 100.0, 'f', 2));
  steps_value_->setText(QString::number(steps_slider_->value()));
}

void ControlsPanel::updateEnabled() {
  const bool is_depth =
      map_kind_box_->currentData().toInt() != static_cast<int>(MapKind::kDisparity);
  max_disparity_box_->setEnabled(is_depth);
  const bool is_diffusion =
      engine_box_->currentData().toInt() == static_cast<int>(EngineKind::kDiffusion);
  diffusion_group_->setEnabled(is_diffusion);
  diffusion_group_->setToolTip(
      is_diffusion ? tr("A diffusion run takes minutes on a CPU: change the settings, then "
                        "press Generate (F5).")
                   : tr("Used by the diffusion engine (choose it above)."));
  live_box_->setEnabled(!is_diffusion);
  live_box_->setToolTip(is_diffusion
                            ? tr("Paused for the diffusion engine: a run takes minutes on a CPU; "
                                 "press Generate (F5).")
                            : tr("Recompute the right view while the sliders move (weight-free "
                                 "engine; a diffusion run takes minutes on a CPU and runs on "
                                 "Generate (F5) only)."));
}

}  // namespace genstereo::ui

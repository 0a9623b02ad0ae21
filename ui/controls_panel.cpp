#include "controls_panel.h"

#include <algorithm>
#include <cmath>

#include <QFormLayout>
#include <QHBoxLayout>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include "comfort_controls.h"
#include "number_format.h"
#include "wheel_guard.h"

namespace genstereo::ui {

namespace {

// Slider positions: baseline scale in hundredths (0.10 .. 3.00), convergence in hundredths.
constexpr int kBaselineMin = 10;
constexpr int kBaselineMax = 300;
// The ranges of genstereo-cli (app/cli_common.cpp; tests/ui/command_line_test.cpp checks that
// both accept the same values): foreground scale in hundredths, -3..3.
constexpr int kForegroundMin = -300;
constexpr int kForegroundMax = 300;
constexpr int kEdgeDilationMaxPx = 64;
constexpr double kFeatherMaxPx = 1000.0;
constexpr double kClipStepPercent = 0.5;
// The step counts each sampler proposes (docs/diffusion.md): the paper's DDIM 50, the
// multistep solvers 25.
constexpr int kDdimSteps = 50;
constexpr int kSolverSteps = 25;

void addChoice(QComboBox* box, const QString& text, int value, const QString& tip) {
  box->addItem(text, value);
  box->setItemData(box->count() - 1, tip, Qt::ToolTipRole);
}

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

  auto* preset_group = new QGroupBox(tr("Presets"), this);
  auto* preset_layout = new QVBoxLayout(preset_group);
  preset_bar_ = new PresetBar([this] { return params(); }, preset_group);
  preset_layout->addWidget(preset_bar_);
  layout->addWidget(preset_group);

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
      tr("Multiplies every disparity: a wider or narrower stereo baseline. It shows the baseline "
         "in effect: when the parallax limit (Comfort) narrows it, the slider stands at the "
         "narrowed value. Moving it takes the baseline in hand from there and turns the limit "
         "off, as --baseline-scale does in genstereo-cli generate."));
  baseline_value_ = new QLabel(geometry_group);
  baseline_value_->setObjectName(QStringLiteral("baselineValue"));
  form->addRow(tr("&Baseline scale:"),
               sliderRow(baseline_slider_, baseline_value_, geometry_group));
  baseline_limit_label_ = new QLabel(geometry_group);
  baseline_limit_label_->setObjectName(QStringLiteral("baselineLimited"));
  baseline_limit_label_->setWordWrap(true);
  baseline_limit_label_->hide();
  form->addRow(baseline_limit_label_);

  convergence_slider_ = new QSlider(Qt::Horizontal, geometry_group);
  convergence_slider_->setObjectName(QStringLiteral("convergenceSlider"));
  convergence_slider_->setRange(0, 100);
  convergence_slider_->setSingleStep(5);
  convergence_slider_->setPageStep(10);
  convergence_value_ = new QLabel(geometry_group);
  comfort_controls_ = new ComfortControls(this);
  // Auto convergence right under the slider it greys, in the same field (the Comfort group
  // keeps its settings); under rather than beside, so the dock gets no wider.
  auto* convergence_field = new QWidget(geometry_group);
  auto* convergence_layout = new QVBoxLayout(convergence_field);
  convergence_layout->setContentsMargins(0, 0, 0, 0);
  convergence_layout->setSpacing(2);
  convergence_layout->addWidget(
      sliderRow(convergence_slider_, convergence_value_, convergence_field));
  QCheckBox* auto_box = comfort_controls_->takeAutoConvergenceBox();
  auto_box->setText(tr("&Auto"));
  auto_box->setToolTip(
      tr("Auto convergence: put the screen plane through a percentile of the "
         "disparity (Comfort group); the slider then shows where it went."));
  auto_box->setParent(convergence_field);
  convergence_layout->addWidget(auto_box);
  form->addRow(tr("&Convergence:"), convergence_field);
  layout->addWidget(geometry_group);
  layout->addWidget(comfort_controls_);

  auto* synthesis_group = new QGroupBox(tr("View synthesis"), this);
  auto* synthesis_form = new QFormLayout(synthesis_group);
  eye_box_ = new QComboBox(synthesis_group);
  eye_box_->setObjectName(QStringLiteral("eyeBox"));
  addChoice(eye_box_, tr("Right (photo = left view)"), static_cast<int>(SynthesisEye::kRight),
            tr("The photo is the left view; the right view is made (as the paper)."));
  addChoice(eye_box_, tr("Left (photo = right view)"), static_cast<int>(SynthesisEye::kLeft),
            tr("The photo is the right view; the left view is made."));
  addChoice(eye_box_, tr("Both (photo = centre)"), static_cast<int>(SynthesisEye::kBoth),
            tr("The photo is the centre; both views are made with half the disparity each "
               "way (smaller holes on each side)."));
  synthesis_form->addRow(tr("E&ye:"), eye_box_);
  warp_box_ = new QComboBox(synthesis_group);
  warp_box_->setObjectName(QStringLiteral("warpBox"));
  addChoice(warp_box_, tr("Sub-pixel"), static_cast<int>(WarpMode::kSubpixel),
            tr("Exact positions, linear interpolation along the row (quality default)."));
  addChoice(warp_box_, tr("Whole pixels (official)"), static_cast<int>(WarpMode::kInteger),
            tr("The official GenStereo warp: rounded disparities."));
  synthesis_form->addRow(tr("&Warp:"), warp_box_);
  fill_box_ = new QComboBox(synthesis_group);
  fill_box_->setObjectName(QStringLiteral("fillBox"));
  addChoice(fill_box_, tr("Background (disparity-guided)"),
            static_cast<int>(FillMethod::kBackground),
            tr("Holes take the surface behind the object that uncovered them."));
  addChoice(fill_box_, tr("Naive (nearest pixel)"), static_cast<int>(FillMethod::kNaive),
            tr("Copies the nearest valid pixel on the background side of the row."));
  addChoice(fill_box_, tr("Telea (OpenCV)"), static_cast<int>(FillMethod::kTelea),
            tr("OpenCV's Telea inpainting, blind to depth."));
  addChoice(fill_box_, tr("None (holes stay black)"), static_cast<int>(FillMethod::kNone),
            tr("No fill: shows where the photo has no pixels for the new view."));
  synthesis_form->addRow(tr("F&ill:"), fill_box_);
  feather_box_ = new QDoubleSpinBox(synthesis_group);
  feather_box_->setObjectName(QStringLiteral("featherBox"));
  feather_box_->setRange(0.0, kFeatherMaxPx);
  feather_box_->setDecimals(1);
  feather_box_->setSingleStep(0.5);
  feather_box_->setSuffix(tr(" px"));
  synthesis_form->addRow(tr("&Feather:"), feather_box_);
  layout->addWidget(synthesis_group);

  depth_group_ = new QGroupBox(tr("Depth shaping"), this);
  auto* depth_form = new QFormLayout(depth_group_);
  foreground_slider_ = new QSlider(Qt::Horizontal, depth_group_);
  foreground_slider_->setObjectName(QStringLiteral("foregroundSlider"));
  foreground_slider_->setRange(kForegroundMin, kForegroundMax);
  foreground_slider_->setSingleStep(10);
  foreground_slider_->setPageStep(50);
  foreground_slider_->setToolTip(
      tr("More (> 0) or less (< 0) pop-out of near objects; the nearest and the farthest point "
         "keep their disparity."));
  foreground_value_ = new QLabel(depth_group_);
  depth_form->addRow(tr("F&oreground:"),
                     sliderRow(foreground_slider_, foreground_value_, depth_group_));
  edge_dilation_box_ = new QSpinBox(depth_group_);
  edge_dilation_box_->setObjectName(QStringLiteral("edgeDilationBox"));
  edge_dilation_box_->setRange(0, kEdgeDilationMaxPx);
  edge_dilation_box_->setSuffix(tr(" px"));
  edge_dilation_box_->setToolTip(
      tr("Grow near surfaces by this much over the background "
         "against halos at depth edges."));
  depth_form->addRow(tr("Edge &dilation:"), edge_dilation_box_);
  auto* clip_row = new QWidget(depth_group_);
  auto* clip_layout = new QHBoxLayout(clip_row);
  clip_layout->setContentsMargins(0, 0, 0, 0);
  clip_low_box_ = new QDoubleSpinBox(clip_row);
  clip_low_box_->setObjectName(QStringLiteral("clipLowBox"));
  clip_high_box_ = new QDoubleSpinBox(clip_row);
  clip_high_box_->setObjectName(QStringLiteral("clipHighBox"));
  for (QDoubleSpinBox* box : {clip_low_box_, clip_high_box_}) {
    box->setDecimals(1);
    box->setSingleStep(kClipStepPercent);
    box->setSuffix(tr(" %"));
    clip_layout->addWidget(box, 1);
  }
  clip_layout->insertWidget(1, new QLabel(tr("to"), clip_row));
  // LOW < HIGH, as the CLI demands: each box stops short of the other.
  clip_low_box_->setRange(0.0, 100.0 - kClipStepPercent);
  clip_high_box_->setRange(kClipStepPercent, 100.0);
  clip_low_box_->setValue(0.0);
  clip_high_box_->setValue(100.0);
  clip_row->setToolTip(
      tr("Clip depth to these percentiles and renormalise (e.g. 1 to 99 drops a "
         "few far sky pixels that would flatten the scene)."));
  depth_form->addRow(tr("C&lip:"), clip_row);
  layout->addWidget(depth_group_);

  diffusion_group_ = new QGroupBox(tr("Diffusion"), this);
  auto* diffusion_form = new QFormLayout(diffusion_group_);
  scheduler_box_ = new QComboBox(diffusion_group_);
  scheduler_box_->setObjectName(QStringLiteral("schedulerBox"));
  scheduler_box_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  scheduler_box_->setMinimumContentsLength(18);  // the dock's width, not the longest entry
  addChoice(scheduler_box_, tr("DDIM (the paper, 50 steps)"),
            static_cast<int>(SchedulerKind::kDdim), tr("The paper's sampler; 50 steps."));
  addChoice(scheduler_box_, tr("DPM-Solver++ 2M (20-25 steps)"),
            static_cast<int>(SchedulerKind::kDpmSolverMultistep),
            tr("A multistep solver: 20-25 steps give what DDIM gives in 50."));
  addChoice(scheduler_box_, tr("DPM-Solver++ 2M Karras"),
            static_cast<int>(SchedulerKind::kDpmSolverMultistepKarras),
            tr("DPM-Solver++ 2M on Karras sigmas."));
  addChoice(scheduler_box_, tr("Euler"), static_cast<int>(SchedulerKind::kEulerDiscrete),
            tr("Euler discrete sampler."));
  diffusion_form->addRow(tr("Sa&mpler:"), scheduler_box_);
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
  tiles_box_ = new QCheckBox(tr("Full resolution in &tiles"), diffusion_group_);
  tiles_box_->setObjectName(QStringLiteral("tilesBox"));
  tiles_box_->setToolTip(
      tr("Generate a photo larger than the model size patch by patch at full resolution "
         "(the official tiled script; minutes per patch on a CPU) instead of at model size "
         "with the holes upsampled."));
  diffusion_form->addRow(QString(), tiles_box_);
  tile_overlap_box_ = new QDoubleSpinBox(diffusion_group_);
  tile_overlap_box_->setObjectName(QStringLiteral("tileOverlapBox"));
  tile_overlap_box_->setRange(0.0, 0.9);
  tile_overlap_box_->setSingleStep(0.05);
  tile_overlap_box_->setDecimals(2);
  tile_overlap_box_->setValue(0.5);
  tile_overlap_box_->setEnabled(false);  // until tiles are on
  tile_overlap_box_->setToolTip(tr("Share of a patch its neighbour overlaps (official: 0.5)."));
  diffusion_form->addRow(tr("Tile o&verlap:"), tile_overlap_box_);
  tile_feather_box_ = new QSpinBox(diffusion_group_);
  tile_feather_box_->setObjectName(QStringLiteral("tileFeatherBox"));
  tile_feather_box_->setRange(0, kMaxTileFeatherPx);
  tile_feather_box_->setSingleStep(8);
  tile_feather_box_->setSuffix(tr(" px"));
  tile_feather_box_->setSpecialValueText(tr("Off (official)"));
  tile_feather_box_->setValue(0);
  tile_feather_box_->setEnabled(false);  // until tiles are on
  tile_feather_box_->setToolTip(
      tr("Cross-fade each seam between patches over this many pixels instead of a hard cut: "
         "hides a change of tone between patches. Off gives the official result."));
  diffusion_form->addRow(tr("Seam feat&her:"), tile_feather_box_);
  layout->addWidget(diffusion_group_);

  auto* reset_button = new QPushButton(tr("&Reset controls"), this);
  layout->addWidget(reset_button);
  layout->addStretch(1);

  const auto changed = [this] {
    updateLabels();
    preset_bar_->clearChoice();  // the controls no longer are the chosen preset
    emit paramsChanged();
  };
  connect(baseline_slider_, &QSlider::valueChanged, this, [this, changed](int value) {
    // An explicit strength, as --baseline-scale in generate: the parallax limit goes off
    // (the Comfort group warns when the pair leaves the comfort range; set a limit again
    // there to narrow it). The slider stood at the baseline in effect, so a step down from a
    // narrowed baseline gives less parallax, never more (docs/comfort.md).
    requested_baseline_scale_ = value / 100.0;
    baseline_limit_label_->hide();
    ComfortParams comfort = comfort_controls_->comfort();
    if (comfort.max_range_percent > 0.0) {
      comfort.max_range_percent = 0.0;
      comfort_controls_->setSettings(comfort, comfort_controls_->border());
    }
    changed();
  });
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
  connect(comfort_controls_, &ComfortControls::baselineNarrowed, this,
          &ControlsPanel::showNarrowedBaseline);
  connect(comfort_controls_, &ComfortControls::settingsChanged, this, [this, changed] {
    updateEnabled();  // manual convergence: the convergence slider
    changed();
  });
  connect(eye_box_, &QComboBox::currentIndexChanged, this, changed);
  connect(warp_box_, &QComboBox::currentIndexChanged, this, changed);
  connect(fill_box_, &QComboBox::currentIndexChanged, this, [this, changed] {
    updateEnabled();  // the feather applies to the background fill only
    changed();
  });
  connect(feather_box_, &QDoubleSpinBox::valueChanged, this, changed);
  connect(foreground_slider_, &QSlider::valueChanged, this, changed);
  connect(edge_dilation_box_, &QSpinBox::valueChanged, this, changed);
  connect(clip_low_box_, &QDoubleSpinBox::valueChanged, this, [this, changed](double low) {
    clip_high_box_->setMinimum(low + kClipStepPercent);
    changed();
  });
  connect(clip_high_box_, &QDoubleSpinBox::valueChanged, this, [this, changed](double high) {
    clip_low_box_->setMaximum(high - kClipStepPercent);
    changed();
  });
  connect(preset_bar_, &PresetBar::presetChosen, this, [this](const EngineParams& preset) {
    setParams(withPresetApplied(params(), preset));
    emit paramsChanged();
  });
  connect(steps_slider_, &QSlider::valueChanged, this, changed);
  connect(guidance_box_, &QDoubleSpinBox::valueChanged, this, changed);
  connect(seed_box_, &QSpinBox::valueChanged, this, changed);
  connect(scheduler_box_, &QComboBox::currentIndexChanged, this, [this, changed] {
    // Each sampler proposes its own step count (DPM-Solver++: 25, DDIM: the paper's 50) when
    // the steps are still the other one's proposal.
    const bool is_ddim =
        scheduler_box_->currentData().toInt() == static_cast<int>(SchedulerKind::kDdim);
    const int proposed = is_ddim ? kDdimSteps : kSolverSteps;
    const int other = is_ddim ? kSolverSteps : kDdimSteps;
    if (steps_slider_->value() == other) {
      const QSignalBlocker block(steps_slider_);
      steps_slider_->setValue(proposed);
    }
    changed();
  });
  connect(tiles_box_, &QCheckBox::toggled, this, [this, changed](bool is_tiled) {
    tile_overlap_box_->setEnabled(is_tiled);
    tile_feather_box_->setEnabled(is_tiled);
    changed();
  });
  connect(tile_overlap_box_, &QDoubleSpinBox::valueChanged, this, changed);
  connect(tile_feather_box_, &QSpinBox::valueChanged, this, changed);
  connect(reset_button, &QPushButton::clicked, this, [this] {
    EngineParams defaults;
    defaults.map_kind = params().map_kind;
    setParams(defaults);
    emit paramsChanged();
  });
  setDiffusionAvailable(false, tr("GenStereo weights not checked yet"));
  setParams(EngineParams());  // the engine's defaults (RunParams), as the CLI's
  updateLabels();
  updateEnabled();
  (new WheelGuard(this))->guardChildrenOf(this);
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
  params.baseline_scale = requested_baseline_scale_;
  params.convergence = convergence_slider_->value() / 100.0;
  params.map_kind = static_cast<MapKind>(map_kind_box_->currentData().toInt());
  params.max_disparity_fraction = max_disparity_box_->value() / 100.0;
  params.synthesis.eye = static_cast<SynthesisEye>(eye_box_->currentData().toInt());
  params.synthesis.warp = static_cast<WarpMode>(warp_box_->currentData().toInt());
  params.synthesis.fill = static_cast<FillMethod>(fill_box_->currentData().toInt());
  params.synthesis.feather_px = feather_box_->value();
  params.depth_shaping.foreground_scale = foreground_slider_->value() / 100.0;
  params.depth_shaping.edge_dilation_x_px = edge_dilation_box_->value();
  params.depth_shaping.edge_dilation_y_px = edge_dilation_box_->value();
  params.depth_shaping.clip_low_percent = clip_low_box_->value();
  params.depth_shaping.clip_high_percent = clip_high_box_->value();
  params.scheduler = static_cast<SchedulerKind>(scheduler_box_->currentData().toInt());
  params.tiles = tiles_box_->isChecked();
  params.tile_overlap = tile_overlap_box_->value();
  params.tile_feather_px = tile_feather_box_->value();
  params.sampling_steps = steps_slider_->value();
  params.guidance = guidance_box_->value();
  params.seed = seed_box_->value();
  params.comfort = comfort_controls_->comfort();
  params.border = comfort_controls_->border();
  return params;
}

void ControlsPanel::setParams(const EngineParams& params) {
  const QSignalBlocker block_engine(engine_box_);
  const QSignalBlocker block_baseline(baseline_slider_);
  const QSignalBlocker block_convergence(convergence_slider_);
  const QSignalBlocker block_max(max_disparity_box_);
  const QSignalBlocker block_map(map_kind_box_);
  const QSignalBlocker block_steps(steps_slider_);
  const QSignalBlocker block_scheduler(scheduler_box_);
  const QSignalBlocker block_tiles(tiles_box_);
  const QSignalBlocker block_overlap(tile_overlap_box_);
  const QSignalBlocker block_tile_feather(tile_feather_box_);
  const QSignalBlocker block_guidance(guidance_box_);
  const QSignalBlocker block_seed(seed_box_);
  const QSignalBlocker block_eye(eye_box_);
  const QSignalBlocker block_warp(warp_box_);
  const QSignalBlocker block_fill(fill_box_);
  const QSignalBlocker block_feather(feather_box_);
  const QSignalBlocker block_foreground(foreground_slider_);
  const QSignalBlocker block_dilation(edge_dilation_box_);
  const QSignalBlocker block_clip_low(clip_low_box_);
  const QSignalBlocker block_clip_high(clip_high_box_);
  const bool is_diffusion = params.engine == EngineKind::kDiffusion;
  engine_box_->setCurrentIndex(is_diffusion && !is_diffusion_available_
                                   ? 0
                                   : engine_box_->findData(static_cast<int>(params.engine)));
  requested_baseline_scale_ = params.baseline_scale;
  baseline_slider_->setValue(static_cast<int>(std::lround(params.baseline_scale * 100.0)));
  baseline_limit_label_->hide();
  convergence_slider_->setValue(static_cast<int>(std::lround(params.convergence * 100.0)));
  map_kind_box_->setCurrentIndex(map_kind_box_->findData(static_cast<int>(params.map_kind)));
  max_disparity_box_->setValue(params.max_disparity_fraction * 100.0);
  steps_slider_->setValue(params.sampling_steps);
  scheduler_box_->setCurrentIndex(scheduler_box_->findData(static_cast<int>(params.scheduler)));
  tiles_box_->setChecked(params.tiles);
  tile_overlap_box_->setValue(params.tile_overlap);
  tile_overlap_box_->setEnabled(params.tiles);
  tile_feather_box_->setValue(params.tile_feather_px);
  tile_feather_box_->setEnabled(params.tiles);
  guidance_box_->setValue(params.guidance);
  seed_box_->setValue(static_cast<int>(params.seed));
  eye_box_->setCurrentIndex(eye_box_->findData(static_cast<int>(params.synthesis.eye)));
  warp_box_->setCurrentIndex(warp_box_->findData(static_cast<int>(params.synthesis.warp)));
  fill_box_->setCurrentIndex(fill_box_->findData(static_cast<int>(params.synthesis.fill)));
  feather_box_->setValue(params.synthesis.feather_px);
  foreground_slider_->setValue(
      static_cast<int>(std::lround(params.depth_shaping.foreground_scale * 100.0)));
  edge_dilation_box_->setValue(params.depth_shaping.edge_dilation_x_px);
  // Wide open first, so that any valid LOW < HIGH pair can be set, then the LOW < HIGH stops.
  clip_low_box_->setRange(0.0, 100.0 - kClipStepPercent);
  clip_high_box_->setRange(kClipStepPercent, 100.0);
  clip_low_box_->setValue(params.depth_shaping.clip_low_percent);
  clip_high_box_->setValue(params.depth_shaping.clip_high_percent);
  clip_high_box_->setMinimum(clip_low_box_->value() + kClipStepPercent);
  clip_low_box_->setMaximum(clip_high_box_->value() - kClipStepPercent);
  comfort_controls_->setSettings(params.comfort, params.border);
  updateLabels();
  updateEnabled();
}

void ControlsPanel::showResult(const EngineResult& result) {
  const bool is_narrowed = result.applied_baseline_scale < result.params.baseline_scale - 1e-9;
  comfort_controls_->showBudget(result.parallax, result.comfort_warnings,
                                is_narrowed ? result.applied_baseline_scale : 0.0);
  // Where auto convergence (or a picked point) put the screen plane, as the manual
  // convergence c of d'' = d' - c * max(d'): c = screen / (max(d'') + screen).
  const bool is_auto_here = result.params.comfort.convergence != ConvergenceMode::kManual &&
                            comfort_controls_->comfort().convergence != ConvergenceMode::kManual;
  const double max_before_px = result.disparity_max_px + result.screen_disparity_px;
  if (is_auto_here && max_before_px > 1e-9) {
    const double convergence = std::clamp(result.screen_disparity_px / max_before_px, 0.0, 1.0);
    const QSignalBlocker block(convergence_slider_);
    convergence_slider_->setValue(static_cast<int>(std::lround(convergence * 100.0)));
    updateLabels();
  }
}

void ControlsPanel::showNarrowedBaseline(double narrowed_baseline_scale) {
  const double limit_percent = comfort_controls_->comfort().max_range_percent;
  const QSignalBlocker block(baseline_slider_);
  if (narrowed_baseline_scale > 0.0 && limit_percent > 0.0) {
    if (!baseline_slider_->isSliderDown()) {
      baseline_slider_->setValue(static_cast<int>(std::lround(narrowed_baseline_scale * 100.0)));
    }
    baseline_limit_label_->setText(
        tr("Limited to %1 × by the parallax limit of %2 % (you chose %3 ×). Moving the slider "
           "sets the baseline from here and turns the limit off.")
            .arg(formatDecimal(narrowed_baseline_scale, 2), formatDecimal(limit_percent, 1),
                 formatDecimal(requested_baseline_scale_, 2)));
    baseline_limit_label_->show();
  } else {
    if (!baseline_slider_->isSliderDown()) {
      baseline_slider_->setValue(static_cast<int>(std::lround(requested_baseline_scale_ * 100.0)));
    }
    baseline_limit_label_->hide();
  }
  updateLabels();
}

void ControlsPanel::setMapKind(MapKind kind) {
  const QSignalBlocker block(map_kind_box_);
  map_kind_box_->setCurrentIndex(map_kind_box_->findData(static_cast<int>(kind)));
  updateEnabled();
}

void ControlsPanel::updateLabels() {
  baseline_value_->setText(tr("%1 ×").arg(formatDecimal(baseline_slider_->value() / 100.0, 2)));
  convergence_value_->setText(formatDecimal(convergence_slider_->value() / 100.0, 2));
  steps_value_->setText(QString::number(steps_slider_->value()));
  foreground_value_->setText(QString::number(foreground_slider_->value() / 100.0, 'f', 2));
}

void ControlsPanel::updateEnabled() {
  const bool is_manual_convergence =
      comfort_controls_->comfort().convergence == ConvergenceMode::kManual;
  convergence_slider_->setEnabled(is_manual_convergence);
  convergence_slider_->setToolTip(
      is_manual_convergence
          ? tr("Screen plane as a fraction of the largest disparity: 0 puts the farthest point "
               "on the screen, 1 the nearest.")
          : tr("The screen plane is set by auto convergence or a picked point (Comfort "
               "group): turn Auto convergence off to set it here."));
  const bool is_depth =
      map_kind_box_->currentData().toInt() != static_cast<int>(MapKind::kDisparity);
  max_disparity_box_->setEnabled(is_depth);
  depth_group_->setEnabled(is_depth);
  depth_group_->setToolTip(is_depth ? QString()
                                    : tr("Applies to depth maps (given or estimated); this photo "
                                         "has a disparity map."));
  const bool is_diffusion =
      engine_box_->currentData().toInt() == static_cast<int>(EngineKind::kDiffusion);
  diffusion_group_->setEnabled(is_diffusion);
  diffusion_group_->setToolTip(
      is_diffusion ? tr("A diffusion run takes minutes on a CPU: change the settings, then "
                        "press Generate (F5).")
                   : tr("Used by the diffusion engine (choose it above)."));
  // The feather blends the background fill into the warped view; the other fills replace the
  // holes as they are (the engine ignores it there: a run would change nothing).
  const bool is_feathered =
      fill_box_->currentData().toInt() == static_cast<int>(FillMethod::kBackground);
  feather_box_->setEnabled(is_feathered);
  feather_box_->setToolTip(
      is_feathered ? tr("Seam blend width between the warped view and the fill (0 = hard mask).")
                   : tr("Applies to the Background fill only: the other fills are used as they "
                        "are, so the feather would not change the result."));
  live_box_->setEnabled(!is_diffusion);
  live_box_->setToolTip(is_diffusion
                            ? tr("Paused for the diffusion engine: a run takes minutes on a CPU; "
                                 "press Generate (F5).")
                            : tr("Recompute the new view while the sliders move (weight-free "
                                 "engine; a diffusion run takes minutes on a CPU and runs on "
                                 "Generate (F5) only)."));
}

}  // namespace genstereo::ui

#include "comfort_controls.h"

#include <QFormLayout>
#include <QLocale>

namespace genstereo::ui {

namespace {

QString percentText(double percent) {
  return QLocale().toString(percent, 'f', 1) + QStringLiteral(" %");
}

}  // namespace

ComfortControls::ComfortControls(QWidget* parent)
    : QGroupBox(tr("Comfort"), parent), comfort_(comfortableSettings()) {
  setObjectName(QStringLiteral("comfortControls"));
  auto* form = new QFormLayout(this);
  budget_label_ = new QLabel(this);
  budget_label_->setObjectName(QStringLiteral("parallaxBudget"));
  budget_label_->setWordWrap(true);
  budget_label_->setToolTip(
      tr("Nearest and farthest on-screen parallax as a percentage of the width (1st and 99th "
         "percentiles of the disparity); negative is in front of the screen."));
  form->addRow(tr("Parallax:"), budget_label_);
  warning_label_ = new QLabel(this);
  warning_label_->setObjectName(QStringLiteral("comfortWarning"));
  warning_label_->setWordWrap(true);
  warning_label_->setStyleSheet(QStringLiteral("color: #b00020;"));
  warning_label_->hide();
  form->addRow(warning_label_);

  auto_box_ = new QCheckBox(tr("&Auto convergence"), this);
  auto_box_->setToolTip(tr("Put the screen plane through a percentile of the disparity."));
  form->addRow(auto_box_);
  percentile_box_ = new QSpinBox(this);
  percentile_box_->setRange(0, 100);
  percentile_box_->setSuffix(tr(" th percentile"));
  percentile_box_->setToolTip(
      tr("0 puts the farthest surface on the screen, 100 the nearest; "
         "50 (the median) gives the smallest parallax on average."));
  form->addRow(tr("Screen &plane at:"), percentile_box_);
  pick_button_ = new QPushButton(tr("P&ick screen plane"), this);
  pick_button_->setObjectName(QStringLiteral("pickScreenPlane"));
  pick_button_->setCheckable(true);
  pick_button_->setToolTip(
      tr("Then click a point of the photo in the Input or Disparity view (Inspect tab) or in "
         "the stereo preview: it goes on the screen plane, marked with a cross. Ctrl+click "
         "there does the same at any time."));
  form->addRow(pick_button_);
  point_label_ = new QLabel(this);
  point_label_->setObjectName(QStringLiteral("screenPoint"));
  point_label_->hide();
  form->addRow(point_label_);

  limit_box_ = new QDoubleSpinBox(this);
  limit_box_->setRange(0.0, 100.0);  // the CLI's --parallax-limit
  limit_box_->setDecimals(1);
  limit_box_->setSingleStep(0.5);
  limit_box_->setSuffix(tr(" %"));
  limit_box_->setSpecialValueText(tr("none"));
  limit_box_->setToolTip(
      tr("A ceiling on the depth: the baseline is narrowed (never widened) so that the parallax "
         "range stays within this share of the width; 3 % keeps the pair inside the 1/30 "
         "comfort rule. The baseline scale shows the baseline in effect; \"none\" lets it go "
         "past the ceiling."));
  form->addRow(tr("Parallax &limit:"), limit_box_);

  border_box_ = new QComboBox(this);
  border_box_->addItem(tr("Keep the border on the screen"), static_cast<int>(BorderMode::kScreen));
  border_box_->addItem(tr("Crop to the stereo window"), static_cast<int>(BorderMode::kCrop));
  border_box_->addItem(tr("Fill the strip"), static_cast<int>(BorderMode::kFill));
  border_box_->setToolTip(tr("The strip at the side where no pixel of the photo reaches."));
  form->addRow(tr("&Border:"), border_box_);

  setSettings(comfort_, BorderMode::kScreen);
  clearBudget();
  connect(auto_box_, &QCheckBox::toggled, this, [this](bool is_on) {
    comfort_.convergence = is_on ? ConvergenceMode::kPercentile : ConvergenceMode::kManual;
    percentile_box_->setEnabled(is_on);
    updateScreenPoint();
    emit settingsChanged();
  });
  connect(percentile_box_, &QSpinBox::valueChanged, this, [this](int value) {
    comfort_.convergence_percentile = value;
    emit settingsChanged();
  });
  connect(limit_box_, &QDoubleSpinBox::valueChanged, this, [this](double percent) {
    comfort_.max_range_percent = percent;
    emit settingsChanged();
  });
  connect(border_box_, &QComboBox::currentIndexChanged, this, [this] { emit settingsChanged(); });
}

ComfortParams ComfortControls::comfort() const { return comfort_; }

BorderMode ComfortControls::border() const {
  return static_cast<BorderMode>(border_box_->currentData().toInt());
}

void ComfortControls::setSettings(const ComfortParams& comfort, BorderMode border) {
  const QSignalBlocker block_auto(auto_box_);
  const QSignalBlocker block_percentile(percentile_box_);
  const QSignalBlocker block_limit(limit_box_);
  const QSignalBlocker block_border(border_box_);
  comfort_ = comfort;
  limit_box_->setValue(comfort.max_range_percent);
  auto_box_->setChecked(comfort.convergence == ConvergenceMode::kPercentile);
  percentile_box_->setValue(static_cast<int>(comfort.convergence_percentile + 0.5));
  percentile_box_->setEnabled(comfort.convergence == ConvergenceMode::kPercentile);
  border_box_->setCurrentIndex(border_box_->findData(static_cast<int>(border)));
  updateScreenPoint();
}

void ComfortControls::setScreenPoint(cv::Point point_px) {
  {
    const QSignalBlocker block_auto(auto_box_);
    auto_box_->setChecked(false);
  }
  percentile_box_->setEnabled(false);
  comfort_.convergence = ConvergenceMode::kPoint;
  comfort_.screen_point_px = point_px;
  pick_button_->setChecked(false);
  updateScreenPoint();
  emit settingsChanged();
}

void ComfortControls::updateScreenPoint() {
  const bool is_point = comfort_.convergence == ConvergenceMode::kPoint;
  point_label_->setText(tr("Screen plane at pixel (%1, %2) of the photo")
                            .arg(comfort_.screen_point_px.x)
                            .arg(comfort_.screen_point_px.y));
  point_label_->setVisible(is_point);
}

QString ComfortControls::warningText(const ComfortWarning& warning) {
  switch (warning.kind) {
    case ComfortWarningKind::kRangeExceeded:
      return tr("parallax range %1 of the width exceeds the comfort limit of %2 (1/30 rule)")
          .arg(percentText(warning.value_percent), percentText(warning.limit_percent));
    case ComfortWarningKind::kFarExceeded:
      return tr("parallax behind the screen %1 of the width exceeds %2 (eyes diverge on screens "
                "wider than 2.5 m)")
          .arg(percentText(warning.value_percent), percentText(warning.limit_percent));
  }
  return tr("outside the comfort range");
}

void ComfortControls::showBudget(const ParallaxBudget& budget,
                                 const std::vector<ComfortWarning>& warnings,
                                 double narrowed_baseline_scale) {
  QString text = tr("near %1, far %2, range %3 of the width")
                     .arg(percentText(budget.near_percent), percentText(budget.far_percent),
                          percentText(budget.rangePercent()));
  if (narrowed_baseline_scale > 0.0) {
    text += QLatin1Char('\n') + tr("baseline narrowed to %1 × by the limit")
                                    .arg(QLocale().toString(narrowed_baseline_scale, 'f', 2));
  }
  budget_label_->setText(text);
  QStringList lines;
  for (const ComfortWarning& warning : warnings) lines << warningText(warning);
  warning_label_->setText(tr("Uncomfortable: %1").arg(lines.join(QStringLiteral("; "))));
  warning_label_->setVisible(!warnings.empty());
  emit baselineNarrowed(narrowed_baseline_scale);
}

void ComfortControls::clearBudget() {
  budget_label_->setText(tr("not measured yet"));
  warning_label_->hide();
  emit baselineNarrowed(0.0);
}

QCheckBox* ComfortControls::takeAutoConvergenceBox() {
  if (auto* form = qobject_cast<QFormLayout*>(layout())) form->takeRow(auto_box_);
  return auto_box_;
}

}  // namespace genstereo::ui

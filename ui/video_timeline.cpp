#include "video_timeline.h"

#include <algorithm>
#include <cmath>

#include <QHBoxLayout>
#include <QPainter>
#include <QStyle>
#include <QStyleOptionSlider>
#include <QVBoxLayout>

namespace genstereo::ui {

CutSlider::CutSlider(QWidget* parent) : QSlider(Qt::Horizontal, parent) {
  setObjectName(QStringLiteral("videoScrubber"));
  setFocusPolicy(Qt::StrongFocus);
}

void CutSlider::setCuts(const std::vector<double>& cut_times_s) {
  cuts_s_ = cut_times_s;
  update();
}

void CutSlider::paintEvent(QPaintEvent* event) {
  QSlider::paintEvent(event);
  if (cuts_s_.empty() || maximum() <= minimum()) return;
  QStyleOptionSlider option;
  initStyleOption(&option);
  const QRect groove =
      style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderGroove, this);
  const QRect handle =
      style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderHandle, this);
  const int span = groove.width() - handle.width();
  QPainter painter(this);
  painter.setPen(QPen(QColor(230, 120, 30), 2));
  for (double cut : cuts_s_) {
    const int value = static_cast<int>(std::lround(cut * 1000.0));
    const int x = groove.left() + handle.width() / 2 +
                  QStyle::sliderPositionFromValue(minimum(), maximum(), value, span);
    painter.drawLine(x, groove.top() - 3, x, groove.bottom() + 3);
  }
}

VideoTimeline::VideoTimeline(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("videoTimeline"));
  slider_ = new CutSlider(this);
  slider_->setToolTip(
      tr("Scrub through the video. Orange ticks: scene cuts (every temporal "
         "filter starts again there)."));
  position_ = new QLabel(this);
  position_->setObjectName(QStringLiteral("videoPosition"));
  position_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  cuts_label_ = new QLabel(this);
  metrics_ = new QLabel(this);
  metrics_->setObjectName(QStringLiteral("videoMetrics"));
  metrics_->setWordWrap(true);
  metrics_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  play_ = new QPushButton(tr("Play range"), this);
  play_->setObjectName(QStringLiteral("playRange"));
  play_->setToolTip(
      tr("Render a few seconds from this frame ahead and play them in the stereo "
         "preview, with the temporal metrics of that range (flicker, pumping)."));
  previous_cut_ =
      new QPushButton(style()->standardIcon(QStyle::SP_MediaSkipBackward), QString(), this);
  previous_cut_->setObjectName(QStringLiteral("previousCut"));
  previous_cut_->setToolTip(tr("Previous scene cut"));
  next_cut_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaSkipForward), QString(), this);
  next_cut_->setObjectName(QStringLiteral("nextCut"));
  next_cut_->setToolTip(tr("Next scene cut"));
  for (QPushButton* button : {previous_cut_, next_cut_}) {
    button->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
  }
  temporal_ = new QCheckBox(tr("Temporal filters"), this);
  temporal_->setObjectName(QStringLiteral("temporalToggle"));
  temporal_->setChecked(true);
  temporal_->setToolTip(
      tr("On: the frame as the converter renders it (depth range stabilised "
         "over time, flow-guided smoothing, holes filled from earlier "
         "frames). Off: each frame on its own, for a before/after."));

  auto* row = new QHBoxLayout;
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(previous_cut_);
  row->addWidget(slider_, 1);
  row->addWidget(next_cut_);
  row->addWidget(position_);
  auto* row2 = new QHBoxLayout;
  row2->setContentsMargins(0, 0, 0, 0);
  row2->addWidget(play_);
  row2->addWidget(temporal_);
  row2->addWidget(cuts_label_);
  row2->addWidget(metrics_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 2, 6, 2);
  layout->addLayout(row);
  layout->addLayout(row2);

  drag_timer_.setSingleShot(true);
  drag_timer_.setInterval(150);
  connect(&drag_timer_, &QTimer::timeout, this, [this] { emitSeek(false); });
  connect(slider_, &QSlider::valueChanged, this, [this](int value) {
    if (is_setting_) return;
    const double t = value / 1000.0;
    updateLabel(t, fps_ > 0 ? std::llround(t * fps_) : -1);
    if (slider_->isSliderDown()) {
      if (!drag_timer_.isActive()) drag_timer_.start();
    } else {
      emitSeek(true);
    }
  });
  connect(slider_, &QSlider::sliderReleased, this, [this] {
    drag_timer_.stop();
    emitSeek(true);
  });
  connect(play_, &QPushButton::clicked, this, [this] { emit playRequested(currentTime()); });
  connect(temporal_, &QCheckBox::toggled, this, [this](bool on) {
    if (!is_setting_) emit temporalToggled(on);
  });
  connect(previous_cut_, &QPushButton::clicked, this, [this] { emit stepRequested(-1); });
  connect(next_cut_, &QPushButton::clicked, this, [this] { emit stepRequested(1); });
  setVideo(0.0, 0.0);
}

void VideoTimeline::setVideo(double duration_s, double fps) {
  duration_s_ = duration_s;
  fps_ = fps;
  is_setting_ = true;
  slider_->setRange(0, static_cast<int>(std::max(0.0, duration_s) * 1000.0));
  slider_->setSingleStep(fps > 0 ? std::max(1, static_cast<int>(std::lround(1000.0 / fps))) : 40);
  slider_->setPageStep(5000);
  slider_->setValue(0);
  is_setting_ = false;
  slider_->setCuts({});
  cuts_label_->clear();
  metrics_->clear();
  updateLabel(0.0, 0);
}

void VideoTimeline::setCuts(const std::vector<double>& cut_times_s, bool is_complete) {
  slider_->setCuts(cut_times_s);
  const int n = static_cast<int>(cut_times_s.size());
  cuts_label_->setText(is_complete ? tr("%n scene cut(s)", nullptr, n)
                                   : tr("%n scene cut(s) so far", nullptr, n));
}

void VideoTimeline::setScanProgress(double fraction) {
  cuts_label_->setText(tr("Finding scene cuts… %1 %").arg(static_cast<int>(fraction * 100.0)));
}

void VideoTimeline::setCurrentFrame(double time_s, long long frame) {
  is_setting_ = true;
  if (!slider_->isSliderDown()) slider_->setValue(static_cast<int>(std::lround(time_s * 1000.0)));
  is_setting_ = false;
  updateLabel(time_s, frame);
}

double VideoTimeline::currentTime() const { return slider_->value() / 1000.0; }

void VideoTimeline::setTemporalOn(bool is_on) {
  is_setting_ = true;
  temporal_->setChecked(is_on);
  is_setting_ = false;
}

void VideoTimeline::setMetricsText(const QString& text) { metrics_->setText(text); }

QString VideoTimeline::formatTime(double seconds) {
  seconds = std::max(0.0, seconds);
  const int minutes = static_cast<int>(seconds / 60.0);
  const double rest = seconds - minutes * 60.0;
  return QStringLiteral("%1:%2").arg(minutes).arg(rest, 6, 'f', 3, QLatin1Char('0'));
}

void VideoTimeline::updateLabel(double time_s, long long frame) {
  const QString time = tr("%1 / %2").arg(formatTime(time_s), formatTime(duration_s_));
  position_->setText(frame >= 0 ? tr("frame %1 · %2").arg(frame).arg(time) : time);
}

void VideoTimeline::emitSeek(bool is_final) { emit seekRequested(currentTime(), is_final); }

}  // namespace genstereo::ui

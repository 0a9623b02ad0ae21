#include "video_range_player.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <QCloseEvent>
#include <QHBoxLayout>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "image_conversion.h"
#include "video/media_source.h"

namespace genstereo::ui {

namespace {

// Frames are kept at most this wide (each view), so that 5 s of video stay near 150 MB.
constexpr int kMaxViewWidth = 640;

QImage viewImage(const cv::Mat& view01) {
  cv::Mat small = view01;
  if (view01.cols > kMaxViewWidth) {
    const double scale = static_cast<double>(kMaxViewWidth) / view01.cols;
    cv::resize(view01, small, cv::Size(), scale, scale, cv::INTER_AREA);
  }
  return toQImage(small);
}

// Dubois red-cyan from two RGB888 images.
QImage anaglyphOf(const QImage& left, const QImage& right) {
  QImage out(left.size(), QImage::Format_RGB888);
  static const float kL[3][3] = {
      {0.456f, 0.500f, 0.176f}, {-0.040f, -0.038f, -0.016f}, {-0.015f, -0.021f, -0.005f}};
  static const float kR[3][3] = {
      {-0.043f, -0.088f, -0.002f}, {0.378f, 0.734f, -0.018f}, {-0.072f, -0.113f, 1.226f}};
  for (int y = 0; y < out.height(); ++y) {
    const uchar* l = left.constScanLine(y);
    const uchar* r = right.constScanLine(y);
    uchar* o = out.scanLine(y);
    for (int x = 0; x < out.width(); ++x) {
      for (int c = 0; c < 3; ++c) {
        float v = 0.0f;
        for (int k = 0; k < 3; ++k) v += kL[c][k] * l[3 * x + k] + kR[c][k] * r[3 * x + k];
        o[3 * x + c] = static_cast<uchar>(std::clamp(v, 0.0f, 255.0f));
      }
    }
  }
  return out;
}

QImage sideBySideOf(const QImage& left, const QImage& right) {
  QImage out(left.width() * 2, left.height(), QImage::Format_RGB888);
  for (int y = 0; y < left.height(); ++y) {
    uchar* o = out.scanLine(y);
    std::copy_n(left.constScanLine(y), left.width() * 3, o);
    std::copy_n(right.constScanLine(y), right.width() * 3, o + left.width() * 3);
  }
  return out;
}

QString percent(double value) { return QString::number(value, 'f', 3) + QStringLiteral(" %"); }

}  // namespace

QString describeRangeMetrics(const RangeMetrics& m) {
  return VideoRangePlayer::tr(
             "Disparity flicker %1 (temporal off: %2) · range pumping p50 %3 "
             "(off: %4), p95 %5 (off: %6)")
      .arg(percent(m.with_temporal.disparity_flicker_percent),
           percent(m.without_temporal.disparity_flicker_percent),
           percent(m.with_temporal.range_pumping_p50_percent),
           percent(m.without_temporal.range_pumping_p50_percent),
           percent(m.with_temporal.range_pumping_p95_percent),
           percent(m.without_temporal.range_pumping_p95_percent));
}

VideoRangePlayer::VideoRangePlayer(QWidget* parent) : QDialog(parent) {
  setObjectName(QStringLiteral("videoRangePlayer"));
  setWindowTitle(tr("Play range"));
  canvas_ = new QLabel(this);
  canvas_->setAlignment(Qt::AlignCenter);
  canvas_->setMinimumSize(320, 180);
  canvas_->setStyleSheet(QStringLiteral("background: black"));
  status_ = new QLabel(this);
  status_->setObjectName(QStringLiteral("rangeStatus"));
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  mode_ = new QComboBox(this);
  mode_->addItem(tr("Anaglyph (red-cyan)"), kAnaglyph);
  mode_->addItem(tr("Side by side"), kSideBySide);
  mode_->addItem(tr("Wiggle"), kWiggle);
  auto* close = new QPushButton(tr("Close"), this);
  connect(close, &QPushButton::clicked, this, &QDialog::close);
  auto* row = new QHBoxLayout;
  row->addWidget(mode_);
  row->addStretch(1);
  row->addWidget(close);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(canvas_, 1);
  layout->addWidget(status_);
  layout->addLayout(row);
  resize(760, 520);
  connect(&play_timer_, &QTimer::timeout, this, &VideoRangePlayer::showNext);
  connect(&watcher_, &QFutureWatcher<Outcome>::finished, this, &VideoRangePlayer::onFinished);
  connect(this, &VideoRangePlayer::framesArrived, this, [this](int count) {
    if (watcher_.isRunning()) {
      status_->setText(
          tr("Rendering ahead: frame %1 of about %2…").arg(count).arg(frames_expected_));
    }
    if (!play_timer_.isActive()) showNext();
  });
}

VideoRangePlayer::~VideoRangePlayer() { stop(); }

int VideoRangePlayer::framesRendered() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(frames_.size());
}

void VideoRangePlayer::setMode(Mode mode) { mode_->setCurrentIndex(mode_->findData(mode)); }

void VideoRangePlayer::stop() {
  cancel_.cancel();
  watcher_.waitForFinished();
  play_timer_.stop();
}

void VideoRangePlayer::closeEvent(QCloseEvent* event) {
  stop();
  QDialog::closeEvent(event);
}

void VideoRangePlayer::start(const VideoParams& params, const EngineOptions& options) {
  stop();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    frames_.clear();
  }
  metrics_.reset();
  position_ = 0;
  cancel_ = CancelToken();
  double fps = 25.0;
  try {
    const VideoSourceInfo info = probeVideo(params.input);
    if (info.average_fps > 0) fps = info.average_fps;
  } catch (const std::exception&) {
  }
  const double end = params.end_s >= 0 ? params.end_s : params.start_s + 3.0;
  frames_expected_ = std::max(1, static_cast<int>(std::lround((end - params.start_s) * fps)));
  play_timer_.setInterval(std::max(10, static_cast<int>(std::lround(1000.0 / fps))));
  status_->setText(tr("Rendering ahead…"));
  const CancelToken cancel = cancel_;
  watcher_.setFuture(QtConcurrent::run([this, params, options, cancel]() -> Outcome {
    Outcome outcome;
    try {
      StereoEngine engine(options);
      VideoParams run = params;
      run.write_video = false;
      run.measure = true;
      run.keep_work_dir = true;  // the second run reuses the depth
      run.run.cancel = cancel;
      run.on_progress = nullptr;
      run.on_frame = [this](const VideoRenderedFrame& frame) {
        Frame f{viewImage(frame.result.left), viewImage(frame.result.right), frame.time_s};
        int count = 0;
        {
          std::lock_guard<std::mutex> lock(mutex_);
          frames_.push_back(std::move(f));
          count = static_cast<int>(frames_.size());
        }
        QMetaObject::invokeMethod(
            this, [this, count] { emit framesArrived(count); }, Qt::QueuedConnection);
      };
      const VideoReport with = convertVideo(engine, run);
      VideoParams off = run;
      off.on_frame = nullptr;
      off.temporal.range.kind = RangeStabilizer::kPerFrame;
      off.temporal.flow.window = 0;
      off.temporal.fill.window = 0;
      const VideoReport without = convertVideo(engine, off);
      outcome.metrics = RangeMetrics{with.metrics.value_or(TemporalMetrics{}),
                                     without.metrics.value_or(TemporalMetrics{})};
    } catch (const CancelledError&) {
      outcome.is_cancelled = true;
    } catch (const std::exception& error) {
      outcome.error = QString::fromStdString(error.what());
    }
    return outcome;
  }));
}

void VideoRangePlayer::showNext() {
  Frame frame;
  int count = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    count = static_cast<int>(frames_.size());
    if (count == 0) return;
    const Mode mode = static_cast<Mode>(mode_->currentData().toInt());
    if (mode == kWiggle) {
      // Each frame shown as left then right (the wiggle interval is two frame times).
      wiggle_right_ = !wiggle_right_;
      if (!wiggle_right_) ++position_;
    } else {
      ++position_;
    }
    if (position_ >= count) {
      // Wait at the newest frame while rendering ahead; loop once all are there.
      position_ = watcher_.isRunning() ? count - 1 : 0;
    }
    frame = frames_[static_cast<std::size_t>(position_)];
  }
  const Mode mode = static_cast<Mode>(mode_->currentData().toInt());
  switch (mode) {
    case kAnaglyph:
      shown_ = anaglyphOf(frame.left, frame.right);
      break;
    case kSideBySide:
      shown_ = sideBySideOf(frame.left, frame.right);
      break;
    case kWiggle:
      shown_ = wiggle_right_ ? frame.right : frame.left;
      break;
  }
  canvas_->setPixmap(QPixmap::fromImage(shown_).scaled(canvas_->size(), Qt::KeepAspectRatio,
                                                       Qt::SmoothTransformation));
  if (!play_timer_.isActive()) play_timer_.start();
}

void VideoRangePlayer::onFinished() {
  const Outcome outcome = watcher_.result();
  if (outcome.is_cancelled) {
    status_->setText(tr("Stopped."));
    emit finishedRendering(false);
    return;
  }
  if (!outcome.error.isEmpty()) {
    status_->setText(tr("The range could not be rendered: %1").arg(outcome.error));
    emit finishedRendering(false);
    return;
  }
  metrics_ = outcome.metrics;
  status_->setText(tr("%1 frames · %2").arg(framesRendered()).arg(describeRangeMetrics(*metrics_)));
  emit finishedRendering(true);
}

}  // namespace genstereo::ui

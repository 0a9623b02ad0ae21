// "Play range": a few seconds of the open video from the current frame, rendered ahead in the
// background exactly as the converter renders them (convertVideo without writing a file) and
// played in a loop as anaglyph, side by side or wiggle, so that flicker can be seen before a
// conversion. The temporal metrics of eval-video for the range (disparity flicker, range
// pumping) are measured with the temporal stack on and again with it off.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <QComboBox>
#include <QDialog>
#include <QFutureWatcher>
#include <QImage>
#include <QLabel>
#include <QTimer>

#include "genstereo/engine.h"
#include "genstereo/video.h"

namespace genstereo::ui {

// The two measures of a range: with the window's temporal settings and with every filter off.
struct RangeMetrics {
  TemporalMetrics with_temporal;
  TemporalMetrics without_temporal;
};

// The metrics in words: "Disparity flicker 0.12 % (off: 0.31 %) · range pumping p50 ...".
QString describeRangeMetrics(const RangeMetrics& metrics);

class VideoRangePlayer : public QDialog {
  Q_OBJECT

 public:
  enum Mode { kAnaglyph, kSideBySide, kWiggle };

  explicit VideoRangePlayer(QWidget* parent = nullptr);
  ~VideoRangePlayer() override;

  // Renders params.start_s .. params.end_s of params.input (params.output is not written) on
  // an engine of its own built from `options`, plays the frames as they arrive, then measures.
  // A running render is cancelled first.
  void start(const VideoParams& params, const EngineOptions& options);
  void stop();

  bool isRendering() const { return watcher_.isRunning(); }
  int framesRendered() const;
  int framesExpected() const { return frames_expected_; }
  // The measures of the last finished range; none while rendering or after an error.
  const std::optional<RangeMetrics>& metrics() const { return metrics_; }
  QString statusText() const { return status_->text(); }
  void setMode(Mode mode);
  // The frame on screen (for tests and screenshots).
  QImage currentImage() const { return shown_; }

 signals:
  void framesArrived(int count);
  void finishedRendering(bool is_ok);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  struct Frame {
    QImage left;
    QImage right;
    double time_s = 0.0;
  };
  struct Outcome {
    std::optional<RangeMetrics> metrics;
    QString error;
    bool is_cancelled = false;
  };
  void showNext();
  void onFinished();

  QLabel* canvas_ = nullptr;
  QLabel* status_ = nullptr;
  QComboBox* mode_ = nullptr;
  QTimer play_timer_;
  QFutureWatcher<Outcome> watcher_;
  CancelToken cancel_;
  mutable std::mutex mutex_;
  std::vector<Frame> frames_;  // guarded by mutex_
  int frames_expected_ = 0;
  int position_ = 0;
  bool wiggle_right_ = false;
  std::optional<RangeMetrics> metrics_;
  QImage shown_;
};

}  // namespace genstereo::ui

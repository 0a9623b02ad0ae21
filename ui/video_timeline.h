// The timeline of an open video: a scrubber with the scene cuts as ticks, the frame number and
// time, "Play range" (a few seconds of the stereo preview rendered ahead) and the temporal
// stack's before/after toggle.
#pragma once

#include <vector>

#include <QCheckBox>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QTimer>
#include <QWidget>

namespace genstereo::ui {

// A slider in milliseconds that paints tick marks at the scene cuts.
class CutSlider : public QSlider {
  Q_OBJECT

 public:
  explicit CutSlider(QWidget* parent = nullptr);
  void setCuts(const std::vector<double>& cut_times_s);
  const std::vector<double>& cuts() const { return cuts_s_; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  std::vector<double> cuts_s_;
};

class VideoTimeline : public QWidget {
  Q_OBJECT

 public:
  explicit VideoTimeline(QWidget* parent = nullptr);

  // A new video: its length and frame rate (0: unknown). Clears the cuts.
  void setVideo(double duration_s, double fps);
  // The scene cuts found so far (seconds); `is_complete`: the scan has ended.
  void setCuts(const std::vector<double>& cut_times_s, bool is_complete);
  // The scan's progress (0..1) while it runs.
  void setScanProgress(double fraction);
  // The frame on screen (moves the scrubber without asking for a seek).
  void setCurrentFrame(double time_s, long long frame);
  double currentTime() const;
  bool isTemporalOn() const { return temporal_->isChecked(); }
  void setTemporalOn(bool is_on);
  // The temporal metrics of the last range played, in words.
  void setMetricsText(const QString& text);

  CutSlider* slider() const { return slider_; }
  QPushButton* playButton() const { return play_; }
  QCheckBox* temporalToggle() const { return temporal_; }
  QLabel* positionLabel() const { return position_; }

  // "1:02.345" for 62.345 s.
  static QString formatTime(double seconds);

 signals:
  // The user moved the scrubber: show this frame (also during a drag, at most every 150 ms;
  // `is_final` once the scrubber is released or moved by keys/clicks).
  void seekRequested(double time_s, bool is_final);
  void playRequested(double from_s);
  void temporalToggled(bool is_on);
  // Previous / next scene cut.
  void stepRequested(int direction);

 private:
  void updateLabel(double time_s, long long frame);
  void emitSeek(bool is_final);

  CutSlider* slider_ = nullptr;
  QLabel* position_ = nullptr;
  QLabel* cuts_label_ = nullptr;
  QLabel* metrics_ = nullptr;
  QPushButton* play_ = nullptr;
  QPushButton* previous_cut_ = nullptr;
  QPushButton* next_cut_ = nullptr;
  QCheckBox* temporal_ = nullptr;
  QTimer drag_timer_;
  double duration_s_ = 0.0;
  double fps_ = 0.0;
  bool is_setting_ = false;
};

}  // namespace genstereo::ui

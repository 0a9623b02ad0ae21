// Stereo previews of the current pair: anaglyphs (Dubois, colour, grey), side-by-side (full,
// half), cross-eyed, top-bottom (composed by genstereo::composeStereo off the UI thread) and a
// wiggle animation that alternates the two views.
#pragma once

#include <QComboBox>
#include <QFutureWatcher>
#include <QImage>
#include <QSpinBox>
#include <QTimer>
#include <QWidget>

#include "engine_types.h"
#include "image_view.h"

namespace genstereo::ui {

class StereoPreview : public QWidget {
  Q_OBJECT

 public:
  enum Mode {
    kAnaglyphDubois,
    kAnaglyphColor,
    kAnaglyphGray,
    kSideBySideFull,
    kSideBySideHalf,
    kCrossEyed,
    kTopBottom,
    kWiggle,
  };

  explicit StereoPreview(QWidget* parent = nullptr);
  ~StereoPreview() override;

  void setResult(const EngineResultPtr& result);
  void setMode(Mode mode);
  Mode mode() const;
  // The picture shown now (for a wiggle: the current frame).
  QImage currentImage() const { return view_->image(); }
  ImageView* view() const { return view_; }
  bool isWiggling() const { return wiggle_timer_.isActive(); }

 signals:
  // A new preview picture is on screen (after a result or a mode change).
  void previewUpdated();

 private:
  void refresh();
  void showWiggleFrame();

  QComboBox* mode_box_ = nullptr;
  QSpinBox* wiggle_ms_box_ = nullptr;
  ImageView* view_ = nullptr;
  EngineResultPtr result_;
  QFutureWatcher<QImage> watcher_;
  quint64 generation_ = 0;
  quint64 watched_generation_ = 0;
  QTimer wiggle_timer_;
  bool is_wiggle_right_ = false;
};

}  // namespace genstereo::ui

// Stereo previews of the current pair: anaglyphs (Dubois, colour, grey), side-by-side (full,
// half), cross-eyed, top-bottom (composed by genstereo::composeStereo off the UI thread) and a
// wiggle animation that alternates the two views. Ctrl+click (or a click while picking is
// armed) picks the photo's pixel at that point of the picture (preview_geometry.h), and the
// picked screen point is marked in every tile.
#pragma once

#include <optional>

#include <QComboBox>
#include <QFutureWatcher>
#include <QImage>
#include <QLabel>
#include <QSpinBox>
#include <QTimer>
#include <QWidget>

#include "engine_types.h"
#include "image_view.h"
#include "preview_geometry.h"

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
    // Passive 3D monitors, TVs and DLP projectors (issue 23, point 10), then one eye alone.
    kTopBottomHalf,
    kRowInterleaved,
    kColumnInterleaved,
    kCheckerboard,
    kLeftEyeOnly,
    kRightEyeOnly,
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
  // The wiggle's frame time chosen here (the wiggle export starts from it).
  int wiggleMs() const;
  // Swap eyes is on: a lasting "Eyes swapped" badge beside the mode (hidden otherwise).
  void setEyesSwapped(bool is_swapped);
  QLabel* eyesSwappedBadge() const { return swapped_badge_; }
  // "Pick screen plane": the next click in the picture emits pixelPicked; Ctrl+click always does.
  void setPickArmed(bool is_armed) { view_->setPickArmed(is_armed); }
  // The photo's pixel on the screen plane (ConvergenceMode::kPoint), marked in the picture;
  // none: no marker.
  void setScreenPoint(std::optional<QPoint> photo_px);
  // The geometry of the picture on screen (empty before the first).
  const PreviewGeometry& geometry() const { return geometry_; }

 signals:
  // A new preview picture is on screen (after a result or a mode change).
  void previewUpdated();
  // A pixel of the photo picked in the picture (full-resolution pixels of the photo).
  void pixelPicked(QPoint photo_px);

 private:
  void refresh();
  void showWiggleFrame();
  // Puts `picture` on screen with the geometry of the mode; `is_uncropped_photo`: a wiggle
  // frame of the whole photo (not starting at the first column a cropped pair kept).
  void showPicture(const QImage& picture, bool is_uncropped_photo);

  QComboBox* mode_box_ = nullptr;
  QSpinBox* wiggle_ms_box_ = nullptr;
  QLabel* swapped_badge_ = nullptr;
  ImageView* view_ = nullptr;
  EngineResultPtr result_;
  QFutureWatcher<QImage> watcher_;
  quint64 generation_ = 0;
  quint64 watched_generation_ = 0;
  QTimer wiggle_timer_;
  bool is_wiggle_right_ = false;
  PreviewGeometry geometry_;
  std::optional<QPoint> screen_point_px_;
};

}  // namespace genstereo::ui

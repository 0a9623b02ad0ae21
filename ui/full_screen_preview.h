// The full-screen preview (F11), an output for a 3D TV or a projector: the stereo preview's
// picture (anaglyph, side-by-side, top-bottom, a wiggle frame...) on a black screen without
// chrome, on the second screen when there is one. The caption bar (before/after, B) shows for
// kCaptionShowMs after opening and after each mouse move, then hides with the mouse pointer.
// F11 or Esc leave it.
#pragma once

#include <QTimer>
#include <QWidget>

#include "before_after_view.h"

namespace genstereo::ui {

class FullScreenPreview : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kCaptionShowMs = 2500;

  explicit FullScreenPreview(QWidget* parent = nullptr);

  // Shows it full screen on the screen best suited as an output: another screen than
  // `main_screen` (the window's) when there is one, else that one.
  void showAsOutput(QScreen* main_screen);
  static QScreen* outputScreen(QScreen* main_screen);
  bool isCaptionVisible() const;

  // `before`: the photo; `after`: the preview's picture now.
  void setImages(const QImage& before, const QImage& after);
  void setAfterImage(const QImage& after);
  BeforeAfterView* comparison() const { return comparison_; }

 signals:
  void closed();

 protected:
  void keyPressEvent(QKeyEvent* event) override;
  void closeEvent(QCloseEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void showCaption();
  void hideCaption();

  BeforeAfterView* comparison_ = nullptr;
  QTimer caption_timer_;
};

}  // namespace genstereo::ui

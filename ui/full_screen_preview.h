// The full-screen preview (F11): the stereo preview's picture (anaglyph, side-by-side, a
// wiggle frame...) on the whole screen, with before/after (B: the original photo). F11 or Esc
// leave it.
#pragma once

#include <QWidget>

#include "before_after_view.h"

namespace genstereo::ui {

class FullScreenPreview : public QWidget {
  Q_OBJECT

 public:
  explicit FullScreenPreview(QWidget* parent = nullptr);

  // `before`: the photo; `after`: the preview's picture now.
  void setImages(const QImage& before, const QImage& after);
  void setAfterImage(const QImage& after);
  BeforeAfterView* comparison() const { return comparison_; }

 signals:
  void closed();

 protected:
  void keyPressEvent(QKeyEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

 private:
  BeforeAfterView* comparison_ = nullptr;
};

}  // namespace genstereo::ui

// Before/after: one view that shows either the original photo ("before") or the generated
// picture ("after"), with a caption saying which; toggled by a button or the B key.
#pragma once

#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QWidget>

#include "image_view.h"

namespace genstereo::ui {

class BeforeAfterView : public QWidget {
  Q_OBJECT

 public:
  explicit BeforeAfterView(QWidget* parent = nullptr);

  // `after_caption` names the generated picture, e.g. "After: the generated right view".
  void setImages(const QImage& before, const QImage& after, const QString& after_caption);
  // Keeps the before image and caption (e.g. a wiggle frame of the preview).
  void setAfterImage(const QImage& after);
  void clear();
  void setShowingBefore(bool is_before);
  void toggle() { setShowingBefore(!is_before_); }
  bool isShowingBefore() const { return is_before_; }
  QString caption() const { return caption_->text(); }
  ImageView* view() const { return view_; }
  // The caption and the button above the picture (the full-screen output hides it).
  QWidget* bar() const { return bar_; }
  // The picture shown now.
  QImage currentImage() const { return view_->image(); }

 signals:
  void toggled(bool is_before);

 private:
  void refresh();

  QWidget* bar_ = nullptr;
  QLabel* caption_ = nullptr;
  QPushButton* toggle_button_ = nullptr;
  ImageView* view_ = nullptr;
  QImage before_;
  QImage after_;
  QString after_caption_;
  bool is_before_ = false;
};

}  // namespace genstereo::ui

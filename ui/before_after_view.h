// Before/after: one view that shows either the original photo ("before") or the generated
// picture ("after"), with a caption saying which; toggled by a button or the B key. A stereo
// file (MPO, JPS) brings a third picture, its real right view ("truth"), shown with its own
// button to compare the generated view with.
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
  // The real right view of a stereo file, the truth the after picture is compared with; a
  // null image: none (the truth button is hidden). clear() removes it too.
  void setTruthImage(const QImage& truth);
  bool hasTruth() const { return !truth_.isNull(); }
  void clear();
  void setShowingBefore(bool is_before);
  void toggle() { setShowingBefore(!isShowingBefore()); }
  bool isShowingBefore() const { return picture_ == Picture::kBefore; }
  // The truth instead of the before or after picture (no effect without a truth).
  void setShowingTruth(bool is_truth);
  bool isShowingTruth() const { return picture_ == Picture::kTruth; }
  QString caption() const { return caption_->text(); }
  ImageView* view() const { return view_; }
  // The caption and the button above the picture (the full-screen output hides it).
  QWidget* bar() const { return bar_; }
  // The picture shown now.
  QImage currentImage() const { return view_->image(); }

 signals:
  void toggled(bool is_before);

 private:
  enum class Picture { kBefore, kAfter, kTruth };

  void showPicture(Picture picture);
  void refresh();

  QWidget* bar_ = nullptr;
  QLabel* caption_ = nullptr;
  QPushButton* toggle_button_ = nullptr;
  QPushButton* truth_button_ = nullptr;
  ImageView* view_ = nullptr;
  QImage before_;
  QImage after_;
  QImage truth_;
  QString after_caption_;
  Picture picture_ = Picture::kAfter;
};

}  // namespace genstereo::ui

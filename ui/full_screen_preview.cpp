#include "full_screen_preview.h"

#include <QCloseEvent>
#include <QKeyEvent>
#include <QVBoxLayout>

namespace genstereo::ui {

FullScreenPreview::FullScreenPreview(QWidget* parent) : QWidget(parent, Qt::Window) {
  setObjectName(QStringLiteral("fullScreenPreview"));
  setWindowTitle(tr("GenStereo — full-screen preview"));
  setAttribute(Qt::WA_DeleteOnClose);
  setStyleSheet(
      QStringLiteral("QWidget#fullScreenPreview { background: black; } "
                     "QLabel { color: #dddddd; }"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  comparison_ = new BeforeAfterView(this);
  layout->addWidget(comparison_);
  setToolTip(tr("F11 or Esc: leave full screen · B: before/after"));
}

void FullScreenPreview::setImages(const QImage& before, const QImage& after) {
  comparison_->setImages(before, after, tr("<b>After:</b> the stereo preview · F11 or Esc leaves"));
}

void FullScreenPreview::setAfterImage(const QImage& after) { comparison_->setAfterImage(after); }

void FullScreenPreview::keyPressEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Escape || event->key() == Qt::Key_F11) {
    close();
    return;
  }
  if (event->key() == Qt::Key_B) {
    comparison_->toggle();
    return;
  }
  QWidget::keyPressEvent(event);
}

void FullScreenPreview::closeEvent(QCloseEvent* event) {
  emit closed();
  QWidget::closeEvent(event);
}

}  // namespace genstereo::ui

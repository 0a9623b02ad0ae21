#include "full_screen_preview.h"

#include <QCloseEvent>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QScreen>
#include <QVBoxLayout>

namespace genstereo::ui {

FullScreenPreview::FullScreenPreview(QWidget* parent) : QWidget(parent, Qt::Window) {
  setObjectName(QStringLiteral("fullScreenPreview"));
  setWindowTitle(tr("GenStereo — full-screen preview"));
  setAttribute(Qt::WA_DeleteOnClose);
  setStyleSheet(
      QStringLiteral("QWidget#fullScreenPreview { background: black; } "
                     "QLabel { color: #dddddd; }"));
  // Black around the picture (ImageView paints its background in the Dark role).
  QPalette black = palette();
  black.setColor(QPalette::Window, Qt::black);
  black.setColor(QPalette::Dark, Qt::black);
  setPalette(black);
  setAutoFillBackground(true);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  comparison_ = new BeforeAfterView(this);
  comparison_->setPalette(black);
  comparison_->view()->setPalette(black);
  layout->addWidget(comparison_);
  setToolTip(tr("F11 or Esc: leave full screen · B: before/after"));
  caption_timer_.setSingleShot(true);
  caption_timer_.setInterval(kCaptionShowMs);
  connect(&caption_timer_, &QTimer::timeout, this, &FullScreenPreview::hideCaption);
  setMouseTracking(true);
  comparison_->view()->setMouseTracking(true);
  comparison_->view()->installEventFilter(this);
  showCaption();
}

QScreen* FullScreenPreview::outputScreen(QScreen* main_screen) {
  for (QScreen* screen : QGuiApplication::screens()) {
    if (screen != main_screen) return screen;  // a TV or a projector beside the monitor
  }
  return main_screen != nullptr ? main_screen : QGuiApplication::primaryScreen();
}

void FullScreenPreview::showAsOutput(QScreen* main_screen) {
  QScreen* screen = outputScreen(main_screen);
  if (screen != nullptr) {
    setScreen(screen);
    setGeometry(screen->geometry());
  }
  showFullScreen();
  showCaption();
}

bool FullScreenPreview::isCaptionVisible() const { return comparison_->bar()->isVisible(); }

void FullScreenPreview::showCaption() {
  comparison_->bar()->show();
  unsetCursor();
  comparison_->view()->unsetCursor();
  caption_timer_.start();
}

void FullScreenPreview::hideCaption() {
  comparison_->bar()->hide();
  setCursor(Qt::BlankCursor);
  comparison_->view()->setCursor(Qt::BlankCursor);
}

bool FullScreenPreview::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::MouseMove) showCaption();
  return QWidget::eventFilter(watched, event);
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
    showCaption();  // say which picture is on screen now
    return;
  }
  QWidget::keyPressEvent(event);
}

void FullScreenPreview::closeEvent(QCloseEvent* event) {
  emit closed();
  QWidget::closeEvent(event);
}

}  // namespace genstereo::ui

#include "window_fit.h"

#include <algorithm>

#include <QGuiApplication>
#include <QScreen>
#include <QStyle>
#include <QWidget>

namespace genstereo::ui {

namespace {

// Room for the window manager's frame and title bar (logical pixels).
constexpr int kFrameMarginPx = 40;

}  // namespace

void fitToAvailableScreen(QWidget& window) {
  QScreen* screen = window.screen() != nullptr ? window.screen() : QGuiApplication::primaryScreen();
  if (screen == nullptr) return;
  const QRect available = screen->availableGeometry();
  const QSize room(std::max(1, available.width() - kFrameMarginPx),
                   std::max(1, available.height() - kFrameMarginPx));
  const QSize minimum = window.minimumSizeHint().expandedTo(window.minimumSize());
  const QSize size = window.size().boundedTo(room).expandedTo(minimum.boundedTo(available.size()));
  window.resize(size);
  window.move(QStyle::alignedRect(Qt::LeftToRight, Qt::AlignCenter, size, available).topLeft());
}

}  // namespace genstereo::ui

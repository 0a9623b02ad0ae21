#include "image_view.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QWheelEvent>

namespace genstereo::ui {

namespace {

constexpr double kMinZoom = 0.02;
constexpr double kMaxZoom = 64.0;
// Smooth (bilinear) drawing costs time proportional to the source pixels; above this size the
// view draws with nearest-neighbour sampling so that repainting a 4K image stays fast.
constexpr qint64 kSmoothDrawMaxPixels = 4'000'000;
// The marker's arms: from this far from the point to the outer end, in device-independent pixels.
constexpr double kMarkerGapPx = 4.0;
constexpr double kMarkerArmEndPx = 15.0;

void drawCrosshair(QPainter& painter, QPointF centre) {
  const std::array<QPointF, 4> directions = {QPointF(1, 0), QPointF(-1, 0), QPointF(0, 1),
                                             QPointF(0, -1)};
  for (const auto& [color, width_px] : {std::pair{QColor(0, 0, 0), 4.0},
                                        std::pair{QColor::fromRgb(ImageView::kMarkerColor), 2.0}}) {
    painter.setPen(QPen(color, width_px, Qt::SolidLine, Qt::FlatCap));
    for (const QPointF& direction : directions) {
      painter.drawLine(centre + direction * kMarkerGapPx, centre + direction * kMarkerArmEndPx);
    }
  }
}

}  // namespace

void ViewSync::set(double zoom, QPointF center) {
  zoom_ = std::clamp(zoom, kMinZoom, kMaxZoom);
  center_ = center;
  emit changed();
}

void ViewSync::fit() {
  zoom_ = 0.0;
  emit changed();
}

ImageView::ImageView(QWidget* parent) : QWidget(parent) {
  own_sync_ = new ViewSync(this);
  sync_ = own_sync_;
  connect(sync_, &ViewSync::changed, this, qOverload<>(&QWidget::update));
  setMouseTracking(true);
  setFocusPolicy(Qt::ClickFocus);
  setMinimumSize(120, 90);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ImageView::setSync(ViewSync* sync) {
  disconnect(sync_, &ViewSync::changed, this, nullptr);
  sync_ = sync != nullptr ? sync : own_sync_;
  connect(sync_, &ViewSync::changed, this, qOverload<>(&QWidget::update));
  update();
}

void ImageView::setImage(const QImage& image, double display_scale) {
  image_ = image;
  display_scale_ = display_scale > 0.0 ? display_scale : 1.0;
  update();
}

QSizeF ImageView::logicalSize() const { return QSizeF(image_.size()) * display_scale_; }

void ImageView::setPlaceholder(const QString& text) {
  placeholder_ = text;
  update();
}

double ImageView::scale() const {
  if (image_.isNull()) return 1.0;
  if (sync_->zoom() > 0.0) return sync_->zoom();
  const QSizeF size = logicalSize();
  return std::min(width() / size.width(), height() / size.height());
}

QPointF ImageView::viewCenter() const {
  if (sync_->zoom() > 0.0) return sync_->center();
  const QSizeF size = logicalSize();
  return QPointF(size.width() / 2.0, size.height() / 2.0);
}

QPointF ImageView::toImage(QPointF widget_position) const {
  const QPointF offset = widget_position - QPointF(width() / 2.0, height() / 2.0);
  return viewCenter() + offset / scale();
}

QPoint ImageView::imagePixelAt(QPointF widget_position) const {
  if (image_.isNull()) return {-1, -1};
  const QPointF p = toImage(widget_position);
  const int x = static_cast<int>(std::floor(p.x()));
  const int y = static_cast<int>(std::floor(p.y()));
  const QSizeF size = logicalSize();
  if (x < 0 || y < 0 || x >= size.width() || y >= size.height()) return {-1, -1};
  return {x, y};
}

QPointF ImageView::widgetPositionOf(QPointF image_point) const {
  return QPointF(width() / 2.0, height() / 2.0) + (image_point - viewCenter()) * scale();
}

void ImageView::setMarkers(const QList<QPointF>& image_points) {
  if (image_points == markers_) return;
  markers_ = image_points;
  update();
}

void ImageView::zoomAround(double factor, QPointF widget_position) {
  if (image_.isNull()) return;
  const QPointF anchor = toImage(widget_position);
  const double new_scale = std::clamp(scale() * factor, kMinZoom, kMaxZoom);
  const QPointF offset = widget_position - QPointF(width() / 2.0, height() / 2.0);
  sync_->set(new_scale, anchor - offset / new_scale);
}

void ImageView::zoomBy(double factor) {
  zoomAround(factor, QPointF(width() / 2.0, height() / 2.0));
}

void ImageView::zoomToActualSize() {
  if (image_.isNull()) return;
  sync_->set(1.0, viewCenter());
}

void ImageView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().color(QPalette::Dark));
  if (image_.isNull()) {
    painter.setPen(palette().color(QPalette::BrightText));
    painter.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap,
                     placeholder_);
    return;
  }
  const double s = scale();
  const QPointF top_left = QPointF(width() / 2.0, height() / 2.0) - viewCenter() * s;
  // Only the visible part of the image is drawn.
  const QRectF target_all(top_left, logicalSize() * s);
  const QRectF target = target_all.intersected(QRectF(rect()));
  if (target.isEmpty()) return;
  // Widget -> image pixels: through the picture's own pixels, then the proxy's.
  const double image_per_widget = 1.0 / (s * display_scale_);
  const QRectF source((target.topLeft() - top_left) * image_per_widget,
                      target.size() * image_per_widget);
  const bool is_smooth =
      s * display_scale_ < 4.0 &&
      static_cast<qint64>(source.width() * source.height()) <= kSmoothDrawMaxPixels;
  painter.setRenderHint(QPainter::SmoothPixmapTransform, is_smooth);
  painter.drawImage(target, image_, source);
  for (const QPointF& marker : markers_) drawCrosshair(painter, widgetPositionOf(marker));
}

void ImageView::wheelEvent(QWheelEvent* event) {
  const double steps = event->angleDelta().y() / 120.0;
  if (steps == 0.0) return;
  zoomAround(std::pow(1.25, steps), event->position());
  event->accept();
}

void ImageView::setPickable(bool is_pickable) {
  is_pickable_ = is_pickable;
  if (!is_pickable) setPickArmed(false);
}

void ImageView::setPickArmed(bool is_armed) {
  is_pick_armed_ = is_pickable_ && is_armed;
  if (is_pick_armed_) {
    setCursor(Qt::CrossCursor);
  } else {
    unsetCursor();
  }
}

void ImageView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton || image_.isNull()) return;
  if (is_pickable_ && (is_pick_armed_ || event->modifiers().testFlag(Qt::ControlModifier))) {
    const QPoint pixel = imagePixelAt(event->position());
    if (pixel.x() >= 0) emit pixelPicked(pixel);
    return;
  }
  if (sync_->zoom() == 0.0) sync_->set(scale(), viewCenter());
  is_dragging_ = true;
  drag_start_ = event->position();
  drag_start_center_ = sync_->center();
  setCursor(Qt::ClosedHandCursor);
}

void ImageView::mouseMoveEvent(QMouseEvent* event) {
  if (is_dragging_) {
    sync_->set(sync_->zoom(), drag_start_center_ - (event->position() - drag_start_) / scale());
  }
  emit pixelHovered(imagePixelAt(event->position()));
}

void ImageView::mouseReleaseEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return;
  is_dragging_ = false;
  setPickArmed(is_pick_armed_);  // the cross while armed, else the arrow
}

void ImageView::mouseDoubleClickEvent(QMouseEvent*) { sync_->fit(); }

void ImageView::leaveEvent(QEvent*) { emit pixelHovered(QPoint(-1, -1)); }

}  // namespace genstereo::ui

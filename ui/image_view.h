// An image view with zoom (wheel, keys) and pan (drag), and the object that keeps several
// views on the same zoom and position (the inspection views).
#pragma once

#include <QColor>
#include <QImage>
#include <QList>
#include <QObject>
#include <QPoint>
#include <QPointF>
#include <QWidget>

namespace genstereo::ui {

// Shared zoom and pan. zoom() == 0 means "fit in the view"; otherwise device-independent
// pixels per image pixel, and center() is the image point shown in the middle of each view.
class ViewSync : public QObject {
  Q_OBJECT

 public:
  using QObject::QObject;
  double zoom() const { return zoom_; }
  QPointF center() const { return center_; }
  void set(double zoom, QPointF center);
  void fit();

 signals:
  void changed();

 private:
  double zoom_ = 0.0;
  QPointF center_;
};

class ImageView : public QWidget {
  Q_OBJECT

 public:
  explicit ImageView(QWidget* parent = nullptr);

  // Views that share `sync` zoom and pan together; by default a view has its own.
  void setSync(ViewSync* sync);
  ViewSync* sync() const { return sync_; }
  // `display_scale`: image pixels are shown as this many pixels of the picture's own
  // resolution (a live-preview proxy stands in for the full photo: zoom, pan and the pixel
  // under the cursor stay in full-resolution pixels).
  void setImage(const QImage& image, double display_scale = 1.0);
  const QImage& image() const { return image_; }
  double displayScale() const { return display_scale_; }
  // Text shown when there is no image.
  void setPlaceholder(const QString& text);

  void zoomBy(double factor);
  void zoomToActualSize();
  // The image pixel under a widget position, or (-1, -1) outside the image.
  QPoint imagePixelAt(QPointF widget_position) const;
  // The widget position of an image point (full-resolution pixels; a pixel's centre is
  // (x + 0.5, y + 0.5)).
  QPointF widgetPositionOf(QPointF image_point) const;

  // Crosshairs drawn over the image at these image points (the picked screen point), a fixed
  // size on screen at any zoom: kMarkerColor lines with a dark outline, open in the middle so
  // that the pixel itself stays visible. Empty: none.
  void setMarkers(const QList<QPointF>& image_points);
  const QList<QPointF>& markers() const { return markers_; }
  static constexpr QRgb kMarkerColor = 0xffff00ff;  // magenta: rare in photos

  // A pickable view shows the photo's own pixels (input, disparity): Ctrl+click, or a click
  // while picking is armed, emits pixelPicked instead of starting a pan.
  void setPickable(bool is_pickable);
  void setPickArmed(bool is_armed);
  bool isPickArmed() const { return is_pick_armed_; }

 signals:
  // The image pixel under the cursor; (-1, -1) when the cursor leaves the image.
  void pixelHovered(QPoint image_pixel);
  // A pickable view was clicked (see setPickable) at this image pixel (full-resolution pixels).
  void pixelPicked(QPoint image_pixel);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;

 private:
  double scale() const;
  QPointF viewCenter() const;
  QPointF toImage(QPointF widget_position) const;
  void zoomAround(double factor, QPointF widget_position);

  ViewSync* own_sync_ = nullptr;
  ViewSync* sync_ = nullptr;
  // The picture's size in its own pixels (image size times display_scale).
  QSizeF logicalSize() const;

  QImage image_;
  double display_scale_ = 1.0;
  QString placeholder_;
  QList<QPointF> markers_;
  bool is_pickable_ = false;
  bool is_pick_armed_ = false;
  bool is_dragging_ = false;
  QPointF drag_start_;
  QPointF drag_start_center_;
};

}  // namespace genstereo::ui

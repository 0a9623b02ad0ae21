#include "preview_geometry.h"

#include <algorithm>
#include <cmath>

namespace genstereo::ui {

namespace {

// The size of one tile in the picture.
QSizeF tileSize(const PreviewGeometry& geometry) {
  if (!geometry.tiling.is_squeezed) return geometry.view_size_px;
  return QSizeF(geometry.view_size_px.width() / geometry.tiling.columns,
                geometry.view_size_px.height() / geometry.tiling.rows);
}

bool isEmpty(const PreviewGeometry& geometry) {
  return geometry.view_size_px.isEmpty() || geometry.tiling.columns < 1 || geometry.tiling.rows < 1;
}

}  // namespace

QPoint photoPixelOfPreview(QPoint picture_px, const PreviewGeometry& geometry) {
  if (isEmpty(geometry)) return {-1, -1};
  const QSizeF tile = tileSize(geometry);
  // The centre of the picture's pixel, then its tile and the position inside it.
  const double x = picture_px.x() + 0.5;
  const double y = picture_px.y() + 0.5;
  const int column = static_cast<int>(std::floor(x / tile.width()));
  const int row = static_cast<int>(std::floor(y / tile.height()));
  if (x < 0.0 || y < 0.0 || column >= geometry.tiling.columns || row >= geometry.tiling.rows) {
    return {-1, -1};
  }
  const QSizeF view = geometry.view_size_px;
  const double view_x = (x - column * tile.width()) * view.width() / tile.width();
  const double view_y = (y - row * tile.height()) * view.height() / tile.height();
  // A squeezed tile's last pixel may reach a little past the view: stay inside it.
  const int last_x = static_cast<int>(std::ceil(view.width())) - 1;
  const int last_y = static_cast<int>(std::ceil(view.height())) - 1;
  const int inside_x = std::clamp(static_cast<int>(std::floor(view_x)), 0, last_x);
  const int inside_y = std::clamp(static_cast<int>(std::floor(view_y)), 0, last_y);
  return {inside_x + static_cast<int>(std::lround(geometry.first_column_px)), inside_y};
}

QList<QPointF> previewPointsOfPhoto(QPoint photo_px, const PreviewGeometry& geometry) {
  QList<QPointF> points;
  if (isEmpty(geometry)) return points;
  const QSizeF view = geometry.view_size_px;
  const double view_x =
      photo_px.x() - static_cast<double>(std::lround(geometry.first_column_px)) + 0.5;
  const double view_y = photo_px.y() + 0.5;
  if (view_x < 0.0 || view_y < 0.0 || view_x > view.width() || view_y > view.height()) {
    return points;
  }
  const QSizeF tile = tileSize(geometry);
  for (int row = 0; row < geometry.tiling.rows; ++row) {
    for (int column = 0; column < geometry.tiling.columns; ++column) {
      points << QPointF(column * tile.width() + view_x * tile.width() / view.width(),
                        row * tile.height() + view_y * tile.height() / view.height());
    }
  }
  return points;
}

}  // namespace genstereo::ui

// Where the photo's pixels are in a stereo preview picture, and back: the preview shows the
// pair's views in one or two tiles (anaglyph and wiggle: one; side by side and cross-eyed: two
// across; top-bottom: two down; the half layouts squeeze both into one view's size). Every
// view of the pair has the photo's geometry (the views differ by the disparity, which the
// screen plane sets to zero at a picked point), so a position inside a tile is the photo's
// pixel at that position, shifted by the columns a cropped pair (BorderMode::kCrop) left out.
// All positions in the full-resolution pixels ImageView reports (a proxy's picture stretched
// by its display scale).
#pragma once

#include <QList>
#include <QPoint>
#include <QPointF>
#include <QSizeF>

namespace genstereo::ui {

struct PreviewTiling {
  int columns = 1;           // 2: side by side, cross-eyed
  int rows = 1;              // 2: top-bottom
  bool is_squeezed = false;  // half layouts: the tiles share one view's size
};

// The geometry of one preview picture: its tiling, the size of one view of the pair and the
// photo's first column in the views (0 unless the pair was cropped).
struct PreviewGeometry {
  PreviewTiling tiling;
  QSizeF view_size_px;
  double first_column_px = 0.0;
};

// The photo's pixel shown at `picture_px` of the picture (a pixel of any tile), or (-1, -1)
// for an empty geometry or a position outside the picture.
QPoint photoPixelOfPreview(QPoint picture_px, const PreviewGeometry& geometry);

// Where the centre of the photo's pixel `photo_px` is in the picture: one point per tile;
// none when the pixel lies outside the views (a cropped column) or the geometry is empty.
QList<QPointF> previewPointsOfPhoto(QPoint photo_px, const PreviewGeometry& geometry);

}  // namespace genstereo::ui

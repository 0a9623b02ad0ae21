// Photo pixel <-> stereo preview picture (ui/preview_geometry.h): every tiling, a cropped pair,
// a proxy's fractional view size, and the round trip.
#include <QtTest>

#include "preview_geometry.h"

using namespace genstereo::ui;

class PreviewGeometryTest : public QObject {
  Q_OBJECT

 private slots:
  void anaglyphIsThePhotosPixel() {
    const PreviewGeometry anaglyph{{1, 1, false}, QSizeF(450, 375), 0.0};
    QCOMPARE(photoPixelOfPreview(QPoint(300, 200), anaglyph), QPoint(300, 200));
    QCOMPARE(previewPointsOfPhoto(QPoint(300, 200), anaglyph),
             QList<QPointF>{QPointF(300.5, 200.5)});
    QCOMPARE(photoPixelOfPreview(QPoint(450, 10), anaglyph), QPoint(-1, -1));
    QCOMPARE(photoPixelOfPreview(QPoint(-1, 10), anaglyph), QPoint(-1, -1));
  }

  void eitherHalfOfSideBySideIsTheSamePixel() {
    const PreviewGeometry full{{2, 1, false}, QSizeF(450, 375), 0.0};
    QCOMPARE(photoPixelOfPreview(QPoint(300, 200), full), QPoint(300, 200));
    QCOMPARE(photoPixelOfPreview(QPoint(750, 200), full), QPoint(300, 200));
    QCOMPARE(photoPixelOfPreview(QPoint(900, 200), full), QPoint(-1, -1));
    QCOMPARE(previewPointsOfPhoto(QPoint(300, 200), full),
             (QList<QPointF>{QPointF(300.5, 200.5), QPointF(750.5, 200.5)}));
    // Half: both views squeezed into one view's width.
    const PreviewGeometry half{{2, 1, true}, QSizeF(450, 375), 0.0};
    QCOMPARE(photoPixelOfPreview(QPoint(150, 200), half), QPoint(301, 200));
    QCOMPARE(photoPixelOfPreview(QPoint(375, 200), half), QPoint(301, 200));
    QCOMPARE(previewPointsOfPhoto(QPoint(301, 200), half),
             (QList<QPointF>{QPointF(150.75, 200.5), QPointF(375.75, 200.5)}));
    // The last column of a squeezed tile stays in the view.
    QCOMPARE(photoPixelOfPreview(QPoint(449, 374), half), QPoint(449, 374));
  }

  void topBottomStacksTheViews() {
    const PreviewGeometry top_bottom{{1, 2, false}, QSizeF(450, 375), 0.0};
    QCOMPARE(photoPixelOfPreview(QPoint(300, 575), top_bottom), QPoint(300, 200));
    QCOMPARE(previewPointsOfPhoto(QPoint(300, 200), top_bottom),
             (QList<QPointF>{QPointF(300.5, 200.5), QPointF(300.5, 575.5)}));
  }

  // A pair cropped to its stereo window starts at a later column of the photo; a column
  // cropped away has no place in the picture.
  void croppedPairShiftsTheColumns() {
    const PreviewGeometry cropped{{2, 1, false}, QSizeF(430, 375), 20.0};
    QCOMPARE(photoPixelOfPreview(QPoint(280, 200), cropped), QPoint(300, 200));
    QCOMPARE(photoPixelOfPreview(QPoint(710, 200), cropped), QPoint(300, 200));
    QCOMPARE(previewPointsOfPhoto(QPoint(300, 200), cropped),
             (QList<QPointF>{QPointF(280.5, 200.5), QPointF(710.5, 200.5)}));
    QVERIFY(previewPointsOfPhoto(QPoint(10, 200), cropped).isEmpty());
  }

  // Every pixel of a proxy's picture (fractional view size) maps into the photo and back
  // into the tile it came from.
  void roundTripOnAProxy() {
    const PreviewGeometry proxy{{2, 1, true}, QSizeF(449.6, 374.4), 7.2};
    for (int y = 0; y < 374; y += 17) {
      for (int x = 0; x < 449; x += 13) {
        const QPoint photo = photoPixelOfPreview(QPoint(x, y), proxy);
        QVERIFY(photo.x() >= 7 && photo.x() < 7 + 450 && photo.y() >= 0 && photo.y() < 375);
        const QList<QPointF> points = previewPointsOfPhoto(photo, proxy);
        QCOMPARE(points.size(), 2);
        const QPointF& same_tile = x < 224.8 ? points[0] : points[1];
        QVERIFY2(std::abs(same_tile.x() - (x + 0.5)) <= 1.0 &&
                     std::abs(same_tile.y() - (y + 0.5)) <= 1.0,
                 qPrintable(QStringLiteral("%1,%2 -> %3,%4")
                                .arg(x)
                                .arg(y)
                                .arg(same_tile.x())
                                .arg(same_tile.y())));
      }
    }
  }

  void emptyGeometryHasNoPixels() {
    QCOMPARE(photoPixelOfPreview(QPoint(1, 1), PreviewGeometry()), QPoint(-1, -1));
    QVERIFY(previewPointsOfPhoto(QPoint(1, 1), PreviewGeometry()).isEmpty());
  }
};

QTEST_MAIN(PreviewGeometryTest)
#include "preview_geometry_test.moc"

// A horizontal colour bar with the values at both ends (legend of a colour-mapped view). When
// the two texts do not fit side by side, the high end's text goes to a second line (the
// widget grows by one line: height for width), so the texts never overlap.
#pragma once

#include <QString>
#include <QWidget>

#include "image_conversion.h"

namespace genstereo::ui {

class ColorLegend : public QWidget {
  Q_OBJECT

 public:
  explicit ColorLegend(ColorMap map, QWidget* parent = nullptr);
  // Texts at the low and high end of the bar (e.g. "5.5 px (far)").
  void setRange(const QString& low_text, const QString& high_text);
  QString lowText() const { return low_text_; }
  QString highText() const { return high_text_; }
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;
  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int width) const override;
  // Where the two texts are drawn at the current width (tests: they never intersect).
  QRect lowTextRect() const;
  QRect highTextRect() const;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  // The two texts fit on one line at `width`.
  bool isOneLine(int width) const;

  ColorMap map_;
  QString low_text_;
  QString high_text_;
};

}  // namespace genstereo::ui

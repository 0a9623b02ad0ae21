// A horizontal colour bar with the values at both ends (legend of a colour-mapped view).
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

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  ColorMap map_;
  QString low_text_;
  QString high_text_;
};

}  // namespace genstereo::ui

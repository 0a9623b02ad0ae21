#include "color_legend.h"

#include <QLinearGradient>
#include <QPainter>

namespace genstereo::ui {

namespace {
constexpr int kBarHeight = 10;
constexpr int kStops = 16;
}  // namespace

ColorLegend::ColorLegend(ColorMap map, QWidget* parent) : QWidget(parent), map_(map) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void ColorLegend::setRange(const QString& low_text, const QString& high_text) {
  low_text_ = low_text;
  high_text_ = high_text;
  update();
}

QSize ColorLegend::sizeHint() const { return QSize(200, kBarHeight + fontMetrics().height() + 4); }

void ColorLegend::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  const QRect bar(0, 0, width(), kBarHeight);
  QLinearGradient gradient(bar.topLeft(), bar.topRight());
  for (int i = 0; i <= kStops; ++i) {
    const double t = static_cast<double>(i) / kStops;
    gradient.setColorAt(t, colorMapColor(map_, t));
  }
  painter.fillRect(bar, gradient);
  painter.setPen(palette().color(QPalette::WindowText));
  const QRect text_rect(0, kBarHeight + 2, width(), fontMetrics().height());
  painter.drawText(text_rect, Qt::AlignLeft | Qt::AlignVCenter, low_text_);
  painter.drawText(text_rect, Qt::AlignRight | Qt::AlignVCenter, high_text_);
}

}  // namespace genstereo::ui

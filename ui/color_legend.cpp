#include "color_legend.h"

#include <QLinearGradient>
#include <QPainter>

namespace genstereo::ui {

namespace {
constexpr int kBarHeight = 10;
constexpr int kStops = 16;
constexpr int kTextGapPx = 8;  // least space between the two texts on one line
}  // namespace

ColorLegend::ColorLegend(ColorMap map, QWidget* parent) : QWidget(parent), map_(map) {
  QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  policy.setHeightForWidth(true);
  setSizePolicy(policy);
}

bool ColorLegend::isOneLine(int width) const {
  const QFontMetrics metrics = fontMetrics();
  return metrics.horizontalAdvance(low_text_) + kTextGapPx +
             metrics.horizontalAdvance(high_text_) <=
         width;
}

int ColorLegend::heightForWidth(int width) const {
  const int lines = isOneLine(width) ? 1 : 2;
  return kBarHeight + lines * fontMetrics().height() + 4;
}

QSize ColorLegend::minimumSizeHint() const { return QSize(40, heightForWidth(40)); }

QRect ColorLegend::lowTextRect() const {
  const QFontMetrics metrics = fontMetrics();
  return QRect(0, kBarHeight + 2, metrics.horizontalAdvance(low_text_), metrics.height());
}

QRect ColorLegend::highTextRect() const {
  const QFontMetrics metrics = fontMetrics();
  const int text_width = metrics.horizontalAdvance(high_text_);
  const int line = isOneLine(width()) ? 0 : 1;
  return QRect(width() - text_width, kBarHeight + 2 + line * metrics.height(), text_width,
               metrics.height());
}

void ColorLegend::setRange(const QString& low_text, const QString& high_text) {
  low_text_ = low_text;
  high_text_ = high_text;
  updateGeometry();  // one or two lines
  update();
}

QSize ColorLegend::sizeHint() const { return QSize(200, heightForWidth(200)); }

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
  painter.drawText(lowTextRect(), Qt::AlignLeft | Qt::AlignVCenter, low_text_);
  painter.drawText(highTextRect(), Qt::AlignRight | Qt::AlignVCenter, high_text_);
}

}  // namespace genstereo::ui

#include "preview_proxy.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <QSlider>

#include "genstereo/engine.h"
#include "image_view.h"

namespace genstereo::ui {

namespace {

// The proxy box's side relative to the view, step by step.
constexpr std::array<double, 5> kBudgetScales = {1.0, 0.75, 0.55, 0.4, 0.3};

}  // namespace

cv::Size proxySizeOf(cv::Size full_px, QSize box_px) {
  return previewSizeOf(full_px,
                       cv::Size(std::max(0, box_px.width()), std::max(0, box_px.height())));
}

cv::Point proxyPointOf(cv::Point point_px, cv::Size full_px, cv::Size proxy_px) {
  if (full_px.width <= 0 || full_px.height <= 0 || proxy_px.width <= 0 || proxy_px.height <= 0) {
    return point_px;
  }
  // Pixel centres map onto pixel centres: (x + 0.5) * proxy / full - 0.5, rounded.
  const auto scaled = [](int value, int full, int proxy) {
    const double centre = (value + 0.5) * proxy / static_cast<double>(full);
    return std::clamp(static_cast<int>(std::floor(centre)), 0, proxy - 1);
  };
  return {scaled(point_px.x, full_px.width, proxy_px.width),
          scaled(point_px.y, full_px.height, proxy_px.height)};
}

QSize viewBoxPx(const QWidget& page) {
  QSize largest = page.size();
  qint64 largest_area = 0;
  for (const ImageView* view : page.findChildren<ImageView*>()) {
    if (!view->isVisibleTo(&page)) continue;
    const qint64 area = static_cast<qint64>(view->width()) * view->height();
    if (area > largest_area) {
      largest_area = area;
      largest = view->size();
    }
  }
  return (QSizeF(largest) * page.devicePixelRatioF()).toSize();
}

QSize ProxyBudget::boxFor(QSize view_box_px) const {
  return (QSizeF(view_box_px) * scale()).toSize();
}

double ProxyBudget::scale() const { return kBudgetScales[static_cast<size_t>(step_)]; }

void ProxyBudget::onProxyRun(double run_ms) {
  const int last_step = static_cast<int>(kBudgetScales.size()) - 1;
  slow_runs_ = run_ms > kRunBudgetMs ? slow_runs_ + 1 : 0;
  // The run time grows with the area: would the larger step still fit, with a margin?
  const double growth =
      step_ > 0 ? std::pow(kBudgetScales[static_cast<size_t>(step_ - 1)] / scale(), 2.0) : 1.0;
  fast_runs_ = step_ > 0 && run_ms * growth < 0.8 * kRunBudgetMs ? fast_runs_ + 1 : 0;
  if (slow_runs_ >= kSlowRunsToShrink && step_ < last_step) {
    ++step_;
    slow_runs_ = 0;
    fast_runs_ = 0;
  } else if (fast_runs_ >= kFastRunsToGrow) {
    --step_;
    slow_runs_ = 0;
    fast_runs_ = 0;
  }
}

bool isSliderDragged(const QWidget& panel) {
  const QList<QSlider*> sliders = panel.findChildren<QSlider*>();
  return std::any_of(sliders.begin(), sliders.end(),
                     [](const QSlider* slider) { return slider->isSliderDown(); });
}

}  // namespace genstereo::ui

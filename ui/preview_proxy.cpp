#include "preview_proxy.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <QSlider>

#include <opencv2/imgproc.hpp>

#include "image_conversion.h"
#include "image_view.h"

namespace genstereo::ui {

namespace {

constexpr int kMinProxySidePx = 16;
// The proxy box's side relative to the view, step by step.
constexpr std::array<double, 5> kBudgetScales = {1.0, 0.75, 0.55, 0.4, 0.3};

}  // namespace

cv::Size proxySizeOf(cv::Size full_px, QSize box_px) {
  if (full_px.width <= 0 || full_px.height <= 0 || box_px.width() <= 0 || box_px.height() <= 0) {
    return full_px;
  }
  const double scale = std::min({1.0, box_px.width() / static_cast<double>(full_px.width),
                                 box_px.height() / static_cast<double>(full_px.height)});
  const int width = std::max(kMinProxySidePx, static_cast<int>(std::lround(full_px.width * scale)));
  const int height =
      std::max(kMinProxySidePx, static_cast<int>(std::lround(full_px.height * scale)));
  return {std::min(width, full_px.width), std::min(height, full_px.height)};
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

DisparityMap resizedMap(const DisparityMap& map, cv::Size size_px, bool is_disparity) {
  DisparityMap resized;
  cv::resize(map.values, resized.values, size_px, 0.0, 0.0, cv::INTER_NEAREST);
  cv::resize(map.valid, resized.valid, size_px, 0.0, 0.0, cv::INTER_NEAREST);
  if (is_disparity && map.width() > 0) {
    resized.values *= static_cast<double>(size_px.width) / map.width();
  }
  return resized;
}

InputData proxyInputOf(const InputData& full, cv::Size size_px, MapKind map_kind) {
  InputData proxy;
  proxy.image_path = full.image_path;
  proxy.map_path = full.map_path;
  cv::resize(full.image, proxy.image, size_px, 0.0, 0.0, cv::INTER_AREA);
  proxy.image_qimage = toQImage(proxy.image);
  if (full.map) {
    proxy.map = resizedMap(*full.map, size_px, map_kind == MapKind::kDisparity);
  }
  return proxy;
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

void ProxyCache::clear() {
  entries_.clear();
  full_.reset();
  source_ = nullptr;
}

std::shared_ptr<const InputData> ProxyCache::proxyOf(const InputDataPtr& full, cv::Size size_px,
                                                     MapKind map_kind) {
  if (source_ != full.get() || map_kind_ != map_kind) {
    entries_.clear();
    full_ = full;
    source_ = full.get();
    map_kind_ = map_kind;
  }
  const auto found = std::find_if(entries_.begin(), entries_.end(),
                                  [&](const Entry& entry) { return entry.size_px == size_px; });
  if (found != entries_.end()) {
    std::rotate(found, found + 1, entries_.end());  // most recently used last
    return entries_.back().proxy;
  }
  if (entries_.size() >= kMaxSizes) entries_.erase(entries_.begin());
  entries_.push_back(
      {size_px, std::make_shared<const InputData>(proxyInputOf(*full, size_px, map_kind))});
  ++builds_;
  return entries_.back().proxy;
}

}  // namespace genstereo::ui

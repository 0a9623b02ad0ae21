// The live preview's proxy: while a slider is dragged the engine runs on a copy of the photo
// (and its map) no larger than the view on screen, so that the preview follows the slider;
// the full resolution runs when the drag ends and for every export. The proxy is made once
// per photo and size (ProxyCache) in the engine thread.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include <QSize>
#include <QWidget>

#include <opencv2/core.hpp>

#include "engine_types.h"
#include "stereo/disparity_map.h"

namespace genstereo::ui {

// The size of the proxy of a `full_px` photo shown in a `box_px` view (device pixels): the
// photo's aspect fitted into the box, never larger than the photo, at least 16 px a side.
cv::Size proxySizeOf(cv::Size full_px, QSize box_px);

// The pixel of a `proxy_px` proxy that shows pixel `point_px` of the `full_px` photo (the
// screen point of "click a point" is in photo pixels), clamped into the proxy.
cv::Point proxyPointOf(cv::Point point_px, cv::Size full_px, cv::Size proxy_px);

// A map resized to `size_px` (nearest neighbour, so invalid pixels stay invalid). A disparity
// map's values scale with the width (pixels of the new size); a depth map keeps its values
// (the engine converts depth relative to the photo's width).
DisparityMap resizedMap(const DisparityMap& map, cv::Size size_px, bool is_disparity);

// The photo and its map at `size_px` (area-averaged photo; map as resizedMap). The paths stay
// those of the full input (messages name the files the user opened).
InputData proxyInputOf(const InputData& full, cv::Size size_px, MapKind map_kind);

// The box the proxy must fit: the largest image view on `page` (the tab on screen), in
// device pixels; the page's own size when it holds no image view.
QSize viewBoxPx(const QWidget& page);

// Keeps the live preview at 15 updates a second or more: when proxy runs take longer than
// the engine's share of a frame (twice in a row), the next proxies are made smaller (down to
// 0.3 of the view's side), and larger again (up to the view's size) when runs would still
// fit at the larger step (four times in a row). Steps, not a continuous scale, so that a few
// proxies serve a whole drag (ProxyCache keeps them). Kept across photos: the
// proxy's size follows the view, not the photo.
class ProxyBudget {
 public:
  // The engine's share of a 66 ms frame (15 per second); painting takes the rest.
  static constexpr double kRunBudgetMs = 45.0;

  QSize boxFor(QSize view_box_px) const;
  // A proxy run took `run_ms` (engine thread, conversions included).
  void onProxyRun(double run_ms);
  // The side of the proxy box relative to the view (1 = the view's size).
  double scale() const;

 private:
  static constexpr int kSlowRunsToShrink = 2;
  static constexpr int kFastRunsToGrow = 4;
  int step_ = 0;
  int slow_runs_ = 0;
  int fast_runs_ = 0;
};

// True while the user drags one of the sliders under `panel` (the live preview runs on the
// proxy until the slider is released).
bool isSliderDragged(const QWidget& panel);

// The proxies of one photo (a few sizes: the budget's steps), kept while the photo and the
// map kind stay the same.
class ProxyCache {
 public:
  static constexpr size_t kMaxSizes = 4;

  // The proxy of `full` at `size_px`: made on the first call, then reused.
  std::shared_ptr<const InputData> proxyOf(const InputDataPtr& full, cv::Size size_px,
                                           MapKind map_kind);
  // Times a proxy was made (tests: once per photo and size).
  int builds() const { return builds_; }
  // Forgets the photo and its proxies (another photo is being read: free the memory).
  void clear();

 private:
  struct Entry {
    cv::Size size_px;
    std::shared_ptr<const InputData> proxy;
  };
  const InputData* source_ = nullptr;  // identity of the full input (kept alive by full_)
  InputDataPtr full_;
  MapKind map_kind_ = MapKind::kDisparity;
  std::vector<Entry> entries_;  // most recently used last
  int builds_ = 0;
};

}  // namespace genstereo::ui

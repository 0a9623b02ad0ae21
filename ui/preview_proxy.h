// The live preview's proxy: while a slider is dragged the engine runs on a copy of the photo
// (and its map) no larger than the view on screen, so that the preview follows the slider;
// the full resolution runs when the drag ends and for every export. The engine makes the proxy
// (RunParams::preview_box_px: the photo, its map or estimated depth, the screen point) and
// keeps the photo's few sizes; the window chooses the box (viewBoxPx, ProxyBudget).
#pragma once

#include <QSize>
#include <QWidget>

#include <opencv2/core.hpp>

namespace genstereo::ui {

// The size of the proxy of a `full_px` photo shown in a `box_px` view (device pixels): the
// engine's genstereo::previewSizeOf (the photo's aspect fitted into the box, never larger than
// the photo, at least 16 px a side).
cv::Size proxySizeOf(cv::Size full_px, QSize box_px);

// The pixel of a `proxy_px` proxy that shows pixel `point_px` of the `full_px` photo (the
// screen point of "click a point" is in photo pixels), clamped into the proxy: the engine's
// rule for the screen point of a preview.
cv::Point proxyPointOf(cv::Point point_px, cv::Size full_px, cv::Size proxy_px);

// The box the proxy must fit: the largest image view on `page` (the tab on screen), in
// device pixels; the page's own size when it holds no image view.
QSize viewBoxPx(const QWidget& page);

// Keeps the live preview at 15 updates a second or more: when proxy runs take longer than
// the engine's share of a frame (twice in a row), the next proxies are made smaller (down to
// 0.3 of the view's side), and larger again (up to the view's size) when runs would still
// fit at the larger step (four times in a row). Steps, not a continuous scale, so that a few
// proxies serve a whole drag (the engine keeps them). Kept across photos: the
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

}  // namespace genstereo::ui

// Temporal metrics of a stereo video that need no ground truth and no GPU (eval-video):
// - disparity flicker: mean |d_t - warp(d_{t-1})| over pixels where the forward-backward flow
//   of the left view is confident, in percent of the width (pooled over all compared pixels of
//   all frames; DIS PRESET_FAST, 1 px forward-backward tolerance at flow size);
// - range pumping: the spread (standard deviation) over frames of the p50 and the p95 of the
//   output disparity, in percent of the width, within scenes (pooled: squared deviations from
//   each scene's own mean over all frames, population variance);
// - right-view warping error: mean |R_t - warp(R_{t-1})| (0..255 scale, over the 3 channels)
//   on confident pixels, with the left view's flow shifted by the disparity: a right pixel
//   shows the left pixel p that forward-warps to it (z-buffer; disoccluded holes take the
//   row neighbour with the smaller disparity, the background the fill extends), and is
//   compared with R_{t-1} at p + flow(p) - d_{t-1}(p + flow(p)). A right view that moves as its
//   disparity says scores 0, so this isolates what flickers in the eye beyond the disparity
//   (fill, texture); disparity changes are measured by the flicker above;
// - fused-disparity flicker: the disparity that SGBM measures on each output pair (what a
//   viewer fuses), compared frame to frame as above. The core's SGBM checker
//   (metrics/geometric_consistency.h, computeSgbmDisparity) with a search range covering the
//   frame's disparity; frames too small for that range are not measured.
// Frames are pushed one at a time; memory holds one previous frame.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

namespace genstereo {

struct TemporalMetrics {
  std::int64_t frames = 0;
  double disparity_flicker_percent = 0.0;
  double range_pumping_p50_percent = 0.0;
  double range_pumping_p95_percent = 0.0;
  double right_warp_error = 0.0;
  double fused_disparity_flicker_percent = 0.0;  // 0 when not measured
  double confident_fraction = 0.0;               // mean share of confident pixels
  // Per frame (for plots): the output disparity's p50 and p95 and the frame's disparity
  // flicker (0 on a scene's first frame), in percent of the width.
  std::vector<double> p50_percent;
  std::vector<double> p95_percent;
  std::vector<double> flicker_percent;
};

struct TemporalMetricsSettings {
  int flow_short_side = 360;   // flow computed at this short side
  bool measure_fused = false;  // SGBM on every output pair (slower)
};

class TemporalMetricsAccumulator {
 public:
  explicit TemporalMetricsAccumulator(TemporalMetricsSettings settings = {});
  ~TemporalMetricsAccumulator();
  TemporalMetricsAccumulator(const TemporalMetricsAccumulator&) = delete;
  TemporalMetricsAccumulator& operator=(const TemporalMetricsAccumulator&) = delete;
  // left/right: CV_8UC3 BGR; disparity_px: CV_32FC1 of the left view, same size.
  // scene_cut: the frame starts a new scene (no comparison with the previous one).
  void push(const cv::Mat& left_bgr8, const cv::Mat& right_bgr8, const cv::Mat& disparity_px,
            bool scene_cut);
  TemporalMetrics result() const;

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace genstereo

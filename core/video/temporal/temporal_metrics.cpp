#include "video/temporal/temporal_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "metrics/geometric_consistency.h"
#include "video/temporal/backward_flow.h"
#include "video/temporal/depth_range_stabilizer.h"

namespace genstereo {
namespace {

constexpr double kMaxFbErrorPx = 1.0;  // at flow size

std::string sizeText(const cv::Size& size) {
  return std::to_string(size.width) + "x" + std::to_string(size.height);
}

// Running mean and sum of squared deviations (Welford) of one scene's values.
struct SceneSpread {
  std::int64_t count = 0;
  double mean = 0.0;
  double m2 = 0.0;
  void add(double value) {
    ++count;
    const double delta = value - mean;
    mean += delta / static_cast<double>(count);
    m2 += delta * (value - mean);
  }
};

// Pooled within-scene spread: the squared deviations from each scene's own mean, over all frames.
struct PooledSpread {
  SceneSpread scene;
  double m2_closed = 0.0;
  std::int64_t count_closed = 0;
  void cut() {
    m2_closed += scene.m2;
    count_closed += scene.count;
    scene = SceneSpread();
  }
  double stdDev() const {
    const std::int64_t count = count_closed + scene.count;
    return count > 0 ? std::sqrt((m2_closed + scene.m2) / static_cast<double>(count)) : 0.0;
  }
};

struct MeanSum {
  double sum = 0.0;
  std::int64_t count = 0;
  double mean() const { return count > 0 ? sum / static_cast<double>(count) : 0.0; }
};

// Adds |current - warped previous| over confident pixels where both are finite.
void addFlicker(const cv::Mat& current, const cv::Mat& previous, const cv::Mat& map,
                const cv::Mat& confident, double scale, MeanSum& flicker) {
  cv::Mat warped;
  cv::remap(previous, warped, map, cv::noArray(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  for (int y = 0; y < current.rows; ++y) {
    const float* d = current.ptr<float>(y);
    const float* w = warped.ptr<float>(y);
    const std::uint8_t* c = confident.ptr<std::uint8_t>(y);
    for (int x = 0; x < current.cols; ++x) {
      if (c[x] == 0 || !std::isfinite(d[x]) || !std::isfinite(w[x])) continue;
      flicker.sum += std::abs(static_cast<double>(d[x]) - w[x]) * scale;
      ++flicker.count;
    }
  }
}

// For each right-view pixel, the left-view column it shows (forward warp with a z-buffer on
// the larger disparity); holes (disocclusions) take the neighbour of the row with the smaller
// disparity (the background the fill extends). -1 in a row without any source.
cv::Mat rightSourceColumns(const cv::Mat& disparity_px) {
  const int width = disparity_px.cols;
  cv::Mat source(disparity_px.size(), CV_32SC1, cv::Scalar(-1));
  std::vector<float> best(static_cast<std::size_t>(width));
  std::vector<int> warped(static_cast<std::size_t>(width));
  std::vector<int> left_neighbour(static_cast<std::size_t>(width));
  for (int y = 0; y < disparity_px.rows; ++y) {
    const float* d = disparity_px.ptr<float>(y);
    std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
    std::fill(warped.begin(), warped.end(), -1);
    for (int x = 0; x < width; ++x) {
      if (!std::isfinite(d[x])) continue;
      const long xr = std::lround(x - d[x]);
      if (xr < 0 || xr >= width || d[x] <= best[static_cast<std::size_t>(xr)]) continue;
      best[static_cast<std::size_t>(xr)] = d[x];
      warped[static_cast<std::size_t>(xr)] = x;
    }
    int last = -1;
    for (int xr = 0; xr < width; ++xr) {
      if (warped[static_cast<std::size_t>(xr)] >= 0) last = warped[static_cast<std::size_t>(xr)];
      left_neighbour[static_cast<std::size_t>(xr)] = last;
    }
    int* s = source.ptr<int>(y);
    int next = -1;
    for (int xr = width - 1; xr >= 0; --xr) {
      const int own = warped[static_cast<std::size_t>(xr)];
      if (own >= 0) {
        next = own;
        s[xr] = own;
        continue;
      }
      const int left = left_neighbour[static_cast<std::size_t>(xr)];
      if (left < 0 || next < 0) {
        s[xr] = left < 0 ? next : left;
      } else {
        s[xr] = d[left] <= d[next] ? left : next;
      }
    }
  }
  return source;
}

}  // namespace

struct TemporalMetricsAccumulator::Impl {
  TemporalMetricsSettings settings;
  cv::Ptr<cv::DISOpticalFlow> flow = createFlowEstimator();
  cv::Mat previous_gray;
  cv::Mat previous_disparity;
  cv::Mat previous_right;
  cv::Mat previous_fused;  // empty when SGBM did not run on the previous pair
  std::int64_t frames = 0;
  MeanSum disparity_flicker;
  MeanSum right_error;
  MeanSum fused_flicker;
  MeanSum confident_fraction;
  PooledSpread p50;
  PooledSpread p95;
  std::vector<double> p50_series, p95_series, flicker_series;

  cv::Mat fusedDisparity(const cv::Mat& left, const cv::Mat& right,
                         const cv::Mat& disparity_px) const {
    double low = 0.0;
    double high = 0.0;
    cv::Mat finite = disparity_px == disparity_px;
    cv::minMaxLoc(disparity_px, &low, &high, nullptr, nullptr, finite);
    const int min_disparity = static_cast<int>(std::floor(std::min(0.0, low)));
    const int num_disparities =
        std::max(16, static_cast<int>(std::ceil((high - min_disparity + 1.0) / 16.0)) * 16);
    const ConsistencyParams params;
    if (!sgbmRangeFits(left.cols, left.rows, min_disparity, num_disparities, params.block_size))
      return cv::Mat();
    cv::Mat left_f;
    cv::Mat right_f;
    left.convertTo(left_f, CV_32FC3, 1.0 / 255.0);
    right.convertTo(right_f, CV_32FC3, 1.0 / 255.0);
    return computeSgbmDisparity(left_f, right_f, min_disparity, num_disparities, params);
  }

  void addRightError(const cv::Mat& right, const cv::Mat& disparity_px, const cv::Mat& map,
                     const cv::Mat& confident) {
    cv::Mat previous_disparity_at_t;
    cv::remap(previous_disparity, previous_disparity_at_t, map, cv::noArray(), cv::INTER_LINEAR,
              cv::BORDER_REPLICATE);
    const cv::Mat source = rightSourceColumns(disparity_px);
    cv::Mat right_map(right.size(), CV_32FC2, cv::Scalar(-1.0f, -1.0f));
    cv::Mat is_valid(right.size(), CV_8UC1, cv::Scalar(0));
    for (int y = 0; y < right.rows; ++y) {
      const int* s = source.ptr<int>(y);
      const cv::Vec2f* m = map.ptr<cv::Vec2f>(y);
      const float* dp = previous_disparity_at_t.ptr<float>(y);
      const std::uint8_t* c = confident.ptr<std::uint8_t>(y);
      cv::Vec2f* rm = right_map.ptr<cv::Vec2f>(y);
      std::uint8_t* v = is_valid.ptr<std::uint8_t>(y);
      for (int xr = 0; xr < right.cols; ++xr) {
        const int x = s[xr];
        if (x < 0 || c[x] == 0 || !std::isfinite(dp[x])) continue;
        const float source_x = m[x][0] - dp[x];
        if (source_x < 0.0f || source_x > static_cast<float>(right.cols - 1)) continue;
        rm[xr] = cv::Vec2f(source_x, m[x][1]);
        v[xr] = 1;
      }
    }
    cv::Mat warped;
    cv::remap(previous_right, warped, right_map, cv::noArray(), cv::INTER_LINEAR,
              cv::BORDER_REPLICATE);
    for (int y = 0; y < right.rows; ++y) {
      const cv::Vec3b* r = right.ptr<cv::Vec3b>(y);
      const cv::Vec3b* w = warped.ptr<cv::Vec3b>(y);
      const std::uint8_t* v = is_valid.ptr<std::uint8_t>(y);
      for (int x = 0; x < right.cols; ++x) {
        if (v[x] == 0) continue;
        for (int ch = 0; ch < 3; ++ch)
          right_error.sum += std::abs(static_cast<int>(r[x][ch]) - static_cast<int>(w[x][ch]));
        right_error.count += 3;
      }
    }
  }
};

TemporalMetricsAccumulator::TemporalMetricsAccumulator(TemporalMetricsSettings settings)
    : impl_(new Impl) {
  if (settings.flow_short_side < 16) {
    delete impl_;
    throw InputError("temporal metrics: flow_short_side must be at least 16 px, got " +
                     std::to_string(settings.flow_short_side));
  }
  impl_->settings = settings;
}

TemporalMetricsAccumulator::~TemporalMetricsAccumulator() { delete impl_; }

void TemporalMetricsAccumulator::push(const cv::Mat& left_bgr8, const cv::Mat& right_bgr8,
                                      const cv::Mat& disparity_px, bool scene_cut) {
  Impl& s = *impl_;
  if (left_bgr8.empty() || left_bgr8.type() != CV_8UC3 || right_bgr8.type() != CV_8UC3 ||
      disparity_px.type() != CV_32FC1 || right_bgr8.size() != left_bgr8.size() ||
      disparity_px.size() != left_bgr8.size()) {
    throw InputError(
        "temporal metrics: expected CV_8UC3 left and right views and a CV_32FC1 disparity of one "
        "size, got " +
        sizeText(left_bgr8.size()) + ", " + sizeText(right_bgr8.size()) + " and " +
        sizeText(disparity_px.size()));
  }
  if (!s.previous_disparity.empty() && s.previous_disparity.size() != disparity_px.size()) {
    throw InputError("temporal metrics: frame size changed from " +
                     sizeText(s.previous_disparity.size()) + " to " +
                     sizeText(disparity_px.size()));
  }
  const double percent_per_px = 100.0 / left_bgr8.cols;
  const DepthFrameStats stats = computeDepthFrameStats(disparity_px);
  const bool is_new_scene = scene_cut || s.frames == 0;
  if (is_new_scene) {
    s.p50.cut();
    s.p95.cut();
  }
  s.p50.scene.add(stats.p50 * percent_per_px);
  s.p95.scene.add(stats.p95 * percent_per_px);
  s.p50_series.push_back(stats.p50 * percent_per_px);
  s.p95_series.push_back(stats.p95 * percent_per_px);
  const double flicker_sum_before = s.disparity_flicker.sum;
  const auto flicker_count_before = s.disparity_flicker.count;

  cv::Mat gray = toFlowGray(left_bgr8, flowSize(left_bgr8.size(), s.settings.flow_short_side));
  cv::Mat fused;
  if (s.settings.measure_fused) fused = s.fusedDisparity(left_bgr8, right_bgr8, disparity_px);

  if (!is_new_scene) {
    const BackwardFlow flow = computeBackwardFlow(*s.flow, s.previous_gray, gray, kMaxFbErrorPx);
    s.confident_fraction.sum += flow.confident_fraction;
    ++s.confident_fraction.count;
    const cv::Mat map = samplingMap(flow.flow_px, left_bgr8.size());
    cv::Mat confidence;
    cv::resize(flow.confidence, confidence, left_bgr8.size(), 0.0, 0.0, cv::INTER_NEAREST);
    const cv::Mat confident = confidence > 0.5f;
    addFlicker(disparity_px, s.previous_disparity, map, confident, percent_per_px,
               s.disparity_flicker);
    s.addRightError(right_bgr8, disparity_px, map, confident);
    if (!fused.empty() && !s.previous_fused.empty()) {
      addFlicker(fused, s.previous_fused, map, confident, percent_per_px, s.fused_flicker);
    }
  }
  const auto flicker_count = s.disparity_flicker.count - flicker_count_before;
  s.flicker_series.push_back(
      flicker_count > 0 ? (s.disparity_flicker.sum - flicker_sum_before) / flicker_count : 0.0);
  s.previous_gray = gray;
  s.previous_disparity = disparity_px.clone();
  s.previous_right = right_bgr8.clone();
  s.previous_fused = fused;
  ++s.frames;
}

TemporalMetrics TemporalMetricsAccumulator::result() const {
  const Impl& s = *impl_;
  TemporalMetrics metrics;
  metrics.frames = s.frames;
  metrics.disparity_flicker_percent = s.disparity_flicker.mean();
  metrics.range_pumping_p50_percent = s.p50.stdDev();
  metrics.range_pumping_p95_percent = s.p95.stdDev();
  metrics.right_warp_error = s.right_error.mean();
  metrics.fused_disparity_flicker_percent = s.fused_flicker.mean();
  metrics.confident_fraction = s.confident_fraction.mean();
  metrics.p50_percent = s.p50_series;
  metrics.p95_percent = s.p95_series;
  metrics.flicker_percent = s.flicker_series;
  return metrics;
}

}  // namespace genstereo

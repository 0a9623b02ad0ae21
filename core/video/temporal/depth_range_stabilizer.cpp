#include "video/temporal/depth_range_stabilizer.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "errors.h"

namespace genstereo {
namespace {

constexpr int kHistogramBins = 4096;

// The value below which a share `q` of the histogram's samples lie, interpolated linearly
// inside the bin that holds it.
double histogramPercentile(const std::vector<std::int64_t>& histogram, std::int64_t sample_count,
                           double low, double bin_width, double q) {
  const double target = q * static_cast<double>(sample_count);
  double cumulative = 0.0;
  for (std::size_t bin = 0; bin < histogram.size(); ++bin) {
    const double count = static_cast<double>(histogram[bin]);
    if (count > 0.0 && cumulative + count >= target) {
      const double inside = std::clamp((target - cumulative) / count, 0.0, 1.0);
      return low + (static_cast<double>(bin) + inside) * bin_width;
    }
    cumulative += count;
  }
  return low + static_cast<double>(histogram.size()) * bin_width;
}

// Median of `values` (the mean of the two middle ones for an even count); reorders them.
double median(std::vector<double>& values) {
  const std::size_t half = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(half),
                   values.end());
  const double upper = values[half];
  if (values.size() % 2 == 1) return upper;
  const double lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(half));
  return 0.5 * (lower + upper);
}

// Scenes as [begin, end) frame ranges: a new scene at frame 0 and at every scene_cut flag.
std::vector<std::pair<std::size_t, std::size_t>> scenes(const std::vector<DepthFrameStats>& stats) {
  std::vector<std::pair<std::size_t, std::size_t>> result;
  std::size_t begin = 0;
  for (std::size_t t = 1; t < stats.size(); ++t) {
    if (stats[t].scene_cut) {
      result.emplace_back(begin, t);
      begin = t;
    }
  }
  if (!stats.empty()) result.emplace_back(begin, stats.size());
  return result;
}

void perFrameRanges(const std::vector<DepthFrameStats>& stats, std::vector<DepthRange>& ranges) {
  for (std::size_t t = 0; t < stats.size(); ++t) ranges[t] = DepthRange{stats[t].min, stats[t].max};
}

// iw3's EMAMinMaxScaler over one scene [begin, end), in array form (see the header).
void iw3EmaScene(const std::vector<DepthFrameStats>& stats, std::size_t begin, std::size_t end,
                 double decay, std::size_t buffer, std::vector<DepthRange>& ranges) {
  const std::size_t length = end - begin;
  // The min and max over every value of frames [first, last] (iw3 keeps both the mins and the
  // maxes in one buffer and takes amin/amax over all of it).
  const auto window = [&](std::size_t first, std::size_t last) {
    DepthRange w{std::min(stats[first].min, stats[first].max),
                 std::max(stats[first].min, stats[first].max)};
    for (std::size_t t = first + 1; t <= last; ++t) {
      w.low = std::min(w.low, std::min(stats[t].min, stats[t].max));
      w.high = std::max(w.high, std::max(stats[t].min, stats[t].max));
    }
    return w;
  };
  if (length < buffer) {
    // The buffer never filled: flush() normalises every queued frame with the buffer's min/max.
    const DepthRange all = window(begin, end - 1);
    for (std::size_t t = begin; t < end; ++t) ranges[t] = all;
    return;
  }
  DepthRange ema;
  for (std::size_t k = 0; k + buffer <= length; ++k) {
    const DepthRange w = window(begin + k, begin + k + buffer - 1);
    if (k == 0) {
      ema = w;
    } else {
      ema.low = decay * ema.low + (1.0 - decay) * w.low;
      ema.high = decay * ema.high + (1.0 - decay) * w.high;
    }
    ranges[begin + k] = ema;
  }
  // flush(): the frames still queued (the scene's last buffer - 1) take the last EMA state.
  for (std::size_t t = begin + length - buffer + 1; t < end; ++t) ranges[t] = ema;
}

void robustScene(const std::vector<DepthFrameStats>& stats, std::size_t begin, std::size_t end,
                 std::size_t back, std::size_t ahead, std::vector<DepthRange>& ranges) {
  // Per frame: the robust spread S = p98 - p02 and where the median and the p95 sit in it.
  // All three are invariant to the scale and offset of the frame's depth, which a per-frame
  // depth model changes from frame to frame.
  const std::size_t n = end - begin;
  std::vector<double> spread(n), at50(n), at95(n);
  for (std::size_t t = begin; t < end; ++t) {
    const double s = stats[t].p98 - stats[t].p02;
    spread[t - begin] = s;
    at50[t - begin] = s > 0.0 ? (stats[t].p50 - stats[t].p02) / s : 0.5;
    at95[t - begin] = s > 0.0 ? (stats[t].p95 - stats[t].p02) / s : 0.95;
  }
  std::vector<double> window50, window95, window_spread;
  for (std::size_t t = begin; t < end; ++t) {
    const std::size_t first = t - std::min(back, t - begin);
    const std::size_t last = std::min(end - 1, t + ahead);
    window50.clear();
    window95.clear();
    window_spread.clear();
    for (std::size_t s = first; s <= last; ++s) {
      window50.push_back(at50[s - begin]);
      window95.push_back(at95[s - begin]);
      window_spread.push_back(spread[s - begin]);
    }
    // The frame's median and p95 are put where the window's medians put them, so the output's
    // p50 and p95 move only as slowly as those medians; the spread that does it is kept
    // within [0.5, 2] x the frame's own, and never below a quarter of the window's median
    // spread (a flash, a fade).
    const double target50 = median(window50);
    const double target95 = median(window95);
    const double own = std::max(spread[t - begin], 0.25 * median(window_spread));
    double frame_spread = own;
    const double upper = stats[t].p95 - stats[t].p50;
    if (target95 - target50 > 1e-3 && upper > 0.0) {
      frame_spread = std::clamp(upper / (target95 - target50), 0.5 * own, 2.0 * own);
    }
    const double low = stats[t].p50 - target50 * frame_spread;
    ranges[t] = DepthRange{low, low + frame_spread};
  }
}

}  // namespace

const char* toString(RangeStabilizer stabilizer) {
  switch (stabilizer) {
    case RangeStabilizer::kPerFrame:
      return "off";
    case RangeStabilizer::kIw3Ema:
      return "iw3-ema";
    case RangeStabilizer::kRobust:
      return "robust";
  }
  return "robust";
}

std::optional<RangeStabilizer> rangeStabilizerFromString(const std::string& text) {
  for (RangeStabilizer kind :
       {RangeStabilizer::kPerFrame, RangeStabilizer::kIw3Ema, RangeStabilizer::kRobust}) {
    if (text == toString(kind)) return kind;
  }
  return std::nullopt;
}

DepthFrameStats computeDepthFrameStats(const cv::Mat& depth) {
  if (depth.empty() || depth.type() != CV_32FC1) {
    throw InputError("depth range statistics: expected a non-empty CV_32FC1 depth map, got type " +
                     std::to_string(depth.type()) + " of " + std::to_string(depth.cols) + "x" +
                     std::to_string(depth.rows));
  }
  double low = 0.0;
  double high = 0.0;
  std::int64_t sample_count = 0;
  for (int y = 0; y < depth.rows; ++y) {
    const float* row = depth.ptr<float>(y);
    for (int x = 0; x < depth.cols; ++x) {
      if (!std::isfinite(row[x])) continue;
      const double v = row[x];
      if (sample_count == 0) {
        low = high = v;
      } else {
        low = std::min(low, v);
        high = std::max(high, v);
      }
      ++sample_count;
    }
  }
  if (sample_count == 0) {
    throw InputError("depth range statistics: the " + std::to_string(depth.cols) + "x" +
                     std::to_string(depth.rows) + " depth map has no finite value");
  }
  DepthFrameStats stats;
  stats.min = low;
  stats.max = high;
  if (!(high > low)) {
    stats.p02 = stats.p50 = stats.p95 = stats.p98 = low;
    return stats;
  }
  const double bin_width = (high - low) / kHistogramBins;
  std::vector<std::int64_t> histogram(kHistogramBins, 0);
  for (int y = 0; y < depth.rows; ++y) {
    const float* row = depth.ptr<float>(y);
    for (int x = 0; x < depth.cols; ++x) {
      if (!std::isfinite(row[x])) continue;
      const int bin = static_cast<int>((static_cast<double>(row[x]) - low) / bin_width);
      ++histogram[static_cast<std::size_t>(std::clamp(bin, 0, kHistogramBins - 1))];
    }
  }
  const auto percentile = [&](double q) {
    return std::clamp(histogramPercentile(histogram, sample_count, low, bin_width, q), low, high);
  };
  stats.p02 = percentile(0.02);
  stats.p50 = percentile(0.50);
  stats.p95 = percentile(0.95);
  stats.p98 = percentile(0.98);
  return stats;
}

std::vector<DepthRange> stabilizeDepthRanges(const std::vector<DepthFrameStats>& stats,
                                             const RangeStabilizerSettings& settings) {
  std::vector<DepthRange> ranges(stats.size());
  switch (settings.kind) {
    case RangeStabilizer::kPerFrame:
      perFrameRanges(stats, ranges);
      break;
    case RangeStabilizer::kIw3Ema:
      if (!(settings.ema_decay >= 0.0 && settings.ema_decay <= 1.0) || settings.ema_buffer < 1) {
        throw InputError(
            "iw3-ema range stabiliser: decay must be in [0, 1] and the buffer at least 1 frame, "
            "got decay " +
            std::to_string(settings.ema_decay) + " and buffer " +
            std::to_string(settings.ema_buffer));
      }
      for (const auto& [begin, end] : scenes(stats)) {
        iw3EmaScene(stats, begin, end, settings.ema_decay,
                    static_cast<std::size_t>(settings.ema_buffer), ranges);
      }
      break;
    case RangeStabilizer::kRobust:
      if (settings.robust_back < 0 || settings.robust_ahead < 0) {
        throw InputError("robust range stabiliser: the window must not be negative, got " +
                         std::to_string(settings.robust_back) + " frames back and " +
                         std::to_string(settings.robust_ahead) + " ahead");
      }
      for (const auto& [begin, end] : scenes(stats)) {
        robustScene(stats, begin, end, static_cast<std::size_t>(settings.robust_back),
                    static_cast<std::size_t>(settings.robust_ahead), ranges);
      }
      break;
  }
  return ranges;
}

cv::Mat normalizeDepth(const cv::Mat& depth, const DepthRange& range) {
  if (depth.empty() || depth.type() != CV_32FC1) {
    throw InputError("depth normalisation: expected a non-empty CV_32FC1 depth map, got type " +
                     std::to_string(depth.type()) + " of " + std::to_string(depth.cols) + "x" +
                     std::to_string(depth.rows));
  }
  cv::Mat result(depth.size(), CV_32FC1, cv::Scalar(0.0));
  const double span = range.high - range.low;
  if (!(span > 0.0)) return result;
  const double scale = 1.0 / span;
  for (int y = 0; y < depth.rows; ++y) {
    const float* in = depth.ptr<float>(y);
    float* out = result.ptr<float>(y);
    for (int x = 0; x < depth.cols; ++x) {
      if (!std::isfinite(in[x])) continue;
      out[x] = static_cast<float>(
          std::clamp((static_cast<double>(in[x]) - range.low) * scale, 0.0, 1.0));
    }
  }
  return result;
}

}  // namespace genstereo

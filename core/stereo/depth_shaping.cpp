#include "stereo/depth_shaping.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include "errors.h"

namespace genstereo {

namespace {

void checkShaping(const DepthShaping& shaping) {
  if (!(shaping.clip_low_percent >= 0.0 && shaping.clip_low_percent < shaping.clip_high_percent &&
        shaping.clip_high_percent <= 100.0)) {
    throw InputError("depth clipping percentiles must satisfy 0 <= low < high <= 100, got low " +
                     std::to_string(shaping.clip_low_percent) + " and high " +
                     std::to_string(shaping.clip_high_percent));
  }
  if (!(shaping.foreground_scale >= -3.0 && shaping.foreground_scale <= 3.0)) {
    throw InputError("foreground scale must lie in [-3, 3], got " +
                     std::to_string(shaping.foreground_scale));
  }
  if (shaping.edge_dilation_x_px < 0 || shaping.edge_dilation_y_px < 0) {
    throw InputError("edge dilation must be >= 0 pixels, got " +
                     std::to_string(shaping.edge_dilation_x_px) + " x " +
                     std::to_string(shaping.edge_dilation_y_px));
  }
}

// Linear-interpolated percentile (numpy's default) of sorted values.
double percentile(const std::vector<float>& sorted, double percent) {
  const double position = percent / 100.0 * static_cast<double>(sorted.size() - 1);
  const std::size_t below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double t = position - static_cast<double>(below);
  return sorted[below] + t * (static_cast<double>(sorted[above]) - sorted[below]);
}

void checkDepthLow(const cv::Mat& depth_low) {
  if (depth_low.empty() || depth_low.type() != CV_32FC1) {
    throw InputError("depth resize: the depth map must be a non-empty CV_32FC1 image");
  }
}

struct Tap {
  int x0, x1, y0, y1;
  float fx, fy;
};

// Source position of output (x, y) for bilinear interpolation with aligned corners.
Tap alignedTap(int x, int y, cv::Size in, cv::Size out) {
  const float scale_x =
      out.width > 1 ? static_cast<float>(in.width - 1) / static_cast<float>(out.width - 1) : 0.f;
  const float scale_y =
      out.height > 1 ? static_cast<float>(in.height - 1) / static_cast<float>(out.height - 1) : 0.f;
  const float sx = scale_x * static_cast<float>(x);
  const float sy = scale_y * static_cast<float>(y);
  Tap tap{};
  tap.x0 = std::min(static_cast<int>(sx), in.width - 1);
  tap.y0 = std::min(static_cast<int>(sy), in.height - 1);
  tap.x1 = std::min(tap.x0 + 1, in.width - 1);
  tap.y1 = std::min(tap.y0 + 1, in.height - 1);
  tap.fx = sx - static_cast<float>(tap.x0);
  tap.fy = sy - static_cast<float>(tap.y0);
  return tap;
}

float bilinear(const cv::Mat& depth, const Tap& t) {
  const float top = (1.f - t.fx) * depth.at<float>(t.y0, t.x0) + t.fx * depth.at<float>(t.y0, t.x1);
  const float bottom =
      (1.f - t.fx) * depth.at<float>(t.y1, t.x0) + t.fx * depth.at<float>(t.y1, t.x1);
  return (1.f - t.fy) * top + t.fy * bottom;
}

}  // namespace

bool isNeutral(const DepthShaping& shaping) {
  return shaping.clip_low_percent == 0.0 && shaping.clip_high_percent == 100.0 &&
         shaping.foreground_scale == 0.0 && shaping.edge_dilation_x_px == 0 &&
         shaping.edge_dilation_y_px == 0;
}

DisparityMap shapeDepth(const DisparityMap& inverse_depth, const DepthShaping& shaping) {
  checkShaping(shaping);
  if (inverse_depth.values.type() != CV_32FC1 || inverse_depth.valid.type() != CV_8UC1 ||
      inverse_depth.values.size() != inverse_depth.valid.size()) {
    throw InputError(
        "depth shaping: expected a CV_32FC1 map with a CV_8UC1 validity mask of the same size");
  }
  DisparityMap out{inverse_depth.values.clone(), inverse_depth.valid.clone()};
  if (isNeutral(shaping)) return out;

  std::vector<float> values;
  values.reserve(out.values.total());
  for (int y = 0; y < out.values.rows; ++y) {
    const float* v = out.values.ptr<float>(y);
    const std::uint8_t* ok = out.valid.ptr<std::uint8_t>(y);
    for (int x = 0; x < out.values.cols; ++x) {
      if (ok[x]) values.push_back(v[x]);
    }
  }
  if (values.empty()) throw InputError("depth shaping: the depth map has no valid pixel");
  std::sort(values.begin(), values.end());
  const double low = percentile(values, shaping.clip_low_percent);
  const double high = percentile(values, shaping.clip_high_percent);
  const double range = high - low;
  const double s = shaping.foreground_scale;
  const double gamma = s >= 0.0 ? 1.0 + s : 1.0 / (1.0 - s);
  for (int y = 0; y < out.values.rows; ++y) {
    float* v = out.values.ptr<float>(y);
    const std::uint8_t* ok = out.valid.ptr<std::uint8_t>(y);
    for (int x = 0; x < out.values.cols; ++x) {
      if (!ok[x]) {
        v[x] = 0.f;  // the farthest value: never wins the dilation below
        continue;
      }
      double d =
          range > 0.0 ? (std::clamp(static_cast<double>(v[x]), low, high) - low) / range : 0.0;
      if (gamma != 1.0) d = std::pow(d, gamma);
      v[x] = static_cast<float>(d);
    }
  }
  if (shaping.edge_dilation_x_px > 0 || shaping.edge_dilation_y_px > 0) {
    const cv::Mat kernel = cv::getStructuringElement(
        cv::MORPH_RECT,
        cv::Size(2 * shaping.edge_dilation_x_px + 1, 2 * shaping.edge_dilation_y_px + 1));
    cv::Mat dilated;
    cv::dilate(out.values, dilated, kernel, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
    dilated.copyTo(out.values, out.valid);
  }
  return out;
}

cv::Mat upsampleDepthBilinearAligned(const cv::Mat& depth_low, cv::Size size) {
  checkDepthLow(depth_low);
  cv::Mat out(size, CV_32FC1);
  for (int y = 0; y < size.height; ++y) {
    float* row = out.ptr<float>(y);
    for (int x = 0; x < size.width; ++x)
      row[x] = bilinear(depth_low, alignedTap(x, y, depth_low.size(), size));
  }
  return out;
}

cv::Mat upsampleDepthEdgeAware(const cv::Mat& depth_low, const cv::Mat& guide_low,
                               const cv::Mat& guide_full, double edge_threshold) {
  checkDepthLow(depth_low);
  if (guide_low.type() != CV_32FC3 || guide_low.size() != depth_low.size()) {
    throw InputError(
        "edge-aware depth resize: the low-resolution guide must be CV_32FC3 of the depth map's "
        "size");
  }
  if (guide_full.type() != CV_32FC3 || guide_full.empty()) {
    throw InputError(
        "edge-aware depth resize: the full-resolution guide must be a non-empty CV_32FC3 image");
  }
  double min_value = 0.0;
  double max_value = 0.0;
  cv::minMaxLoc(depth_low, &min_value, &max_value);
  const float step_limit = static_cast<float>(edge_threshold * (max_value - min_value));
  const cv::Size size = guide_full.size();
  cv::Mat out(size, CV_32FC1);
  // Rows are independent: split them between the threads (the same result on any count).
  cv::parallel_for_(cv::Range(0, size.height), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      float* row = out.ptr<float>(y);
      const cv::Vec3f* colour_row = guide_full.ptr<cv::Vec3f>(y);
      for (int x = 0; x < size.width; ++x) {
        const Tap t = alignedTap(x, y, depth_low.size(), size);
        const int xs[4] = {t.x0, t.x1, t.x0, t.x1};
        const int ys[4] = {t.y0, t.y0, t.y1, t.y1};
        const float weights[4] = {(1.f - t.fx) * (1.f - t.fy), t.fx * (1.f - t.fy),
                                  (1.f - t.fx) * t.fy, t.fx * t.fy};
        float lo = std::numeric_limits<float>::max();
        float hi = std::numeric_limits<float>::lowest();
        for (int i = 0; i < 4; ++i) {
          if (weights[i] <= 0.f) continue;
          const float d = depth_low.at<float>(ys[i], xs[i]);
          lo = std::min(lo, d);
          hi = std::max(hi, d);
        }
        if (hi - lo <= step_limit) {
          row[x] = bilinear(depth_low, t);
          continue;
        }
        // A depth step: take the depth of the neighbour that looks most like this pixel
        // (ties: the nearer sample position).
        const cv::Vec3f colour = colour_row[x];
        int best = -1;
        float best_distance = std::numeric_limits<float>::max();
        for (int i = 0; i < 4; ++i) {
          if (weights[i] <= 0.f) continue;
          const cv::Vec3f diff = colour - guide_low.at<cv::Vec3f>(ys[i], xs[i]);
          const float distance = diff.dot(diff);
          if (best < 0 || distance < best_distance ||
              (distance == best_distance && weights[i] > weights[best])) {
            best = i;
            best_distance = distance;
          }
        }
        row[x] = depth_low.at<float>(ys[best], xs[best]);
      }
    }
  });
  return out;
}

}  // namespace genstereo

#include "stereo/disparity_preparation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "errors.h"

namespace genstereo {

namespace {

void requireSomeValid(const DisparityMap& map, const char* what) {
  if (map.values.empty() || map.valid.empty() || cv::countNonZero(map.valid) == 0) {
    throw InputError(std::string(what) +
                     ": the map has no valid pixel (all are NaN, inf, "
                     "negative or marked unknown)");
  }
}

}  // namespace

const char* toString(DepthKind kind) { return kind == DepthKind::kMetric ? "metric" : "inverse"; }

std::optional<DepthKind> depthKindFromString(const std::string& text) {
  for (DepthKind kind : {DepthKind::kInverse, DepthKind::kMetric}) {
    if (text == toString(kind)) return kind;
  }
  return std::nullopt;
}

DisparityMap depthToDisparity(const DisparityMap& depth, const DepthConversion& conversion) {
  requireSomeValid(depth, "depth to disparity");
  cv::Mat inverse;
  if (conversion.kind == DepthKind::kMetric) {
    inverse = cv::Mat::zeros(depth.values.size(), CV_32FC1);
    // valid is 0/1 and the comparison 0/255: their AND is 0/1, the mask convention.
    cv::Mat positive = depth.valid & (depth.values > 0.0f);
    cv::Mat ones(depth.values.size(), CV_32FC1, cv::Scalar(1.0f));
    cv::divide(ones, depth.values, inverse);
    inverse.setTo(0.0f, positive == 0);
    DisparityMap masked{inverse, positive};
    requireSomeValid(masked, "depth to disparity (metric depth must be > 0)");
    return depthToDisparity(
        masked, DepthConversion{DepthKind::kInverse, conversion.max_disparity_fraction});
  }
  double min_value = 0.0;
  double max_value = 0.0;
  cv::minMaxLoc(depth.values, &min_value, &max_value, nullptr, nullptr, depth.valid);
  const double range = max_value - min_value;
  const double max_disparity_px = conversion.max_disparity_fraction * depth.width();
  DisparityMap result;
  result.valid = depth.valid.clone();
  if (range <= 0.0) {
    result.values = cv::Mat::zeros(depth.values.size(), CV_32FC1);
    return result;
  }
  depth.values.convertTo(result.values, CV_32F, max_disparity_px / range,
                         -min_value * max_disparity_px / range);
  result.values.setTo(0.0f, depth.valid == 0);
  return result;
}

cv::Mat fillInvalidDisparity(const DisparityMap& map) {
  requireSomeValid(map, "disparity");
  const int height = map.height();
  const int width = map.width();
  cv::Mat dense(map.values.size(), CV_32FC1);
  std::vector<char> row_has_valid(static_cast<std::size_t>(height), 0);
  // Each row on its own: its runs of invalid pixels take the smaller disparity beside them.
  cv::parallel_for_(cv::Range(0, height), [&](const cv::Range& rows) {
    // Locals, not the captured references (byte stores may alias those).
    const int columns = width;
    for (int y = rows.start; y < rows.end; ++y) {
      float* d = dense.ptr<float>(y);
      const float* values = map.values.ptr<float>(y);
      std::copy(values, values + columns, d);
      const std::uint8_t* valid = map.valid.ptr<std::uint8_t>(y);
      int x = 0;
      while (x < columns) {
        if (valid[x]) {
          row_has_valid[static_cast<std::size_t>(y)] = 1;
          ++x;
          continue;
        }
        const int start = x;
        while (x < columns && !valid[x]) ++x;
        const bool has_left = start > 0;
        const bool has_right = x < columns;
        if (!has_left && !has_right) break;
        float fill = 0.0f;
        if (has_left && has_right) {
          fill = std::min(d[start - 1], d[x]);
        } else {
          fill = has_left ? d[start - 1] : d[x];
        }
        std::fill(d + start, d + x, fill);
      }
    }
  });
  // Rows with no valid pixel at all (e.g. the sky in KITTI): copy the nearest row that has one.
  int nearest_above = -1;
  std::vector<int> nearest_row(static_cast<std::size_t>(height), -1);
  for (int y = 0; y < height; ++y) {
    if (row_has_valid[static_cast<std::size_t>(y)]) nearest_above = y;
    nearest_row[static_cast<std::size_t>(y)] = nearest_above;
  }
  int nearest_below = -1;
  for (int y = height - 1; y >= 0; --y) {
    if (row_has_valid[static_cast<std::size_t>(y)]) {
      nearest_below = y;
      continue;
    }
    const int above = nearest_row[static_cast<std::size_t>(y)];
    int source = above;
    if (source < 0 || (nearest_below >= 0 && nearest_below - y < y - above)) source = nearest_below;
    dense.row(source).copyTo(dense.row(y));
  }
  return dense;
}

cv::Mat shapeDisparity(const cv::Mat& dense_disparity_px, const DisparityShaping& shaping) {
  if (!std::isfinite(shaping.baseline_scale) || !std::isfinite(shaping.convergence)) {
    throw InputError("baseline scale and convergence must be finite numbers");
  }
  cv::Mat shaped;
  dense_disparity_px.convertTo(shaped, CV_32F, shaping.baseline_scale);
  if (shaping.convergence != 0.0) {
    double max_value = 0.0;
    cv::minMaxLoc(shaped, nullptr, &max_value);
    shaped -= shaping.convergence * max_value;
  }
  return shaped;
}

}  // namespace genstereo

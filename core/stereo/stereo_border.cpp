#include "stereo/stereo_border.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "errors.h"

namespace genstereo {

const char* toString(BorderMode mode) {
  switch (mode) {
    case BorderMode::kFill:
      return "fill";
    case BorderMode::kCrop:
      return "crop";
    case BorderMode::kScreen:
      return "screen";
  }
  return "fill";
}

std::optional<BorderMode> borderModeFromString(const std::string& text) {
  for (BorderMode mode : {BorderMode::kFill, BorderMode::kCrop, BorderMode::kScreen}) {
    if (text == toString(mode)) return mode;
  }
  return std::nullopt;
}

void fadeDisparityToScreenBorder(cv::Mat& disparity_px) {
  if (disparity_px.empty() || disparity_px.type() != CV_32FC1) {
    throw InputError("screen border: expected a non-empty CV_32FC1 disparity map");
  }
  const int width = disparity_px.cols;
  double min_value = 0.0;
  double max_value = 0.0;
  cv::minMaxLoc(disparity_px, &min_value, &max_value);
  const double largest = std::max(std::abs(min_value), std::abs(max_value));
  const int band = std::clamp(2 * static_cast<int>(std::ceil(largest)), 1, std::max(1, width / 4));
  std::vector<float> weight(static_cast<std::size_t>(width), 1.0f);
  for (int x = 0; x < width; ++x) {
    const double from_edge = std::min(x, width - 1 - x);
    weight[static_cast<std::size_t>(x)] = static_cast<float>(std::min(1.0, from_edge / band));
  }
  for (int y = 0; y < disparity_px.rows; ++y) {
    float* row = disparity_px.ptr<float>(y);
    for (int x = 0; x < std::min(band, width); ++x) row[x] *= weight[static_cast<std::size_t>(x)];
    for (int x = std::max(band, width - band); x < width; ++x)
      row[x] *= weight[static_cast<std::size_t>(x)];
  }
}

namespace {

int percentileOf(std::vector<int> values, double percent) {
  if (values.empty()) return 0;
  const auto index = static_cast<std::size_t>(
      std::floor(percent / 100.0 * static_cast<double>(values.size() - 1)));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index),
                   values.end());
  return values[index];
}

}  // namespace

cv::Range stereoWindowColumns(const std::vector<cv::Mat>& valid_masks) {
  if (valid_masks.empty() || valid_masks.front().empty()) {
    throw InputError("stereo window: no validity mask");
  }
  const cv::Size size = valid_masks.front().size();
  std::vector<int> left_strip(static_cast<std::size_t>(size.height), 0);
  std::vector<int> right_strip(static_cast<std::size_t>(size.height), 0);
  for (const cv::Mat& valid : valid_masks) {
    if (valid.size() != size || valid.type() != CV_8UC1) {
      throw InputError("stereo window: the validity masks differ in size or type");
    }
    for (int y = 0; y < size.height; ++y) {
      const std::uint8_t* row = valid.ptr<std::uint8_t>(y);
      int left = 0;
      while (left < size.width && row[left] == 0) ++left;
      int right = 0;
      while (right < size.width - left && row[size.width - 1 - right] == 0) ++right;
      const auto i = static_cast<std::size_t>(y);
      left_strip[i] = std::max(left_strip[i], left);
      right_strip[i] = std::max(right_strip[i], right);
    }
  }
  const int most = size.width / 4;
  const int begin = std::min(most, percentileOf(left_strip, kCropRowPercentile));
  const int end = size.width - std::min(most, percentileOf(right_strip, kCropRowPercentile));
  return cv::Range(begin, end);
}

}  // namespace genstereo

#include "stereo/disparity_map.h"

#include <cmath>
#include <cstdint>
#include <utility>

#include "errors.h"

namespace genstereo {

double DisparityMap::validFraction() const {
  if (valid.empty()) return 0.0;
  return static_cast<double>(cv::countNonZero(valid)) / static_cast<double>(valid.total());
}

namespace {

DisparityMap makeMap(cv::Mat values, bool keep_negative) {
  if (values.type() != CV_32FC1) {
    throw InputError("a disparity map must be CV_32FC1, found OpenCV type " +
                     cv::typeToString(values.type()));
  }
  DisparityMap map;
  map.valid = cv::Mat(values.size(), CV_8UC1);
  bool is_copied = false;
  for (int y = 0; y < values.rows; ++y) {
    std::uint8_t* valid = map.valid.ptr<std::uint8_t>(y);
    for (int x = 0; x < values.cols; ++x) {
      const float value = values.at<float>(y, x);
      const bool is_valid = std::isfinite(value) && (keep_negative || value >= 0.0f);
      valid[x] = is_valid ? 1 : 0;
      if (is_valid) continue;
      if (!is_copied) {  // never modify the caller's pixels
        values = values.clone();
        is_copied = true;
      }
      values.at<float>(y, x) = 0.0f;
    }
  }
  map.values = values;
  return map;
}

}  // namespace

DisparityMap makeDisparityMap(cv::Mat values) { return makeMap(std::move(values), false); }

DisparityMap makeSignedDisparityMap(cv::Mat values) { return makeMap(std::move(values), true); }

}  // namespace genstereo

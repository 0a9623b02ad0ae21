#include "stereo/disparity_map.h"

#include <cmath>
#include <cstdint>

#include "errors.h"

namespace genstereo {

double DisparityMap::validFraction() const {
  if (valid.empty()) return 0.0;
  return static_cast<double>(cv::countNonZero(valid)) / static_cast<double>(valid.total());
}

DisparityMap makeDisparityMap(cv::Mat values) {
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
      const bool is_valid = std::isfinite(value) && value >= 0.0f;
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

}  // namespace genstereo

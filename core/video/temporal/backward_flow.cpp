#include "video/temporal/backward_flow.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <opencv2/imgproc.hpp>

#include "errors.h"

namespace genstereo {

cv::Size flowSize(cv::Size image, int short_side_px) {
  const int short_side = std::min(image.width, image.height);
  if (short_side <= short_side_px) return image;
  const double scale = static_cast<double>(short_side_px) / short_side;
  return cv::Size(std::max(8, static_cast<int>(std::lround(image.width * scale))),
                  std::max(8, static_cast<int>(std::lround(image.height * scale))));
}

cv::Mat toFlowGray(const cv::Mat& bgr8, cv::Size size) {
  if (bgr8.empty() || bgr8.type() != CV_8UC3) {
    throw InputError("optical flow: expected a non-empty 8-bit BGR frame (CV_8UC3), got type " +
                     std::to_string(bgr8.type()) + " of " + std::to_string(bgr8.cols) + "x" +
                     std::to_string(bgr8.rows));
  }
  cv::Mat small;
  if (bgr8.size() == size) {
    small = bgr8;
  } else {
    cv::resize(bgr8, small, size, 0.0, 0.0, cv::INTER_AREA);
  }
  cv::Mat gray;
  cv::cvtColor(small, gray, cv::COLOR_BGR2GRAY);
  return gray;
}

cv::Ptr<cv::DISOpticalFlow> createFlowEstimator() {
  return cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_FAST);
}

BackwardFlow computeBackwardFlow(cv::DISOpticalFlow& estimator, const cv::Mat& previous,
                                 const cv::Mat& current, double max_fb_error_px) {
  BackwardFlow result;
  cv::Mat forward;
  try {
    estimator.calc(current, previous, result.flow_px);
    estimator.calc(previous, current, forward);
  } catch (const cv::Exception& e) {
    throw InputError("optical flow: DIS failed on a " + std::to_string(current.cols) + "x" +
                     std::to_string(current.rows) + " frame pair: " + e.what());
  }
  const cv::Mat map = samplingMap(result.flow_px, current.size());
  cv::Mat forward_at_source;
  cv::remap(forward, forward_at_source, map, cv::noArray(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  result.confidence.create(current.size(), CV_32FC1);
  const double max_error_sq = max_fb_error_px * max_fb_error_px;
  const float max_x = static_cast<float>(current.cols - 1);
  const float max_y = static_cast<float>(current.rows - 1);
  std::int64_t confident = 0;
  for (int y = 0; y < current.rows; ++y) {
    const cv::Vec2f* back = result.flow_px.ptr<cv::Vec2f>(y);
    const cv::Vec2f* fwd = forward_at_source.ptr<cv::Vec2f>(y);
    const cv::Vec2f* source = map.ptr<cv::Vec2f>(y);
    float* conf = result.confidence.ptr<float>(y);
    for (int x = 0; x < current.cols; ++x) {
      const double ex = static_cast<double>(back[x][0]) + fwd[x][0];
      const double ey = static_cast<double>(back[x][1]) + fwd[x][1];
      const bool is_inside = source[x][0] >= 0.0f && source[x][0] <= max_x &&
                             source[x][1] >= 0.0f && source[x][1] <= max_y;
      const bool is_confident = is_inside && ex * ex + ey * ey <= max_error_sq;
      conf[x] = is_confident ? 1.0f : 0.0f;
      confident += is_confident ? 1 : 0;
    }
  }
  result.confident_fraction = static_cast<double>(confident) / static_cast<double>(current.total());
  return result;
}

cv::Mat samplingMap(const cv::Mat& flow_px, cv::Size target) {
  cv::Mat flow = flow_px;
  float scale_x = 1.0f;
  float scale_y = 1.0f;
  if (flow_px.size() != target) {
    cv::resize(flow_px, flow, target, 0.0, 0.0, cv::INTER_LINEAR);
    scale_x = static_cast<float>(target.width) / static_cast<float>(flow_px.cols);
    scale_y = static_cast<float>(target.height) / static_cast<float>(flow_px.rows);
  }
  cv::Mat map(target, CV_32FC2);
  for (int y = 0; y < target.height; ++y) {
    const cv::Vec2f* f = flow.ptr<cv::Vec2f>(y);
    cv::Vec2f* m = map.ptr<cv::Vec2f>(y);
    for (int x = 0; x < target.width; ++x) {
      m[x] = cv::Vec2f(static_cast<float>(x) + scale_x * f[x][0],
                       static_cast<float>(y) + scale_y * f[x][1]);
    }
  }
  return map;
}

}  // namespace genstereo

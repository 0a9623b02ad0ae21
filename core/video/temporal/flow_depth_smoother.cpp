#include "video/temporal/flow_depth_smoother.h"

#include <algorithm>
#include <string>

#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "video/temporal/backward_flow.h"

namespace genstereo {
namespace {

std::string sizeText(const cv::Size& size) {
  return std::to_string(size.width) + "x" + std::to_string(size.height);
}

}  // namespace

FlowDepthSmoother::FlowDepthSmoother(FlowSmoothingSettings settings) : settings_(settings) {
  if (settings_.window < 0) {
    throw InputError("flow depth smoothing: window must not be negative, got " +
                     std::to_string(settings_.window));
  }
  if (!(settings_.strength >= 0.0 && settings_.strength < 1.0)) {
    throw InputError("flow depth smoothing: strength must be in [0, 1), got " +
                     std::to_string(settings_.strength));
  }
  if (settings_.flow_short_side < 16) {
    throw InputError("flow depth smoothing: flow_short_side must be at least 16 px, got " +
                     std::to_string(settings_.flow_short_side));
  }
  if (!(settings_.max_fb_error_px > 0.0)) {
    throw InputError("flow depth smoothing: max_fb_error_px must be positive, got " +
                     std::to_string(settings_.max_fb_error_px));
  }
  flow_ = createFlowEstimator();
}

cv::Mat FlowDepthSmoother::push(const cv::Mat& bgr8, const cv::Mat& depth01) {
  if (bgr8.empty() || bgr8.type() != CV_8UC3) {
    throw InputError(
        "flow depth smoothing: expected a non-empty 8-bit BGR frame (CV_8UC3), got type " +
        std::to_string(bgr8.type()) + " of " + sizeText(bgr8.size()));
  }
  if (!depth01.empty() && depth01.type() != CV_32FC1) {
    throw InputError("flow depth smoothing: expected the depth as CV_32FC1, got type " +
                     std::to_string(depth01.type()));
  }
  const bool is_first = previous_gray_.empty();
  if (is_first && depth01.empty()) {
    throw InputError(
        "flow depth smoothing: the first frame of a scene has no depth (nothing to propagate)");
  }
  if (!is_first && bgr8.size() != image_size_) {
    throw InputError("flow depth smoothing: frame size changed within a scene, from " +
                     sizeText(image_size_) + " to " + sizeText(bgr8.size()));
  }
  const cv::Size depth_size = depth01.empty() ? carried_.front().depth.size() : depth01.size();
  if (!is_first && depth_size != carried_.front().depth.size()) {
    throw InputError("flow depth smoothing: depth size changed within a scene, from " +
                     sizeText(carried_.front().depth.size()) + " to " + sizeText(depth_size));
  }
  cv::Mat gray = toFlowGray(bgr8, flowSize(bgr8.size(), settings_.flow_short_side));

  // Carry the earlier raw depths one step, from frame t-1 to frame t.
  last_confident_ = 0.0;
  if (!is_first) {
    const BackwardFlow flow =
        computeBackwardFlow(*flow_, previous_gray_, gray, settings_.max_fb_error_px);
    last_confident_ = flow.confident_fraction;
    const cv::Mat map = samplingMap(flow.flow_px, depth_size);
    cv::Mat step_confidence;
    cv::resize(flow.confidence, step_confidence, depth_size, 0.0, 0.0, cv::INTER_LINEAR);
    for (Entry& entry : carried_) {
      cv::Mat depth;
      cv::Mat weight;
      cv::remap(entry.depth, depth, map, cv::noArray(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
      cv::remap(entry.weight, weight, map, cv::noArray(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                cv::Scalar(0.0));
      entry.depth = depth;
      entry.weight = weight.mul(step_confidence);
    }
  }

  Entry current;
  if (depth01.empty()) {
    current.depth = carried_.front().depth.clone();
    current.weight = carried_.front().weight.clone();
  } else {
    current.depth = depth01.clone();
    current.weight = cv::Mat(depth_size, CV_32FC1, cv::Scalar(1.0));
  }

  cv::Mat output;
  const std::size_t averaged =
      std::min(carried_.size(), static_cast<std::size_t>(settings_.window));
  if (averaged == 0 || settings_.strength == 0.0) {
    output = current.depth.clone();
  } else {
    const double current_weight = 1.0 - settings_.strength;
    const double carried_scale = settings_.strength / settings_.window;
    cv::Mat sum = current.depth * current_weight;
    cv::Mat weight_sum(depth_size, CV_32FC1, cv::Scalar(current_weight));
    cv::Mat weight;
    for (std::size_t i = 0; i < averaged; ++i) {
      weight = carried_[i].weight * carried_scale;
      sum += weight.mul(carried_[i].depth);
      weight_sum += weight;
    }
    cv::divide(sum, weight_sum, output);
  }

  carried_.push_front(std::move(current));
  const std::size_t kept = static_cast<std::size_t>(std::max(settings_.window, 1));
  while (carried_.size() > kept) carried_.pop_back();
  previous_gray_ = gray;
  image_size_ = bgr8.size();
  return output;
}

void FlowDepthSmoother::reset() {
  previous_gray_.release();
  carried_.clear();
  image_size_ = cv::Size();
  last_confident_ = 0.0;
}

double FlowDepthSmoother::lastConfidentFraction() const { return last_confident_; }

}  // namespace genstereo

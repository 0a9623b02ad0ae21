#include "stereo/seam_blend.h"

#include <opencv2/imgproc.hpp>

#include "errors.h"

namespace genstereo {

SeamBlendResult blendSeams(const cv::Mat& warped, const cv::Mat& valid, const FillResult& fill,
                           double feather_px) {
  if (warped.type() != CV_32FC3 || valid.size() != warped.size() ||
      fill.image.size() != warped.size()) {
    throw InputError("seam blend: warped view, mask and fill must have the same size");
  }
  SeamBlendResult result;
  if (feather_px <= 0.0) {
    valid.convertTo(result.weight, CV_32F);
    cv::threshold(result.weight, result.weight, 0.0, 1.0, cv::THRESH_BINARY);
    result.image = fill.image.clone();
    return result;
  }
  cv::Mat distance;
  cv::Mat valid8 = valid != 0;
  cv::distanceTransform(valid8, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
  // A pixel at distance 1 (touching a hole) gets 1/(feather+1): it already leans on the fill.
  result.weight = cv::min(distance / (feather_px + 1.0), 1.0);
  result.weight.setTo(1.0f, fill.foreground_guard);
  cv::Mat weight3;
  cv::Mat planes[] = {result.weight, result.weight, result.weight};
  cv::merge(planes, 3, weight3);
  cv::Mat one_minus = cv::Scalar::all(1.0) - weight3;
  result.image = warped.mul(weight3) + fill.background_fill.mul(one_minus);
  return result;
}

}  // namespace genstereo

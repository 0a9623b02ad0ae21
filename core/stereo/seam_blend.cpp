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
  // Distance of each valid pixel to the nearest hole (3x3 chamfer approximation of L2,
  // plenty for a feather of a few pixels).
  cv::Mat valid8 = valid != 0;
  cv::distanceTransform(valid8, result.weight, cv::DIST_L2, cv::DIST_MASK_3);
  // A pixel touching a hole (distance 1) gets 1/(feather+1): it already leans on the fill.
  result.weight.convertTo(result.weight, CV_32F, 1.0 / (feather_px + 1.0));
  cv::min(result.weight, 1.0, result.weight);
  result.weight.setTo(1.0f, fill.foreground_guard);
  // Only the band near the holes changes: blend it row by row.
  result.image = fill.image.clone();
  cv::parallel_for_(cv::Range(0, warped.rows), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      const float* w = result.weight.ptr<float>(y);
      const std::uint8_t* v = valid.ptr<std::uint8_t>(y);
      const cv::Vec3f* a = warped.ptr<cv::Vec3f>(y);
      const cv::Vec3f* b = fill.background_fill.ptr<cv::Vec3f>(y);
      cv::Vec3f* out = result.image.ptr<cv::Vec3f>(y);
      for (int x = 0; x < warped.cols; ++x) {
        if (v[x] && w[x] < 1.0f) out[x] = a[x] * w[x] + b[x] * (1.0f - w[x]);
      }
    }
  });
  return result;
}

}  // namespace genstereo

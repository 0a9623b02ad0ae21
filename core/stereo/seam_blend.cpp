#include "stereo/seam_blend.h"

#include <algorithm>
#include <cmath>

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
  // Only valid pixels within `reach` of a hole get a weight below 1: find them with a cheap
  // dilation, then give each its exact Euclidean distance to the nearest hole pixel.
  const int reach = static_cast<int>(std::ceil(feather_px + 1.0));
  const cv::Mat holes = valid == 0;
  cv::Mat near_holes;
  cv::dilate(holes, near_holes,
             cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * reach + 1, 2 * reach + 1)));
  result.weight = cv::Mat(valid.size(), CV_32FC1, cv::Scalar(1.0f));
  const float scale = static_cast<float>(1.0 / (feather_px + 1.0));
  cv::parallel_for_(cv::Range(0, valid.rows), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      const std::uint8_t* band = near_holes.ptr<std::uint8_t>(y);
      const std::uint8_t* v = valid.ptr<std::uint8_t>(y);
      float* w = result.weight.ptr<float>(y);
      for (int x = 0; x < valid.cols; ++x) {
        if (!v[x]) {
          w[x] = 0.0f;
          continue;
        }
        if (!band[x]) continue;
        int best = reach * reach + 1;
        for (int dy = std::max(-reach, -y); dy <= std::min(reach, valid.rows - 1 - y); ++dy) {
          const std::uint8_t* h = holes.ptr<std::uint8_t>(y + dy);
          for (int dx = std::max(-reach, -x); dx <= std::min(reach, valid.cols - 1 - x); ++dx) {
            if (h[x + dx] && dx * dx + dy * dy < best) best = dx * dx + dy * dy;
          }
        }
        // A pixel touching a hole (distance 1) gets 1/(feather+1): it already leans on the fill.
        w[x] = std::min(1.0f, std::sqrt(static_cast<float>(best)) * scale);
      }
    }
  });
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

#include "stereo/seam_blend.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "errors.h"

namespace genstereo {

namespace {

// The blend into `image` (allocated by the caller: a new image, or the background fill's own
// pixels, which each pixel reads before it writes them).
SeamBlendResult blendInto(const cv::Mat& warped, const cv::Mat& valid, const FillResult& fill,
                          double feather_px, cv::Mat image) {
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
  result.weight.create(valid.size(), CV_32FC1);
  result.image = image;
  const float scale = static_cast<float>(1.0 / (feather_px + 1.0));
  // Per pixel: the weight, then the blend where it is below 1 (only the band near the holes
  // changes), the fill elsewhere.
  cv::parallel_for_(cv::Range(0, valid.rows), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      const std::uint8_t* band = near_holes.ptr<std::uint8_t>(y);
      const std::uint8_t* v = valid.ptr<std::uint8_t>(y);
      const std::uint8_t* guard = fill.foreground_guard.ptr<std::uint8_t>(y);
      const cv::Vec3f* a = warped.ptr<cv::Vec3f>(y);
      const cv::Vec3f* b = fill.background_fill.ptr<cv::Vec3f>(y);
      const cv::Vec3f* filled = fill.image.ptr<cv::Vec3f>(y);
      float* w = result.weight.ptr<float>(y);
      cv::Vec3f* out = result.image.ptr<cv::Vec3f>(y);
      for (int x = 0; x < valid.cols; ++x) {
        float weight = 1.0f;
        if (!v[x]) {
          weight = 0.0f;
        } else if (band[x] && !guard[x]) {  // the foreground next to holes stays sharp: 1
          int best = reach * reach + 1;
          for (int dy = std::max(-reach, -y); dy <= std::min(reach, valid.rows - 1 - y); ++dy) {
            const std::uint8_t* h = holes.ptr<std::uint8_t>(y + dy);
            for (int dx = std::max(-reach, -x); dx <= std::min(reach, valid.cols - 1 - x); ++dx) {
              if (h[x + dx] && dx * dx + dy * dy < best) best = dx * dx + dy * dy;
            }
          }
          // A pixel touching a hole (distance 1) gets 1/(feather+1): it already leans on the
          // fill.
          weight = std::min(1.0f, std::sqrt(static_cast<float>(best)) * scale);
        }
        w[x] = weight;
        if (v[x] && weight < 1.0f) {
          out[x] = a[x] * weight + b[x] * (1.0f - weight);
        } else {
          out[x] = filled[x];
        }
      }
    }
  });
  return result;
}

}  // namespace

SeamBlendResult blendSeams(const cv::Mat& warped, const cv::Mat& valid, const FillResult& fill,
                           double feather_px) {
  return blendInto(warped, valid, fill, feather_px, cv::Mat(warped.size(), CV_32FC3));
}

SeamBlendResult blendSeams(const cv::Mat& warped, const cv::Mat& valid, FillResult&& fill,
                           double feather_px) {
  const cv::Mat& own = fill.background_fill;
  const bool is_reusable = own.u != nullptr && own.u->refcount == 1 && own.type() == CV_32FC3 &&
                           own.size() == warped.size() && own.data != fill.image.data;
  return blendInto(warped, valid, fill, feather_px,
                   is_reusable ? own : cv::Mat(warped.size(), CV_32FC3));
}

}  // namespace genstereo

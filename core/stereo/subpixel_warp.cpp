#include "stereo/subpixel_warp.h"

#include <algorithm>
#include <cmath>

#include "errors.h"

namespace genstereo {

namespace {

// Closes short hole runs whose two neighbours lie on the same surface.
void closeCracks(WarpCorrespondence& c, const SubpixelWarpParams& params) {
  const int width = c.valid.cols;
  cv::parallel_for_(cv::Range(0, c.valid.rows), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      std::uint8_t* valid = c.valid.ptr<std::uint8_t>(y);
      float* d = c.disparity_px.ptr<float>(y);
      int x = 1;
      while (x < width) {
        if (valid[x]) {
          ++x;
          continue;
        }
        const int begin = x;
        while (x < width && !valid[x]) ++x;
        const int end = x;
        if (begin == 0 || end >= width || end - begin > params.max_crack_px) continue;
        const float left = d[begin - 1];
        const float right = d[end];
        if (std::abs(left - right) > params.crack_threshold_px) continue;
        for (int i = begin; i < end; ++i) {
          const float t = static_cast<float>(i - begin + 1) / static_cast<float>(end - begin + 1);
          d[i] = left + t * (right - left);
          valid[i] = 1;
        }
      }
    }
  });
}

// Colour of row `src` at the fractional column `xs`: Catmull-Rom cubic when its four taps lie
// on one surface (disparity within `edge` of each other), linear when the two inner taps do,
// else the nearest tap whose disparity matches `d_target` (never a mix of two surfaces).
cv::Vec3f sampleRow(const cv::Vec3f* src, const float* src_d, int width, float xs, float d_target,
                    float edge) {
  const float clamped = std::min(std::max(xs, 0.0f), static_cast<float>(width - 1));
  const int x1 = static_cast<int>(std::floor(clamped));
  const int x2 = std::min(x1 + 1, width - 1);
  const float t = clamped - static_cast<float>(x1);
  if (x2 == x1 || std::abs(src_d[x1] - src_d[x2]) > edge) {
    return std::abs(src_d[x1] - d_target) <= std::abs(src_d[x2] - d_target) ? src[x1] : src[x2];
  }
  const int x0 = std::max(x1 - 1, 0);
  const int x3 = std::min(x2 + 1, width - 1);
  const float lo = std::min({src_d[x0], src_d[x1], src_d[x2], src_d[x3]});
  const float hi = std::max({src_d[x0], src_d[x1], src_d[x2], src_d[x3]});
  if (hi - lo > edge) return src[x1] * (1.0f - t) + src[x2] * t;
  const float t2 = t * t;
  const float t3 = t2 * t;
  const float w0 = -0.5f * t3 + t2 - 0.5f * t;
  const float w1 = 1.5f * t3 - 2.5f * t2 + 1.0f;
  const float w2 = -1.5f * t3 + 2.0f * t2 + 0.5f * t;
  const float w3 = 0.5f * t3 - 0.5f * t2;
  return src[x0] * w0 + src[x1] * w1 + src[x2] * w2 + src[x3] * w3;
}

}  // namespace

SubpixelWarp warpSubpixel(const cv::Mat& source, const cv::Mat& disparity_px,
                          WarpDirection direction, const SubpixelWarpParams& params) {
  if (source.type() != CV_32FC3 || source.size() != disparity_px.size()) {
    throw InputError("sub-pixel warp: expected a float RGB image and a disparity map of its size");
  }
  SubpixelWarp result;
  result.correspondence = computeForwardWarp(disparity_px, direction);
  closeCracks(result.correspondence, params);
  const float sign = direction == WarpDirection::kLeftToRight ? 1.0f : -1.0f;
  const int width = source.cols;
  result.image = cv::Mat::zeros(source.size(), CV_32FC3);
  const float edge = static_cast<float>(params.edge_threshold_px);
  cv::parallel_for_(cv::Range(0, source.rows), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      const cv::Vec3f* src = source.ptr<cv::Vec3f>(y);
      const float* src_d = disparity_px.ptr<float>(y);
      const std::uint8_t* valid = result.correspondence.valid.ptr<std::uint8_t>(y);
      const float* d = result.correspondence.disparity_px.ptr<float>(y);
      cv::Vec3f* out = result.image.ptr<cv::Vec3f>(y);
      const int* source_x = result.correspondence.source_x.ptr<int>(y);
      for (int x = 0; x < width; ++x) {
        if (!valid[x]) continue;
        float xs = static_cast<float>(x) + sign * d[x];
        const int x_src = source_x[x];
        if (x_src > 0 && x_src < width - 1 &&
            std::abs(src_d[x_src + 1] - src_d[x_src - 1]) <= 2.0f * edge) {
          // Slanted surface: solve x_s -/+ d(x_s) = x_t to first order around the source
          // pixel instead of assuming a constant disparity over the half-pixel offset.
          const float slope = sign * 0.5f * (src_d[x_src + 1] - src_d[x_src - 1]);
          if (slope < 0.5f) xs = static_cast<float>(x_src) + (xs - static_cast<float>(x_src)) / (1.0f - slope);
        }
        out[x] = sampleRow(src, src_d, width, xs, d[x], edge);
      }
    }
  });
  return result;
}

}  // namespace genstereo

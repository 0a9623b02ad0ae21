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
    // Locals, not the captured references (byte stores may alias those).
    const int columns = width;
    const int max_crack_px = params.max_crack_px;
    const double crack_threshold_px = params.crack_threshold_px;
    for (int y = rows.start; y < rows.end; ++y) {
      std::uint8_t* valid = c.valid.ptr<std::uint8_t>(y);
      float* d = c.disparity_px.ptr<float>(y);
      int x = 1;
      while (x < columns) {
        if (valid[x]) {
          ++x;
          continue;
        }
        const int begin = x;
        while (x < columns && !valid[x]) ++x;
        const int end = x;
        if (begin == 0 || end >= columns || end - begin > max_crack_px) continue;
        const float left = d[begin - 1];
        const float right = d[end];
        if (std::abs(left - right) > crack_threshold_px) continue;
        for (int i = begin; i < end; ++i) {
          const float t = static_cast<float>(i - begin + 1) / static_cast<float>(end - begin + 1);
          d[i] = left + t * (right - left);
          valid[i] = 1;
        }
      }
    }
  });
}

}  // namespace

SubpixelWarp warpSubpixel(const cv::Mat& source, const cv::Mat& disparity_px,
                          WarpDirection direction, const SubpixelWarpParams& params) {
  if (source.type() != CV_32FC3 || source.size() != disparity_px.size()) {
    throw InputError("sub-pixel warp: expected a float RGB image and a disparity map of its size");
  }
  SubpixelWarp result;
  result.correspondence = computeForwardTargets(disparity_px, direction);
  closeCracks(result.correspondence, params);
  const float sign = direction == WarpDirection::kLeftToRight ? 1.0f : -1.0f;
  const int width = source.cols;
  result.image.create(source.size(), CV_32FC3);
  const float edge = static_cast<float>(params.edge_threshold_px);
  cv::parallel_for_(cv::Range(0, source.rows), [&](const cv::Range& rows) {
    // Locals, not the captured references (the stores below may alias them).
    const int columns = width;
    const float step = sign;
    const float edge_px = edge;
    for (int y = rows.start; y < rows.end; ++y) {
      const cv::Vec3f* src = source.ptr<cv::Vec3f>(y);
      const float* src_d = disparity_px.ptr<float>(y);
      const std::uint8_t* valid = result.correspondence.valid.ptr<std::uint8_t>(y);
      const float* d = result.correspondence.disparity_px.ptr<float>(y);
      cv::Vec3f* out = result.image.ptr<cv::Vec3f>(y);
      for (int x = 0; x < columns; ++x) {
        if (!valid[x]) {
          out[x] = cv::Vec3f(0.0f, 0.0f, 0.0f);
          continue;
        }
        const float xs = static_cast<float>(x) + step * d[x];
        const float clamped = std::min(std::max(xs, 0.0f), static_cast<float>(columns - 1));
        const int x0 = static_cast<int>(clamped);
        const int x1 = std::min(x0 + 1, columns - 1);
        const float t = clamped - static_cast<float>(x0);
        if (std::abs(src_d[x0] - src_d[x1]) <= edge_px) {
          out[x] = src[x0] * (1.0f - t) + src[x1] * t;
        } else {
          // Do not blend two surfaces: take the source pixel whose disparity matches ours.
          out[x] = std::abs(src_d[x0] - d[x]) <= std::abs(src_d[x1] - d[x]) ? src[x0] : src[x1];
        }
      }
    }
  });
  return result;
}

}  // namespace genstereo

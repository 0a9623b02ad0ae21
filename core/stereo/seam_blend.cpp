#include "stereo/seam_blend.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "errors.h"

namespace genstereo {

namespace {

// Per pixel, |dx| to the nearest hole of its row, `none` when no hole is within none - 1.
// Distance type T: uint8 or, for a reach over 254 pixels, uint16.
template <typename T>
cv::Mat rowHoleDistances(const cv::Mat& valid, int none) {
  cv::Mat distances(valid.size(), cv::DataType<T>::type);
  const int width = valid.cols;
  cv::parallel_for_(cv::Range(0, valid.rows), [&](const cv::Range& rows) {
    // Locals, not the captured references (byte stores may alias those).
    const int columns = width;
    const int far_px = none;
    for (int y = rows.start; y < rows.end; ++y) {
      const std::uint8_t* v = valid.ptr<std::uint8_t>(y);
      T* dx = distances.ptr<T>(y);
      int last_hole = -far_px;  // far enough to the left
      for (int x = 0; x < columns; ++x) {
        if (!v[x]) last_hole = x;
        dx[x] = static_cast<T>(std::min(far_px, x - last_hole));
      }
      int next_hole = columns - 1 + far_px;
      for (int x = columns - 1; x >= 0; --x) {
        if (!v[x]) next_hole = x;
        dx[x] = static_cast<T>(std::min<int>(dx[x], std::min(far_px, next_hole - x)));
      }
    }
  });
  return distances;
}

// The feathered blend, see blendSeams; the image goes into `result.image` (allocated).
template <typename T>
void featherRows(const cv::Mat& warped, const cv::Mat& valid, const FillResult& fill,
                 double feather_px, int reach, SeamBlendResult& result) {
  const int width = valid.cols;
  const int height = valid.rows;
  const cv::Mat hole_dx = rowHoleDistances<T>(valid, reach + 1);
  const float scale = static_cast<float>(1.0 / (feather_px + 1.0));
  // Per pixel: the smallest dx^2 + dy^2 over the window's rows (kNoHole: no hole in the
  // window), the weight, then the blend where it is below 1 (only the band near the holes
  // changes), the fill elsewhere.
  constexpr int kNoHole = std::numeric_limits<int>::max();
  cv::parallel_for_(cv::Range(0, height), [&](const cv::Range& rows) {
    std::vector<int> nearest(static_cast<std::size_t>(width));
    for (int y = rows.start; y < rows.end; ++y) {
      std::fill(nearest.begin(), nearest.end(), kNoHole);
      for (int dy = std::max(-reach, -y); dy <= std::min(reach, height - 1 - y); ++dy) {
        const T* dx = hole_dx.ptr<T>(y + dy);
        const int dy2 = dy * dy;
        const int window = reach;  // locals: the stores below cannot change them
        const int columns = width;
        int* n = nearest.data();
        for (int x = 0; x < columns; ++x) {
          const int d = dx[x];
          const int distance2 = d <= window ? d * d + dy2 : kNoHole;
          n[x] = distance2 < n[x] ? distance2 : n[x];
        }
      }
      const std::uint8_t* v = valid.ptr<std::uint8_t>(y);
      const std::uint8_t* guard = fill.foreground_guard.ptr<std::uint8_t>(y);
      const cv::Vec3f* a = warped.ptr<cv::Vec3f>(y);
      const cv::Vec3f* b = fill.background_fill.ptr<cv::Vec3f>(y);
      const cv::Vec3f* filled = fill.image.ptr<cv::Vec3f>(y);
      float* w = result.weight.ptr<float>(y);
      cv::Vec3f* out = result.image.ptr<cv::Vec3f>(y);
      for (int x = 0; x < width; ++x) {
        float weight = 1.0f;
        if (!v[x]) {
          weight = 0.0f;
        } else if (nearest[x] != kNoHole && !guard[x]) {  // the foreground next to holes
                                                          // stays sharp: 1
          // A pixel touching a hole (distance 1) gets 1/(feather+1): it already leans on the
          // fill. (The distance is capped at reach^2 + 1, which gives 1.)
          const int best = std::min(nearest[x], reach * reach + 1);
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
}

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
  // Only valid pixels within `reach` of a hole (in a square window) get a weight below 1: each
  // gets its exact Euclidean distance to the nearest hole pixel, from each row's distance to
  // its nearest hole.
  const int reach = static_cast<int>(std::ceil(feather_px + 1.0));
  result.weight.create(valid.size(), CV_32FC1);
  result.image = image;
  if (reach < 255) {
    featherRows<std::uint8_t>(warped, valid, fill, feather_px, reach, result);
  } else {
    featherRows<std::uint16_t>(warped, valid, fill, feather_px, reach, result);
  }
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

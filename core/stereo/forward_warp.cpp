#include "stereo/forward_warp.h"

#include <cfenv>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <string>

#include "errors.h"

namespace genstereo {

namespace {

// torch.round semantics: half to even. std::nearbyint honours the current rounding mode,
// which is round-to-nearest-even unless someone changed it; make that explicit. Below 2^22 in
// magnitude, adding and subtracting 1.5 * 2^23 rounds the same way (float arithmetic rounds to
// nearest even) without a call into libm, which x86-64's baseline SSE2 has no instruction for.
inline long roundHalfToEven(float value) {
#if FLT_EVAL_METHOD == 0
  constexpr float kRoundingShift = 12582912.0f;  // 1.5 * 2^23
  if (std::abs(value) < 4194304.0f) {            // 2^22
    return static_cast<long>((value + kRoundingShift) - kRoundingShift);
  }
#endif
  return static_cast<long>(std::nearbyint(value));
}

}  // namespace

cv::Mat WarpCorrespondence::holeMask() const {
  cv::Mat holes;
  cv::compare(valid, 0, holes, cv::CMP_EQ);
  return holes / 255;
}

namespace {

WarpCorrespondence forwardWarp(const cv::Mat& disparity_px, WarpDirection direction,
                               bool with_source_x) {
  if (disparity_px.empty() || disparity_px.type() != CV_32FC1) {
    throw InputError("forward warp: expected a non-empty single-channel float32 disparity map");
  }
  if (std::fegetround() != FE_TONEAREST) std::fesetround(FE_TONEAREST);
  const int height = disparity_px.rows;
  const int width = disparity_px.cols;
  WarpCorrespondence result;
  if (with_source_x) result.source_x = cv::Mat(height, width, CV_32SC1, cv::Scalar(-1));
  result.valid = cv::Mat::zeros(height, width, CV_8UC1);
  result.disparity_px = cv::Mat::zeros(height, width, CV_32FC1);
  const bool is_left_to_right = direction == WarpDirection::kLeftToRight;

  cv::parallel_for_(cv::Range(0, height), [&](const cv::Range& rows) {
    // Locals, not the captured references: the byte stores below may alias any memory, and
    // the compiler would reload those after each.
    const int columns = width;
    const bool ascending = is_left_to_right;
    for (int y = rows.start; y < rows.end; ++y) {
      const float* d = disparity_px.ptr<float>(y);
      int* src = with_source_x ? result.source_x.ptr<int>(y) : nullptr;
      std::uint8_t* valid = result.valid.ptr<std::uint8_t>(y);
      float* target_d = result.disparity_px.ptr<float>(y);
      // Iterate so that the nearer surface is written last: for x_t = x - d two sources
      // x1 < x2 hitting one target have d2 > d1, so ascending x; mirrored for x_t = x + d.
      for (int i = 0; i < columns; ++i) {
        const int x = ascending ? i : columns - 1 - i;
        if (!std::isfinite(d[x])) continue;
        const long shift = roundHalfToEven(d[x]);
        const long xt = ascending ? x - shift : x + shift;
        if (xt < 0 || xt >= columns) continue;
        if (src != nullptr) src[xt] = x;
        valid[xt] = 1;
        target_d[xt] = d[x];
      }
    }
  });
  return result;
}

}  // namespace

WarpCorrespondence computeForwardWarp(const cv::Mat& disparity_px, WarpDirection direction) {
  return forwardWarp(disparity_px, direction, true);
}

WarpCorrespondence computeForwardTargets(const cv::Mat& disparity_px, WarpDirection direction) {
  return forwardWarp(disparity_px, direction, false);
}

cv::Mat applyWarp(const WarpCorrespondence& correspondence, const cv::Mat& source,
                  double hole_value) {
  if (source.rows != correspondence.source_x.rows || source.cols != correspondence.source_x.cols) {
    throw InputError("forward warp: image is " + std::to_string(source.cols) + "x" +
                     std::to_string(source.rows) + " but the disparity map is " +
                     std::to_string(correspondence.source_x.cols) + "x" +
                     std::to_string(correspondence.source_x.rows));
  }
  cv::Mat target(source.size(), source.type(), cv::Scalar::all(hole_value));
  const std::size_t pixel_bytes = source.elemSize();
  cv::parallel_for_(cv::Range(0, source.rows), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      const int* src_x = correspondence.source_x.ptr<int>(y);
      const std::uint8_t* in = source.ptr<std::uint8_t>(y);
      std::uint8_t* out = target.ptr<std::uint8_t>(y);
      for (int x = 0; x < source.cols; ++x) {
        if (src_x[x] >= 0) {
          std::memcpy(out + x * pixel_bytes, in + src_x[x] * pixel_bytes, pixel_bytes);
        }
      }
    }
  });
  return target;
}

}  // namespace genstereo

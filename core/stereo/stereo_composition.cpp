#include "stereo/stereo_composition.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstring>
#include <utility>

#include <opencv2/core/hal/intrin.hpp>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include "errors.h"

namespace genstereo {

namespace {

// Red-cyan least-squares anaglyph matrices published by Eric Dubois,
// "Conversion of a Stereo Pair to Anaglyph with the Least-Squares Projection Method"
// (2009), https://www.site.uottawa.ca/~edubois/anaglyph/LeastSquaresHowToPhotoshop.pdf,
// method of E. Dubois, "A projection method to generate anaglyph stereo images",
// IEEE ICASSP 2001. Rows: output R, G, B; columns: input R, G, B of one view. The method
// is defined on linear (gamma-decoded) RGB. For a grey pair L = R = (g, g, g) each output
// row sums to 1.0000 (red), 1.0000 (green) and 1.0000045 (blue), so grey stays grey.
constexpr float kDuboisLeft[3][3] = {
    {0.456100f, 0.500484f, 0.176381f},
    {-0.0400822f, -0.0378246f, -0.0157589f},
    {-0.0152161f, -0.0205971f, -0.00546856f},
};
constexpr float kDuboisRight[3][3] = {
    {-0.0434706f, -0.0879388f, -0.00155529f},
    {0.378476f, 0.73364f, -0.0184503f},
    {-0.0721527f, -0.112961f, 1.2264f},
};

// Rec. 601 luma weights on the gamma-encoded values (the classic grey anaglyph).
constexpr float kLumaR = 0.299f;
constexpr float kLumaG = 0.587f;
constexpr float kLumaB = 0.114f;

constexpr std::array<std::pair<StereoLayout, const char*>, 11> kLayoutNames = {{
    {StereoLayout::kAnaglyphDubois, "anaglyph"},
    {StereoLayout::kAnaglyphColor, "anaglyph-color"},
    {StereoLayout::kAnaglyphGray, "anaglyph-gray"},
    {StereoLayout::kSideBySideFull, "sbs"},
    {StereoLayout::kSideBySideHalf, "sbs-half"},
    {StereoLayout::kTopBottomFull, "tb"},
    {StereoLayout::kTopBottomHalf, "tb-half"},
    {StereoLayout::kCrossEyed, "cross"},
    {StereoLayout::kRowInterleaved, "rows"},
    {StereoLayout::kColumnInterleaved, "columns"},
    {StereoLayout::kCheckerboard, "checkerboard"},
}};

// One view's size; pixel (x, y) from the right view where `is_right(x, y)`, else the left.
template <typename IsRight>
cv::Mat interleaved(const cv::Mat& left, const cv::Mat& right, IsRight is_right) {
  cv::Mat out(left.size(), CV_32FC3);
  for (int y = 0; y < out.rows; ++y) {
    const cv::Vec3f* l = left.ptr<cv::Vec3f>(y);
    const cv::Vec3f* r = right.ptr<cv::Vec3f>(y);
    cv::Vec3f* o = out.ptr<cv::Vec3f>(y);
    for (int x = 0; x < out.cols; ++x) o[x] = is_right(x, y) ? r[x] : l[x];
  }
  return out;
}

std::string describe(const cv::Mat& image) {
  if (image.empty()) return "an empty image";
  return std::to_string(image.cols) + "x" + std::to_string(image.rows) + " " +
         cv::typeToString(image.type());
}

// IEC 61966-2-1 sRGB transfer functions; inputs are clamped to [0, 1]. Exact (std::pow)
// versions, used only to fill the lookup tables below.
double srgbToLinearExact(double encoded) {
  const double c = std::clamp(encoded, 0.0, 1.0);
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double linearToSrgbExact(double linear) {
  const double c = std::clamp(linear, 0.0, 1.0);
  return c <= 0.0031308 ? c * 12.92 : 1.055 * std::pow(c, 1.0 / 2.4) - 0.055;
}

// A transfer function on [0, 1] sampled at kSegments + 1 equally spaced points and evaluated
// by linear interpolation on the clamped float input: segment i holds the value at its start
// and its rise. Worst-case interpolation error, measured against the double-precision
// functions: ~2e-8 for sRGB -> linear (|f''| <= 3.1) and ~2e-5 for linear -> sRGB (|f''|
// peaks near 2.4e3 just above the 0.0031308 knee), far below the 1e-3 budget (a quarter of
// one 8-bit level).
class TransferTable {
 public:
  static constexpr int kSegments = 4096;

  template <typename Function>
  explicit TransferTable(Function function) {
    for (int i = 0; i < kSegments; ++i) {
      const double v0 = function(static_cast<double>(i) / kSegments);
      const double v1 = function(static_cast<double>(i + 1) / kSegments);
      start_[i] = static_cast<float>(v0);
      rise_[i] = static_cast<float>(v1 - v0);
    }
  }

  float operator()(float x) const {
    // Clamp to [0, 1]; written so that a NaN input maps to 0 and never indexes out of bounds.
    const float t = x > 0.0f ? (x < 1.0f ? x * kSegments : static_cast<float>(kSegments)) : 0.0f;
    const int i = std::min(static_cast<int>(t), kSegments - 1);
    const float frac = t - static_cast<float>(i);
    return start_[i] + frac * rise_[i];
  }

#if CV_SIMD128
  // Same as operator() on four lanes (the table reads are per-lane loads).
  cv::v_float32x4 operator()(const cv::v_float32x4& x) const {
    // _mm_max_ps / v_max with 0 as second operand also turns NaN into 0 on x86; the integer
    // clamp below keeps the index in range on every backend.
    const cv::v_float32x4 t =
        cv::v_min(cv::v_max(x * cv::v_setall_f32(float(kSegments)), cv::v_setzero_f32()),
                  cv::v_setall_f32(float(kSegments)));
    const cv::v_int32x4 i =
        cv::v_max(cv::v_min(cv::v_trunc(t), cv::v_setall_s32(kSegments - 1)), cv::v_setzero_s32());
    const cv::v_float32x4 frac = t - cv::v_cvt_f32(i);
    return cv::v_fma(frac, cv::v_lut(rise_.data(), i), cv::v_lut(start_.data(), i));
  }
#endif

 private:
  std::array<float, kSegments> start_{};
  std::array<float, kSegments> rise_{};
};

const TransferTable& srgbToLinearTable() {
  static const TransferTable table(srgbToLinearExact);
  return table;
}

const TransferTable& linearToSrgbTable() {
  static const TransferTable table(linearToSrgbExact);
  return table;
}

// One output pixel of the Dubois anaglyph (BGR storage, RGB matrices); scalar path.
inline void duboisPixel(const TransferTable& to_linear, const TransferTable& to_srgb,
                        const float* l_bgr, const float* r_bgr, float* out_bgr) {
  const float l[3] = {to_linear(l_bgr[2]), to_linear(l_bgr[1]), to_linear(l_bgr[0])};
  const float r[3] = {to_linear(r_bgr[2]), to_linear(r_bgr[1]), to_linear(r_bgr[0])};
  for (int row = 0; row < 3; ++row) {
    const float v = kDuboisLeft[row][0] * l[0] + kDuboisLeft[row][1] * l[1] +
                    kDuboisLeft[row][2] * l[2] + kDuboisRight[row][0] * r[0] +
                    kDuboisRight[row][1] * r[1] + kDuboisRight[row][2] * r[2];
    out_bgr[2 - row] = to_srgb(v);
  }
}

#if CV_SIMD128
// Output channel `row` (0 red, 1 green, 2 blue) of four pixels in linear light.
inline cv::v_float32x4 duboisRow(int row, const cv::v_float32x4 l[3], const cv::v_float32x4 r[3]) {
  cv::v_float32x4 acc = l[0] * cv::v_setall_f32(kDuboisLeft[row][0]);
  acc = cv::v_fma(l[1], cv::v_setall_f32(kDuboisLeft[row][1]), acc);
  acc = cv::v_fma(l[2], cv::v_setall_f32(kDuboisLeft[row][2]), acc);
  acc = cv::v_fma(r[0], cv::v_setall_f32(kDuboisRight[row][0]), acc);
  acc = cv::v_fma(r[1], cv::v_setall_f32(kDuboisRight[row][1]), acc);
  return cv::v_fma(r[2], cv::v_setall_f32(kDuboisRight[row][2]), acc);
}
#endif

// Rows go to cv::parallel_for_ workers; no allocation besides the output. Four pixels at a
// time with OpenCV universal intrinsics where available, the remaining pixels one by one.
cv::Mat anaglyphDubois(const cv::Mat& left, const cv::Mat& right) {
  const TransferTable& to_linear = srgbToLinearTable();
  const TransferTable& to_srgb = linearToSrgbTable();
  cv::Mat out(left.size(), CV_32FC3);
  const int cols = left.cols;
  cv::parallel_for_(cv::Range(0, left.rows), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      const float* l_row = left.ptr<float>(y);
      const float* r_row = right.ptr<float>(y);
      float* out_row = out.ptr<float>(y);
      int x = 0;
#if CV_SIMD128
      for (; x + 4 <= cols; x += 4) {
        cv::v_float32x4 lb, lg, lr, rb, rg, rr;
        cv::v_load_deinterleave(l_row + 3 * x, lb, lg, lr);
        cv::v_load_deinterleave(r_row + 3 * x, rb, rg, rr);
        const cv::v_float32x4 l[3] = {to_linear(lr), to_linear(lg), to_linear(lb)};
        const cv::v_float32x4 r[3] = {to_linear(rr), to_linear(rg), to_linear(rb)};
        cv::v_store_interleave(out_row + 3 * x, to_srgb(duboisRow(2, l, r)),
                               to_srgb(duboisRow(1, l, r)), to_srgb(duboisRow(0, l, r)));
      }
#endif
      for (; x < cols; ++x) {
        duboisPixel(to_linear, to_srgb, l_row + 3 * x, r_row + 3 * x, out_row + 3 * x);
      }
    }
  });
  return out;
}

// One pass per output row: (blue, green) from the right view, red from the left view.
cv::Mat anaglyphColor(const cv::Mat& left, const cv::Mat& right) {
  cv::Mat out(left.size(), CV_32FC3);
  cv::parallel_for_(cv::Range(0, left.rows), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      const cv::Vec3f* l_row = left.ptr<cv::Vec3f>(y);
      const cv::Vec3f* r_row = right.ptr<cv::Vec3f>(y);
      cv::Vec3f* out_row = out.ptr<cv::Vec3f>(y);
      for (int x = 0; x < left.cols; ++x) {
        out_row[x] = cv::Vec3f(r_row[x][0], r_row[x][1], l_row[x][2]);
      }
    }
  });
  return out;
}

// Rec. 601 luma of the left view in red, of the right view in green and blue; one pass.
// The sum is evaluated in the order blue, green, red like cv::transform with
// Matx13f(kLumaB, kLumaG, kLumaR).
cv::Mat anaglyphGray(const cv::Mat& left, const cv::Mat& right) {
  cv::Mat out(left.size(), CV_32FC3);
  cv::parallel_for_(cv::Range(0, left.rows), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      const cv::Vec3f* l_row = left.ptr<cv::Vec3f>(y);
      const cv::Vec3f* r_row = right.ptr<cv::Vec3f>(y);
      cv::Vec3f* out_row = out.ptr<cv::Vec3f>(y);
      for (int x = 0; x < left.cols; ++x) {
        const cv::Vec3f l = l_row[x], r = r_row[x];
        const float left_luma = kLumaB * l[0] + kLumaG * l[1] + kLumaR * l[2];
        const float right_luma = kLumaB * r[0] + kLumaG * r[1] + kLumaR * r[2];
        out_row[x] = cv::Vec3f(right_luma, right_luma, left_luma);
      }
    }
  });
  return out;
}

// Copies `first` and `second` (same type) next to each other (horizontal) or one over the
// other into a new image, rows in parallel: a memory-bound copy that replaces cv::hconcat /
// cv::vconcat with one pass whose page faults are spread over the workers.
cv::Mat concatenate(const cv::Mat& first, const cv::Mat& second, bool horizontal) {
  const cv::Size size = horizontal ? cv::Size(first.cols + second.cols, first.rows)
                                   : cv::Size(first.cols, first.rows + second.rows);
  cv::Mat out(size, first.type());
  const size_t first_bytes = first.cols * first.elemSize();
  const size_t second_bytes = second.cols * second.elemSize();
  cv::parallel_for_(cv::Range(0, out.rows), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      uchar* dst = out.ptr(y);
      if (horizontal) {
        std::memcpy(dst, first.ptr(y), first_bytes);
        std::memcpy(dst + first_bytes, second.ptr(y), second_bytes);
      } else if (y < first.rows) {
        std::memcpy(dst, first.ptr(y), first_bytes);
      } else {
        std::memcpy(dst, second.ptr(y - first.rows), second_bytes);
      }
    }
  });
  return out;
}

// cv::resize writes straight into `roi` (it has the target size and type already), so no
// temporary and no concatenation copy.
void squeezeInto(const cv::Mat& view, cv::Mat roi) {
  cv::resize(view, roi, roi.size(), 0.0, 0.0, cv::INTER_AREA);
}

cv::Mat sideBySideHalf(const cv::Mat& left, const cv::Mat& right) {
  const int left_width = left.cols / 2;
  const int right_width = left.cols - left_width;
  if (left_width == 0) {
    throw InputError("cannot squeeze a view " + std::to_string(left.cols) +
                     " pixel wide to half width for half side-by-side");
  }
  cv::Mat out(left.size(), left.type());
  squeezeInto(left, out(cv::Rect(0, 0, left_width, left.rows)));
  squeezeInto(right, out(cv::Rect(left_width, 0, right_width, right.rows)));
  return out;
}

cv::Mat topBottomHalf(const cv::Mat& left, const cv::Mat& right) {
  const int top_height = left.rows / 2;
  const int bottom_height = left.rows - top_height;
  if (top_height == 0) {
    throw InputError("cannot squeeze a view " + std::to_string(left.rows) +
                     " pixel high to half height for half top-bottom");
  }
  cv::Mat out(left.size(), left.type());
  squeezeInto(left, out(cv::Rect(0, 0, left.cols, top_height)));
  squeezeInto(right, out(cv::Rect(0, top_height, right.cols, bottom_height)));
  return out;
}

}  // namespace

std::string toString(StereoLayout layout) {
  for (const auto& [value, name] : kLayoutNames) {
    if (value == layout) return name;
  }
  return "unknown";
}

std::optional<StereoLayout> parseStereoLayout(const std::string& name) {
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [value, layout_name] : kLayoutNames) {
    if (lower == layout_name) return value;
  }
  return std::nullopt;
}

void checkStereoViews(const cv::Mat& left, const cv::Mat& right) {
  const bool is_valid = !left.empty() && !right.empty() && left.type() == CV_32FC3 &&
                        right.type() == CV_32FC3 && left.size() == right.size();
  if (!is_valid) {
    throw InputError(
        "the stereo views must be non-empty CV_32FC3 images of the same size; got left " +
        describe(left) + " and right " + describe(right));
  }
}

cv::Mat composeStereo(const cv::Mat& left, const cv::Mat& right, StereoLayout layout) {
  checkStereoViews(left, right);
  switch (layout) {
    case StereoLayout::kAnaglyphDubois:
      return anaglyphDubois(left, right);
    case StereoLayout::kAnaglyphColor:
      return anaglyphColor(left, right);
    case StereoLayout::kAnaglyphGray:
      return anaglyphGray(left, right);
    case StereoLayout::kSideBySideFull:
      return concatenate(left, right, /*horizontal=*/true);
    case StereoLayout::kSideBySideHalf:
      return sideBySideHalf(left, right);
    case StereoLayout::kTopBottomFull:
      return concatenate(left, right, /*horizontal=*/false);
    case StereoLayout::kTopBottomHalf:
      return topBottomHalf(left, right);
    case StereoLayout::kCrossEyed:
      return concatenate(right, left, /*horizontal=*/true);
    case StereoLayout::kRowInterleaved:
      return interleaved(left, right, [](int, int y) { return (y & 1) != 0; });
    case StereoLayout::kColumnInterleaved:
      return interleaved(left, right, [](int x, int) { return (x & 1) != 0; });
    case StereoLayout::kCheckerboard:
      return interleaved(left, right, [](int x, int y) { return ((x + y) & 1) != 0; });
  }
  throw InputError("unknown stereo layout " + std::to_string(static_cast<int>(layout)));
}

}  // namespace genstereo

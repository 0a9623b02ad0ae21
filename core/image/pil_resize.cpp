#include "image/pil_resize.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "errors.h"

namespace genstereo {

namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;

double bicubic(double x) {
  constexpr double a = -0.5;
  x = std::abs(x);
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
  if (x < 2.0) return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
  return 0.0;
}

double bilinear(double x) {
  x = std::abs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

// Pillow's lanczos_filter: sinc(x) * sinc(x / 3) on [-3, 3).
double sinc(double x) {
  if (x == 0.0) return 1.0;
  x *= 3.14159265358979323846;
  return std::sin(x) / x;
}

double lanczos(double x) { return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3.0) : 0.0; }

double supportOf(PilFilter filter) {
  switch (filter) {
    case PilFilter::kBilinear:
      return 1.0;
    case PilFilter::kBicubic:
      return 2.0;
    case PilFilter::kLanczos:
      return 3.0;
  }
  return 1.0;
}

double filterAt(PilFilter filter, double x) {
  switch (filter) {
    case PilFilter::kBilinear:
      return bilinear(x);
    case PilFilter::kBicubic:
      return bicubic(x);
    case PilFilter::kLanczos:
      return lanczos(x);
  }
  return 0.0;
}

struct Coefficients {
  int taps = 0;
  std::vector<int> start;       // first input index per output index
  std::vector<int> count;       // inputs used per output index
  std::vector<std::int32_t> k;  // taps coefficients per output index (fixed point)
};

// Pillow's precompute_coeffs + normalize_coeffs_8bpc.
Coefficients computeCoefficients(int in_size, int out_size, PilFilter filter) {
  const double support_base = supportOf(filter);
  const double scale = static_cast<double>(in_size) / out_size;
  const double filter_scale = std::max(scale, 1.0);
  const double support = support_base * filter_scale;
  Coefficients c;
  c.taps = static_cast<int>(std::ceil(support)) * 2 + 1;
  c.start.resize(static_cast<std::size_t>(out_size));
  c.count.resize(static_cast<std::size_t>(out_size));
  c.k.assign(static_cast<std::size_t>(out_size) * static_cast<std::size_t>(c.taps), 0);
  std::vector<double> weights(static_cast<std::size_t>(c.taps));
  for (int xx = 0; xx < out_size; ++xx) {
    const double center = (xx + 0.5) * scale;
    const double inverse = 1.0 / filter_scale;
    int xmin = static_cast<int>(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    int xmax = static_cast<int>(center + support + 0.5);
    if (xmax > in_size) xmax = in_size;
    xmax -= xmin;
    double total = 0.0;
    for (int x = 0; x < xmax; ++x) {
      const double arg = (x + xmin - center + 0.5) * inverse;
      const double w = filterAt(filter, arg);
      weights[static_cast<std::size_t>(x)] = w;
      total += w;
    }
    for (int x = 0; x < c.taps; ++x) {
      double w = x < xmax ? weights[static_cast<std::size_t>(x)] : 0.0;
      if (total != 0.0) w /= total;
      // Pillow rounds half away from zero here.
      const double fixed = w * (1 << kPrecisionBits);
      c.k[static_cast<std::size_t>(xx * c.taps + x)] =
          static_cast<std::int32_t>(fixed < 0 ? std::trunc(fixed - 0.5) : std::trunc(fixed + 0.5));
    }
    c.start[static_cast<std::size_t>(xx)] = xmin;
    c.count[static_cast<std::size_t>(xx)] = xmax;
  }
  return c;
}

inline std::uint8_t clip8(std::int64_t value) {
  const std::int64_t shifted = value >> kPrecisionBits;
  return static_cast<std::uint8_t>(std::min<std::int64_t>(255, std::max<std::int64_t>(0, shifted)));
}

cv::Mat resampleHorizontal(const cv::Mat& in, int out_width, PilFilter filter) {
  const Coefficients c = computeCoefficients(in.cols, out_width, filter);
  const int channels = in.channels();
  cv::Mat out(in.rows, out_width, in.type());
  for (int y = 0; y < in.rows; ++y) {
    const std::uint8_t* src = in.ptr<std::uint8_t>(y);
    std::uint8_t* dst = out.ptr<std::uint8_t>(y);
    for (int xx = 0; xx < out_width; ++xx) {
      const std::int32_t* k = &c.k[static_cast<std::size_t>(xx * c.taps)];
      const int xmin = c.start[static_cast<std::size_t>(xx)];
      for (int ch = 0; ch < channels; ++ch) {
        std::int64_t sum = std::int64_t{1} << (kPrecisionBits - 1);
        for (int x = 0; x < c.count[static_cast<std::size_t>(xx)]; ++x) {
          sum += static_cast<std::int64_t>(src[(x + xmin) * channels + ch]) * k[x];
        }
        dst[xx * channels + ch] = clip8(sum);
      }
    }
  }
  return out;
}

cv::Mat resampleVertical(const cv::Mat& in, int out_height, PilFilter filter) {
  const Coefficients c = computeCoefficients(in.rows, out_height, filter);
  const int row_values = in.cols * in.channels();
  cv::Mat out(out_height, in.cols, in.type());
  for (int yy = 0; yy < out_height; ++yy) {
    const std::int32_t* k = &c.k[static_cast<std::size_t>(yy * c.taps)];
    const int ymin = c.start[static_cast<std::size_t>(yy)];
    std::uint8_t* dst = out.ptr<std::uint8_t>(yy);
    for (int i = 0; i < row_values; ++i) {
      std::int64_t sum = std::int64_t{1} << (kPrecisionBits - 1);
      for (int y = 0; y < c.count[static_cast<std::size_t>(yy)]; ++y) {
        sum += static_cast<std::int64_t>(in.ptr<std::uint8_t>(y + ymin)[i]) * k[y];
      }
      dst[i] = clip8(sum);
    }
  }
  return out;
}

}  // namespace

cv::Mat pilResize(const cv::Mat& image, cv::Size size, PilFilter filter) {
  if (image.empty() || (image.type() != CV_8UC1 && image.type() != CV_8UC3) || size.width <= 0 ||
      size.height <= 0) {
    throw InputError("PIL resize: expected a non-empty 8-bit image and a positive size");
  }
  // Pillow resamples horizontally first, then vertically, each only when the size changes.
  cv::Mat result = image;
  if (size.width != image.cols) result = resampleHorizontal(result, size.width, filter);
  if (size.height != image.rows) result = resampleVertical(result, size.height, filter);
  return result.data == image.data ? image.clone() : result;
}

}  // namespace genstereo

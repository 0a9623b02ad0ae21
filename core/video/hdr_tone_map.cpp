#include "video/hdr_tone_map.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "errors.h"

namespace genstereo {

namespace {

// SMPTE ST 2084 EOTF: code value [0, 1] -> luminance / 10000 cd/m2.
double pqToLinear(double code) {
  constexpr double m1 = 2610.0 / 16384.0;
  constexpr double m2 = 2523.0 / 4096.0 * 128.0;
  constexpr double c1 = 3424.0 / 4096.0;
  constexpr double c2 = 2413.0 / 4096.0 * 32.0;
  constexpr double c3 = 2392.0 / 4096.0 * 32.0;
  const double p = std::pow(std::clamp(code, 0.0, 1.0), 1.0 / m2);
  return std::pow(std::max(p - c1, 0.0) / (c2 - c3 * p), 1.0 / m1);
}

// BT.709 OETF (linear [0, 1] -> code value).
double bt709Oetf(double linear) {
  linear = std::clamp(linear, 0.0, 1.0);
  return linear < 0.018 ? 4.5 * linear : 1.099 * std::pow(linear, 0.45) - 0.099;
}

}  // namespace

double peakNitsFromMaxCll(const std::string& max_cll, double fallback) {
  try {
    const double value = std::stod(max_cll);
    if (value >= 100.0 && value <= 10000.0) return value;
  } catch (const std::exception&) {
  }
  return fallback;
}

cv::Mat toneMapHdr10ToSdr(const cv::Mat& bgr_pq, const ToneMapSettings& settings) {
  if (bgr_pq.empty() || (bgr_pq.type() != CV_16UC3 && bgr_pq.type() != CV_32FC3)) {
    throw InputError("tone mapping takes a CV_16UC3 or CV_32FC3 BGR frame");
  }
  // PQ code -> linear: a 4096-entry table over the code value, linearly interpolated (finer
  // than a 10-bit source's steps).
  constexpr int kTable = 4096;
  static const std::vector<float> table = [] {
    std::vector<float> t(kTable + 1);
    for (int i = 0; i <= kTable; ++i)
      t[i] = static_cast<float>(pqToLinear(static_cast<double>(i) / kTable));
    return t;
  }();
  // BT.2020 -> BT.709 (linear RGB), ITU-R BT.2087.
  constexpr double m[3][3] = {
      {1.6605, -0.5876, -0.0728}, {-0.1246, 1.1329, -0.0083}, {-0.0182, -0.1006, 1.1187}};
  const double scale = 10000.0 / settings.reference_white_nits;  // 1 = reference white
  const double white = std::max(1.0, settings.peak_nits / settings.reference_white_nits);
  const double white2 = white * white;
  cv::Mat out(bgr_pq.size(), CV_32FC3);
  const bool is16 = bgr_pq.type() == CV_16UC3;
  for (int y = 0; y < bgr_pq.rows; ++y) {
    cv::Vec3f* o = out.ptr<cv::Vec3f>(y);
    for (int x = 0; x < bgr_pq.cols; ++x) {
      double bgr[3];
      for (int c = 0; c < 3; ++c) {
        const double code =
            is16 ? bgr_pq.ptr<cv::Vec3w>(y)[x][c] / 65535.0 : bgr_pq.ptr<cv::Vec3f>(y)[x][c];
        const double position = std::clamp(code, 0.0, 1.0) * kTable;
        const int i = std::min(kTable - 1, static_cast<int>(position));
        const double f = position - i;
        bgr[c] = (table[i] * (1.0 - f) + table[i + 1] * f) * scale;
      }
      const double r2020 = bgr[2], g2020 = bgr[1], b2020 = bgr[0];
      double rgb[3];
      for (int k = 0; k < 3; ++k) rgb[k] = m[k][0] * r2020 + m[k][1] * g2020 + m[k][2] * b2020;
      const double luminance = std::max(0.0, 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]);
      const double mapped = luminance * (1.0 + luminance / white2) / (1.0 + luminance);
      const double gain = luminance > 1e-9 ? mapped / luminance : 0.0;
      o[x] = cv::Vec3f(static_cast<float>(bt709Oetf(rgb[2] * gain)),
                       static_cast<float>(bt709Oetf(rgb[1] * gain)),
                       static_cast<float>(bt709Oetf(rgb[0] * gain)));
    }
  }
  return out;
}

}  // namespace genstereo

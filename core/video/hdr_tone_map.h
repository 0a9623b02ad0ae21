// HDR10 (SMPTE ST 2084 "PQ" transfer, BT.2020 primaries) to SDR (BT.709 primaries and
// transfer) for sources whose output cannot stay HDR (an 8-bit or x264 output): without it the
// PQ code values would be shown as BT.709 and look washed out (nunif #372).
#pragma once

#include <string>

#include <opencv2/core.hpp>

namespace genstereo {

struct ToneMapSettings {
  double peak_nits = 1000.0;            // the source's brightest level (MaxCLL when it says so)
  double reference_white_nits = 203.0;  // HDR reference white (ITU-R BT.2408) -> SDR white
};

// `bgr_pq`: CV_16UC3 (full 16-bit range) or CV_32FC3 [0, 1], PQ-encoded BT.2020 RGB in BGR
// order. Returns CV_32FC3 [0, 1] BGR, BT.709 primaries, BT.709 transfer: PQ decoded to nits,
// BT.2020 -> BT.709 primaries, luminance tone-mapped by extended Reinhard with the reference
// white at 1 and the peak at the curve's white point, out-of-gamut colours clipped.
cv::Mat toneMapHdr10ToSdr(const cv::Mat& bgr_pq, const ToneMapSettings& settings = {});

// The peak in nits from an x265-style "max-cll" value ("1000,400"), or `fallback`.
double peakNitsFromMaxCll(const std::string& max_cll, double fallback = 1000.0);

}  // namespace genstereo

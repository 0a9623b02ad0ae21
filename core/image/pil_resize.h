// Pillow's Image.resize for 8-bit RGB images (BICUBIC, BILINEAR and LANCZOS), reproduced exactly:
// the separable convolution with the filter support widened by the scale when down-sampling
// (anti-aliasing), fixed-point coefficients with 22 fractional bits, and an 8-bit intermediate
// image between the horizontal and the vertical pass. The official GenStereo code resizes
// with PIL (the CLIP preprocessing, test.py's input resize); OpenCV's resize differs.
#pragma once

#include <opencv2/core.hpp>

namespace genstereo {

enum class PilFilter { kBilinear, kBicubic, kLanczos };

// `image` is CV_8UC1 or CV_8UC3; returns the same type at `size`.
cv::Mat pilResize(const cv::Mat& image, cv::Size size, PilFilter filter);

}  // namespace genstereo

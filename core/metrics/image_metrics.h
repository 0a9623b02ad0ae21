// Full-reference image quality metrics: PSNR, SSIM and MAE between two images of the same
// size and type, optionally restricted to a mask.
//
// Images: cv::Mat of depth CV_32F with 1 to 4 channels (the engine uses CV_32FC3 BGR or
// CV_32FC1), values in [0, 1]; the peak value (dynamic range L) is 1.
// Mask: an optional CV_8UC1 Mat of the same size; a pixel is included when its mask value is
// non-zero. An empty cv::Mat means "every pixel". A mask that includes no pixel gives NaN.
// All sums are accumulated in double precision.
#pragma once

#include <cstdint>

#include <opencv2/core.hpp>

namespace genstereo {

// The three metrics of one comparison.
struct ImageComparison {
  double psnr_db = 0.0;          // +infinity for identical images
  double ssim = 0.0;             // 1 for identical images
  double mae = 0.0;              // mean absolute difference, in [0, 1] units
  std::int64_t pixel_count = 0;  // pixels included (mask pixels, or all); channels not counted
};

// Peak signal-to-noise ratio in dB with peak 1.0: 10 * log10(1 / MSE), the MSE averaged over
// the channels and the included pixels. +infinity when the images are identical there.
double computePsnr(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask = cv::Mat());

// Structural similarity (Wang, Bovik, Sheikh, Simoncelli 2004) with an 11x11 Gaussian window,
// sigma 1.5, C1 = (0.01 L)^2, C2 = (0.03 L)^2, L = 1, computed per channel.
// Border handling ("same" mode): the local statistics are computed for every pixel with the
// window reflected at the image border (cv::BORDER_REFLECT: fedcba|abcdef|fedcba), so the
// SSIM map has the size of the image and a mask can select any pixel. The result is the mean
// of the SSIM map over the included pixels and the channels. The window itself always sees
// the full image (pixels outside the mask still contribute to their neighbours' statistics).
// Note: scikit-image's structural_similarity(gaussian_weights=True) instead averages only
// the "valid" interior (5 pixels cropped on each side), so values differ slightly near borders.
double computeSsim(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask = cv::Mat());

// Mean absolute difference over the channels and the included pixels, in [0, 1] units.
double computeMae(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask = cv::Mat());

// The three metrics at once (the inputs are checked and traversed once for PSNR and MAE).
ImageComparison compareImages(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask = cv::Mat());

}  // namespace genstereo

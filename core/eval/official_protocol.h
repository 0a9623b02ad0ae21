// GenStereo's own evaluation protocol (official evaluation.py at commit e437c28; see
// ../shared/docs/GENSTEREO.md, "Official evaluation protocol"), the parts `eval --protocol
// official` needs around the engine:
//   pairs: both views resized to S x S with Pillow's bilinear filter (aspect ratio not kept),
//          the ground-truth disparity resized nearest to S x S and multiplied by S / W;
//   scores: both right views quantised to 8 bits (the official script saves PNGs), resized to
//          512 x 512 with OpenCV's bicubic filter, then piq.psnr and piq.ssim (data range 1).
// Deviation: unknown ground-truth disparities (inf) are filled from the background before the
// warp, as everywhere in this engine; the official script passes inf on, which leaves those
// pixels unwarped.
#pragma once

#include <opencv2/core.hpp>

#include "eval/dataset_evaluation.h"
#include "stereo/disparity_map.h"

namespace genstereo {

// Resizes one pair in place (images CV_32FC3 [0,1]).
void prepareOfficialPair(int size, cv::Mat& left, cv::Mat& right, DisparityMap& disparity);

// piq.psnr(x, y, data_range=1): 10 log10(1 / (mse + 1e-8)), mse over every channel and pixel.
double piqPsnr(const cv::Mat& a01, const cv::Mat& b01);
// piq.ssim(x, y, data_range=1) with its defaults: 2x2 average-pool downsampling when
// round(min(H, W) / 256) >= 2 (by that factor), Gaussian 11x11 sigma 1.5, k1 0.01, k2 0.03,
// no padding (valid window), mean over channels and positions.
double piqSsim(const cv::Mat& a01, const cv::Mat& b01);

// Scores a synthesised right view against the real one (both at S x S) by the official rule;
// the occluded / visible columns use this engine's masked metrics on the 512 x 512 images.
void scoreOfficially(const cv::Mat& synthesized, const cv::Mat& real, const cv::Mat& holes,
                     MethodScores& scores);

}  // namespace genstereo

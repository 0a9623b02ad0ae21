// The CLIP image preprocessing GenStereo uses (a default-constructed transformers
// CLIPImageProcessor): RGB, Pillow bicubic resize of the short side to 224, centre crop
// 224 x 224, x / 255, normalisation with the OpenAI CLIP mean and standard deviation.
#pragma once

#include <opencv2/core.hpp>

namespace genstereo {

// `rgb8` is CV_8UC3 in RGB order. Returns CV_32FC3 224 x 224, RGB order, normalised.
cv::Mat clipPreprocess(const cv::Mat& rgb8);

}  // namespace genstereo

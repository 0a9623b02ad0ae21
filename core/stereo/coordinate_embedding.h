// The disparity-aware coordinate embedding of GenStereo (NeRF-style Fourier features of the
// pixel grid, multires 2) and the 14-channel condition maps built from it.
#pragma once

#include <opencv2/core.hpp>

namespace genstereo {

constexpr int kCoordinateEmbeddingChannels = 10;
constexpr int kConditionMapChannels = 14;

// CV_32FC(10), HxW. Channel order as official:
//   u, v, sin u, sin v, cos u, cos v, sin 2u, sin 2v, cos 2u, cos 2v
// with u = column / H and v = row / W (sic: the official code divides x by H and y by W;
// it only matters for non-square inputs).
cv::Mat computeCoordinateEmbedding(int width, int height);

// Condition map: embedding (10) | hole mask (1, 1 = nothing landed) | image in [-1, 1] (3,
// RGB order as in the official tensors). `image_rgb_m11` is CV_32FC3 in RGB order, [-1, 1];
// `hole_mask` is CV_8UC1 (0/1) or empty for the source view (all zeros).
cv::Mat makeConditionMap(const cv::Mat& embedding, const cv::Mat& hole_mask,
                         const cv::Mat& image_rgb_m11);

}  // namespace genstereo

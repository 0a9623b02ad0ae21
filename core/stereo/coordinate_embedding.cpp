#include "stereo/coordinate_embedding.h"

#include <cmath>
#include <string>
#include <vector>

#include "errors.h"

namespace genstereo {

cv::Mat computeCoordinateEmbedding(int width, int height) {
  if (width <= 0 || height <= 0) {
    throw InputError("coordinate embedding: invalid size " + std::to_string(width) + "x" +
                     std::to_string(height));
  }
  cv::Mat embedding(height, width, CV_32FC(kCoordinateEmbeddingChannels));
  const float divisor_u = static_cast<float>(height);
  const float divisor_v = static_cast<float>(width);
  for (int y = 0; y < height; ++y) {
    float* out = embedding.ptr<float>(y);
    const float v = static_cast<float>(y) / divisor_v;
    for (int x = 0; x < width; ++x) {
      const float u = static_cast<float>(x) / divisor_u;
      float* px = out + x * kCoordinateEmbeddingChannels;
      px[0] = u;
      px[1] = v;
      px[2] = std::sin(u);
      px[3] = std::sin(v);
      px[4] = std::cos(u);
      px[5] = std::cos(v);
      px[6] = std::sin(2.0f * u);
      px[7] = std::sin(2.0f * v);
      px[8] = std::cos(2.0f * u);
      px[9] = std::cos(2.0f * v);
    }
  }
  return embedding;
}

cv::Mat makeConditionMap(const cv::Mat& embedding, const cv::Mat& hole_mask,
                         const cv::Mat& image_rgb_m11) {
  if (embedding.type() != CV_32FC(kCoordinateEmbeddingChannels) ||
      image_rgb_m11.type() != CV_32FC3 || embedding.size() != image_rgb_m11.size() ||
      (!hole_mask.empty() &&
       (hole_mask.type() != CV_8UC1 || hole_mask.size() != embedding.size()))) {
    throw InputError(
        "condition map: expected a 10-channel embedding, a 3-channel float image "
        "and an optional 8-bit mask of the same size");
  }
  cv::Mat hole;
  if (hole_mask.empty()) {
    hole = cv::Mat::zeros(embedding.size(), CV_32FC1);
  } else {
    hole_mask.convertTo(hole, CV_32F);
  }
  std::vector<cv::Mat> parts = {embedding, hole, image_rgb_m11};
  cv::Mat condition;
  cv::merge(parts, condition);
  return condition;
}

}  // namespace genstereo

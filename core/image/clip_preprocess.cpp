#include "image/clip_preprocess.h"

#include "errors.h"
#include "image/pil_resize.h"

namespace genstereo {

cv::Mat clipPreprocess(const cv::Mat& rgb8) {
  if (rgb8.empty() || rgb8.type() != CV_8UC3)
    throw InputError("CLIP preprocessing expects an 8-bit RGB image");
  constexpr int kSize = 224;
  constexpr double kMean[3] = {0.48145466, 0.4578275, 0.40821073};
  constexpr double kStd[3] = {0.26862954, 0.26130258, 0.27577711};
  // transformers: the short side becomes 224, the long side int(224 * long / short).
  const bool is_wide = rgb8.cols >= rgb8.rows;
  const int short_side = is_wide ? rgb8.rows : rgb8.cols;
  const int long_side = is_wide ? rgb8.cols : rgb8.rows;
  const int new_long = static_cast<int>(static_cast<double>(kSize) * long_side / short_side);
  const cv::Size size = is_wide ? cv::Size(new_long, kSize) : cv::Size(kSize, new_long);
  const cv::Mat resized = pilResize(rgb8, size, PilFilter::kBicubic);
  const int top = (resized.rows - kSize) / 2;
  const int left = (resized.cols - kSize) / 2;
  const cv::Mat cropped = resized(cv::Rect(left, top, kSize, kSize));
  cv::Mat out(kSize, kSize, CV_32FC3);
  for (int y = 0; y < kSize; ++y) {
    const cv::Vec3b* in = cropped.ptr<cv::Vec3b>(y);
    cv::Vec3f* o = out.ptr<cv::Vec3f>(y);
    for (int x = 0; x < kSize; ++x) {
      for (int c = 0; c < 3; ++c)
        o[x][c] = static_cast<float>((in[x][c] / 255.0 - kMean[c]) / kStd[c]);
    }
  }
  return out;
}

}  // namespace genstereo

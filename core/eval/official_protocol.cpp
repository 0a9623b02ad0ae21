#include "eval/official_protocol.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "image/pil_resize.h"
#include "metrics/image_metrics.h"

namespace genstereo {

namespace {

cv::Mat to8bit(const cv::Mat& image01) {
  cv::Mat image8;
  image01.convertTo(image8, CV_8U, 255.0);  // saturating, rounded: as saving a PNG
  return image8;
}

cv::Mat to01(const cv::Mat& image8) {
  cv::Mat image01;
  image8.convertTo(image01, CV_32F, 1.0 / 255.0);
  return image01;
}

// The official metric input: an 8-bit image resized to 512 x 512 with cv2.INTER_CUBIC, in [0, 1].
cv::Mat metricInput(const cv::Mat& image01) {
  cv::Mat resized;
  cv::resize(to8bit(image01), resized, {512, 512}, 0, 0, cv::INTER_CUBIC);
  return to01(resized);
}

cv::Mat averagePool(const cv::Mat& image, int factor) {
  const int rows = image.rows / factor;
  const int cols = image.cols / factor;
  cv::Mat pooled;
  cv::resize(image(cv::Rect(0, 0, cols * factor, rows * factor)), pooled, {cols, rows}, 0, 0,
             cv::INTER_AREA);
  return pooled;
}

}  // namespace

void prepareOfficialPair(int size, cv::Mat& left, cv::Mat& right, DisparityMap& disparity) {
  const double scale = static_cast<double>(size) / left.cols;
  left = to01(pilResize(to8bit(left), {size, size}, PilFilter::kBilinear));
  right = to01(pilResize(to8bit(right), {size, size}, PilFilter::kBilinear));
  DisparityMap resized;
  cv::resize(disparity.values, resized.values, {size, size}, 0, 0, cv::INTER_NEAREST);
  cv::resize(disparity.valid, resized.valid, {size, size}, 0, 0, cv::INTER_NEAREST);
  resized.values *= scale;
  disparity = resized;
}

double piqPsnr(const cv::Mat& a01, const cv::Mat& b01) {
  cv::Mat difference;
  cv::subtract(a01, b01, difference, cv::noArray(), CV_64F);
  const double mse =
      cv::mean(difference.mul(difference)).dot(cv::Scalar::all(1.0)) / a01.channels();
  return 10.0 * std::log10(1.0 / (mse + 1e-8));
}

double piqSsim(const cv::Mat& a01, const cv::Mat& b01) {
  cv::Mat x, y;
  a01.convertTo(x, CV_64F);
  b01.convertTo(y, CV_64F);
  const int factor = std::max(1, static_cast<int>(std::lround(std::min(x.rows, x.cols) / 256.0)));
  if (factor > 1) {
    x = averagePool(x, factor);
    y = averagePool(y, factor);
  }
  const int window = 11;
  const cv::Mat g = cv::getGaussianKernel(window, 1.5, CV_64F);
  const cv::Mat kernel = g * g.t();
  auto filter = [&](const cv::Mat& image) {  // valid positions only (no padding)
    cv::Mat full;
    cv::filter2D(image, full, CV_64F, kernel, cv::Point(-1, -1), 0, cv::BORDER_CONSTANT);
    const int r = window / 2;
    return full(cv::Rect(r, r, image.cols - 2 * r, image.rows - 2 * r)).clone();
  };
  const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
  const cv::Mat mu_x = filter(x), mu_y = filter(y);
  const cv::Mat mu_xx = mu_x.mul(mu_x), mu_yy = mu_y.mul(mu_y), mu_xy = mu_x.mul(mu_y);
  const cv::Mat sigma_xx = filter(x.mul(x)) - mu_xx;
  const cv::Mat sigma_yy = filter(y.mul(y)) - mu_yy;
  const cv::Mat sigma_xy = filter(x.mul(y)) - mu_xy;
  cv::Mat numerator = (2.0 * mu_xy + c1).mul(2.0 * sigma_xy + c2);
  cv::Mat denominator = (mu_xx + mu_yy + c1).mul(sigma_xx + sigma_yy + c2);
  cv::Mat ssim_map;
  cv::divide(numerator, denominator, ssim_map);
  return cv::mean(ssim_map).dot(cv::Scalar::all(1.0)) / ssim_map.channels();
}

void scoreOfficially(const cv::Mat& synthesized, const cv::Mat& real, const cv::Mat& holes,
                     MethodScores& scores) {
  const cv::Mat a = metricInput(synthesized);
  const cv::Mat b = metricInput(real);
  scores.all = compareImages(a, b);
  scores.all.psnr_db = piqPsnr(a, b);
  scores.all.ssim = piqSsim(a, b);
  cv::Mat holes512;
  cv::resize(holes, holes512, {512, 512}, 0, 0, cv::INTER_NEAREST);
  scores.occluded = compareImages(a, b, holes512);
  scores.visible = compareImages(a, b, holes512 == 0);
}

}  // namespace genstereo

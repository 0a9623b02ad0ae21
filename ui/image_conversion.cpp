#include "image_conversion.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

namespace genstereo::ui {

namespace {

int cvColorMap(ColorMap map) {
  return map == ColorMap::kTurbo ? cv::COLORMAP_TURBO : cv::COLORMAP_INFERNO;
}

QImage bgr8ToQImage(const cv::Mat& bgr8) {
  cv::Mat rgb8;
  cv::cvtColor(bgr8, rgb8, cv::COLOR_BGR2RGB);
  QImage image(rgb8.cols, rgb8.rows, QImage::Format_RGB888);
  for (int y = 0; y < rgb8.rows; ++y) {
    std::copy_n(rgb8.ptr<uchar>(y), static_cast<size_t>(rgb8.cols) * 3, image.scanLine(y));
  }
  return image;
}

}  // namespace

QImage toQImage(const cv::Mat& bgr01) {
  if (bgr01.empty()) return {};
  cv::Mat bgr8;
  bgr01.convertTo(bgr8, CV_8U, 255.0);
  if (bgr8.channels() == 1) cv::cvtColor(bgr8, bgr8, cv::COLOR_GRAY2BGR);
  return bgr8ToQImage(bgr8);
}

QImage holesToQImage(const cv::Mat& valid) {
  if (valid.empty()) return {};
  QImage image(valid.cols, valid.rows, QImage::Format_Grayscale8);
  for (int y = 0; y < valid.rows; ++y) {
    const uchar* row = valid.ptr<uchar>(y);
    uchar* out = image.scanLine(y);
    for (int x = 0; x < valid.cols; ++x) out[x] = row[x] == 0 ? 255 : 0;
  }
  return image;
}

QImage colorMapped(const cv::Mat& values, double min_value, double max_value, ColorMap map) {
  if (values.empty()) return {};
  const double range = max_value > min_value ? max_value - min_value : 1.0;
  cv::Mat gray8;
  values.convertTo(gray8, CV_8U, 255.0 / range, -min_value * 255.0 / range);
  cv::Mat colored;
  cv::applyColorMap(gray8, colored, cvColorMap(map));
  return bgr8ToQImage(colored);
}

QColor colorMapColor(ColorMap map, double t) {
  cv::Mat gray(1, 1, CV_8UC1, cv::Scalar(std::clamp(t, 0.0, 1.0) * 255.0 + 0.5));
  cv::Mat colored;
  cv::applyColorMap(gray, colored, cvColorMap(map));
  const cv::Vec3b bgr = colored.at<cv::Vec3b>(0, 0);
  return QColor(bgr[2], bgr[1], bgr[0]);
}

}  // namespace genstereo::ui

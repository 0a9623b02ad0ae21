// cv::Mat (engine convention: CV_32FC3 BGR [0, 1], CV_32FC1, CV_8UC1 masks) -> QImage for
// display, and the colour maps of the inspection views.
#pragma once

#include <QColor>
#include <QImage>

#include <opencv2/core.hpp>

namespace genstereo::ui {

// A colour map used by the inspection views and their legends.
enum class ColorMap {
  kTurbo,    // disparity: blue (far) -> red (near)
  kInferno,  // fusion weights: black (generated) -> yellow (warped)
};

// CV_32FC3 BGR [0, 1] -> QImage RGB888 (deep copy, rounded and clamped).
QImage toQImage(const cv::Mat& bgr01);

// CV_8UC1 validity mask -> QImage Grayscale8: white where the mask is 0 (a hole).
QImage holesToQImage(const cv::Mat& valid);

// CV_32FC1 values mapped linearly from [min_value, max_value] through `map`.
QImage colorMapped(const cv::Mat& values, double min_value, double max_value, ColorMap map);

// The colour `map` gives to t in [0, 1] (for legends).
QColor colorMapColor(ColorMap map, double t);

}  // namespace genstereo::ui

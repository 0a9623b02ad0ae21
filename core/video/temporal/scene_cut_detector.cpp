#include "video/temporal/scene_cut_detector.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <opencv2/imgproc.hpp>

#include "errors.h"

namespace genstereo {
namespace {

constexpr int kThumbWidthPx = 64;
constexpr int kThumbHeightPx = 36;
constexpr int kHistogramBins = 32;

cv::Mat thumbnail(const cv::Mat& bgr8) {
  if (bgr8.empty() || bgr8.type() != CV_8UC3) {
    throw InputError(
        "scene cut detector: expected a non-empty 8-bit BGR frame (CV_8UC3), got type " +
        std::to_string(bgr8.type()) + " of " + std::to_string(bgr8.cols) + "x" +
        std::to_string(bgr8.rows));
  }
  cv::Mat small;
  cv::resize(bgr8, small, cv::Size(kThumbWidthPx, kThumbHeightPx), 0.0, 0.0, cv::INTER_AREA);
  cv::Mat gray;
  cv::cvtColor(small, gray, cv::COLOR_BGR2GRAY);
  return gray;
}

// Half the L1 distance of the two normalised luma histograms, in [0, 1].
double histogramDistance(const cv::Mat& a, const cv::Mat& b) {
  double ha[kHistogramBins] = {};
  double hb[kHistogramBins] = {};
  for (int y = 0; y < a.rows; ++y) {
    const std::uint8_t* pa = a.ptr<std::uint8_t>(y);
    const std::uint8_t* pb = b.ptr<std::uint8_t>(y);
    for (int x = 0; x < a.cols; ++x) {
      ha[pa[x] * kHistogramBins / 256] += 1.0;
      hb[pb[x] * kHistogramBins / 256] += 1.0;
    }
  }
  const double pixel_count = static_cast<double>(a.total());
  double l1 = 0.0;
  for (int i = 0; i < kHistogramBins; ++i) l1 += std::abs(ha[i] - hb[i]);
  return 0.5 * l1 / pixel_count;
}

}  // namespace

SceneCutDetector::SceneCutDetector(SceneCutSettings settings) : settings_(settings) {
  if (!(settings_.threshold >= 0.0 && settings_.threshold <= 1.0)) {
    throw InputError("scene cut detector: threshold must be in [0, 1], got " +
                     std::to_string(settings_.threshold));
  }
  if (settings_.min_scene_frames < 1) {
    throw InputError("scene cut detector: min_scene_frames must be at least 1, got " +
                     std::to_string(settings_.min_scene_frames));
  }
}

bool SceneCutDetector::push(const cv::Mat& bgr8) {
  cv::Mat gray = thumbnail(bgr8);
  bool is_cut = false;
  if (!has_previous_) {
    last_score_ = 0.0;
    frames_since_cut_ = 1;
  } else {
    const double hist_distance = histogramDistance(gray, previous_);
    const double mean_abs_diff =
        cv::norm(gray, previous_, cv::NORM_L1) / (255.0 * static_cast<double>(gray.total()));
    last_score_ = std::sqrt(hist_distance * std::min(1.0, 2.0 * mean_abs_diff));
    if (last_score_ > settings_.threshold && frames_since_cut_ >= settings_.min_scene_frames) {
      is_cut = true;
      frames_since_cut_ = 0;
    }
    ++frames_since_cut_;
  }
  previous_ = gray;
  has_previous_ = true;
  return is_cut;
}

double SceneCutDetector::lastScore() const { return last_score_; }

void SceneCutDetector::reset() {
  previous_.release();
  last_score_ = 0.0;
  frames_since_cut_ = 0;
  has_previous_ = false;
}

}  // namespace genstereo

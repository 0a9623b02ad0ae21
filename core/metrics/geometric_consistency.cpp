#include "metrics/geometric_consistency.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "stereo/forward_warp.h"

namespace genstereo {

namespace {

std::string sizeText(const cv::Mat& m) {
  return std::to_string(m.cols) + "x" + std::to_string(m.rows);
}

cv::Mat toGray8(const cv::Mat& image01) {
  cv::Mat gray;
  if (image01.channels() == 3) {
    cv::cvtColor(image01, gray, cv::COLOR_BGR2GRAY);
  } else if (image01.channels() == 1) {
    gray = image01;
  } else {
    throw InputError("geometric consistency: expected a 1- or 3-channel image, got " +
                     std::to_string(image01.channels()) + " channels");
  }
  cv::Mat gray8;
  gray.convertTo(gray8, CV_8U, image01.depth() == CV_8U ? 1.0 : 255.0);
  return gray8;
}

int roundUpTo16(int value) { return std::max(16, (value + 15) / 16 * 16); }

// Columns StereoSGBM needs for a search range: the range itself, both sides of zero, plus a
// matching block. OpenCV aborts the process (an exception thrown inside its parallel loop
// ends in std::terminate) when the range reaches the image width, so this is checked first.
long long requiredWidthPx(int min_disparity, int num_disparities, int block_size) {
  const long long max_disparity = static_cast<long long>(min_disparity) + num_disparities;
  return std::max(max_disparity, 0LL) - std::min(static_cast<long long>(min_disparity), 0LL) +
         block_size + 1;
}

}  // namespace

bool sgbmRangeFits(int width_px, int height_px, int min_disparity, int num_disparities,
                   int block_size) {
  return height_px >= std::max(kMinSgbmHeightPx, block_size) && width_px > kMinSgbmWidthPx &&
         requiredWidthPx(min_disparity, num_disparities, block_size) <= width_px;
}

cv::Mat computeLeftVisibility(const cv::Mat& disparity_px) {
  CV_Assert(disparity_px.type() == CV_32FC1);
  const WarpCorrespondence warp = computeForwardWarp(disparity_px, WarpDirection::kLeftToRight);
  cv::Mat visible = cv::Mat::zeros(disparity_px.size(), CV_8UC1);
  for (int y = 0; y < disparity_px.rows; ++y) {
    const int* source = warp.source_x.ptr<int>(y);
    std::uint8_t* out = visible.ptr<std::uint8_t>(y);
    for (int x = 0; x < disparity_px.cols; ++x) {
      if (source[x] >= 0 && source[x] < disparity_px.cols) out[source[x]] = 1;
    }
  }
  return visible;
}

cv::Mat computeSgbmDisparity(const cv::Mat& left, const cv::Mat& right, int min_disparity,
                             int num_disparities, const ConsistencyParams& params) {
  if (left.size() != right.size() || left.type() != right.type()) {
    throw InputError("geometric consistency: the left (" + sizeText(left) + ") and right (" +
                     sizeText(right) + ") views must have the same size and type");
  }
  if (num_disparities <= 0 || num_disparities % 16 != 0) {
    throw InputError(
        "geometric consistency: numDisparities must be a positive multiple of 16, got " +
        std::to_string(num_disparities));
  }
  const int bs = params.block_size;
  if (bs < 1 || bs % 2 == 0 || bs > 255) {
    throw InputError(
        "geometric consistency: the SGBM block size must be odd and in [1, 255], got " +
        std::to_string(bs));
  }
  if (!sgbmRangeFits(left.cols, left.rows, min_disparity, num_disparities, bs)) {
    throw InputError("geometric consistency: a " + sizeText(left) +
                     " pair is too small for StereoSGBM with the search range [" +
                     std::to_string(min_disparity) + ", " +
                     std::to_string(min_disparity + num_disparities) + ") px and block " +
                     std::to_string(bs) + " (it needs at least " +
                     std::to_string(requiredWidthPx(min_disparity, num_disparities, bs)) +
                     " columns and " + std::to_string(kMinSgbmHeightPx) + " rows)");
  }
  const cv::Ptr<cv::StereoSGBM> sgbm = cv::StereoSGBM::create(
      min_disparity, num_disparities, bs, 8 * bs * bs, 32 * bs * bs, /*disp12MaxDiff=*/1,
      /*preFilterCap=*/63, /*uniquenessRatio=*/10, /*speckleWindowSize=*/100, /*speckleRange=*/2,
      params.full_dp ? cv::StereoSGBM::MODE_HH : cv::StereoSGBM::MODE_SGBM_3WAY);
  cv::Mat raw;
  try {
    sgbm->compute(toGray8(left), toGray8(right), raw);
  } catch (const cv::Exception& e) {
    throw InputError("geometric consistency: StereoSGBM failed on a " + sizeText(left) +
                     " pair: " + e.err);
  }
  cv::Mat disparity(raw.size(), CV_32FC1);
  const int lowest_valid = min_disparity * 16;
  for (int y = 0; y < raw.rows; ++y) {
    const std::int16_t* in = raw.ptr<std::int16_t>(y);
    float* out = disparity.ptr<float>(y);
    for (int x = 0; x < raw.cols; ++x) {
      out[x] = in[x] >= lowest_valid ? static_cast<float>(in[x]) / 16.0f
                                     : std::numeric_limits<float>::quiet_NaN();
    }
  }
  return disparity;
}

ConsistencyScores measureGeometricConsistency(const cv::Mat& left, const cv::Mat& right,
                                              const cv::Mat& disparity_px, const cv::Mat& mask,
                                              const ConsistencyParams& params) {
  if (disparity_px.type() != CV_32FC1 || disparity_px.size() != left.size()) {
    throw InputError("geometric consistency: the disparity (" + sizeText(disparity_px) +
                     ") must be a float map of the views' size (" + sizeText(left) + ")");
  }
  if (!mask.empty() && (mask.type() != CV_8UC1 || mask.size() != left.size())) {
    throw InputError("geometric consistency: the mask must be CV_8UC1 of the views' size");
  }
  double min_d = std::numeric_limits<double>::infinity();
  double max_d = -std::numeric_limits<double>::infinity();
  cv::Mat finite_dense = disparity_px.clone();
  for (int y = 0; y < disparity_px.rows; ++y) {
    float* row = finite_dense.ptr<float>(y);
    for (int x = 0; x < disparity_px.cols; ++x) {
      if (std::isfinite(row[x])) {
        // Beyond twice the width a pixel leaves the image either way; clamping keeps the
        // forward warp's integer conversions in range (a forged map may hold 1e30).
        const float limit = 2.0f * static_cast<float>(disparity_px.cols);
        row[x] = std::clamp(row[x], -limit, limit);
        min_d = std::min(min_d, static_cast<double>(row[x]));
        max_d = std::max(max_d, static_cast<double>(row[x]));
      } else {
        row[x] = std::numeric_limits<float>::quiet_NaN();
      }
    }
  }
  if (!std::isfinite(min_d)) {
    throw InputError("geometric consistency: the disparity has no finite value");
  }
  ConsistencyScores scores;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // Disparities are clamped to the image width before any int conversion (a forged map may
  // hold 1e30).
  const double width = static_cast<double>(left.cols);
  scores.min_disparity = static_cast<int>(std::min(0.0, std::floor(std::max(min_d, -width))));
  const int wanted =
      roundUpTo16(static_cast<int>(std::ceil(std::min(max_d, width))) - scores.min_disparity + 1);
  // The widest range (a multiple of 16) that SGBM can search on this image; pixels whose
  // disparity lies beyond it simply get no SGBM value.
  int fitting = wanted;
  while (fitting > 16 &&
         !sgbmRangeFits(left.cols, left.rows, scores.min_disparity, fitting, params.block_size)) {
    fitting -= 16;
  }
  scores.num_disparities = fitting;
  if (!sgbmRangeFits(left.cols, left.rows, scores.min_disparity, fitting, params.block_size)) {
    scores.epe_px = nan;
    scores.d1 = nan;
    scores.skipped_reason =
        "the " + sizeText(left) + " pair is too small for StereoSGBM (disparity search range [" +
        std::to_string(scores.min_disparity) + ", " +
        std::to_string(scores.min_disparity + fitting) + ") px needs at least " +
        std::to_string(requiredWidthPx(scores.min_disparity, fitting, params.block_size)) +
        " columns and " + std::to_string(kMinSgbmHeightPx) + " rows)";
    return scores;
  }
  const cv::Mat sgbm =
      computeSgbmDisparity(left, right, scores.min_disparity, scores.num_disparities, params);
  const cv::Mat visible = computeLeftVisibility(finite_dense);

  double sum_error = 0.0;
  std::int64_t outliers = 0, candidates = 0, compared = 0;
  for (int y = 0; y < left.rows; ++y) {
    const float* truth = finite_dense.ptr<float>(y);
    const float* estimate = sgbm.ptr<float>(y);
    const std::uint8_t* seen = visible.ptr<std::uint8_t>(y);
    const std::uint8_t* selected = mask.empty() ? nullptr : mask.ptr<std::uint8_t>(y);
    for (int x = 0; x < left.cols; ++x) {
      if (!std::isfinite(truth[x]) || seen[x] == 0) continue;
      if (selected != nullptr && selected[x] == 0) continue;
      ++candidates;
      if (!std::isfinite(estimate[x])) continue;
      ++compared;
      const double error = std::abs(static_cast<double>(estimate[x]) - truth[x]);
      sum_error += error;
      if (error > params.d1_threshold_px &&
          error > params.d1_threshold_fraction * std::abs(static_cast<double>(truth[x]))) {
        ++outliers;
      }
    }
  }
  scores.pixel_count = compared;
  scores.epe_px = compared > 0 ? sum_error / static_cast<double>(compared) : nan;
  scores.d1 = compared > 0 ? static_cast<double>(outliers) / static_cast<double>(compared) : nan;
  scores.sgbm_density =
      candidates > 0 ? static_cast<double>(compared) / static_cast<double>(candidates) : 0.0;
  return scores;
}

}  // namespace genstereo

#include "metrics/image_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "errors.h"

namespace genstereo {

namespace {

constexpr int kSsimWindowSize = 11;
constexpr double kSsimSigma = 1.5;
constexpr int kSsimHalo = kSsimWindowSize / 2;
constexpr double kSsimC1 = (0.01 * 1.0) * (0.01 * 1.0);
constexpr double kSsimC2 = (0.03 * 1.0) * (0.03 * 1.0);
// Rows of SSIM map computed at once: bounds the memory (a few MB per strip even for 4K
// widths) and lets strips run in parallel.
constexpr int kSsimStripRows = 64;

std::string describe(const cv::Mat& m) {
  return std::to_string(m.cols) + "x" + std::to_string(m.rows) + " " + cv::typeToString(m.type());
}

// Throws InputError unless a and b are non-empty CV_32F images of the same size and channel
// count and the mask is empty or CV_8UC1 of the same size.
void checkInputs(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask) {
  const std::string what =
      "cannot compare images (first " + describe(a) + ", second " + describe(b) + ")";
  if (a.empty() || b.empty()) throw InputError(what + ": an image is empty");
  if (a.dims != 2 || b.dims != 2) throw InputError(what + ": images must be 2-D");
  if (a.depth() != CV_32F || b.depth() != CV_32F || a.channels() > 4 || b.channels() > 4) {
    throw InputError(what + ": expected CV_32F images with 1 to 4 channels");
  }
  if (a.size() != b.size()) throw InputError(what + ": the sizes differ");
  if (a.type() != b.type()) throw InputError(what + ": the channel counts differ");
  if (!mask.empty()) {
    if (mask.size() != a.size() || mask.type() != CV_8UC1) {
      throw InputError(what + ": the mask is " + describe(mask) + ", expected " +
                       std::to_string(a.cols) + "x" + std::to_string(a.rows) + " CV_8UC1");
    }
  }
}

struct DifferenceSums {
  double squared = 0.0;
  double absolute = 0.0;
  std::int64_t pixel_count = 0;
};

DifferenceSums sumDifferences(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask) {
  const int channels = a.channels();
  const bool has_mask = !mask.empty();
  DifferenceSums sums;
  for (int y = 0; y < a.rows; ++y) {
    const float* row_a = a.ptr<float>(y);
    const float* row_b = b.ptr<float>(y);
    double squared = 0.0;
    double absolute = 0.0;
    if (!has_mask) {
      const int n = a.cols * channels;
      for (int i = 0; i < n; ++i) {
        const double d = static_cast<double>(row_a[i]) - static_cast<double>(row_b[i]);
        squared += d * d;
        absolute += std::abs(d);
      }
      sums.pixel_count += a.cols;
    } else {
      const std::uint8_t* row_mask = mask.ptr<std::uint8_t>(y);
      for (int x = 0; x < a.cols; ++x) {
        if (row_mask[x] == 0) continue;
        for (int c = 0; c < channels; ++c) {
          const int i = x * channels + c;
          const double d = static_cast<double>(row_a[i]) - static_cast<double>(row_b[i]);
          squared += d * d;
          absolute += std::abs(d);
        }
        ++sums.pixel_count;
      }
    }
    sums.squared += squared;
    sums.absolute += absolute;
  }
  return sums;
}

double psnrFromSums(const DifferenceSums& sums, int channels) {
  if (sums.pixel_count == 0) return std::numeric_limits<double>::quiet_NaN();
  const double mse = sums.squared / (static_cast<double>(sums.pixel_count) * channels);
  if (mse == 0.0) return std::numeric_limits<double>::infinity();
  return -10.0 * std::log10(mse);
}

double maeFromSums(const DifferenceSums& sums, int channels) {
  if (sums.pixel_count == 0) return std::numeric_limits<double>::quiet_NaN();
  return sums.absolute / (static_cast<double>(sums.pixel_count) * channels);
}

// Rows [first_row - halo, last_row + halo) of `image` as CV_64F, rows outside the image
// reflected (BORDER_REFLECT) so that a vertical window around every row of the strip sees
// exactly what it would see in the whole image.
cv::Mat stripWithHalo(const cv::Mat& image, int first_row, int last_row) {
  const int rows = last_row - first_row + 2 * kSsimHalo;
  cv::Mat strip(rows, image.cols, CV_MAKETYPE(CV_64F, image.channels()));
  for (int i = 0; i < rows; ++i) {
    const int source_row =
        cv::borderInterpolate(first_row - kSsimHalo + i, image.rows, cv::BORDER_REFLECT);
    cv::Mat destination = strip.row(i);
    image.row(source_row).convertTo(destination, CV_64F);
  }
  return strip;
}

struct SsimSums {
  double ssim = 0.0;
  std::int64_t pixel_count = 0;
};

SsimSums ssimStrip(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask, const cv::Mat& kernel,
                   int first_row, int last_row) {
  const cv::Mat x = stripWithHalo(a, first_row, last_row);
  const cv::Mat y = stripWithHalo(b, first_row, last_row);
  const auto blur = [&kernel](const cv::Mat& source) {
    cv::Mat blurred;
    cv::sepFilter2D(source, blurred, CV_64F, kernel, kernel, cv::Point(-1, -1), 0.0,
                    cv::BORDER_REFLECT);
    return blurred;
  };
  const cv::Mat mu_x = blur(x);
  const cv::Mat mu_y = blur(y);
  const cv::Mat mean_xx = blur(x.mul(x));
  const cv::Mat mean_yy = blur(y.mul(y));
  const cv::Mat mean_xy = blur(x.mul(y));

  const int values_per_row = a.cols * a.channels();
  const int channels = a.channels();
  SsimSums sums;
  for (int row = first_row; row < last_row; ++row) {
    const int i = row - first_row + kSsimHalo;
    const double* mx = mu_x.ptr<double>(i);
    const double* my = mu_y.ptr<double>(i);
    const double* sxx = mean_xx.ptr<double>(i);
    const double* syy = mean_yy.ptr<double>(i);
    const double* sxy = mean_xy.ptr<double>(i);
    const std::uint8_t* row_mask = mask.empty() ? nullptr : mask.ptr<std::uint8_t>(row);
    double row_sum = 0.0;
    for (int v = 0; v < values_per_row; ++v) {
      if (row_mask != nullptr && row_mask[v / channels] == 0) continue;
      const double mean_product = mx[v] * my[v];
      const double mean_squares = mx[v] * mx[v] + my[v] * my[v];
      const double variance_x = sxx[v] - mx[v] * mx[v];
      const double variance_y = syy[v] - my[v] * my[v];
      const double covariance = sxy[v] - mean_product;
      row_sum += ((2.0 * mean_product + kSsimC1) * (2.0 * covariance + kSsimC2)) /
                 ((mean_squares + kSsimC1) * (variance_x + variance_y + kSsimC2));
    }
    sums.ssim += row_sum;
    if (row_mask == nullptr) {
      sums.pixel_count += a.cols;
    } else {
      sums.pixel_count += cv::countNonZero(mask.row(row));
    }
  }
  return sums;
}

double ssimChecked(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask) {
  const cv::Mat kernel = cv::getGaussianKernel(kSsimWindowSize, kSsimSigma, CV_64F);
  const int strip_count = (a.rows + kSsimStripRows - 1) / kSsimStripRows;
  std::vector<SsimSums> strip_sums(static_cast<std::size_t>(strip_count));
  cv::parallel_for_(cv::Range(0, strip_count), [&](const cv::Range& range) {
    for (int s = range.start; s < range.end; ++s) {
      const int first_row = s * kSsimStripRows;
      const int last_row = std::min(a.rows, first_row + kSsimStripRows);
      strip_sums[static_cast<std::size_t>(s)] = ssimStrip(a, b, mask, kernel, first_row, last_row);
    }
  });
  // Summed in strip order so that the result does not depend on the thread count.
  double total = 0.0;
  std::int64_t pixel_count = 0;
  for (const SsimSums& sums : strip_sums) {
    total += sums.ssim;
    pixel_count += sums.pixel_count;
  }
  if (pixel_count == 0) return std::numeric_limits<double>::quiet_NaN();
  return total / (static_cast<double>(pixel_count) * a.channels());
}

}  // namespace

double computePsnr(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask) {
  checkInputs(a, b, mask);
  return psnrFromSums(sumDifferences(a, b, mask), a.channels());
}

double computeSsim(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask) {
  checkInputs(a, b, mask);
  return ssimChecked(a, b, mask);
}

double computeMae(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask) {
  checkInputs(a, b, mask);
  return maeFromSums(sumDifferences(a, b, mask), a.channels());
}

ImageComparison compareImages(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask) {
  checkInputs(a, b, mask);
  const DifferenceSums sums = sumDifferences(a, b, mask);
  ImageComparison result;
  result.psnr_db = psnrFromSums(sums, a.channels());
  result.mae = maeFromSums(sums, a.channels());
  result.ssim = ssimChecked(a, b, mask);
  result.pixel_count = sums.pixel_count;
  return result;
}

}  // namespace genstereo

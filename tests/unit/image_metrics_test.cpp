#include "metrics/image_metrics.h"

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include "errors.h"
#include "test_support.h"

namespace genstereo {
namespace {

// Straightforward SSIM reference: explicit 11x11 Gaussian weights, windows reflected at the
// border (fedcba|abcdef, the documented BORDER_REFLECT convention), variances computed as
// weighted sums of squared deviations, double loops, no OpenCV filtering.
int reflectIndex(int i, int n) {
  while (i < 0 || i >= n) {
    if (n == 1) return 0;
    i = i < 0 ? -i - 1 : 2 * n - 1 - i;
  }
  return i;
}

double naiveSsim(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask = cv::Mat()) {
  constexpr int kRadius = 5;
  constexpr double kSigma = 1.5;
  constexpr double kC1 = 0.01 * 0.01;
  constexpr double kC2 = 0.03 * 0.03;
  double weights[2 * kRadius + 1][2 * kRadius + 1];
  double weight_sum = 0.0;
  for (int i = -kRadius; i <= kRadius; ++i) {
    for (int j = -kRadius; j <= kRadius; ++j) {
      weights[i + kRadius][j + kRadius] = std::exp(-(i * i + j * j) / (2.0 * kSigma * kSigma));
      weight_sum += weights[i + kRadius][j + kRadius];
    }
  }
  for (auto& row : weights) {
    for (double& w : row) w /= weight_sum;
  }
  const int channels = a.channels();
  const auto value = [channels](const cv::Mat& m, int y, int x, int c) {
    return static_cast<double>(m.ptr<float>(y)[x * channels + c]);
  };
  double total = 0.0;
  long count = 0;
  for (int y = 0; y < a.rows; ++y) {
    for (int x = 0; x < a.cols; ++x) {
      if (!mask.empty() && mask.at<std::uint8_t>(y, x) == 0) continue;
      for (int c = 0; c < channels; ++c) {
        double mu_a = 0.0;
        double mu_b = 0.0;
        for (int i = -kRadius; i <= kRadius; ++i) {
          for (int j = -kRadius; j <= kRadius; ++j) {
            const int yy = reflectIndex(y + i, a.rows);
            const int xx = reflectIndex(x + j, a.cols);
            mu_a += weights[i + kRadius][j + kRadius] * value(a, yy, xx, c);
            mu_b += weights[i + kRadius][j + kRadius] * value(b, yy, xx, c);
          }
        }
        double var_a = 0.0;
        double var_b = 0.0;
        double cov = 0.0;
        for (int i = -kRadius; i <= kRadius; ++i) {
          for (int j = -kRadius; j <= kRadius; ++j) {
            const int yy = reflectIndex(y + i, a.rows);
            const int xx = reflectIndex(x + j, a.cols);
            const double da = value(a, yy, xx, c) - mu_a;
            const double db = value(b, yy, xx, c) - mu_b;
            const double w = weights[i + kRadius][j + kRadius];
            var_a += w * da * da;
            var_b += w * db * db;
            cov += w * da * db;
          }
        }
        total += ((2 * mu_a * mu_b + kC1) * (2 * cov + kC2)) /
                 ((mu_a * mu_a + mu_b * mu_b + kC1) * (var_a + var_b + kC2));
      }
      ++count;
    }
  }
  return total / (static_cast<double>(count) * channels);
}

cv::Mat randomImage(int width, int height, int channels, unsigned seed) {
  cv::Mat image(height, width, CV_MAKETYPE(CV_32F, channels));
  cv::RNG rng(seed);
  rng.fill(image, cv::RNG::UNIFORM, 0.0, 1.0);
  return image;
}

cv::Mat withNoise(const cv::Mat& image, double sigma, unsigned seed) {
  cv::Mat noise(image.size(), image.type());
  cv::RNG rng(seed);
  rng.fill(noise, cv::RNG::NORMAL, 0.0, sigma);
  return image + noise;
}

// SSIM agrees with the reference to this absolute tolerance. Both compute in double and the
// observed difference is below 1e-14; the margin allows other summation orders in the filter.
constexpr double kSsimTolerance = 1e-6;

TEST(ImageMetricsPsnr, ConstantOffsetOfPointOneIsTwentyDb) {
  const cv::Mat a(48, 64, CV_32FC3, cv::Scalar::all(0.25));
  const cv::Mat b(48, 64, CV_32FC3, cv::Scalar::all(0.35));
  // 0.1 has no exact float representation: the offset actually stored is 0.35f - 0.25f.
  const double offset = static_cast<double>(0.35f) - static_cast<double>(0.25f);
  const double psnr_db = computePsnr(a, b);
  EXPECT_NEAR(psnr_db, -20.0 * std::log10(offset), 1e-9);
  EXPECT_NEAR(psnr_db, 20.0, 1e-6);
}

TEST(ImageMetricsPsnr, ExactlyRepresentableOffsetOnTexturedImage) {
  // Multiples of 1/256 in [0, 0.75] plus 0.125: every difference is exactly 0.125.
  cv::Mat a = test::makeTestImage(64, 48, 3) * 192.0;
  cv::Mat values = a.reshape(1);  // one float per element, sharing a's data
  for (auto it = values.begin<float>(); it != values.end<float>(); ++it) {
    *it = std::floor(*it) / 256.0f;
  }
  const cv::Mat b = a + cv::Scalar::all(0.125);
  EXPECT_NEAR(computePsnr(a, b), 20.0 * std::log10(8.0), 1e-9);
  EXPECT_NEAR(computePsnr(b, a), 20.0 * std::log10(8.0), 1e-9);
}

TEST(ImageMetricsPsnr, IdenticalImagesGiveInfinity) {
  const cv::Mat a = test::makeTestImage(40, 30);
  EXPECT_EQ(computePsnr(a, a.clone()), std::numeric_limits<double>::infinity());
}

TEST(ImageMetricsPsnr, MaskedPsnrCountsOnlyMaskPixels) {
  const cv::Mat a = test::makeTestImage(64, 48);
  cv::Mat b = a.clone();
  const cv::Rect box(10, 8, 20, 16);
  b(box) += cv::Scalar::all(0.5);  // large difference inside the box, none outside
  cv::Mat inside = cv::Mat::zeros(a.size(), CV_8UC1);
  inside(box).setTo(255);
  cv::Mat outside;
  cv::bitwise_not(inside, outside);

  const double inside_offset = 0.5;
  EXPECT_NEAR(computePsnr(a, b, inside), -20.0 * std::log10(inside_offset), 1e-5);
  EXPECT_EQ(computePsnr(a, b, outside), std::numeric_limits<double>::infinity());
  const double box_fraction = static_cast<double>(box.area()) / a.total();
  EXPECT_NEAR(computePsnr(a, b), -10.0 * std::log10(0.25 * box_fraction), 1e-5);

  const ImageComparison masked = compareImages(a, b, inside);
  EXPECT_EQ(masked.pixel_count, box.area());
  EXPECT_NEAR(masked.mae, 0.5, 1e-6);
}

TEST(ImageMetricsPsnr, MaskWithoutPixelsGivesNaN) {
  const cv::Mat a = test::makeTestImage(32, 24);
  const cv::Mat b = withNoise(a, 0.05, 2);
  const cv::Mat empty_mask = cv::Mat::zeros(a.size(), CV_8UC1);
  EXPECT_TRUE(std::isnan(computePsnr(a, b, empty_mask)));
  EXPECT_TRUE(std::isnan(computeSsim(a, b, empty_mask)));
  EXPECT_TRUE(std::isnan(computeMae(a, b, empty_mask)));
  EXPECT_EQ(compareImages(a, b, empty_mask).pixel_count, 0);
}

TEST(ImageMetricsSsim, IdenticalImagesGiveOne) {
  const cv::Mat a = test::makeTestImage(80, 60);
  EXPECT_DOUBLE_EQ(computeSsim(a, a.clone()), 1.0);
  cv::Mat mask = cv::Mat::zeros(a.size(), CV_8UC1);
  mask(cv::Rect(0, 0, 13, 7)).setTo(1);
  EXPECT_DOUBLE_EQ(computeSsim(a, a, mask), 1.0);
  const cv::Mat gray = randomImage(33, 21, 1, 5);
  EXPECT_DOUBLE_EQ(computeSsim(gray, gray), 1.0);
}

TEST(ImageMetricsSsim, MatchesNaiveReferenceColour) {
  const cv::Mat a = randomImage(23, 17, 3, 11);
  const cv::Mat b = withNoise(a, 0.1, 12);
  EXPECT_NEAR(computeSsim(a, b), naiveSsim(a, b), kSsimTolerance);
}

TEST(ImageMetricsSsim, MatchesNaiveReferenceOnTexturedImageSpanningSeveralStrips) {
  // 150 rows: several internal strips of the implementation, so strip seams are checked.
  const cv::Mat a = test::makeTestImage(37, 150, 4);
  const cv::Mat b = withNoise(a, 0.03, 13);
  EXPECT_NEAR(computeSsim(a, b), naiveSsim(a, b), kSsimTolerance);
}

TEST(ImageMetricsSsim, MatchesNaiveReferenceGrayAndMasked) {
  const cv::Mat a = randomImage(29, 19, 1, 21);
  const cv::Mat b = withNoise(a, 0.2, 22);
  cv::Mat mask(a.size(), CV_8UC1);
  cv::RNG(23).fill(mask, cv::RNG::UNIFORM, 0, 2);
  ASSERT_GT(cv::countNonZero(mask), 0);
  EXPECT_NEAR(computeSsim(a, b), naiveSsim(a, b), kSsimTolerance);
  EXPECT_NEAR(computeSsim(a, b, mask), naiveSsim(a, b, mask), kSsimTolerance);
}

TEST(ImageMetricsSsim, MatchesNaiveReferenceOnImagesSmallerThanTheWindow) {
  // The window reflects several times here.
  for (const cv::Size size : {cv::Size(4, 3), cv::Size(1, 6), cv::Size(7, 2)}) {
    const cv::Mat a = randomImage(size.width, size.height, 3, 31);
    const cv::Mat b = withNoise(a, 0.1, 32);
    EXPECT_NEAR(computeSsim(a, b), naiveSsim(a, b), kSsimTolerance)
        << size.width << "x" << size.height;
  }
}

TEST(ImageMetricsSsim, DropsWithNoiseAndIsSymmetric) {
  const cv::Mat a = test::makeTestImage(96, 64, 7);
  const cv::Mat slightly_noisy = withNoise(a, 0.01, 8);
  const cv::Mat very_noisy = withNoise(a, 0.1, 9);
  const double ssim_slight = computeSsim(a, slightly_noisy);
  const double ssim_strong = computeSsim(a, very_noisy);
  EXPECT_LT(ssim_slight, 1.0);
  EXPECT_LT(ssim_strong, ssim_slight);
  EXPECT_GT(ssim_strong, -1.0);
  EXPECT_NEAR(computeSsim(very_noisy, a), ssim_strong, 1e-12);
}

TEST(ImageMetricsMae, KnownValue) {
  cv::Mat a(10, 8, CV_32FC3, cv::Scalar::all(0.5));
  cv::Mat b = a.clone();
  b.rowRange(0, 5) += cv::Scalar::all(0.25);
  b.rowRange(5, 10) -= cv::Scalar(0.125, 0.125, 0.125);
  EXPECT_DOUBLE_EQ(computeMae(a, b), 0.1875);
  cv::Mat top = cv::Mat::zeros(a.size(), CV_8UC1);
  top.rowRange(0, 5).setTo(1);
  EXPECT_DOUBLE_EQ(computeMae(a, b, top), 0.25);
}

TEST(ImageMetricsCompare, AgreesWithTheSingleMetrics) {
  const cv::Mat a = test::makeTestImage(70, 50, 3);
  const cv::Mat b = withNoise(a, 0.04, 4);
  cv::Mat mask = cv::Mat::zeros(a.size(), CV_8UC1);
  mask(cv::Rect(5, 5, 40, 30)).setTo(1);
  const ImageComparison all = compareImages(a, b);
  EXPECT_DOUBLE_EQ(all.psnr_db, computePsnr(a, b));
  EXPECT_DOUBLE_EQ(all.ssim, computeSsim(a, b));
  EXPECT_DOUBLE_EQ(all.mae, computeMae(a, b));
  EXPECT_EQ(all.pixel_count, 70 * 50);
  const ImageComparison masked = compareImages(a, b, mask);
  EXPECT_DOUBLE_EQ(masked.psnr_db, computePsnr(a, b, mask));
  EXPECT_DOUBLE_EQ(masked.ssim, computeSsim(a, b, mask));
  EXPECT_DOUBLE_EQ(masked.mae, computeMae(a, b, mask));
  EXPECT_EQ(masked.pixel_count, 40 * 30);
}

TEST(ImageMetricsCompare, NonContinuousViewsAreHandled) {
  const cv::Mat big_a = test::makeTestImage(90, 70, 5);
  const cv::Mat big_b = withNoise(big_a, 0.05, 6);
  const cv::Rect roi(7, 9, 50, 40);
  const cv::Mat a = big_a(roi);
  const cv::Mat b = big_b(roi);
  ASSERT_FALSE(a.isContinuous());
  const ImageComparison view = compareImages(a, b);
  const ImageComparison copy = compareImages(a.clone(), b.clone());
  EXPECT_DOUBLE_EQ(view.psnr_db, copy.psnr_db);
  EXPECT_DOUBLE_EQ(view.ssim, copy.ssim);
  EXPECT_DOUBLE_EQ(view.mae, copy.mae);
}

void expectInputErrorMentioning(const std::function<void()>& call,
                                const std::vector<std::string>& parts) {
  try {
    call();
    ADD_FAILURE() << "no InputError thrown";
  } catch (const InputError& e) {
    const std::string message = e.what();
    for (const std::string& part : parts) {
      EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message;
    }
  }
}

TEST(ImageMetricsErrors, MismatchedInputsAreRejected) {
  const cv::Mat a = test::makeTestImage(64, 48);
  const cv::Mat smaller = test::makeTestImage(32, 48);
  expectInputErrorMentioning([&] { computePsnr(a, smaller); }, {"64x48", "32x48"});
  expectInputErrorMentioning([&] { computeSsim(a, smaller); }, {"64x48", "32x48"});
  expectInputErrorMentioning([&] { computeMae(smaller, a); }, {"64x48", "32x48"});
  expectInputErrorMentioning([&] { compareImages(a, smaller); }, {"64x48", "32x48"});

  cv::Mat gray;
  cv::extractChannel(a, gray, 0);
  expectInputErrorMentioning([&] { computePsnr(a, gray); }, {"CV_32FC3", "CV_32FC1"});
  cv::Mat bytes;
  a.convertTo(bytes, CV_8UC3, 255.0);
  expectInputErrorMentioning([&] { computeSsim(bytes, bytes); }, {"CV_8UC3"});
  expectInputErrorMentioning([&] { computeMae(cv::Mat(), a); }, {"empty"});

  const cv::Mat small_mask = cv::Mat::ones(10, 10, CV_8UC1);
  expectInputErrorMentioning([&] { computePsnr(a, a, small_mask); }, {"10x10", "64x48"});
  const cv::Mat float_mask = cv::Mat::ones(a.size(), CV_32FC1);
  expectInputErrorMentioning([&] { compareImages(a, a, float_mask); }, {"mask", "CV_8UC1"});
}

}  // namespace
}  // namespace genstereo

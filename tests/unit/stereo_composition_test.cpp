#include "stereo/stereo_composition.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "test_support.h"

namespace genstereo {
namespace {

constexpr StereoLayout kAllLayouts[] = {
    StereoLayout::kAnaglyphDubois,    StereoLayout::kAnaglyphColor,  StereoLayout::kAnaglyphGray,
    StereoLayout::kSideBySideFull,    StereoLayout::kSideBySideHalf, StereoLayout::kTopBottomFull,
    StereoLayout::kTopBottomHalf,     StereoLayout::kCrossEyed,      StereoLayout::kRowInterleaved,
    StereoLayout::kColumnInterleaved, StereoLayout::kCheckerboard,
};

double maxAbsDiff(const cv::Mat& a, const cv::Mat& b) { return cv::norm(a, b, cv::NORM_INF); }

cv::Mat channel(const cv::Mat& image, int index) {
  cv::Mat out;
  cv::extractChannel(image, out, index);
  return out;
}

float srgbEncode(float linear) {
  return linear <= 0.0031308f ? linear * 12.92f : 1.055f * std::pow(linear, 1.0f / 2.4f) - 0.055f;
}

TEST(StereoCompositionTest, NamesRoundTrip) {
  for (const StereoLayout layout : kAllLayouts) {
    const std::optional<StereoLayout> parsed = parseStereoLayout(toString(layout));
    ASSERT_TRUE(parsed.has_value()) << toString(layout);
    EXPECT_EQ(*parsed, layout);
  }
  EXPECT_EQ(toString(StereoLayout::kSideBySideHalf), "sbs-half");
  EXPECT_EQ(toString(StereoLayout::kAnaglyphDubois), "anaglyph");
  EXPECT_EQ(parseStereoLayout("SBS"), StereoLayout::kSideBySideFull);
  EXPECT_FALSE(parseStereoLayout("side-by-side").has_value());
  EXPECT_FALSE(parseStereoLayout("").has_value());
}

TEST(StereoCompositionTest, EveryLayoutHasTheExpectedSizeTypeAndRange) {
  // Odd sizes exercise the half layouts' rounding.
  const int w = 37, h = 25;
  const cv::Mat left = test::makeTestImage(w, h, 1);
  const cv::Mat right = test::makeTestImage(w, h, 2);
  for (const StereoLayout layout : kAllLayouts) {
    const cv::Mat out = composeStereo(left, right, layout);
    cv::Size expected(w, h);
    if (layout == StereoLayout::kSideBySideFull || layout == StereoLayout::kCrossEyed) {
      expected = cv::Size(2 * w, h);
    } else if (layout == StereoLayout::kTopBottomFull) {
      expected = cv::Size(w, 2 * h);
    }
    EXPECT_EQ(out.size(), expected) << toString(layout);
    EXPECT_EQ(out.type(), CV_32FC3) << toString(layout);
    double min_value = 0.0, max_value = 0.0;
    cv::minMaxLoc(out.reshape(1), &min_value, &max_value);
    EXPECT_GE(min_value, 0.0) << toString(layout);
    EXPECT_LE(max_value, 1.0) << toString(layout);
  }
}

TEST(StereoCompositionTest, FullLayoutsCopyTheViewsExactly) {
  const cv::Mat left = test::makeTestImage(32, 20, 1);
  const cv::Mat right = test::makeTestImage(32, 20, 2);
  const cv::Rect first(0, 0, 32, 20), second_h(32, 0, 32, 20), second_v(0, 20, 32, 20);

  const cv::Mat sbs = composeStereo(left, right, StereoLayout::kSideBySideFull);
  EXPECT_EQ(maxAbsDiff(sbs(first), left), 0.0);
  EXPECT_EQ(maxAbsDiff(sbs(second_h), right), 0.0);

  const cv::Mat cross = composeStereo(left, right, StereoLayout::kCrossEyed);
  EXPECT_EQ(maxAbsDiff(cross(first), right), 0.0);  // right view on the left side
  EXPECT_EQ(maxAbsDiff(cross(second_h), left), 0.0);

  const cv::Mat tb = composeStereo(left, right, StereoLayout::kTopBottomFull);
  EXPECT_EQ(maxAbsDiff(tb(first), left), 0.0);
  EXPECT_EQ(maxAbsDiff(tb(second_v), right), 0.0);
}

TEST(StereoCompositionTest, HalfLayoutsSqueezeEachViewWithInterArea) {
  const cv::Mat left = test::makeTestImage(40, 30, 1);
  const cv::Mat right = test::makeTestImage(40, 30, 2);
  cv::Mat left_half_width, right_half_width, left_half_height, right_half_height;
  cv::resize(left, left_half_width, cv::Size(20, 30), 0, 0, cv::INTER_AREA);
  cv::resize(right, right_half_width, cv::Size(20, 30), 0, 0, cv::INTER_AREA);
  cv::resize(left, left_half_height, cv::Size(40, 15), 0, 0, cv::INTER_AREA);
  cv::resize(right, right_half_height, cv::Size(40, 15), 0, 0, cv::INTER_AREA);

  const cv::Mat sbs = composeStereo(left, right, StereoLayout::kSideBySideHalf);
  ASSERT_EQ(sbs.size(), left.size());  // half SBS has the size of one view
  EXPECT_EQ(maxAbsDiff(sbs(cv::Rect(0, 0, 20, 30)), left_half_width), 0.0);
  EXPECT_EQ(maxAbsDiff(sbs(cv::Rect(20, 0, 20, 30)), right_half_width), 0.0);

  const cv::Mat tb = composeStereo(left, right, StereoLayout::kTopBottomHalf);
  ASSERT_EQ(tb.size(), left.size());
  EXPECT_EQ(maxAbsDiff(tb(cv::Rect(0, 0, 40, 15)), left_half_height), 0.0);
  EXPECT_EQ(maxAbsDiff(tb(cv::Rect(0, 15, 40, 15)), right_half_height), 0.0);
}

// Passive 3D (rows, columns) and DLP (checkerboard): each pixel copied from one view, the
// left one at row 0 / column 0 / pixel (0, 0); an odd size keeps one view's size.
TEST(StereoCompositionTest, InterleavedLayoutsTakeEachPixelFromOneView) {
  const cv::Mat left = test::makeTestImage(7, 5, 1);
  const cv::Mat right = test::makeTestImage(7, 5, 2);
  const cv::Mat rows = composeStereo(left, right, StereoLayout::kRowInterleaved);
  const cv::Mat columns = composeStereo(left, right, StereoLayout::kColumnInterleaved);
  const cv::Mat checker = composeStereo(left, right, StereoLayout::kCheckerboard);
  for (int y = 0; y < 5; ++y) {
    for (int x = 0; x < 7; ++x) {
      const auto from = [&](bool is_right) {
        return (is_right ? right : left).at<cv::Vec3f>(y, x);
      };
      EXPECT_EQ(rows.at<cv::Vec3f>(y, x), from(y % 2 == 1)) << x << "," << y;
      EXPECT_EQ(columns.at<cv::Vec3f>(y, x), from(x % 2 == 1)) << x << "," << y;
      EXPECT_EQ(checker.at<cv::Vec3f>(y, x), from((x + y) % 2 == 1)) << x << "," << y;
    }
  }
  EXPECT_EQ(parseStereoLayout("rows"), StereoLayout::kRowInterleaved);
  EXPECT_EQ(parseStereoLayout("Checkerboard"), StereoLayout::kCheckerboard);
  EXPECT_EQ(toString(StereoLayout::kColumnInterleaved), "columns");
}

TEST(StereoCompositionTest, ColorAnaglyphTakesRedFromLeftAndGreenBlueFromRight) {
  const cv::Mat left = test::makeTestImage(24, 16, 1);
  const cv::Mat right = test::makeTestImage(24, 16, 2);
  const cv::Mat out = composeStereo(left, right, StereoLayout::kAnaglyphColor);
  // BGR order: 0 blue, 1 green, 2 red.
  EXPECT_EQ(maxAbsDiff(channel(out, 2), channel(left, 2)), 0.0);
  EXPECT_EQ(maxAbsDiff(channel(out, 1), channel(right, 1)), 0.0);
  EXPECT_EQ(maxAbsDiff(channel(out, 0), channel(right, 0)), 0.0);
}

TEST(StereoCompositionTest, GrayAnaglyphPutsLeftLumaInRedAndRightLumaInGreenBlue) {
  const cv::Mat left = test::makeTestImage(24, 16, 1);
  const cv::Mat right = test::makeTestImage(24, 16, 2);
  const cv::Mat out = composeStereo(left, right, StereoLayout::kAnaglyphGray);
  for (const cv::Point p : {cv::Point(0, 0), cv::Point(11, 7), cv::Point(23, 15)}) {
    const cv::Vec3f l = left.at<cv::Vec3f>(p), r = right.at<cv::Vec3f>(p);
    const float left_luma = 0.299f * l[2] + 0.587f * l[1] + 0.114f * l[0];
    const float right_luma = 0.299f * r[2] + 0.587f * r[1] + 0.114f * r[0];
    const cv::Vec3f o = out.at<cv::Vec3f>(p);
    EXPECT_NEAR(o[2], left_luma, 1e-6f);
    EXPECT_NEAR(o[1], right_luma, 1e-6f);
    EXPECT_NEAR(o[0], right_luma, 1e-6f);
  }
}

TEST(StereoCompositionTest, DuboisOfIdenticalGreyViewsStaysGrey) {
  // Each row of [M_left M_right] sums to 1 within 4.5e-6 (see the matrices), so a grey pair
  // maps to the same grey in linear light; after the sRGB round trip in float the channels
  // agree far better than 1e-3, a quarter of one 8-bit level (1/255).
  for (const float grey : {0.05f, 0.2f, 0.5f, 0.8f, 0.95f}) {
    const cv::Mat view(8, 8, CV_32FC3, cv::Scalar::all(grey));
    const cv::Mat out = composeStereo(view, view, StereoLayout::kAnaglyphDubois);
    const cv::Vec3f o = out.at<cv::Vec3f>(4, 4);
    EXPECT_NEAR(o[2], o[1], 1e-3f) << "red vs green at grey " << grey;
    EXPECT_NEAR(o[2], o[0], 1e-3f) << "red vs blue at grey " << grey;
    EXPECT_NEAR(o[2], grey, 1e-3f) << "grey level kept at " << grey;
  }
}

TEST(StereoCompositionTest, DuboisWorksInLinearLight) {
  // Pure red left, black right: red output = 0.4561 in linear light, i.e. about 0.706 in sRGB
  // (a gamma-space implementation would give 0.4561); green and blue are negative -> 0.
  cv::Mat left(4, 4, CV_32FC3, cv::Scalar(0, 0, 1));
  cv::Mat right(4, 4, CV_32FC3, cv::Scalar::all(0));
  const cv::Vec3f o = composeStereo(left, right, StereoLayout::kAnaglyphDubois).at<cv::Vec3f>(1, 1);
  EXPECT_NEAR(o[2], srgbEncode(0.4561f), 1e-5f);
  EXPECT_NEAR(o[2], 0.7057f, 1e-3f);
  EXPECT_EQ(o[1], 0.0f);
  EXPECT_EQ(o[0], 0.0f);

  // Pure blue right, black left: blue output = 1.2264 in linear light, clamped to 1.
  left.setTo(cv::Scalar::all(0));
  right.setTo(cv::Scalar(1, 0, 0));
  const cv::Vec3f b = composeStereo(left, right, StereoLayout::kAnaglyphDubois).at<cv::Vec3f>(1, 1);
  EXPECT_FLOAT_EQ(b[0], 1.0f);
  EXPECT_EQ(b[1], 0.0f);  // -0.0184503 clamped
  EXPECT_EQ(b[2], 0.0f);  // -0.00155529 clamped
}

// Exact reference of the Dubois anaglyph: per-pixel std::pow sRGB transfer functions, as the
// composition computed before it moved to lookup tables.
float exactSrgbToLinear(float encoded) {
  const float c = std::clamp(encoded, 0.0f, 1.0f);
  return c <= 0.04045f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f);
}

float exactLinearToSrgb(float linear) {
  const float c = std::clamp(linear, 0.0f, 1.0f);
  return c <= 0.0031308f ? c * 12.92f : 1.055f * std::pow(c, 1.0f / 2.4f) - 0.055f;
}

cv::Mat exactDubois(const cv::Mat& left, const cv::Mat& right) {
  const float m_left[3][3] = {{0.456100f, 0.500484f, 0.176381f},
                              {-0.0400822f, -0.0378246f, -0.0157589f},
                              {-0.0152161f, -0.0205971f, -0.00546856f}};
  const float m_right[3][3] = {{-0.0434706f, -0.0879388f, -0.00155529f},
                               {0.378476f, 0.73364f, -0.0184503f},
                               {-0.0721527f, -0.112961f, 1.2264f}};
  cv::Mat out(left.size(), CV_32FC3);
  for (int y = 0; y < left.rows; ++y) {
    for (int x = 0; x < left.cols; ++x) {
      const cv::Vec3f l = left.at<cv::Vec3f>(y, x), r = right.at<cv::Vec3f>(y, x);
      const float l_rgb[3] = {exactSrgbToLinear(l[2]), exactSrgbToLinear(l[1]),
                              exactSrgbToLinear(l[0])};
      const float r_rgb[3] = {exactSrgbToLinear(r[2]), exactSrgbToLinear(r[1]),
                              exactSrgbToLinear(r[0])};
      float o[3] = {0.0f, 0.0f, 0.0f};
      for (int row = 0; row < 3; ++row) {
        for (int col = 0; col < 3; ++col) {
          o[row] += m_left[row][col] * l_rgb[col] + m_right[row][col] * r_rgb[col];
        }
      }
      out.at<cv::Vec3f>(y, x) =
          cv::Vec3f(exactLinearToSrgb(o[2]), exactLinearToSrgb(o[1]), exactLinearToSrgb(o[0]));
    }
  }
  return out;
}

TEST(StereoCompositionTest, FastDuboisMatchesTheExactPowReference) {
  // The fast path evaluates both sRGB transfer functions with interpolated lookup tables.
  // Tolerance: 1e-3 max abs on [0, 1] outputs (a quarter of one 8-bit level, 1/255); the
  // tables' own error is ~2e-5 at worst.
  // 613 columns: more than two of the implementation's 256-pixel blocks plus a partial one.
  const int w = 613, h = 67;
  cv::Mat left(h, w, CV_32FC3), right(h, w, CV_32FC3);
  cv::RNG rng(20240611);
  rng.fill(left, cv::RNG::UNIFORM, 0.0, 1.0);
  rng.fill(right, cv::RNG::UNIFORM, 0.0, 1.0);
  // Exact ends, knees of both transfer functions, and a dark corner (steep linear -> sRGB).
  left.at<cv::Vec3f>(0, 0) = cv::Vec3f(0.0f, 0.0f, 0.0f);
  right.at<cv::Vec3f>(0, 0) = cv::Vec3f(1.0f, 1.0f, 1.0f);
  left.at<cv::Vec3f>(0, 1) = cv::Vec3f(0.04045f, 0.04045f, 0.04045f);
  right.at<cv::Vec3f>(0, 1) = cv::Vec3f(0.04045f, 0.04045f, 0.04045f);
  left.at<cv::Vec3f>(0, 2) = cv::Vec3f(1.0f, 1.0f, 1.0f);
  right.at<cv::Vec3f>(0, 2) = cv::Vec3f(0.0f, 0.0f, 0.0f);
  left(cv::Rect(0, 1, 40, 20)) *= 0.08;
  right(cv::Rect(0, 1, 40, 20)) *= 0.08;

  const cv::Mat fast = composeStereo(left, right, StereoLayout::kAnaglyphDubois);
  const cv::Mat exact = exactDubois(left, right);
  ASSERT_EQ(fast.size(), exact.size());
  ASSERT_EQ(fast.type(), CV_32FC3);
  EXPECT_LE(maxAbsDiff(fast, exact), 1e-3);
}

TEST(StereoCompositionTest, MismatchedViewsThrowInputErrorNamingBothSizes) {
  const cv::Mat left = test::makeTestImage(37, 24, 1);
  const cv::Mat right = test::makeTestImage(36, 24, 2);
  try {
    composeStereo(left, right, StereoLayout::kSideBySideFull);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("37x24"), std::string::npos) << message;
    EXPECT_NE(message.find("36x24"), std::string::npos) << message;
  }
  cv::Mat left_8u;
  left.convertTo(left_8u, CV_8UC3, 255.0);
  EXPECT_THROW(composeStereo(left_8u, left, StereoLayout::kAnaglyphColor), InputError);
  EXPECT_THROW(composeStereo(cv::Mat(), cv::Mat(), StereoLayout::kCrossEyed), InputError);
}

}  // namespace
}  // namespace genstereo

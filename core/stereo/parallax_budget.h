// The parallax budget of a stereo pair: how far the nearest and the farthest surfaces sit in
// front of and behind the screen, as a percentage of the image width, and whether that lies
// in the comfort range (docs/comfort.md gives the sources of the limits).
//
// Sign convention (the stereographers'): screen parallax p = x_right - x_left. With the
// project's disparity d (left (x, y) matches right (x - d, y)), p = -d. p < 0 (crossed) is in
// front of the screen, p > 0 (uncrossed) behind it, p = 0 on the screen plane.
#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace genstereo {

// Robust extremes: the nearest surface is the kNearPercentile-th percentile of the disparity,
// the farthest the kFarPercentile-th, so that a few stray pixels (a depth spike, an edge halo)
// do not decide the budget.
constexpr double kParallaxNearPercentile = 99.0;
constexpr double kParallaxFarPercentile = 1.0;

// The comfort range (docs/comfort.md).
struct ComfortRange {
  // Parallax range (far - near) at most 1/30 of the width: the stereo-photography "1/30 rule"
  // (on-film deviation <= 1/30 of the frame width, 1.2 mm of a 36 mm frame); from a viewing
  // distance of 1.9 screen widths this is 1 degree of visual angle, the comfort zone of
  // Lambooij et al. 2009.
  double max_range_percent = 100.0 / 30.0;
  // Behind the screen at most the eye separation (65 mm) on a 2.5 m wide screen: beyond it
  // the eyes diverge there.
  double max_far_percent = 2.6;
};

struct ParallaxBudget {
  int width_px = 0;
  double near_disparity_px = 0.0;  // kParallaxNearPercentile-th percentile of d
  double far_disparity_px = 0.0;   // kParallaxFarPercentile-th percentile of d
  // Screen parallax as % of the width: near_percent < 0 is in front of the screen,
  // far_percent > 0 behind it.
  double near_percent = 0.0;
  double far_percent = 0.0;
  double rangePercent() const { return far_percent - near_percent; }
};

// Budget of the disparity the pair is made with (`disparity_px` CV_32FC1, in pixels of an
// image `disparity_px.cols` wide, left (x, y) matches right (x - d, y)). Non-finite values are
// ignored; maps over ~1 M pixels are sampled on a regular grid. Throws InputError for an
// empty map or one without a finite value.
ParallaxBudget computeParallaxBudget(const cv::Mat& disparity_px);

// The percentile (0..100) of the finite values of `disparity_px` (same sampling as above).
double disparityPercentile(const cv::Mat& disparity_px, double percent);

// One limit of the comfort range the pair is outside of, as data (clients format it: the CLI
// report and batch meta.json with describeComfortWarning, the workbench with tr()).
enum class ComfortWarningKind {
  kRangeExceeded,  // far - near over ComfortRange::max_range_percent (the 1/30 rule)
  kFarExceeded,    // behind the screen over ComfortRange::max_far_percent (the eyes diverge
                   // on screens wider than 2.5 m)
};

struct ComfortWarning {
  ComfortWarningKind kind = ComfortWarningKind::kRangeExceeded;
  double value_percent = 0.0;  // the pair's: range (kRangeExceeded) or far parallax, % of the width
  double limit_percent = 0.0;  // the limit it exceeds, % of the width
  bool operator==(const ComfortWarning& other) const {
    return kind == other.kind && value_percent == other.value_percent &&
           limit_percent == other.limit_percent;
  }
};

// What is outside `range` (empty: comfortable), one warning per limit, range first.
std::vector<ComfortWarning> comfortWarnings(const ParallaxBudget& budget,
                                            const ComfortRange& range = {});

// The English sentence of a warning, e.g. "parallax range 12.1% of the width exceeds the
// comfort limit of 3.3% (1/30 rule)" or "parallax behind the screen 3.0% of the width exceeds
// 2.6% (eyes diverge on screens wider than 2.5 m)".
std::string describeComfortWarning(const ComfortWarning& warning);
std::vector<std::string> describeComfortWarnings(const std::vector<ComfortWarning>& warnings);

// "near -1.2% (in front), far +1.9% (behind), range 3.1% of the width".
std::string describeParallaxBudget(const ParallaxBudget& budget);

}  // namespace genstereo

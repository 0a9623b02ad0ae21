// The parallax budget of a stereo pair and what lies outside the comfort range, as data. Part of
// the engine's vocabulary (RunResult); stereo/parallax_budget.h measures and words them.
//
// Sign convention (the stereographers'): screen parallax p = x_right - x_left. With the
// project's disparity d (left (x, y) matches right (x - d, y)), p = -d. p < 0 (crossed) is in
// front of the screen, p > 0 (uncrossed) behind it, p = 0 on the screen plane.
#pragma once

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

}  // namespace genstereo

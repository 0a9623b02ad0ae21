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

#include "genstereo/parallax_budget.h"

namespace genstereo {

// Budget of the disparity the pair is made with (`disparity_px` CV_32FC1, in pixels of an
// image `disparity_px.cols` wide, left (x, y) matches right (x - d, y)). Non-finite values are
// ignored; maps over ~1 M pixels are sampled on a regular grid. Throws InputError for an
// empty map or one without a finite value.
ParallaxBudget computeParallaxBudget(const cv::Mat& disparity_px);

// The percentile (0..100) of the finite values of `disparity_px` (same sampling as above).
double disparityPercentile(const cv::Mat& disparity_px, double percent);

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

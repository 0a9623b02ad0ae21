// Composition of a stereo pair into one viewable picture: anaglyphs, side-by-side,
// top-bottom and cross-eyed layouts.
// Views: cv::Mat CV_32FC3, BGR channel order, values in [0, 1]; the result has the same type.
#pragma once

#include <optional>
#include <string>

#include <opencv2/core.hpp>

namespace genstereo {

enum class StereoLayout {
  kAnaglyphDubois,  // red-cyan, Dubois least-squares matrices, computed in linear light
  kAnaglyphColor,   // red from the left view, green and blue from the right view
  kAnaglyphGray,    // luma of the left view in red, luma of the right view in green and blue
  kSideBySideFull,  // left | right, twice the width of one view
  kSideBySideHalf,  // left | right, each squeezed to half width: the size of one view
  kTopBottomFull,   // left over right, twice the height of one view
  kTopBottomHalf,   // left over right, each squeezed to half height: the size of one view
  kCrossEyed,       // right | left, twice the width of one view (for free cross-eyed viewing)
  // Passive 3D monitors and TVs (polarised rows or columns) and DLP projectors: one view's
  // size, each pixel from one view (no resampling). Row 0 / column 0 / pixel (0, 0) is left.
  kRowInterleaved,     // even rows from the left view, odd rows from the right
  kColumnInterleaved,  // even columns from the left view, odd columns from the right
  kCheckerboard,       // (x + y) even from the left view, odd from the right
};

// Stable names: "anaglyph", "anaglyph-color", "anaglyph-gray", "sbs", "sbs-half", "tb",
// "tb-half", "cross", "rows", "columns", "checkerboard".
std::string toString(StereoLayout layout);

// The layout with that stable name (case-insensitive), or nullopt.
std::optional<StereoLayout> parseStereoLayout(const std::string& name);

// Throws InputError naming both sizes and types unless `left` and `right` are non-empty
// CV_32FC3 images of the same size.
void checkStereoViews(const cv::Mat& left, const cv::Mat& right);

// Composes the two views (CV_32FC3, BGR, [0, 1], same size) into one CV_32FC3 [0, 1] image.
// Half-size layouts squeeze each view with cv::INTER_AREA; for an odd width (height) the
// left (top) view gets the smaller half so that the result has exactly one view's size.
// Throws InputError (see checkStereoViews).
cv::Mat composeStereo(const cv::Mat& left, const cv::Mat& right, StereoLayout layout);

}  // namespace genstereo

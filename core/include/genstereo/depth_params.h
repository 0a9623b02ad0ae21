// How a depth map becomes disparity: what the depth file holds, the official conversion's
// scale, and depth shaping (clip, foreground scale, edge dilation). Part of the engine's
// vocabulary (RunParams); the functions that apply them are stereo/disparity_preparation.h and
// stereo/depth_shaping.h.
#pragma once

#include <optional>
#include <string>

namespace genstereo {

// What a depth file holds.
enum class DepthKind {
  kInverse,  // relative inverse depth, larger = nearer (Depth Anything V2 output; official)
  kMetric,   // distance, larger = farther (converted with 1/depth first)
};
const char* toString(DepthKind kind);  // "inverse", "metric"
std::optional<DepthKind> depthKindFromString(const std::string& text);

struct DepthConversion {
  DepthKind kind = DepthKind::kInverse;
  // Official GenStereo scale_factor: the nearest pixel gets this fraction of the image width
  // as disparity (test.py: 0.15 of the working size S).
  double max_disparity_fraction = 0.15;
};

struct DepthShaping {
  // Clip and renormalise: the valid values are clipped to their [clip_low_percent,
  // clip_high_percent] percentiles (0..100), which drops outliers such as a few far sky pixels
  // that would otherwise flatten the rest of the scene. Neutral: 0 and 100.
  double clip_low_percent = 0.0;
  double clip_high_percent = 100.0;
  // Foreground scale s in [-3, 3]: more pop-out of near objects for s > 0, a flatter
  // foreground for s < 0. On d in [0, 1] (0 = farthest, 1 = nearest): d' = d^g with
  // g = 1 + s for s >= 0 and g = 1 / (1 - s) for s < 0. The nearest and the farthest point keep
  // their disparity; for s > 0 the background moves toward the screen plane and the near range
  // takes more of the disparity budget. Neutral: 0.
  double foreground_scale = 0.0;
  // Edge dilation in pixels (horizontal, vertical): grey-level dilation of inverse depth, so
  // near surfaces grow by this much over the background. Depth models blur depth edges over a
  // few pixels; those pixels carry foreground colour with in-between depth and are smeared
  // into a halo when warped. Dilation gives them the foreground's depth. Neutral: 0.
  int edge_dilation_x_px = 0;
  int edge_dilation_y_px = 0;
};

}  // namespace genstereo

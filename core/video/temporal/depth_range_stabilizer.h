// Range stabilisation of per-frame depth over time. Depth models give relative inverse depth
// whose scale and offset change from frame to frame; normalising each frame by its own min and
// max makes the whole scene pump. The stabilisers here work on per-frame statistics only (a few
// numbers per frame, computed in the depth pass), so that the range of every frame is a pure
// function of those numbers: a resumed run or a shard gets exactly the ranges of a single run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace genstereo {

// Statistics of one frame's raw depth (valid pixels).
struct DepthFrameStats {
  double min = 0.0, max = 0.0;
  double p02 = 0.0, p50 = 0.0, p95 = 0.0, p98 = 0.0;
  bool scene_cut = false;  // this frame starts a new scene
};

// Computes the statistics of `depth` (CV_32FC1; non-finite values are ignored). Percentiles
// from a 4096-bin histogram between min and max, linear inside the bin (exact enough for
// normalisation). Throws InputError when no value is finite.
DepthFrameStats computeDepthFrameStats(const cv::Mat& depth);

struct DepthRange {
  double low = 0.0;   // raw depth that maps to 0 (farthest)
  double high = 1.0;  // raw depth that maps to 1 (nearest)
};

// kIw3Ema: nunif iw3/depth_scaler.py EMAMinMaxScaler (update() per frame, flush() + reset at a
// scene boundary and at the end), in array form. Per scene of L frames, buffer N, decay a:
//   W_k = (min, max) over the min and max values of frames k .. k+N-1 of the scene;
//   E_0 = W_0 (the EMA starts at the first full window, no decay),
//   E_k = a * E_{k-1} + (1 - a) * W_k;
//   frame j is normalised with E_j (a look-ahead of N-1 frames: iw3 outputs frame j when
//   frame j+N-1 arrives), and the last N-1 frames, still queued at the flush, with E_{L-N}.
//   A scene shorter than N frames (the buffer never fills) uses its overall min and max for
//   every frame. Tested against the real class (tests/data/video/iw3_ema_fixture.json). iw3
//   computes in the depth's dtype (float32 in practice); this port in double.
// kRobust (median-anchored): per frame the robust spread S_t = p98 - p02 (particles, outliers
//   and a few near pixels do not move it) and where the median and the p95 sit in it,
//   a_t = (p50 - p02) / S_t and b_t = (p95 - p02) / S_t. These are invariant to the scale and
//   offset that a per-frame depth model changes from frame to frame. A_t and B_t are the
//   medians of a_s and b_s over the frames s of t's scene in [t - robust_back, t + robust_ahead].
//   The frame's range puts its p50 at A_t and its p95 at B_t: spread
//   S'_t = (p95 - p50) / (B_t - A_t), kept within [0.5, 2] x S_t (S_t no less than a quarter of
//   the window's median spread: a flash, a fade), low = p50 - A_t S'_t, high = low + S'_t. The
//   output's p50 and p95 move only as the window's medians do. A frame sees only its own
//   scene: 0 frames to recover after a cut.
enum class RangeStabilizer {
  kPerFrame,  // each frame's own min and max (the official still-image rule): pumps
  kIw3Ema,    // nunif iw3's EMAMinMaxScaler, ported exactly (baseline)
  kRobust,    // ours: median-anchored robust percentiles over a bounded window, reset at cuts
};
const char* toString(RangeStabilizer stabilizer);  // "off", "iw3-ema", "robust"
std::optional<RangeStabilizer> rangeStabilizerFromString(const std::string& text);

struct RangeStabilizerSettings {
  RangeStabilizer kind = RangeStabilizer::kRobust;
  // iw3-ema (nunif iw3/depth_scaler.py defaults)
  double ema_decay = 0.75;
  int ema_buffer = 30;
  // robust
  int robust_back = 30;   // frames of the scene before
  int robust_ahead = 15;  // frames of the scene after (look-ahead)
};

// The range of every frame. `stats` in frame order; scene_cut flags reset the state (iw3:
// the EMA buffer is flushed at a cut, i.e. after the frame before the flagged one). Only min
// and max are read by kPerFrame and kIw3Ema, only p02 and p98 by kRobust. Throws InputError on
// invalid settings (decay outside [0, 1], buffer < 1, negative robust window).
std::vector<DepthRange> stabilizeDepthRanges(const std::vector<DepthFrameStats>& stats,
                                             const RangeStabilizerSettings& settings);

// (depth - low) / (high - low), clamped to [0, 1]; a flat range and non-finite depth give 0.
cv::Mat normalizeDepth(const cv::Mat& depth, const DepthRange& range);

}  // namespace genstereo

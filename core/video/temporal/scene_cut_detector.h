// Scene cuts from a cheap detector in the decode pass: each frame is reduced to a small grey
// thumbnail (64x36) and compared with the previous one (luma histogram distance and mean
// absolute difference). A cut resets every temporal filter.
//
// Score in [0, 1]: sqrt(H * min(1, 2 * M)), where H is half the L1 distance of the two
// normalised 32-bin luma histograms (0 same distribution, 1 disjoint) and M the mean absolute
// luma difference / 255. The geometric mean needs both: a pan changes pixels but hardly the
// histogram (M high, H low), a slow fade shifts the histogram a little per frame with a small
// M; a cut changes both.
#pragma once

#include <opencv2/core.hpp>

namespace genstereo {

struct SceneCutSettings {
  double threshold = 0.35;   // of the combined score in [0, 1]; higher = fewer cuts
  int min_scene_frames = 4;  // no cut closer than this to the previous one (flashes)
};

class SceneCutDetector {
 public:
  explicit SceneCutDetector(SceneCutSettings settings = {});
  // True when `bgr8` (CV_8UC3, any size) starts a new scene. The first frame is not a cut.
  bool push(const cv::Mat& bgr8);
  double lastScore() const;
  void reset();

 private:
  SceneCutSettings settings_;
  cv::Mat previous_;
  double last_score_ = 0.0;
  int frames_since_cut_ = 0;
  bool has_previous_ = false;
};

}  // namespace genstereo

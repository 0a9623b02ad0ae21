// Flow-guided per-pixel smoothing of normalised depth: the depth of the last few frames is
// carried into the current frame along dense optical flow (OpenCV DIS at about 540p) and
// averaged with the current depth where forward-backward flow agrees (confident pixels). The
// memory is bounded (a window of `window` frames), so the output of a frame depends only on
// the frames of its window: a run resumed at any frame, with `window` frames of warm-up,
// gives exactly the same depth.
//
// What is carried is the RAW input depth of the earlier frames (never the smoothed output),
// each warped one step per frame along the flow from frame t to frame t-1 (computed on grey
// at flow size, resized to depth's size), with a confidence weight in [0, 1] that is the
// product of the steps' forward-backward checks. Output at a pixel:
//   (1 - strength) * D_t + sum_i (strength / window) * w_i * C_i, divided by the sum of the
//   weights used, where C_i is the depth of frame t-i carried to t and w_i its confidence.
// So with every earlier frame confident it is (1 - strength) D_t + strength * mean(C_i).
//
// Also propagates depth to frames that have none (depth every Nth frame): their raw depth is
// the previous raw depth carried one step (everywhere, confident or not). The exact-resume
// invariant then needs the warm-up to start at a frame with depth: the output of frame t
// depends on the frames from min(t - window, the last frame with depth at or before
// t - window) to t.
//
// Within a scene the image size and the depth size must stay the same (InputError otherwise).
// Memory: the previous flow-size grey and `max(window, 1)` depth + weight maps.
#pragma once

#include <deque>
#include <optional>

#include <opencv2/core.hpp>

namespace cv {
class DISOpticalFlow;
}

namespace genstereo {

struct FlowSmoothingSettings {
  int window = 2;                // earlier frames averaged in (0 = off)
  double strength = 0.6;         // weight of the carried depth against the current one, [0, 1)
  int flow_short_side = 360;     // flow computed at this short side (smaller frames as they are)
  double max_fb_error_px = 1.0;  // forward-backward disagreement (at flow size) above which a
                                 // pixel is not confident
};

class FlowDepthSmoother {
 public:
  explicit FlowDepthSmoother(FlowSmoothingSettings settings = {});
  // Adds the next frame (`bgr8` CV_8UC3) and its normalised depth (CV_32FC1 in [0, 1], any
  // size; empty = no depth for this frame: propagated from the previous ones). Returns the
  // smoothed depth at depth's size (or the previous depth's size when empty). Throws
  // InputError when the first frame after a reset has no depth.
  cv::Mat push(const cv::Mat& bgr8, const cv::Mat& depth01);
  void reset();  // a scene cut
  // The confident share of pixels at the last push (0 for the first frame).
  double lastConfidentFraction() const;

 private:
  struct Entry {
    cv::Mat depth;   // CV_32FC1 raw depth of an earlier frame, carried to the last frame
    cv::Mat weight;  // CV_32FC1 confidence in [0, 1] of the carried depth
  };
  FlowSmoothingSettings settings_;
  cv::Ptr<cv::DISOpticalFlow> flow_;
  cv::Mat previous_gray_;      // CV_8UC1 at flow size
  cv::Size image_size_;        // of the frames since the last reset
  std::deque<Entry> carried_;  // newest first, at most max(window, 1)
  double last_confident_ = 0.0;
};

}  // namespace genstereo

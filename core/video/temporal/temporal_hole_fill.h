// Temporal fill of the disoccluded bands of a synthesised view: a hole pixel (nothing of the
// input view landed there) shows background that the input view hides in this frame, but that
// was often really seen, as warped pixels, in one of the last few frames (an object moving
// over its background uncovers in the new view what it covered a moment ago). The per-frame
// fill invents those pixels anew in every frame and flickers; this reuses what was seen.
//
// Flow: dense optical flow between consecutive SYNTHESISED views (OpenCV DIS on grey at about
// 540p, the shared backward_flow), because that is the geometry the carried pixels live in; the
// left view's flow would need the disparities of both frames and still says nothing about hole
// pixels (the left view does not show them). In the holes, a few pixels around them (DIS
// patches there see the per-frame fill, which moves with the foreground) and on what is nearer
// than the holes' background (larger disparity), the flow is replaced by the push-pull
// interpolation of the confident background flow around them: the hidden background moves
// with the visible background. Pixels whose forward-backward flow disagrees elsewhere stop a
// track.
//
// Each hole pixel of frame t is followed back along these flows (the steps composed at flow
// size) into frames t-1 .. t-window, newest first; it takes the colour of the first frame where
// it lands on pixels that were really seen there (warped, not filled, one pixel inside the
// valid area), whose disparity agrees with the hole's background disparity within
// `max_disparity_error_px`, with a track confidence of at least `min_confidence`. The carried
// colour replaces the per-frame fill with weight `blend`, ramped in over `feather_px` from the
// edge of the carried area (so the seam with the per-frame fill and with the warped pixels
// stays smooth). Pixels that are not holes are returned exactly as given; hole pixels without
// such a history keep the per-frame fill.
//
// Finite memory: what is kept is the RAW warped pixels of the last `window` frames (never an
// output) and the flows between them, so the output of frame t depends only on the frames
// t-window .. t since the last reset(): a run resumed at any frame with `window` frames of
// warm-up gives bit-identical output. reset() at scene cuts.
//
// Memory: per frame kept, the warped view (CV_32FC3), its disparity (CV_32FC1) and validity at
// full size, and a track map (CV_32FC2) and confidence at flow size.
#pragma once

#include <deque>

#include <opencv2/core.hpp>

#include "stereo/stereo_synthesis.h"

namespace cv {
class DISOpticalFlow;
}

namespace genstereo {

struct TemporalFillSettings {
  int window = 6;                       // earlier frames searched for the background (0 = off)
  double blend = 1.0;                   // share of the carried colour in the holes, (0, 1]
  double min_confidence = 0.5;          // track confidence below which nothing is carried, (0, 1]
  double max_disparity_error_px = 1.5;  // |carried disparity - hole's background disparity|
  double feather_px = 2.0;              // ramp from the per-frame fill to the carried colour
  int flow_short_side = 360;            // flow computed at this short side
  double max_fb_error_px = 1.0;         // forward-backward disagreement (at flow size) above
                                        // which a visible pixel's flow is not trusted
};

class TemporalHoleFill {
 public:
  explicit TemporalHoleFill(TemporalFillSettings settings = {});
  ~TemporalHoleFill();
  TemporalHoleFill(const TemporalHoleFill&) = delete;
  TemporalHoleFill& operator=(const TemporalHoleFill&) = delete;

  // Adds the next frame's synthesised view (the engine's RunResult::synthesized: view and
  // warped CV_32FC3 [0,1], valid CV_8UC1 with 0 = hole, disparity_px CV_32FC1 with the
  // background's disparity in holes) and returns its final view (CV_32FC3 [0,1], a new image):
  // view.view with hole pixels taken from earlier frames where they were seen. Within a scene
  // the size must stay the same (InputError otherwise).
  cv::Mat push(const SynthesizedView& view);
  void reset();  // a scene cut

  // Of the last push: the share of hole pixels given a carried colour (0 when there were no
  // holes or no earlier frames).
  double lastCarriedFraction() const;

 private:
  struct Entry {
    cv::Mat image;      // CV_32FC3 warped view of an earlier frame
    cv::Mat seen;       // CV_8UC1 1 where that frame's pixel was really seen
    cv::Mat disparity;  // CV_32FC1 its disparity
    cv::Mat track;      // CV_32FC2 at flow size: where each pixel of the newest frame lies in
                        // this frame (flow-size coordinates); empty for the newest frame
    cv::Mat track_confidence;  // CV_32FC1 at flow size, in [0, 1]
  };
  TemporalFillSettings settings_;
  cv::Ptr<cv::DISOpticalFlow> flow_;
  cv::Mat previous_gray_;   // CV_8UC1 at flow size
  cv::Size image_size_;     // of the frames since the last reset
  std::deque<Entry> kept_;  // newest first, at most `window`
  double last_carried_ = 0.0;
};

}  // namespace genstereo

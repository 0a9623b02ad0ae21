// Dense backward optical flow between consecutive video frames with a forward-backward
// confidence, shared by the flow-guided depth smoother and the temporal metrics. OpenCV DIS
// (PRESET_FAST) on 8-bit grey at a reduced size; the flow is then resized to any map's size to
// carry that map from frame t-1 to frame t.
#pragma once

#include <opencv2/core.hpp>
#include <opencv2/video.hpp>

namespace genstereo {

// The size at which flow is computed: `image` scaled so that its short side is at most
// `short_side_px` (smaller images as they are); at least 8 px per side.
cv::Size flowSize(cv::Size image, int short_side_px);

// CV_8UC1 grey of `bgr8` (CV_8UC3) at `size` (area-averaged).
cv::Mat toFlowGray(const cv::Mat& bgr8, cv::Size size);

cv::Ptr<cv::DISOpticalFlow> createFlowEstimator();

struct BackwardFlow {
  cv::Mat flow_px;     // CV_32FC2 at grey size: pixel p of frame t is at p + flow(p) in frame t-1
  cv::Mat confidence;  // CV_32FC1 at grey size: 1 where forward-backward agree, else 0
  double confident_fraction = 0.0;
};

// Flow from `current` to `previous` (both CV_8UC1, same size) and its confidence: the
// forward flow at p + flow(p) must bring the pixel back within `max_fb_error_px`, and
// p + flow(p) must lie inside the frame.
BackwardFlow computeBackwardFlow(cv::DISOpticalFlow& estimator, const cv::Mat& previous,
                                 const cv::Mat& current, double max_fb_error_px);

// cv::remap map (CV_32FC2, absolute source coordinates) at `target` size that samples a map of
// frame t-1 at `target` size into frame t, from `flow_px` at any size (resized, vectors scaled).
cv::Mat samplingMap(const cv::Mat& flow_px, cv::Size target);

}  // namespace genstereo

// How the two views of a video frame become one output frame (side-by-side, top-bottom,
// cross-eyed, anaglyph, VR180 equirectangular), the stereo signalling each layout gets in the
// file, and the file-name suffixes (iw3's). The names are genstereo/video.h's.
#pragma once

#include <opencv2/core.hpp>

#include "genstereo/video.h"

namespace genstereo {

// The output frame's size for views of `view` size.
cv::Size videoFrameSize(cv::Size view, VideoOutputLayout layout);

// left01/right01: CV_32FC3 BGR [0, 1]. Returns CV_32FC3 [0, 1] of videoFrameSize.
// VR180: each view is taken as a pinhole picture with a horizontal field of view of
// kVr180ViewFieldOfViewDeg and projected onto its 180x180-degree equirectangular half
// (height x height); outside the picture is black.
cv::Mat composeVideoFrame(const cv::Mat& left01, const cv::Mat& right01, VideoOutputLayout layout);

constexpr double kVr180ViewFieldOfViewDeg = 90.0;

VideoStereoPacking stereoPackingOf(VideoOutputLayout layout);

}  // namespace genstereo

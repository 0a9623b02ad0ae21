// JPS (JPEG Stereo) files: one JPEG holding a side-by-side stereo pair, the format of
// StereoPhoto Maker, NVIDIA 3D Vision Photo Viewer and many stereo viewers. By convention the
// pair is stored cross-eyed (right view in the left half) at full width, and an APP3
// "_JPSJPS_" segment (the JPS stereoscopic descriptor, introduced by VRex) states the layout.
#pragma once

#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

namespace genstereo {

// Encodes the pair (CV_32FC3, BGR, [0, 1], same size W x H) as a 2W x H cross-eyed
// side-by-side JPEG of the given quality (1..100) with a JPS stereoscopic descriptor:
// media type stereoscopic, layout side-by-side, full width and height, right view first.
// Throws InputError when the views do not match (see checkStereoViews) and OutputError when
// encoding fails.
std::vector<std::uint8_t> buildJps(const cv::Mat& left01, const cv::Mat& right01, int quality);

}  // namespace genstereo

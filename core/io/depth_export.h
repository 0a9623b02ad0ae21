// Export of estimated depth and disparity maps: 16-bit PNG, PFM and a colour-mapped preview.
// Torch-free; every file is written atomically (temporary file + rename).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "io/disparity_io.h"

namespace genstereo {

// Colour maps of the preview (OpenCV's): near is bright/warm, far is dark/cool.
enum class DepthColormap { kInferno, kTurbo, kGray };

// "inferno", "turbo", "gray".
const char* toString(DepthColormap colormap);

// Relative depth as a normalised 16-bit grey PNG (what 2D-to-3D tools and depth viewers read):
// the valid values are mapped linearly from [min, max] to [1, 65535] (larger = nearer for
// inverse depth); invalid pixels are 0. A flat map gives 65535 everywhere. The absolute scale
// is lost: keep the PFM for values. Throws OutputError naming the file.
void writeDepthPng16(const std::filesystem::path& path, const DisparityMap& map);

// Values as stored, float32 PFM (invalid = +inf), via writeDisparity. Throws OutputError.
void writeDepthPfm(const std::filesystem::path& path, const DisparityMap& map);

// An 8-bit colour preview (.png, .jpg, ...; format from the extension): valid values
// normalised by min/max and colour-mapped, invalid pixels black. Throws OutputError.
void writeDepthPreview(const std::filesystem::path& path, const DisparityMap& map,
                       DepthColormap colormap = DepthColormap::kInferno);

// The colour preview as an 8-bit BGR image (CV_8UC3), for display.
cv::Mat renderDepthPreview(const DisparityMap& map,
                           DepthColormap colormap = DepthColormap::kInferno);

// Writes the usual set into `folder` and returns the paths written, in this order:
//   STEM_depth.png (16-bit normalised), STEM_depth.pfm, STEM_depth_preview.png,
//   STEM_disparity.pfm (pixels), STEM_disparity.png (16-bit KITTI, pixels * 256).
// Throws OutputError naming the file that failed.
std::vector<std::filesystem::path> exportDepthAndDisparity(
    const std::filesystem::path& folder, const std::string& stem, const DisparityMap& depth,
    const DisparityMap& disparity, DepthColormap colormap = DepthColormap::kInferno);

}  // namespace genstereo

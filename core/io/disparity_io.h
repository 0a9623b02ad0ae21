// Disparity and depth maps: reading and writing (the value type is stereo/disparity_map.h).
// Invalid values (NaN, inf, negative, the format's own "unknown" code) are set to 0 in
// `values` and 0 in `valid`.
#pragma once

#include <filesystem>
#include <optional>

#include <opencv2/core.hpp>

#include "stereo/disparity_map.h"

namespace genstereo {

// Reads PFM (both byte orders, bottom-to-top rows), KITTI-style 16-bit PNG, 8-bit PNG,
// float32 TIFF, NumPy .npy (float32/float64, C order, 2-D or HxWx1).
// Throws InputError naming the file and what is wrong.
DisparityMap readDisparity(const std::filesystem::path& path,
                           const DisparityReadOptions& options = {});

// Writes `map` (invalid pixels are written as the format's invalid code: inf for PFM and
// TIFF, 0 for PNG, NaN for .npy). Format from the extension: .pfm, .png (16-bit,
// value*256, KITTI; a valid value below 1/512 is stored as 1 so that it stays valid),
// .tif/.tiff (float32), .npy (float32, version 1 header). Atomic. Throws OutputError
// naming the file.
void writeDisparity(const std::filesystem::path& path, const DisparityMap& map);

}  // namespace genstereo

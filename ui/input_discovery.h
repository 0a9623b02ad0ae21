// Finding the disparity or depth map that belongs to a photo, and how to read it.
//
// Rule, for a photo FOLDER/NAME.EXT (first match wins; map extensions in the order
// .pfm .png .tif .tiff .npy; the photo itself is never taken):
//   1. FOLDER/NAME_disp.*, FOLDER/NAME_disparity.*          disparity
//   2. FOLDER/disp_NAME.*  (disp_left.png beside left.png)    disparity
//   3. FOLDER/NAME.pfm, FOLDER/NAME.npy                       disparity
//   4. FOLDER/NAME_depth.*, FOLDER/depth_NAME.*               inverse depth
// FOLDER/meta.json with {"disparity_encoding": {"scale_divisor": N}} gives the divisor of
// integer PNG maps (the layout of resources/sample and of the stereo datasets).
#pragma once

#include <filesystem>
#include <optional>

#include "engine_types.h"

namespace genstereo::ui {

struct MapCandidate {
  std::filesystem::path path;
  MapKind kind = MapKind::kDisparity;
};

// The map beside `image` by the rule above, or nullopt.
std::optional<MapCandidate> findMapBeside(const std::filesystem::path& image);

// What a map file chosen by the user holds, from its name: "depth" in the name means inverse
// depth, anything else disparity.
MapKind guessMapKind(const std::filesystem::path& map);

// `disparity_encoding.scale_divisor` of FOLDER/meta.json, or nullopt when the file or the key
// is absent. Throws InputError naming the file when it is not valid JSON or the divisor is not a
// positive number.
std::optional<double> readPngDivisor(const std::filesystem::path& folder);

}  // namespace genstereo::ui

// A folder of rectified stereo pairs with ground-truth disparity, for `genstereo-cli eval`.
//
// Layout (the one of ../shared/data/stereo-dev, Middlebury/KITTI/ETH3D style): one sub-folder
// per pair holding
//   left.png    the left view
//   right.png   the real right view
//   disp_left.pfm | disp_left.png | disp_left.tif | disp_left.npy
//               disparity of the left view in pixels: left (x, y) matches right (x - d, y)
//   meta.json   optional; `disparity_encoding.scale_divisor` divides integer PNG values
//               (Middlebury 2003: 4, Tsukuba: 16, KITTI: 256); without it 8-bit PNGs are
//               read as-is and 16-bit PNGs divided by 256
// A folder that itself has this layout is a dataset of one pair.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "io/disparity_io.h"

namespace genstereo {

struct StereoPairItem {
  std::string name;
  std::filesystem::path left;
  std::filesystem::path right;
  std::filesystem::path disparity;
  DisparityReadOptions disparity_options;
  // Non-empty for a sub-folder that holds part of a pair (a file missing, a bad meta.json):
  // evaluation reports it as skipped.
  std::string skip_reason;
};

// Finds the pairs, sorted by name; sub-folders holding only part of a pair are listed with
// `skip_reason` set. Throws InputError when the folder does not exist or holds no pair, not
// even a partial one (the message describes the expected layout).
std::vector<StereoPairItem> discoverStereoDataset(const std::filesystem::path& root);

}  // namespace genstereo

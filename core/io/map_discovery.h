// The one rule for finding the disparity or depth map of a photo, used by the CLI, the GUI,
// `batch` and `eval` alike, and the one reader of a dataset folder's meta.json.
//
// For a photo FOLDER/NAME.EXT (first match wins; map extensions in the order .pfm .png .tif
// .tiff .npy; the photo itself is never taken):
//   0. mirrored folders, when given (batch --disparity-dir / --depth-dir):
//      DISPARITY_DIR/REL.*  disparity, then DEPTH_DIR/REL.*  inverse depth, where REL is the
//      photo's path relative to the input root without its extension
//   1. FOLDER/NAME_disp.*  NAME_disparity.*  NAME.disp.*      disparity
//   2. FOLDER/disp_NAME.*  (the eval layout: disp_left.pfm beside left.png)   disparity
//   3. FOLDER/NAME.pfm  NAME.npy                               disparity
//   4. FOLDER/NAME_depth.*  NAME.depth.*  depth_NAME.*         inverse depth
// The divisor of integer PNG disparity maps comes from meta.json in the map's folder
// ({"disparity_encoding": {"scale_divisor": N}}: Middlebury 2003 4, Tsukuba 16, KITTI 256).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "io/disparity_io.h"

namespace genstereo {

// What a map holds.
enum class MapKind {
  kDisparity,     // pixels, left (x, y) matches right (x - d, y)
  kInverseDepth,  // relative inverse depth, larger = nearer (Depth Anything)
  kMetricDepth,   // distance, larger = farther
};
const char* toString(MapKind kind);  // "disparity", "inverse-depth", "metric-depth"

struct MapLocation {
  std::filesystem::path path;
  MapKind kind = MapKind::kDisparity;
  DisparityReadOptions read_options;  // the divisor from meta.json, if any
};

struct MapSearch {
  std::optional<std::filesystem::path> disparity_dir;  // rule 0
  std::optional<std::filesystem::path> depth_dir;
  std::filesystem::path relative_base;  // REL of rule 0 (empty: the photo's stem)
};

// The map of `photo` by the rule above, or nullopt. When `tried` is given, the patterns looked
// for are appended to it (for "no map found" messages). Throws InputError for a meta.json that
// is not valid JSON or holds a bad divisor.
std::optional<MapLocation> findMapOfPhoto(const std::filesystem::path& photo,
                                          const MapSearch& search = {},
                                          std::vector<std::string>* tried = nullptr);

// True when a file found while scanning a folder for photos is a map or another sidecar of a
// photo by the rule above (NAME_disp.png, disp_left.png, NAME.depth.tif, ...), or the real
// right view of an eval-layout pair folder (right.png beside left.png and disp_left.*).
bool isMapOrSidecar(const std::filesystem::path& file);

// What a map file chosen by the user holds, from its name: "depth" in the name means inverse
// depth, anything else disparity.
MapKind guessMapKind(const std::filesystem::path& map);

// The range of a PNG disparity divisor (meta.json and --disparity-divisor alike).
constexpr double kMinPngDivisor = 1e-6;
constexpr double kMaxPngDivisor = 1e6;

// `disparity_encoding.scale_divisor` of FOLDER/meta.json, or nullopt when the file or the key
// is absent. Throws InputError naming the file when it is not a regular file (a FIFO or device
// is refused without blocking), exceeds 1 MiB, is not valid JSON, not an object, nested more
// than 64 levels, holds a key twice in one object, or the divisor is not a number in
// [kMinPngDivisor, kMaxPngDivisor].
std::optional<double> readPngDivisor(const std::filesystem::path& folder);

// Read options for a map file: its folder's meta.json divisor.
DisparityReadOptions mapReadOptions(const std::filesystem::path& map);

// The map extensions tried, in order.
const std::vector<std::string>& mapExtensions();

}  // namespace genstereo

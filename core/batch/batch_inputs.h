// The items of a batch: one photo each, with its disparity or depth map, found in a folder
// tree or listed in a manifest (CSV or JSON Lines). Every item has a stable, unique id used
// for its output file names and for sharding.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace genstereo {

struct BatchItem {
  std::string id;  // [A-Za-z0-9._-]+, not starting with '.'
  std::filesystem::path image;
  std::optional<std::filesystem::path> disparity;  // at most one of disparity / depth
  std::optional<std::filesystem::path> depth;
  std::string origin;        // where the item came from, for messages: "list.csv line 7"
  std::string missing_maps;  // set when neither map was found: what was looked for
};

// Image extensions found in a folder tree (lower case, with the dot).
const std::vector<std::string>& batchImageExtensions();
// Disparity/depth extensions tried beside an image, in this order.
const std::vector<std::string>& batchMapExtensions();

// Item id from a path relative to the input root, extension removed: components joined with
// "__", characters outside [A-Za-z0-9._-] replaced by '_', "." and ".." components dropped,
// a leading '.' replaced by '_'. "scenes/a b/img01.png" -> "scenes__a_b__img01".
// A non-ASCII character becomes one '_' and the id gets "-" + 9 hex digits of a hash of the
// original path, so that names in other scripts stay distinct: "写真.jpg" -> "__-<hash>".
std::string makeItemId(const std::filesystem::path& relative_path);

// True when `id` may be used as given: [A-Za-z0-9._-]+, not starting with '.'.
bool isValidItemId(const std::string& id);

struct FolderScanOptions {
  std::filesystem::path root;
  // Disparity (depth) maps of ROOT/REL/NAME.ext are looked for at DIR/REL/NAME.{pfm,...}
  // before the sidecars beside the image.
  std::optional<std::filesystem::path> disparity_dir;
  std::optional<std::filesystem::path> depth_dir;
  // Folders not scanned (the output folder when it lies inside the root).
  std::vector<std::filesystem::path> excluded;
  // Sub-folders that cannot be read ("'PATH' (Permission denied)") are appended here and
  // skipped; when null, such a folder is an InputError.
  std::vector<std::string>* unreadable_folders = nullptr;
};

// Images found recursively under `root` (hidden files and folders skipped; files named as
// sidecars, NAME.disp.* NAME_disp.* NAME.depth.* NAME_depth.*, are maps, not images; a pair
// folder of the eval layout, left.* beside disp_left.*, gives its left.* photo only), each
// with its map: DISPARITY_DIR/REL/NAME.*, then NAME.disp.*, NAME_disp.* beside it, then
// DEPTH_DIR/REL/NAME.*, NAME.depth.*, NAME_depth.* (extensions pfm, png, tif, tiff, npy).
// An image without a map is kept with `missing_maps` set (it fails when processed).
// Sorted by id. Throws InputError when `root` is not a folder, holds no image, or two images
// give the same id.
std::vector<BatchItem> scanBatchFolder(const FolderScanOptions& options);

// A manifest, CSV (extension .csv) or JSON Lines (.jsonl, .ndjson, .json):
//   CSV: a header naming the columns among image (required), disparity, depth, id; one item
//        per row; fields may be double-quoted ("" for a quote); blank lines and lines starting
//        with '#' are skipped.
//   JSON Lines: one object per line with the same keys (strings; null or absent = not given).
// Paths are relative to the manifest's folder (absolute paths are kept). The id defaults to
// makeItemId(image path as written, without extension).
// Throws InputError naming the manifest and the line: unknown or missing column, wrong
// number of fields, empty image, invalid JSON, both disparity and depth, a file that does not
// exist, an invalid or duplicate id. A row with neither map is kept with `missing_maps` set.
// Sorted by id.
std::vector<BatchItem> readBatchManifest(const std::filesystem::path& manifest);

}  // namespace genstereo

#include "eval/stereo_dataset.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <system_error>

#include <unistd.h>

#include "errors.h"
#include "io/map_discovery.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

const char* const kDisparityNames[] = {"disp_left.pfm", "disp_left.png", "disp_left.tif",
                                       "disp_left.tiff", "disp_left.npy"};

bool isPairFolder(const fs::path& folder, fs::path* disparity) {
  std::error_code ec;
  if (!fs::is_regular_file(folder / "left.png", ec) ||
      !fs::is_regular_file(folder / "right.png", ec)) {
    return false;
  }
  for (const char* name : kDisparityNames) {
    if (fs::is_regular_file(folder / name, ec)) {
      *disparity = folder / name;
      return true;
    }
  }
  return false;
}

// What a folder that holds part of a pair lacks ("" when it holds no pair file at all).
std::string describeMissing(const fs::path& folder) {
  std::error_code ec;
  const bool has_left = fs::is_regular_file(folder / "left.png", ec);
  const bool has_right = fs::is_regular_file(folder / "right.png", ec);
  bool has_disparity = false;
  for (const char* name : kDisparityNames)
    has_disparity = has_disparity || fs::is_regular_file(folder / name, ec);
  if (!has_left && !has_right && !has_disparity) return "";
  std::string missing;
  if (!has_left) missing += " left.png";
  if (!has_right) missing += " right.png";
  if (!has_disparity) missing += " disp_left.{pfm,png,tif,npy}";
  return "'" + folder.string() + "' lacks" + missing;
}

DisparityReadOptions readEncoding(const fs::path& folder) {
  DisparityReadOptions options;
  options.png_divisor = readPngDivisor(folder);
  return options;
}

}  // namespace

std::vector<StereoPairItem> discoverStereoDataset(const fs::path& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    throw InputError("dataset folder '" + root.string() + "' does not exist or is not a folder");
  }
  std::vector<fs::path> folders;
  std::map<fs::path, std::string> unreadable;  // folder -> why
  fs::path disparity;
  if (isPairFolder(root, &disparity)) {
    folders.push_back(root);
  } else {
    fs::directory_iterator it(root, ec);
    if (ec)
      throw InputError("cannot list the dataset folder '" + root.string() + "': " + ec.message());
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec)
        throw InputError("cannot list the dataset folder '" + root.string() + "': " + ec.message());
      std::error_code entry_ec;
      if (!it->is_directory(entry_ec)) continue;
      // A sub-folder that cannot be read is reported as a skipped pair, not passed over.
      if (::access(it->path().c_str(), R_OK | X_OK) != 0) {
        unreadable[it->path()] = std::strerror(errno);
        folders.push_back(it->path());
        continue;
      }
      if (isPairFolder(it->path(), &disparity) || !describeMissing(it->path()).empty()) {
        folders.push_back(it->path());
      }
    }
  }
  if (folders.empty()) {
    throw InputError("no stereo pair found in '" + root.string() +
                     "': expected sub-folders holding left.png, right.png and "
                     "disp_left.{pfm,png,tif,npy} (optionally meta.json)");
  }
  std::sort(folders.begin(), folders.end());
  std::vector<StereoPairItem> items;
  for (const fs::path& folder : folders) {
    StereoPairItem item;
    const bool is_complete = isPairFolder(folder, &item.disparity);
    item.name = folder.filename().string();
    if (item.name.empty() || item.name == ".")
      item.name = fs::absolute(folder).parent_path().filename().string();
    item.left = folder / "left.png";
    item.right = folder / "right.png";
    if (unreadable.count(folder)) {
      item.skip_reason =
          "cannot read the folder '" + folder.string() + "' (" + unreadable[folder] + ")";
    } else if (!is_complete) {
      item.skip_reason = describeMissing(folder);
    } else {
      try {
        item.disparity_options = readEncoding(folder);
      } catch (const InputError& e) {
        item.skip_reason = e.what();
      }
    }
    items.push_back(item);
  }
  return items;
}

}  // namespace genstereo

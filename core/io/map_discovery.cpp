#include "io/map_discovery.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "errors.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool startsWith(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

bool isFile(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

bool isSame(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

// BASE + each map extension; the first regular file that is not the photo.
std::optional<fs::path> firstExisting(const fs::path& base, const fs::path& photo,
                                      std::vector<std::string>* tried) {
  for (const std::string& extension : mapExtensions()) {
    fs::path candidate = base;
    candidate += extension;
    if (isFile(candidate) && !isSame(candidate, photo)) return candidate;
  }
  if (tried != nullptr) tried->push_back(base.string() + ".{pfm,png,tif,tiff,npy}");
  return std::nullopt;
}

MapLocation located(const fs::path& path, MapKind kind) {
  MapLocation location;
  location.path = path;
  location.kind = kind;
  location.read_options = mapReadOptions(path);
  return location;
}

}  // namespace

const char* toString(MapKind kind) {
  switch (kind) {
    case MapKind::kDisparity: return "disparity";
    case MapKind::kInverseDepth: return "inverse-depth";
    case MapKind::kMetricDepth: return "metric-depth";
  }
  return "disparity";
}

const std::vector<std::string>& mapExtensions() {
  static const std::vector<std::string> extensions = {".pfm", ".png", ".tif", ".tiff", ".npy"};
  return extensions;
}

std::optional<MapLocation> findMapOfPhoto(const fs::path& photo, const MapSearch& search,
                                          std::vector<std::string>* tried) {
  const fs::path folder = photo.parent_path().empty() ? fs::path(".") : photo.parent_path();
  const std::string name = photo.stem().string();
  const fs::path relative = search.relative_base.empty() ? fs::path(name) : search.relative_base;
  if (search.disparity_dir) {
    if (auto path = firstExisting(*search.disparity_dir / relative, photo, tried)) {
      return located(*path, MapKind::kDisparity);
    }
  }
  if (search.depth_dir) {
    if (auto path = firstExisting(*search.depth_dir / relative, photo, tried)) {
      return located(*path, MapKind::kInverseDepth);
    }
  }
  for (const std::string& stem : {name + "_disp", name + "_disparity", name + ".disp", "disp_" + name}) {
    if (auto path = firstExisting(folder / stem, photo, tried)) return located(*path, MapKind::kDisparity);
  }
  for (const char* extension : {".pfm", ".npy"}) {
    const fs::path candidate = folder / (name + extension);
    if (isFile(candidate) && !isSame(candidate, photo)) return located(candidate, MapKind::kDisparity);
  }
  for (const std::string& stem : {name + "_depth", name + ".depth", "depth_" + name}) {
    if (auto path = firstExisting(folder / stem, photo, tried)) return located(*path, MapKind::kInverseDepth);
  }
  return std::nullopt;
}

bool isMapOrSidecar(const fs::path& file) {
  const std::string stem = lower(file.stem().string());
  for (const char* suffix : {"_disp", "_disparity", ".disp", "_depth", ".depth"}) {
    if (endsWith(stem, suffix)) return true;
  }
  if (startsWith(stem, "disp_") || startsWith(stem, "depth_")) return true;
  const std::string extension = lower(file.extension().string());
  if (extension == ".pfm" || extension == ".npy") return true;
  if (stem == "right") {
    const fs::path folder = file.parent_path();
    for (const std::string& ext : mapExtensions()) {
      if (isFile(folder / ("disp_left" + ext))) return true;
    }
  }
  return false;
}

MapKind guessMapKind(const fs::path& map) {
  return lower(map.filename().string()).find("depth") != std::string::npos ? MapKind::kInverseDepth
                                                                           : MapKind::kDisparity;
}

std::optional<double> readPngDivisor(const fs::path& folder) {
  const fs::path meta_path = folder / "meta.json";
  if (!isFile(meta_path)) return std::nullopt;
  std::ifstream in(meta_path, std::ios::binary);
  const nlohmann::json meta = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (meta.is_discarded()) throw InputError("'" + meta_path.string() + "' is not valid JSON");
  if (!meta.is_object() || !meta.contains("disparity_encoding") || !meta["disparity_encoding"].is_object() ||
      !meta["disparity_encoding"].contains("scale_divisor")) {
    return std::nullopt;
  }
  const nlohmann::json& divisor = meta["disparity_encoding"]["scale_divisor"];
  if (!divisor.is_number() || !(divisor.get<double>() > 0.0) || !std::isfinite(divisor.get<double>())) {
    throw InputError("'" + meta_path.string() +
                     "': disparity_encoding.scale_divisor must be a positive number, found " + divisor.dump());
  }
  return divisor.get<double>();
}

DisparityReadOptions mapReadOptions(const fs::path& map) {
  DisparityReadOptions options;
  const fs::path folder = map.parent_path().empty() ? fs::path(".") : map.parent_path();
  options.png_divisor = readPngDivisor(folder);
  return options;
}

}  // namespace genstereo

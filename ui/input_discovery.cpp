#include "input_discovery.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <string>
#include <system_error>

#include <nlohmann/json.hpp>

#include "errors.h"

namespace genstereo::ui {

namespace fs = std::filesystem;

namespace {

constexpr std::array<const char*, 5> kMapExtensions = {".pfm", ".png", ".tif", ".tiff", ".npy"};

std::optional<fs::path> firstExisting(const fs::path& folder, const std::string& stem,
                                      const fs::path& image) {
  std::error_code ec;
  for (const char* extension : kMapExtensions) {
    const fs::path candidate = folder / (stem + extension);
    if (fs::is_regular_file(candidate, ec) && !fs::equivalent(candidate, image, ec)) {
      return candidate;
    }
  }
  return std::nullopt;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

std::optional<MapCandidate> findMapBeside(const fs::path& image) {
  const fs::path folder = image.parent_path().empty() ? fs::path(".") : image.parent_path();
  const std::string name = image.stem().string();
  for (const std::string& stem : {name + "_disp", name + "_disparity", "disp_" + name}) {
    if (auto path = firstExisting(folder, stem, image))
      return MapCandidate{*path, MapKind::kDisparity};
  }
  std::error_code ec;
  for (const char* extension : {".pfm", ".npy"}) {
    const fs::path candidate = folder / (name + extension);
    if (fs::is_regular_file(candidate, ec) && !fs::equivalent(candidate, image, ec)) {
      return MapCandidate{candidate, MapKind::kDisparity};
    }
  }
  for (const std::string& stem : {name + "_depth", "depth_" + name}) {
    if (auto path = firstExisting(folder, stem, image))
      return MapCandidate{*path, MapKind::kInverseDepth};
  }
  return std::nullopt;
}

MapKind guessMapKind(const fs::path& map) {
  return lower(map.filename().string()).find("depth") != std::string::npos ? MapKind::kInverseDepth
                                                                           : MapKind::kDisparity;
}

std::optional<double> readPngDivisor(const fs::path& folder) {
  const fs::path meta_path = folder / "meta.json";
  std::error_code ec;
  if (!fs::is_regular_file(meta_path, ec)) return std::nullopt;
  std::ifstream in(meta_path);
  const nlohmann::json meta = nlohmann::json::parse(in, nullptr, false);
  if (meta.is_discarded()) {
    throw InputError("'" + meta_path.string() + "' is not valid JSON");
  }
  if (!meta.is_object() || !meta.contains("disparity_encoding") ||
      !meta["disparity_encoding"].is_object() ||
      !meta["disparity_encoding"].contains("scale_divisor")) {
    return std::nullopt;
  }
  const nlohmann::json& divisor = meta["disparity_encoding"]["scale_divisor"];
  if (!divisor.is_number() || !(divisor.get<double>() > 0.0)) {
    throw InputError("'" + meta_path.string() +
                     "': disparity_encoding.scale_divisor must be a positive number");
  }
  return divisor.get<double>();
}

}  // namespace genstereo::ui

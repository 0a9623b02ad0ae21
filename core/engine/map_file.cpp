#include "engine/map_file.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "errors.h"
#include "io/map_discovery.h"

namespace genstereo {

const char* toString(MapFileKind kind) {
  return kind == MapFileKind::kDepth ? "depth" : "disparity";
}

void checkDisparityScale(const DisparityMap& map, const std::string& origin,
                         std::vector<RunNote>* notes) {
  if (map.values.empty() || map.values.type() != CV_32FC1) return;
  const double width = static_cast<double>(map.values.cols);
  std::vector<float> magnitudes;
  magnitudes.reserve(map.values.total());
  for (int y = 0; y < map.values.rows; ++y) {
    const float* values = map.values.ptr<float>(y);
    const std::uint8_t* valid = map.valid.empty() ? nullptr : map.valid.ptr<std::uint8_t>(y);
    for (int x = 0; x < map.values.cols; ++x) {
      if ((valid == nullptr || valid[x] != 0) && std::isfinite(values[x]))
        magnitudes.push_back(std::fabs(values[x]));
    }
  }
  if (magnitudes.empty()) return;
  const std::size_t beyond = static_cast<std::size_t>(
      std::count_if(magnitudes.begin(), magnitudes.end(), [&](float d) { return d > width; }));
  if (beyond == 0) return;
  auto middle = magnitudes.begin() + static_cast<std::ptrdiff_t>(magnitudes.size() / 2);
  std::nth_element(magnitudes.begin(), middle, magnitudes.end());
  const double median = *middle;
  const double largest = *std::max_element(magnitudes.begin(), magnitudes.end());
  if (median > width) {
    char numbers[160];
    std::snprintf(numbers, sizeof numbers, "median %.4g px, largest %.4g px, for a map %d px wide",
                  median, largest, map.values.cols);
    throw InputError(
        "the disparities of " + origin + " are far beyond the image width (" + numbers +
        "): every pixel would leave the picture. The map's scale is wrong: a PNG divisor "
        "(--disparity-divisor, meta.json), a depth map given as --disparity, or a PFM of the "
        "wrong byte order?");
  }
  if (notes != nullptr && beyond * 100 >= magnitudes.size()) {
    const double percent =
        100.0 * static_cast<double>(beyond) / static_cast<double>(magnitudes.size());
    notes->push_back(RunNote{RunNoteKind::kMapScaleSuspect, {percent, largest, width}, origin});
  }
}

GeometrySource readGeometryFile(const MapFile& file, std::vector<RunNote>* notes) {
  DisparityReadOptions options = file.read_options;
  if (!options.png_divisor) options.png_divisor = mapReadOptions(file.path).png_divisor;
  DisparityMap map = readDisparity(file.path, options);
  const std::string origin = "'" + file.path.string() + "'";
  if (file.kind == MapFileKind::kDepth) return DepthInput{std::move(map), origin};
  checkDisparityScale(map, origin, notes);
  return DisparityInput{std::move(map), origin};
}

GeometrySource StereoEngine::readMapFile(const MapFile& file) {
  return readGeometryFile(file, nullptr);
}

}  // namespace genstereo

#include "io/depth_export.h"

#include <cctype>
#include <cmath>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "io/atomic_write.h"

namespace genstereo {

namespace {

void checkMap(const std::filesystem::path& path, const DisparityMap& map) {
  if (map.values.empty() || map.values.type() != CV_32FC1 || map.valid.type() != CV_8UC1 ||
      map.valid.size() != map.values.size()) {
    throw OutputError("'" + path.string() +
                      "': cannot write the depth map: expected a non-empty CV_32FC1 map with a "
                      "CV_8UC1 validity mask of the same size");
  }
}

// Valid values scaled to [0, 1] by their min/max (a flat map gives 1); invalid pixels -1.
cv::Mat normalisedValid(const DisparityMap& map) {
  double lo = 0.0;
  double hi = 0.0;
  const bool has_valid = cv::countNonZero(map.valid) > 0;
  if (has_valid) cv::minMaxLoc(map.values, &lo, &hi, nullptr, nullptr, map.valid);
  const double range = hi - lo;
  cv::Mat out(map.values.size(), CV_32FC1);
  for (int y = 0; y < out.rows; ++y) {
    const float* v = map.values.ptr<float>(y);
    const std::uint8_t* ok = map.valid.ptr<std::uint8_t>(y);
    float* o = out.ptr<float>(y);
    for (int x = 0; x < out.cols; ++x) {
      if (!ok[x]) {
        o[x] = -1.f;
      } else {
        o[x] = range > 0.0 ? static_cast<float>((v[x] - lo) / range) : 1.f;
      }
    }
  }
  return out;
}

void writeEncoded(const std::filesystem::path& path, const cv::Mat& image,
                  const std::vector<int>& params = {}) {
  std::string extension = path.extension().string();
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::vector<std::uint8_t> bytes;
  bool is_encoded = false;
  try {
    is_encoded = !extension.empty() && cv::imencode(extension, image, bytes, params);
  } catch (const cv::Exception& e) {
    throw OutputError("'" + path.string() + "': cannot encode the image: " + e.what());
  }
  if (!is_encoded) {
    throw OutputError("'" + path.string() + "': cannot encode an image with extension '" +
                      extension + "'");
  }
  writeBytesAtomically(path, bytes);
}

}  // namespace

const char* toString(DepthColormap colormap) {
  switch (colormap) {
    case DepthColormap::kTurbo:
      return "turbo";
    case DepthColormap::kGray:
      return "gray";
    case DepthColormap::kInferno:
      break;
  }
  return "inferno";
}

void writeDepthPng16(const std::filesystem::path& path, const DisparityMap& map) {
  checkMap(path, map);
  const cv::Mat normalised = normalisedValid(map);
  cv::Mat png(map.values.size(), CV_16UC1);
  for (int y = 0; y < png.rows; ++y) {
    const float* n = normalised.ptr<float>(y);
    std::uint16_t* p = png.ptr<std::uint16_t>(y);
    for (int x = 0; x < png.cols; ++x) {
      p[x] = n[x] < 0.f ? 0 : static_cast<std::uint16_t>(std::lround(1.0 + n[x] * 65534.0));
    }
  }
  writeEncoded(path, png);
}

void writeDepthPfm(const std::filesystem::path& path, const DisparityMap& map) {
  checkMap(path, map);
  writeDisparity(path, map);
}

cv::Mat renderDepthPreview(const DisparityMap& map, DepthColormap colormap) {
  if (map.values.empty() || map.values.type() != CV_32FC1 ||
      map.valid.size() != map.values.size()) {
    throw InputError(
        "depth preview: expected a non-empty CV_32FC1 map with a validity mask of the same size");
  }
  const cv::Mat normalised = normalisedValid(map);
  cv::Mat grey(map.values.size(), CV_8UC1);
  for (int y = 0; y < grey.rows; ++y) {
    const float* n = normalised.ptr<float>(y);
    std::uint8_t* g = grey.ptr<std::uint8_t>(y);
    for (int x = 0; x < grey.cols; ++x)
      g[x] = n[x] < 0.f ? 0 : static_cast<std::uint8_t>(std::lround(n[x] * 255.0));
  }
  cv::Mat colour;
  if (colormap == DepthColormap::kGray) {
    cv::cvtColor(grey, colour, cv::COLOR_GRAY2BGR);
  } else {
    cv::applyColorMap(
        grey, colour,
        colormap == DepthColormap::kTurbo ? cv::COLORMAP_TURBO : cv::COLORMAP_INFERNO);
  }
  colour.setTo(cv::Scalar::all(0), map.valid == 0);
  return colour;
}

void writeDepthPreview(const std::filesystem::path& path, const DisparityMap& map,
                       DepthColormap colormap) {
  checkMap(path, map);
  writeEncoded(path, renderDepthPreview(map, colormap));
}

std::vector<std::filesystem::path> exportDepthAndDisparity(const std::filesystem::path& folder,
                                                           const std::string& stem,
                                                           const DisparityMap& depth,
                                                           const DisparityMap& disparity,
                                                           DepthColormap colormap) {
  std::vector<std::filesystem::path> written;
  written.push_back(folder / (stem + "_depth.png"));
  writeDepthPng16(written.back(), depth);
  written.push_back(folder / (stem + "_depth.pfm"));
  writeDepthPfm(written.back(), depth);
  written.push_back(folder / (stem + "_depth_preview.png"));
  writeDepthPreview(written.back(), depth, colormap);
  written.push_back(folder / (stem + "_disparity.pfm"));
  checkMap(written.back(), disparity);
  writeDisparity(written.back(), disparity);
  written.push_back(folder / (stem + "_disparity.png"));
  writeDisparity(written.back(), disparity);
  return written;
}

}  // namespace genstereo

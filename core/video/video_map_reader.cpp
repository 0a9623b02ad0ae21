#include "video/video_map_reader.h"

#include <algorithm>
#include <system_error>

#include "errors.h"
#include "io/disparity_io.h"
#include "io/map_discovery.h"

namespace genstereo {

namespace fs = std::filesystem;

namespace {

bool isMapFile(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".pfm" || ext == ".png" || ext == ".npy" || ext == ".tif" || ext == ".tiff";
}

}  // namespace

VideoMapReader::VideoMapReader(const VideoMapSource& source) : source_(source) {
  std::error_code ec;
  if (fs::is_directory(source.path, ec)) {
    for (const auto& entry : fs::directory_iterator(source.path, ec)) {
      if (entry.is_regular_file() && isMapFile(entry.path())) files_.push_back(entry.path());
    }
    std::sort(files_.begin(), files_.end());
    if (files_.empty()) {
      throw InputError("the map folder " + source.path.string() +
                       " holds no per-frame maps (expected .pfm, .png, .npy or .tif files, one per "
                       "frame in name order)");
    }
    return;
  }
  if (!fs::exists(source.path, ec))
    throw InputError("the map source " + source.path.string() + " does not exist");
  if (source.kind == MapKind::kDisparity) {
    throw InputError(
        "the disparity source " + source.path.string() +
        " must be a folder of per-frame maps (a 16-bit grey video is read as depth: use --depth)");
  }
  DecodeOptions options;
  options.pixels = DecodedPixels::kGray16;
  video_ = std::make_unique<VideoDecoder>(source.path, options);
}

VideoMapReader::~VideoMapReader() = default;

cv::Mat VideoMapReader::next() {
  if (video_) {
    DecodedFrame frame;
    if (!video_->read(frame)) {
      throw InputError("the depth video " + source_.path.string() + " ends after " +
                       std::to_string(read_) + " frames, before the video it belongs to");
    }
    ++read_;
    cv::Mat map;
    frame.image.convertTo(map, CV_32F);
    return map;
  }
  if (read_ >= static_cast<std::int64_t>(files_.size())) {
    throw InputError("the map folder " + source_.path.string() + " has " +
                     std::to_string(files_.size()) + " maps, fewer than the frames of the video");
  }
  const fs::path& path = files_[static_cast<std::size_t>(read_++)];
  DisparityMap map = readDisparity(path, mapReadOptions(path));
  cv::Mat values = map.values.clone();
  values.setTo(std::numeric_limits<float>::quiet_NaN(), map.valid == 0);
  return values;
}

void VideoMapReader::skip(std::int64_t count) {
  if (video_) {
    DecodedFrame frame;
    for (std::int64_t i = 0; i < count; ++i) {
      if (!video_->read(frame)) break;
      ++read_;
    }
    return;
  }
  read_ += count;
}

}  // namespace genstereo

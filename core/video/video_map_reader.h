// Per-frame maps the user gives for a video (genstereo/video.h VideoMapSource): a folder of one
// map per frame in sorted-name order, or a 16-bit grey video. Read in frame order.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "genstereo/video.h"
#include "video/video_decoder.h"

namespace genstereo {

class VideoMapReader {
 public:
  // Throws InputError naming the path: missing, an empty folder, a video that is not decodable.
  explicit VideoMapReader(const VideoMapSource& source);
  ~VideoMapReader();

  // The map of the next frame (CV_32FC1, non-finite = invalid). Throws InputError naming the
  // source and the frame when the maps run out before the video does.
  cv::Mat next();
  // Skips `count` frames (the range's start, a resumed run).
  void skip(std::int64_t count);
  std::int64_t framesRead() const { return read_; }
  // Map files of a folder source (empty for a video).
  const std::vector<std::filesystem::path>& files() const { return files_; }

 private:
  VideoMapSource source_;
  std::vector<std::filesystem::path> files_;
  std::unique_ptr<VideoDecoder> video_;
  std::int64_t read_ = 0;
};

}  // namespace genstereo

// Decodes the main video stream of a file, frame by frame, in display orientation (the
// display-matrix rotation applied), deinterlaced when the source is interlaced, with each
// frame's source timestamp. RAII over libavformat / libavcodec / libavfilter / libswscale.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "video/media_source.h"

namespace genstereo {

enum class DecodedPixels {
  kBgr8,    // CV_8UC3 BGR
  kBgr16,   // CV_16UC3 BGR, full 16-bit range (10-bit sources keep their precision)
  kGray16,  // CV_16UC1, the luma plane scaled to 16 bits (depth videos: FFV1 gray16le, ...)
};

struct DecodeOptions {
  DecodedPixels pixels = DecodedPixels::kBgr8;
  double start_s = 0.0;  // first frame at or after this time (seeks to the keyframe before)
  double end_s = -1.0;   // stop before this time; < 0: to the end
  bool apply_rotation = true;
  bool deinterlace = true;  // when the source says it is interlaced (bwdif, one frame per frame)
  int threads = 0;          // decoder threads; 0 = libavcodec's choice
};

struct DecodedFrame {
  cv::Mat image;           // see DecodedPixels; display orientation
  std::int64_t pts = 0;    // the source's timestamp (best effort), in the video stream's time base
  double time_s = 0.0;     // pts in seconds
  std::int64_t index = 0;  // 0-based number among the frames this decoder returned
};

class VideoDecoder {
 public:
  // Throws InputError naming the file (see probeVideo).
  explicit VideoDecoder(const std::filesystem::path& path, DecodeOptions options = {});
  ~VideoDecoder();
  VideoDecoder(const VideoDecoder&) = delete;
  VideoDecoder& operator=(const VideoDecoder&) = delete;

  const VideoSourceInfo& info() const;

  // The next frame; false at the end (or past end_s). A damaged packet is skipped with a note;
  // a file that cannot be read on throws InputError naming the file and the position (time).
  bool read(DecodedFrame& frame);

  // What the user should know: damaged packets skipped, timestamps repaired, deinterlacing.
  const std::vector<std::string>& notes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace genstereo

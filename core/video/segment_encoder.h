// Encodes one segment of the timeline (a run of consecutive frames) into a video-only file
// that starts with a keyframe and references no frame outside it (closed GOP), keeping each
// frame's source timestamp. Segments are joined later by stream copy (stereo_muxer.h).
// Written to a temporary in the same folder and renamed by finish(): a crash or a signal never
// leaves a half-written segment under its final name.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <opencv2/core.hpp>

#include "video/media_source.h"
#include "video/video_encoding.h"

namespace genstereo {

class SegmentEncoder {
 public:
  // `source` gives the time base and the colour description (HDR10 metadata with
  // settings.hdr10_passthrough). Throws OutputError naming `path` (folder missing, encoder not
  // in this FFmpeg build, ...), InputError for a size the codec refuses (odd sizes with 4:2:0).
  SegmentEncoder(const std::filesystem::path& path, cv::Size frame_size,
                 const VideoSourceInfo& source, const VideoEncodeSettings& settings);
  ~SegmentEncoder();  // unfinished: the temporary is removed
  SegmentEncoder(const SegmentEncoder&) = delete;
  SegmentEncoder& operator=(const SegmentEncoder&) = delete;

  // `frame`: CV_8UC3 or CV_16UC3 BGR of frame_size (with ffv1 also CV_16UC1, stored as gray16le
  // for depth videos); `pts` in the source's video time base, strictly increasing. The encoder
  // and the file are opened by the first write (FFV1 stores the type it gets). Matroska keeps
  // milliseconds: muxStereoVideo snaps them back to the source's exact timestamps.
  // Throws OutputError (disk full names the file).
  void write(const cv::Mat& frame, std::int64_t pts);

  // Flushes the encoder, writes the trailer, fsyncs and renames to the final path.
  void finish();

  std::int64_t framesWritten() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace genstereo

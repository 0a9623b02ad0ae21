// Opening a media file with libavformat, for the prober, the decoder and the muxer: only
// regular files (a FIFO or a device would block or never end), with a time limit on opening and
// probing, errors as InputError naming the file. Internal to core/video.
#pragma once

#include <filesystem>

#include "video/av_handles.h"
#include "video/media_source.h"

namespace genstereo::av {

// Seconds that avformat_open_input + avformat_find_stream_info may take before giving up.
constexpr double kOpenTimeLimitS = 30.0;

// Opens `path` and reads its stream information. Throws InputError naming the file when it is
// missing, not a regular file, not a media file libavformat recognises, or too slow to probe.
InputFormatPtr openMediaInput(const std::filesystem::path& path);

// Describes an opened file (see probeVideo); throws the same errors as probeVideo.
VideoSourceInfo describeSource(AVFormatContext* format, const std::filesystem::path& path);

// The clockwise display rotation of a stream (0, 90, 180, 270) from its display matrix.
int displayRotationDegrees(const AVStream* stream);

}  // namespace genstereo::av

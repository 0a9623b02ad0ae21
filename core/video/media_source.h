// What a video file holds, read with FFmpeg's libavformat before any frame is decoded: the
// main video stream (size as displayed, rotation, time base, frame rate, bit depth, HDR10,
// interlacing) and every other stream (audio, subtitles, attachments) with what a muxer needs
// to know to keep it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace genstereo {

enum class MediaStreamKind { kVideo, kAudio, kSubtitle, kAttachment, kData, kUnknown };
const char* toString(
    MediaStreamKind kind);  // "video", "audio", "subtitle", "attachment", "data", "unknown"

struct MediaStream {
  int index = -1;  // the stream's index in the source file
  MediaStreamKind kind = MediaStreamKind::kUnknown;
  std::string codec;          // libavcodec's name: "aac", "pcm_s16le", "subrip", "ttf", ...
  std::string language;       // metadata "language", may be empty
  std::string title;          // metadata "title", may be empty
  bool is_cover_art = false;  // an attached picture (AV_DISPOSITION_ATTACHED_PIC)
};

struct VideoSourceInfo {
  std::filesystem::path path;
  std::string container;    // libavformat's demuxer name, e.g. "matroska,webm"
  int video_stream = -1;    // index of the main video stream
  std::string video_codec;  // e.g. "h264"
  int coded_width = 0;      // as stored
  int coded_height = 0;
  int width = 0;  // as displayed (rotation applied)
  int height = 0;
  int rotation_degrees = 0;  // clockwise display rotation from the display matrix: 0, 90, 180, 270
  int time_base_num = 1;     // the video stream's time base
  int time_base_den = 1;
  double average_fps = 0.0;             // 0 when unknown
  bool is_variable_frame_rate = false;  // r_frame_rate != avg_frame_rate, or uneven first 64 frames
  double duration_s = 0.0;              // 0 when unknown
  std::int64_t frame_count_estimate = 0;  // for progress; 0 when unknown
  int bits_per_component = 8;             // 8, 10, 12, 16
  bool is_interlaced = false;             // field order says so
  bool is_hdr10 = false;                  // SMPTE ST 2084 (PQ) transfer
  // HDR10 static metadata of the video stream in x265's syntax, empty when the file has none:
  // "G(x,y)B(x,y)R(x,y)WP(x,y)L(max,min)" (chromaticity in 0.00002, luminance in 0.0001 cd/m2)
  // and "MaxCLL,MaxFALL" (cd/m2).
  std::string hdr10_master_display;
  std::string hdr10_max_cll;
  std::string pixel_format;          // e.g. "yuv420p10le"
  std::vector<MediaStream> streams;  // every stream of the file, in file order
  int chapter_count = 0;
};

// Opens `path` with libavformat and describes it. Throws InputError naming the file when it
// cannot be opened, has no decodable video stream, or declares a frame above the pixel budget
// (io/pixel_budget.h) or a zero size.
VideoSourceInfo probeVideo(const std::filesystem::path& path);

// True for the extensions the CLI treats as videos in a folder (mp4, mkv, mov, webm, avi, ...).
bool hasVideoExtension(const std::filesystem::path& path);

}  // namespace genstereo

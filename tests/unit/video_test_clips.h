// Tiny video clips for the media I/O tests, made on the fly with the ffmpeg command-line tool
// (never downloaded), and ffprobe queries to check what our code wrote against FFmpeg's own
// reading. Tests call GTEST_SKIP() when hasFfmpegTools() is false.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace genstereo::test {

struct ClipSpec {
  std::string name = "clip";      // file name without extension
  std::string container = "mkv";  // "mkv", "mp4", "mov"
  double seconds = 1.0;
  int fps = 25;
  int width = 64;
  int height = 48;
  std::string video_codec = "libx264";  // any ffmpeg encoder name ("libx264", "ffv1", ...)
  bool is_vfr = false;                  // drops every 4th frame (from the 2nd): irregular spacing
  int rotation_degrees = 0;             // display rotation written as the "rotate" tag (mp4/mov)
  int pcm_audio_tracks = 0;             // pcm_s16le 48 kHz mono sine tracks
  int aac_audio_tracks = 0;             // AAC 48 kHz mono sine tracks
  bool has_srt_subtitles = false;       // two SubRip cues
  bool has_chapters = false;            // two chapters
  bool has_font_attachment = false;     // a (fake) TrueType font attachment, Matroska only
  bool is_ten_bit_hdr10 = false;        // yuv420p10le, BT.2020 / SMPTE ST 2084 tags
  bool is_interlaced = false;           // top field first, interlaced coding (x264)
};

// True when `ffmpeg` and `ffprobe` run.
bool hasFfmpegTools();

// Makes the clip in `folder` and returns its path; throws std::runtime_error with ffmpeg's
// command when it fails.
std::filesystem::path makeTestClip(const std::filesystem::path& folder, const ClipSpec& spec);

// Runs a shell command; returns its standard output (throws std::runtime_error on failure).
std::string runCommand(const std::string& command);

// Quotes a path for the shell.
std::string shellQuoted(const std::filesystem::path& path);

struct ProbedPacket {
  std::int64_t pts = 0;
  std::string md5;  // of the payload
};

// Every packet of stream `index` of `path`, in file order (ffprobe -show_packets).
std::vector<ProbedPacket> probePackets(const std::filesystem::path& path, int index);

// Sorted pts of the packets of stream `index`.
std::vector<std::int64_t> probeSortedPts(const std::filesystem::path& path, int index);

// The same in seconds (pts x the stream's time base), to compare files of different time bases.
std::vector<double> probeSortedTimesS(const std::filesystem::path& path, int index);

// One value per stream of ffprobe -show_entries `entry` (e.g. "stream=codec_name",
// "stream_tags=stereo_mode"), in stream order; empty strings for streams without it.
std::vector<std::string> probeStreamEntries(const std::filesystem::path& path,
                                            const std::string& entry);

}  // namespace genstereo::test

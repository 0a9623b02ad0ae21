// How the stereo video is encoded and signalled: codec, quality, bit depth, container, the
// stereo layout written into the file (MKV StereoMode, MP4 st3d / sv3d for VR180), and the
// iw3-compatible file-name suffixes.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace genstereo {

enum class VideoCodec {
  kX264,
  kX265,
  kSvtAv1,
  kFfv1,
  kH264Nvenc,
  kHevcNvenc,
  kH264Vaapi,
  kHevcVaapi
};
const char* toString(
    VideoCodec codec);  // "libx264", "libx265", "libsvtav1", "ffv1", "h264_nvenc", ...
std::optional<VideoCodec> videoCodecFromString(
    const std::string& text);  // also "x264", "x265", "av1"
// True when this FFmpeg build has the encoder (and, for NVENC / VAAPI, a device opens).
bool isVideoEncoderAvailable(VideoCodec codec);

// The frame packing of the output, for the file's stereo signalling.
enum class VideoStereoPacking {
  kMono,  // anaglyph: no stereo signalling
  kSideBySideLeftFirst,
  kSideBySideRightFirst,  // cross-eyed
  kTopBottomLeftFirst,
  kVr180SideBySide,  // equirectangular 180 degrees, left | right
};

struct VideoEncodeSettings {
  VideoCodec codec = VideoCodec::kX264;
  int crf = 20;                     // x264/x265/SVT-AV1 quality (NVENC: constqp)
  std::string preset = "veryfast";  // x264/x265 preset names; SVT-AV1: 0-13 (as text)
  int bit_depth = 8;                // 8 or 10 (10: yuv420p10le; FFV1 stores what it gets)
  bool hdr10_passthrough = true;    // 10-bit HDR10 source + x265: keep PQ/BT.2020 and the
                                    // mastering-display / content-light metadata
  std::string container;            // "mp4", "mkv", "mov"; empty: mkv when the source has
                                    // subtitles or attachments, else mp4
  int threads = 0;                  // encoder threads; 0 = the encoder's choice
};

}  // namespace genstereo

#include "video/video_encoding.h"

#include <array>
#include <utility>

#include "video/av_handles.h"

namespace genstereo {

namespace {

constexpr std::array<std::pair<VideoCodec, const char*>, 8> kCodecNames = {{
    {VideoCodec::kX264, "libx264"},
    {VideoCodec::kX265, "libx265"},
    {VideoCodec::kSvtAv1, "libsvtav1"},
    {VideoCodec::kFfv1, "ffv1"},
    {VideoCodec::kH264Nvenc, "h264_nvenc"},
    {VideoCodec::kHevcNvenc, "hevc_nvenc"},
    {VideoCodec::kH264Vaapi, "h264_vaapi"},
    {VideoCodec::kHevcVaapi, "hevc_vaapi"},
}};

// NVENC is in Debian's build; whether it works depends on the NVIDIA driver: open a tiny encoder.
bool canOpenNvenc(const AVCodec* encoder) {
  av::CodecContextPtr context(avcodec_alloc_context3(encoder));
  if (!context) return false;
  context->width = 256;
  context->height = 144;
  context->pix_fmt = AV_PIX_FMT_YUV420P;
  context->time_base = AVRational{1, 25};
  return avcodec_open2(context.get(), encoder, nullptr) >= 0;
}

}  // namespace

const char* toString(VideoCodec codec) {
  for (const auto& [value, name] : kCodecNames) {
    if (value == codec) return name;
  }
  return "libx264";
}

std::optional<VideoCodec> videoCodecFromString(const std::string& text) {
  if (text == "x264" || text == "h264") return VideoCodec::kX264;
  if (text == "x265" || text == "hevc" || text == "h265") return VideoCodec::kX265;
  if (text == "av1" || text == "svtav1") return VideoCodec::kSvtAv1;
  for (const auto& [value, name] : kCodecNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

bool isVideoEncoderAvailable(VideoCodec codec) {
  const AVCodec* encoder = avcodec_find_encoder_by_name(toString(codec));
  if (encoder == nullptr) return false;
  switch (codec) {
    case VideoCodec::kH264Nvenc:
    case VideoCodec::kHevcNvenc: {
      static const bool is_h264_usable = canOpenNvenc(avcodec_find_encoder_by_name("h264_nvenc"));
      static const bool is_hevc_usable = canOpenNvenc(avcodec_find_encoder_by_name("hevc_nvenc"));
      return codec == VideoCodec::kH264Nvenc ? is_h264_usable : is_hevc_usable;
    }
    case VideoCodec::kH264Vaapi:
    case VideoCodec::kHevcVaapi:
      // The segment encoder feeds software frames; VAAPI needs hardware frames (not wired yet).
      return false;
    default:
      return true;
  }
}

}  // namespace genstereo

#include "video/media_source.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <vector>

#include "errors.h"
#include "io/pixel_budget.h"
#include "video/media_input.h"

extern "C" {
#include <libavutil/display.h>
#include <libavutil/mastering_display_metadata.h>
#include <libavutil/pixdesc.h>
}

namespace genstereo {

const char* toString(MediaStreamKind kind) {
  switch (kind) {
    case MediaStreamKind::kVideo:
      return "video";
    case MediaStreamKind::kAudio:
      return "audio";
    case MediaStreamKind::kSubtitle:
      return "subtitle";
    case MediaStreamKind::kAttachment:
      return "attachment";
    case MediaStreamKind::kData:
      return "data";
    case MediaStreamKind::kUnknown:
      break;
  }
  return "unknown";
}

namespace {

MediaStreamKind kindOf(AVMediaType type) {
  switch (type) {
    case AVMEDIA_TYPE_VIDEO:
      return MediaStreamKind::kVideo;
    case AVMEDIA_TYPE_AUDIO:
      return MediaStreamKind::kAudio;
    case AVMEDIA_TYPE_SUBTITLE:
      return MediaStreamKind::kSubtitle;
    case AVMEDIA_TYPE_ATTACHMENT:
      return MediaStreamKind::kAttachment;
    case AVMEDIA_TYPE_DATA:
      return MediaStreamKind::kData;
    default:
      return MediaStreamKind::kUnknown;
  }
}

std::string tagOf(const AVDictionary* metadata, const char* key) {
  const AVDictionaryEntry* entry = av_dict_get(metadata, key, nullptr, 0);
  return entry != nullptr ? entry->value : "";
}

// Matroska keeps a stream's duration in a "DURATION" tag ("00:00:02.000000000").
double durationTagSeconds(const AVDictionary* metadata) {
  const std::string text = tagOf(metadata, "DURATION");
  int hours = 0;
  int minutes = 0;
  double seconds = 0.0;
  if (text.empty() || std::sscanf(text.c_str(), "%d:%d:%lf", &hours, &minutes, &seconds) != 3)
    return 0.0;
  return hours * 3600.0 + minutes * 60.0 + seconds;
}

int mainVideoStream(AVFormatContext* format) {
  const int best = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (best >= 0 && !(format->streams[best]->disposition & AV_DISPOSITION_ATTACHED_PIC)) return best;
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    const AVStream* stream = format->streams[i];
    if (stream->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
        !(stream->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

long scaled(AVRational value, double scale) { return std::lround(av_q2d(value) * scale); }

void readHdr10Metadata(const AVStream* stream, VideoSourceInfo& info) {
  const auto* mastering = reinterpret_cast<const AVMasteringDisplayMetadata*>(
      av_stream_get_side_data(stream, AV_PKT_DATA_MASTERING_DISPLAY_METADATA, nullptr));
  if (mastering != nullptr && mastering->has_primaries && mastering->has_luminance) {
    const auto& p = mastering->display_primaries;  // R, G, B
    char text[160];
    std::snprintf(text, sizeof(text), "G(%ld,%ld)B(%ld,%ld)R(%ld,%ld)WP(%ld,%ld)L(%ld,%ld)",
                  scaled(p[1][0], 50000), scaled(p[1][1], 50000), scaled(p[2][0], 50000),
                  scaled(p[2][1], 50000), scaled(p[0][0], 50000), scaled(p[0][1], 50000),
                  scaled(mastering->white_point[0], 50000),
                  scaled(mastering->white_point[1], 50000), scaled(mastering->max_luminance, 10000),
                  scaled(mastering->min_luminance, 10000));
    info.hdr10_master_display = text;
  }
  const auto* light = reinterpret_cast<const AVContentLightMetadata*>(
      av_stream_get_side_data(stream, AV_PKT_DATA_CONTENT_LIGHT_LEVEL, nullptr));
  if (light != nullptr)
    info.hdr10_max_cll = std::to_string(light->MaxCLL) + "," + std::to_string(light->MaxFALL);
}

// Reads the first packets of the video stream in a second context (the caller's stays at the
// start) and compares their spacing: the header's rates often say constant when it is not.
bool hasIrregularFrameSpacing(const std::filesystem::path& path, int stream_index) {
  constexpr int kPacketsToCheck = 64;
  AVFormatContext* raw = nullptr;
  if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) < 0) return false;
  av::InputFormatPtr format(raw);
  if (stream_index >= static_cast<int>(format->nb_streams)) return false;
  av::PacketPtr packet = av::allocPacket();
  std::vector<std::int64_t> timestamps;
  while (static_cast<int>(timestamps.size()) < kPacketsToCheck &&
         av_read_frame(format.get(), packet.get()) >= 0) {
    if (packet->stream_index == stream_index && packet->pts != AV_NOPTS_VALUE)
      timestamps.push_back(packet->pts);
    av_packet_unref(packet.get());
  }
  if (timestamps.size() < 3) return false;
  std::sort(timestamps.begin(), timestamps.end());
  std::int64_t shortest = INT64_MAX;
  std::int64_t longest = 0;
  for (std::size_t i = 1; i < timestamps.size(); ++i) {
    shortest = std::min(shortest, timestamps[i] - timestamps[i - 1]);
    longest = std::max(longest, timestamps[i] - timestamps[i - 1]);
  }
  // Rounding to the time base (1 ms in Matroska) makes a constant rate jitter by one unit.
  return longest - shortest > std::max<std::int64_t>(2, shortest / 10);
}

}  // namespace

namespace av {

int displayRotationDegrees(const AVStream* stream) {
  const auto* matrix = reinterpret_cast<const std::int32_t*>(
      av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr));
  if (matrix == nullptr) return 0;
  const double counterclockwise = av_display_rotation_get(matrix);
  if (std::isnan(counterclockwise)) return 0;
  int clockwise = static_cast<int>(std::lround(-counterclockwise / 90.0)) * 90;
  clockwise %= 360;
  if (clockwise < 0) clockwise += 360;
  return clockwise;
}

VideoSourceInfo describeSource(AVFormatContext* format, const std::filesystem::path& path) {
  VideoSourceInfo info;
  info.path = path;
  info.container = format->iformat != nullptr ? format->iformat->name : "";
  info.chapter_count = static_cast<int>(format->nb_chapters);
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    const AVStream* stream = format->streams[i];
    MediaStream entry;
    entry.index = static_cast<int>(i);
    entry.kind = kindOf(stream->codecpar->codec_type);
    entry.codec = avcodec_get_name(stream->codecpar->codec_id);
    entry.language = tagOf(stream->metadata, "language");
    entry.title = tagOf(stream->metadata, "title");
    entry.is_cover_art = (stream->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0;
    info.streams.push_back(entry);
  }
  info.video_stream = mainVideoStream(format);
  if (info.video_stream < 0) {
    throw InputError("'" + path.string() + "' has no video stream (found " +
                     std::to_string(format->nb_streams) +
                     " stream(s) of other kinds); expected a video file");
  }
  const AVStream* stream = format->streams[info.video_stream];
  const AVCodecParameters* codecpar = stream->codecpar;
  info.video_codec = avcodec_get_name(codecpar->codec_id);
  if (avcodec_find_decoder(codecpar->codec_id) == nullptr) {
    throw InputError("'" + path.string() +
                     "': this FFmpeg build has no decoder for its video codec '" +
                     info.video_codec + "'");
  }
  info.coded_width = codecpar->width;
  info.coded_height = codecpar->height;
  if (info.coded_width <= 0 || info.coded_height <= 0) {
    throw InputError("'" + path.string() + "': the video stream declares a frame of " +
                     std::to_string(info.coded_width) + "x" + std::to_string(info.coded_height) +
                     " pixels; expected a positive size (damaged file?)");
  }
  checkPixelBudget(info.coded_width, info.coded_height, path, "video frame");
  info.rotation_degrees = displayRotationDegrees(stream);
  const bool is_swapped = info.rotation_degrees == 90 || info.rotation_degrees == 270;
  info.width = is_swapped ? info.coded_height : info.coded_width;
  info.height = is_swapped ? info.coded_width : info.coded_height;
  info.time_base_num = stream->time_base.num;
  info.time_base_den = stream->time_base.den;
  if (stream->avg_frame_rate.num > 0 && stream->avg_frame_rate.den > 0) {
    info.average_fps = av_q2d(stream->avg_frame_rate);
  } else if (stream->r_frame_rate.num > 0 && stream->r_frame_rate.den > 0) {
    info.average_fps = av_q2d(stream->r_frame_rate);
  }
  info.is_variable_frame_rate = (stream->avg_frame_rate.num > 0 && stream->r_frame_rate.num > 0 &&
                                 av_cmp_q(stream->avg_frame_rate, stream->r_frame_rate) != 0) ||
                                hasIrregularFrameSpacing(path, info.video_stream);
  if (stream->duration > 0 && stream->duration != AV_NOPTS_VALUE) {
    info.duration_s = static_cast<double>(stream->duration) * av_q2d(stream->time_base);
  } else if (const double tagged_s = durationTagSeconds(stream->metadata); tagged_s > 0.0) {
    info.duration_s = tagged_s;
  } else if (format->duration > 0 && format->duration != AV_NOPTS_VALUE) {
    info.duration_s = static_cast<double>(format->duration) / AV_TIME_BASE;
  }
  if (stream->nb_frames > 0) {
    info.frame_count_estimate = stream->nb_frames;
  } else if (info.duration_s > 0.0 && info.average_fps > 0.0) {
    info.frame_count_estimate =
        static_cast<std::int64_t>(std::llround(info.duration_s * info.average_fps));
  }
  const auto pixel_format = static_cast<AVPixelFormat>(codecpar->format);
  if (const AVPixFmtDescriptor* descriptor = av_pix_fmt_desc_get(pixel_format)) {
    info.pixel_format = descriptor->name;
    info.bits_per_component = descriptor->comp[0].depth;
  }
  info.is_interlaced =
      codecpar->field_order != AV_FIELD_PROGRESSIVE && codecpar->field_order != AV_FIELD_UNKNOWN;
  info.is_hdr10 = codecpar->color_trc == AVCOL_TRC_SMPTE2084;
  readHdr10Metadata(stream, info);
  return info;
}

}  // namespace av

VideoSourceInfo probeVideo(const std::filesystem::path& path) {
  av::InputFormatPtr format = av::openMediaInput(path);
  return av::describeSource(format.get(), path);
}

bool hasVideoExtension(const std::filesystem::path& path) {
  static constexpr std::array<const char*, 16> kExtensions = {
      ".mp4", ".mkv",  ".mov", ".webm", ".avi", ".m4v", ".mpg", ".mpeg",
      ".ts",  ".m2ts", ".mts", ".wmv",  ".flv", ".ogv", ".3gp", ".mxf"};
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(kExtensions.begin(), kExtensions.end(), extension) != kExtensions.end();
}

}  // namespace genstereo

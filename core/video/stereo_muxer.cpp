#include "video/stereo_muxer.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <system_error>

#include "errors.h"
#include "io/atomic_write.h"
#include "video/av_handles.h"
#include "video/media_input.h"
#include "video/stream_transcoder.h"

extern "C" {
#include <libavutil/spherical.h>
#include <libavutil/stereo3d.h>
}

namespace genstereo {

namespace {

const char* muxerName(const std::string& container) {
  if (container == "mkv") return "matroska";
  if (container == "mov") return "mov";
  return "mp4";
}

const AVOutputFormat* outputFormatFor(const std::string& container) {
  return av_guess_format(muxerName(container), nullptr, nullptr);
}

AVCodecID codecIdOf(const std::string& name) {
  const AVCodecDescriptor* descriptor = avcodec_descriptor_get_by_name(name.c_str());
  return descriptor != nullptr ? descriptor->id : AV_CODEC_ID_NONE;
}

bool isTextSubtitle(AVCodecID id) {
  const AVCodecDescriptor* descriptor = avcodec_descriptor_get(id);
  return descriptor != nullptr && (descriptor->props & AV_CODEC_PROP_TEXT_SUB) != 0;
}

bool isAccepted(const AVOutputFormat* format, AVCodecID id) {
  return id != AV_CODEC_ID_NONE && avformat_query_codec(format, id, FF_COMPLIANCE_NORMAL) == 1;
}

// Matroska StereoMode names (libavformat's ff_matroska_video_stereo_mode).
const char* matroskaStereoMode(VideoStereoPacking packing) {
  switch (packing) {
    case VideoStereoPacking::kSideBySideLeftFirst:
    case VideoStereoPacking::kVr180SideBySide:
      return "left_right";
    case VideoStereoPacking::kSideBySideRightFirst:
      return "right_left";
    case VideoStereoPacking::kTopBottomLeftFirst:
      return "top_bottom";
    case VideoStereoPacking::kMono:
      break;
  }
  return nullptr;
}

void addStereoSignalling(AVStream* stream, VideoStereoPacking packing, bool is_matroska,
                         MuxReport& report) {
  if (packing == VideoStereoPacking::kMono) return;
  if (is_matroska) av_dict_set(&stream->metadata, "stereo_mode", matroskaStereoMode(packing), 0);
  if (!is_matroska && packing == VideoStereoPacking::kSideBySideRightFirst) {
    report.notes.push_back(
        "the MP4/MOV st3d box cannot mark a right-first (cross-eyed) layout: written without "
        "stereo signalling (choose mkv to have it signalled)");
    return;
  }
  AVStereo3D* stereo = av_stereo3d_alloc();
  if (stereo == nullptr) throw std::bad_alloc();
  stereo->type = packing == VideoStereoPacking::kTopBottomLeftFirst ? AV_STEREO3D_TOPBOTTOM
                                                                    : AV_STEREO3D_SIDEBYSIDE;
  if (packing == VideoStereoPacking::kSideBySideRightFirst)
    stereo->flags |= AV_STEREO3D_FLAG_INVERT;
  if (av_stream_add_side_data(stream, AV_PKT_DATA_STEREO3D, reinterpret_cast<std::uint8_t*>(stereo),
                              sizeof(AVStereo3D)) < 0) {
    av_free(stereo);
    throw std::bad_alloc();
  }
  if (packing != VideoStereoPacking::kVr180SideBySide) return;
  std::size_t size = 0;
  AVSphericalMapping* spherical = av_spherical_alloc(&size);
  if (spherical == nullptr) throw std::bad_alloc();
  spherical->projection = AV_SPHERICAL_EQUIRECTANGULAR;
  // 180 degrees of the 360-degree equirectangular plane: a quarter cropped on each side.
  spherical->bound_left = 0x40000000u;
  spherical->bound_right = 0x40000000u;
  if (av_stream_add_side_data(stream, AV_PKT_DATA_SPHERICAL,
                              reinterpret_cast<std::uint8_t*>(spherical), size) < 0) {
    av_free(spherical);
    throw std::bad_alloc();
  }
}

void copyChapters(const AVFormatContext* input, AVFormatContext* output, double start_s,
                  double end_s) {
  std::vector<AVChapter*> chapters;
  for (unsigned i = 0; i < input->nb_chapters; ++i) {
    const AVChapter* source = input->chapters[i];
    const double chapter_start_s = static_cast<double>(source->start) * av_q2d(source->time_base);
    const double chapter_end_s = static_cast<double>(source->end) * av_q2d(source->time_base);
    if (chapter_end_s <= start_s || (end_s >= 0.0 && chapter_start_s >= end_s)) continue;
    auto* chapter = static_cast<AVChapter*>(av_mallocz(sizeof(AVChapter)));
    if (chapter == nullptr) throw std::bad_alloc();
    chapter->id = source->id;
    chapter->time_base = source->time_base;
    chapter->start = source->start;
    chapter->end = source->end;
    av_dict_copy(&chapter->metadata, source->metadata, 0);
    chapters.push_back(chapter);
  }
  if (chapters.empty()) return;
  output->chapters = static_cast<AVChapter**>(av_calloc(chapters.size(), sizeof(AVChapter*)));
  if (output->chapters == nullptr) throw std::bad_alloc();
  std::copy(chapters.begin(), chapters.end(), output->chapters);
  output->nb_chapters = static_cast<unsigned>(chapters.size());
}

double packetTimeS(const AVPacket* packet, AVRational time_base) {
  const std::int64_t ts = packet->dts != AV_NOPTS_VALUE ? packet->dts : packet->pts;
  return ts == AV_NOPTS_VALUE ? 0.0 : static_cast<double>(ts) * av_q2d(time_base);
}

// The source's video packet timestamps: segments store milliseconds (Matroska), which are
// snapped back to the exact source timestamps they round from.
std::vector<std::int64_t> sourceVideoTimestamps(const std::filesystem::path& path,
                                                int video_stream) {
  av::InputFormatPtr format = av::openMediaInput(path);
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    if (static_cast<int>(i) != video_stream) format->streams[i]->discard = AVDISCARD_ALL;
  }
  std::vector<std::int64_t> timestamps;
  av::PacketPtr packet = av::allocPacket();
  while (av_read_frame(format.get(), packet.get()) >= 0) {
    if (packet->stream_index == video_stream && packet->pts != AV_NOPTS_VALUE)
      timestamps.push_back(packet->pts);
    av_packet_unref(packet.get());
  }
  std::sort(timestamps.begin(), timestamps.end());
  return timestamps;
}

// Reads the segments one after another, as one video stream in the source's time base.
class SegmentChain {
 public:
  SegmentChain(const std::vector<std::filesystem::path>& segments, AVRational source_time_base,
               std::vector<std::int64_t> source_timestamps)
      : segments_(segments),
        source_time_base_(source_time_base),
        timestamps_(std::move(source_timestamps)) {}

  // The next packet (timestamps in the source time base); false after the last segment.
  bool next(AVPacket* packet) {
    for (;;) {
      if (!current_) {
        if (next_segment_ >= segments_.size()) return false;
        openSegment(next_segment_++);
      }
      const int result = av_read_frame(current_.get(), packet);
      if (result == AVERROR_EOF) {
        current_.reset();
        continue;
      }
      if (result < 0) {
        throw InputError("cannot read video segment '" + segments_[next_segment_ - 1].string() +
                         "': " + av::avErrorText(result));
      }
      if (packet->stream_index != 0) {
        av_packet_unref(packet);
        continue;
      }
      const AVRational segment_time_base = current_->streams[0]->time_base;
      if (packet->pts != AV_NOPTS_VALUE) packet->pts = toSource(packet->pts, segment_time_base);
      // Decode timestamps: Matroska stores none for reordered (B) frames; they were computed
      // from the segment's presentation timestamps when it was opened.
      const std::size_t index = packet_index_++;
      packet->dts = index < dts_.size() ? dts_[index] : packet->pts;
      if (packet->dts == AV_NOPTS_VALUE) packet->dts = packet->pts;
      if (last_dts_ != AV_NOPTS_VALUE && packet->dts <= last_dts_) packet->dts = last_dts_ + 1;
      last_dts_ = packet->dts;
      packet->duration = av_rescale_q(packet->duration, segment_time_base, source_time_base_);
      return true;
    }
  }

  const AVCodecParameters* firstParameters() {
    if (!current_) openSegment(next_segment_++);
    return current_->streams[0]->codecpar;
  }

 private:
  std::int64_t toSource(std::int64_t ts, AVRational segment_time_base) const {
    const std::int64_t tolerance = av_rescale_q(1, segment_time_base, source_time_base_) / 2 + 1;
    return snap(av_rescale_q(ts, segment_time_base, source_time_base_), tolerance);
  }

  // The decode timestamps of a segment's packets, in decode order: the k-th smallest
  // presentation timestamp, delayed by the reorder depth d (the most a packet comes before its
  // presentation rank), so that dts <= pts and dts increases. The first d are extrapolated
  // back by the smallest frame interval.
  void computeDecodeTimestamps(std::size_t index) {
    dts_.clear();
    packet_index_ = 0;
    av::InputFormatPtr scan = av::openMediaInput(segments_[index]);
    const AVRational time_base = scan->streams[0]->time_base;
    std::vector<std::int64_t> pts;
    av::PacketPtr packet = av::allocPacket();
    while (av_read_frame(scan.get(), packet.get()) >= 0) {
      if (packet->stream_index == 0) {
        pts.push_back(packet->pts == AV_NOPTS_VALUE ? AV_NOPTS_VALUE
                                                    : toSource(packet->pts, time_base));
      }
      av_packet_unref(packet.get());
    }
    for (std::int64_t p : pts) {
      if (p == AV_NOPTS_VALUE) return;  // leave them to the fallback
    }
    std::vector<std::int64_t> sorted = pts;
    std::sort(sorted.begin(), sorted.end());
    std::size_t delay = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
      const auto rank = static_cast<std::size_t>(
          std::lower_bound(sorted.begin(), sorted.end(), pts[i]) - sorted.begin());
      if (i > rank) delay = std::max(delay, i - rank);
    }
    std::int64_t tick = 1;
    for (std::size_t i = 1; i < sorted.size(); ++i) {
      const std::int64_t step = sorted[i] - sorted[i - 1];
      if (step > 0 && (tick == 1 || step < tick)) tick = step;
    }
    for (std::size_t i = 0; i < pts.size(); ++i) {
      dts_.push_back(i >= delay ? sorted[i - delay]
                                : sorted[0] - static_cast<std::int64_t>(delay - i) * tick);
    }
  }

  void openSegment(std::size_t index) {
    computeDecodeTimestamps(index);
    current_ = av::openMediaInput(segments_[index]);
    if (current_->nb_streams < 1 ||
        current_->streams[0]->codecpar->codec_type != AVMEDIA_TYPE_VIDEO) {
      throw InputError("video segment '" + segments_[index].string() +
                       "' has no video stream first");
    }
    if (parameters_ == nullptr) {
      parameters_ = current_->streams[0]->codecpar;
    } else if (current_->streams[0]->codecpar->codec_id != first_codec_ ||
               current_->streams[0]->codecpar->width != first_width_ ||
               current_->streams[0]->codecpar->height != first_height_) {
      throw InputError(
          "video segment '" + segments_[index].string() +
          "' differs from the first segment in codec or size; all segments must be encoded alike");
    }
    if (index == 0) {
      first_codec_ = current_->streams[0]->codecpar->codec_id;
      first_width_ = current_->streams[0]->codecpar->width;
      first_height_ = current_->streams[0]->codecpar->height;
    }
  }

  std::int64_t snap(std::int64_t pts, std::int64_t tolerance) const {
    const auto above = std::lower_bound(timestamps_.begin(), timestamps_.end(), pts);
    std::int64_t best = pts;
    std::int64_t best_distance = tolerance + 1;
    if (above != timestamps_.end() && *above - pts < best_distance) {
      best = *above;
      best_distance = *above - pts;
    }
    if (above != timestamps_.begin() && pts - *(above - 1) < best_distance) best = *(above - 1);
    return best;
  }

  const std::vector<std::filesystem::path>& segments_;
  AVRational source_time_base_;
  std::vector<std::int64_t> timestamps_;
  av::InputFormatPtr current_;
  std::size_t next_segment_ = 0;
  const AVCodecParameters* parameters_ = nullptr;
  AVCodecID first_codec_ = AV_CODEC_ID_NONE;
  int first_width_ = 0;
  int first_height_ = 0;
  std::int64_t last_dts_ = AV_NOPTS_VALUE;
  std::vector<std::int64_t> dts_;
  std::size_t packet_index_ = 0;
};

struct OtherStream {
  int output_index = -1;
  std::unique_ptr<av::StreamTranscoder> transcoder;
  double first_s = -1.0;
  double end_s = 0.0;
};

void writeMux(const MuxRequest& request, const std::filesystem::path& temp_path,
              MuxReport& report) {
  const std::string output_name = request.output.string();
  auto fail = [&](const std::string& what, int code) {
    throw OutputError("cannot write '" + output_name + "': " + what +
                      (code < 0 ? " (" + av::avErrorText(code) + ")" : ""));
  };
  av::InputFormatPtr source = av::openMediaInput(request.source);
  const VideoSourceInfo info = av::describeSource(source.get(), request.source);
  const std::string container = resolveContainer(info, request.container);
  report.streams = planStreams(info, container);
  const AVStream* source_video = source->streams[info.video_stream];
  const bool is_cfr = request.fps_num > 0 && request.fps_den > 0;
  const AVRational video_time_base =
      is_cfr ? AVRational{request.fps_den, request.fps_num} : source_video->time_base;
  SegmentChain chain(request.segments, video_time_base,
                     is_cfr ? std::vector<std::int64_t>{}
                            : sourceVideoTimestamps(request.source, info.video_stream));

  AVFormatContext* raw = nullptr;
  int result =
      avformat_alloc_output_context2(&raw, nullptr, muxerName(container), temp_path.c_str());
  if (result < 0 || raw == nullptr) fail("cannot set up the " + container + " muxer", result);
  av::OutputFormatPtr output(raw);
  const bool is_matroska = container == "mkv";
  if (!is_matroska) output->strict_std_compliance = FF_COMPLIANCE_UNOFFICIAL;  // st3d / sv3d

  AVStream* video = avformat_new_stream(output.get(), nullptr);
  if (video == nullptr) throw std::bad_alloc();
  result = avcodec_parameters_copy(video->codecpar, chain.firstParameters());
  if (result < 0) fail("cannot copy the video parameters", result);
  video->codecpar->codec_tag = 0;
  video->time_base = video_time_base;
  video->avg_frame_rate =
      is_cfr ? AVRational{request.fps_num, request.fps_den} : source_video->avg_frame_rate;
  for (const char* key : {"language", "title"}) {
    if (const AVDictionaryEntry* entry = av_dict_get(source_video->metadata, key, nullptr, 0)) {
      av_dict_set(&video->metadata, key, entry->value, 0);
    }
  }
  video->disposition = AV_DISPOSITION_DEFAULT;
  addStereoSignalling(video, request.packing, is_matroska, report);

  std::map<int, OtherStream> others;
  for (const StreamDecision& decision : report.streams) {
    if (decision.action == StreamAction::kDrop) {
      report.notes.push_back(std::string(toString(decision.kind)) + " stream " +
                             std::to_string(decision.source_index) + " (" + decision.codec +
                             ") dropped: " + decision.reason);
      continue;
    }
    const AVStream* input = source->streams[decision.source_index];
    AVStream* stream = avformat_new_stream(output.get(), nullptr);
    if (stream == nullptr) throw std::bad_alloc();
    OtherStream other;
    other.output_index = stream->index;
    if (decision.action == StreamAction::kTranscode) {
      other.transcoder = std::make_unique<av::StreamTranscoder>(
          input, decision.output_codec == "opus" ? "libopus" : decision.output_codec,
          output->oformat, request.source.string());
      result = avcodec_parameters_from_context(stream->codecpar, other.transcoder->encoder());
      stream->time_base = other.transcoder->outputTimeBase();
      report.notes.push_back(std::string(toString(decision.kind)) + " stream " +
                             std::to_string(decision.source_index) + " (" + decision.codec +
                             ") transcoded to " + decision.output_codec + ": " + decision.reason);
    } else {
      result = avcodec_parameters_copy(stream->codecpar, input->codecpar);
      stream->codecpar->codec_tag = 0;
      stream->time_base = input->time_base;
    }
    if (result < 0) fail("cannot set up stream " + std::to_string(decision.source_index), result);
    av_dict_copy(&stream->metadata, input->metadata, 0);
    av_dict_set(&stream->metadata, "DURATION", nullptr, 0);
    stream->disposition = input->disposition;
    others.emplace(decision.source_index, std::move(other));
  }
  av_dict_copy(&output->metadata, source->metadata, 0);
  for (const char* key : {"encoder", "ENCODER", "duration", "DURATION"})
    av_dict_set(&output->metadata, key, nullptr, 0);
  copyChapters(source.get(), output.get(), request.start_s, request.end_s);

  result = avio_open(&output->pb, temp_path.c_str(), AVIO_FLAG_WRITE);
  if (result < 0) fail("cannot create '" + temp_path.string() + "'", result);
  result = avformat_write_header(output.get(), nullptr);
  if (result < 0) fail("the " + container + " muxer refused the streams", result);

  for (unsigned i = 0; i < source->nb_streams; ++i) {
    if (others.count(static_cast<int>(i)) == 0) source->streams[i]->discard = AVDISCARD_ALL;
  }
  double video_first_s = -1.0;
  double video_end_s = 0.0;
  auto writeOther = [&](OtherStream& other, AVPacket* packet, AVRational time_base) {
    AVStream* stream = output->streams[other.output_index];
    const double start_s = packetTimeS(packet, time_base);
    if (other.first_s < 0.0) other.first_s = start_s;
    other.end_s =
        std::max(other.end_s, start_s + static_cast<double>(packet->duration) * av_q2d(time_base));
    av_packet_rescale_ts(packet, time_base, stream->time_base);
    packet->stream_index = other.output_index;
    packet->pos = -1;
    const int code = av_interleaved_write_frame(output.get(), packet);
    if (code < 0)
      fail(
          "cannot write a packet of stream " + std::to_string(other.output_index) + " (disk full?)",
          code);
  };

  av::PacketPtr video_packet = av::allocPacket();
  av::PacketPtr other_packet = av::allocPacket();
  bool has_video = chain.next(video_packet.get());
  bool has_other = false;
  bool is_source_done = others.empty();
  while (has_video || !is_source_done || has_other) {
    while (!has_other && !is_source_done) {
      result = av_read_frame(source.get(), other_packet.get());
      if (result == AVERROR_EOF) {
        is_source_done = true;
        break;
      }
      if (result < 0) {
        throw InputError("cannot read '" + request.source.string() +
                         "' while copying its streams: " + av::avErrorText(result));
      }
      const auto found = others.find(other_packet->stream_index);
      const AVRational time_base = source->streams[other_packet->stream_index]->time_base;
      const std::int64_t ts =
          other_packet->pts != AV_NOPTS_VALUE ? other_packet->pts : other_packet->dts;
      const double time_s =
          ts == AV_NOPTS_VALUE ? request.start_s : static_cast<double>(ts) * av_q2d(time_base);
      // From the start of the file (start_s <= 0) keep everything, priming packets before 0
      // included.
      const double duration_s = static_cast<double>(other_packet->duration) * av_q2d(time_base);
      const bool is_in_range = (request.start_s <= 0.0 || time_s >= request.start_s - 1e-6 ||
                                time_s + duration_s > request.start_s + 1e-6) &&
                               (request.end_s < 0.0 || time_s < request.end_s);
      if (found == others.end() || !is_in_range) {
        av_packet_unref(other_packet.get());
        continue;
      }
      has_other = true;
    }
    const AVRational other_time_base =
        has_other ? source->streams[other_packet->stream_index]->time_base : AVRational{1, 1};
    const bool is_video_next =
        has_video && (!has_other || packetTimeS(video_packet.get(), video_time_base) <=
                                        packetTimeS(other_packet.get(), other_time_base));
    if (is_video_next) {
      const double pts_s = static_cast<double>(video_packet->pts) * av_q2d(video_time_base);
      if (video_first_s < 0.0 || pts_s < video_first_s) video_first_s = pts_s;
      const double duration_s =
          video_packet->duration > 0
              ? static_cast<double>(video_packet->duration) * av_q2d(video_time_base)
              : (info.average_fps > 0.0 ? 1.0 / info.average_fps : 0.0);
      video_end_s = std::max(video_end_s, pts_s + duration_s);
      av_packet_rescale_ts(video_packet.get(), video_time_base, video->time_base);
      video_packet->stream_index = video->index;
      video_packet->pos = -1;
      result = av_interleaved_write_frame(output.get(), video_packet.get());
      if (result < 0) fail("cannot write a video packet (disk full?)", result);
      has_video = chain.next(video_packet.get());
    } else if (has_other) {
      OtherStream& other = others.at(other_packet->stream_index);
      if (other.transcoder) {
        other.transcoder->push(other_packet.get(), [&](AVPacket* packet) {
          writeOther(other, packet, other.transcoder->outputTimeBase());
        });
        av_packet_unref(other_packet.get());
      } else {
        writeOther(other, other_packet.get(), other_time_base);
      }
      has_other = false;
    }
  }
  for (auto& [index, other] : others) {
    if (other.transcoder) {
      other.transcoder->flush(
          [&](AVPacket* packet) { writeOther(other, packet, other.transcoder->outputTimeBase()); });
    }
    if (other.first_s >= 0.0)
      report.longest_other_duration_s =
          std::max(report.longest_other_duration_s, other.end_s - other.first_s);
  }
  report.video_duration_s = video_first_s >= 0.0 ? video_end_s - video_first_s : 0.0;
  result = av_write_trailer(output.get());
  if (result < 0) fail("cannot finish the file", result);
  result = avio_closep(&output->pb);
  if (result < 0) fail("cannot close the file (disk full?)", result);
}

}  // namespace

const char* toString(StreamAction action) {
  switch (action) {
    case StreamAction::kCopy:
      return "copy";
    case StreamAction::kTranscode:
      return "transcode";
    case StreamAction::kDrop:
      return "drop";
  }
  return "copy";
}

std::string resolveContainer(const VideoSourceInfo& source, const std::string& requested) {
  std::string container = requested;
  std::transform(container.begin(), container.end(), container.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!container.empty() && container[0] == '.') container.erase(0, 1);
  if (container == "matroska") container = "mkv";
  if (!container.empty()) {
    if (container != "mp4" && container != "mkv" && container != "mov") {
      throw InputError("unknown video container '" + requested + "'; expected mp4, mkv or mov");
    }
    return container;
  }
  for (const MediaStream& stream : source.streams) {
    if (stream.kind == MediaStreamKind::kSubtitle || stream.kind == MediaStreamKind::kAttachment)
      return "mkv";
  }
  return "mp4";
}

std::vector<StreamDecision> planStreams(const VideoSourceInfo& source,
                                        const std::string& container) {
  const AVOutputFormat* format = outputFormatFor(container);
  const bool is_matroska = container == "mkv";
  std::vector<StreamDecision> decisions;
  for (const MediaStream& stream : source.streams) {
    if (stream.index == source.video_stream) continue;
    StreamDecision decision;
    decision.source_index = stream.index;
    decision.kind = stream.kind;
    decision.codec = stream.codec;
    decision.output_codec = stream.codec;
    const AVCodecID id = codecIdOf(stream.codec);
    if (stream.kind == MediaStreamKind::kAttachment) {
      if (!is_matroska) {
        decision.action = StreamAction::kDrop;
        decision.output_codec.clear();
        decision.reason =
            container + " cannot hold attachments (fonts...); choose mkv to keep them";
      }
    } else if (isAccepted(format, id)) {
      decision.action = StreamAction::kCopy;
    } else if (stream.kind == MediaStreamKind::kAudio) {
      decision.action = StreamAction::kTranscode;
      decision.output_codec = is_matroska ? "opus" : "aac";
      decision.reason =
          container + " cannot hold " + stream.codec + " audio; choose mkv to keep it unchanged";
    } else if (stream.kind == MediaStreamKind::kSubtitle && isTextSubtitle(id) && !is_matroska) {
      decision.action = StreamAction::kTranscode;
      decision.output_codec = "mov_text";
      decision.reason =
          container + " holds text subtitles only as mov_text; choose mkv to keep " + stream.codec;
    } else {
      decision.action = StreamAction::kDrop;
      decision.output_codec.clear();
      decision.reason = container + " cannot hold " + std::string(toString(stream.kind)) + " in " +
                        stream.codec + (is_matroska ? "" : "; choose mkv to keep it");
    }
    decisions.push_back(decision);
  }
  return decisions;
}

MuxReport muxStereoVideo(const MuxRequest& request) {
  if (request.segments.empty()) {
    throw InputError("nothing to write to '" + request.output.string() +
                     "': no encoded video segment was given");
  }
  for (const auto& segment : request.segments) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(segment, error)) {
      throw InputError("video segment '" + segment.string() + "' is missing; cannot write '" +
                       request.output.string() + "' (re-run the conversion to encode it again)");
    }
  }
  const std::filesystem::path folder =
      request.output.has_parent_path() ? request.output.parent_path() : std::filesystem::path(".");
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) {
    throw OutputError("cannot write '" + request.output.string() + "': the folder '" +
                      folder.string() + "' does not exist");
  }
  checkReplaceableDestination(request.output, "the video output");
  const std::filesystem::path temp_path = temporaryPathFor(request.output);
  MuxReport report;
  try {
    writeMux(request, temp_path, report);
    syncPath(temp_path);
    checkReplaceableDestination(request.output, "the video output");
    std::filesystem::rename(temp_path, request.output);
    syncPath(folder);
  } catch (const std::filesystem::filesystem_error& failure) {
    std::filesystem::remove(temp_path, error);
    throw OutputError("cannot write '" + request.output.string() + "': " + failure.what());
  } catch (...) {
    std::filesystem::remove(temp_path, error);
    throw;
  }
  return report;
}

}  // namespace genstereo

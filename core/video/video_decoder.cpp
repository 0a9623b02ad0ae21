#include "video/video_decoder.h"

#include <cmath>
#include <cstdio>

#include <opencv2/core.hpp>

#include "errors.h"
#include "io/pixel_budget.h"
#include "video/av_handles.h"
#include "video/media_input.h"

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

namespace genstereo {

namespace {

std::string secondsText(double seconds) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.3f s", seconds);
  return text;
}

// A file whose last frame comes this much before its declared end has lost its tail.
constexpr double kTruncationToleranceS = 0.5;

}  // namespace

struct VideoDecoder::Impl {
  DecodeOptions options;
  VideoSourceInfo info;
  std::vector<std::string> notes;
  av::InputFormatPtr format;
  av::CodecContextPtr codec;
  AVStream* stream = nullptr;
  av::PacketPtr packet = av::allocPacket();
  av::FramePtr frame = av::allocFrame();
  av::FramePtr filtered = av::allocFrame();
  av::FilterGraphPtr graph;
  AVFilterContext* buffer_source = nullptr;
  AVFilterContext* buffer_sink = nullptr;
  av::SwsPtr sws;
  AVPixelFormat sws_input_format = AV_PIX_FMT_NONE;
  int sws_width = 0;
  int sws_height = 0;
  bool is_deinterlacing = false;
  bool is_demux_done = false;
  bool is_decoder_drained = false;
  bool is_filter_flushed = false;
  std::int64_t frames_returned = 0;
  std::int64_t last_pts = AV_NOPTS_VALUE;
  std::int64_t damaged_packets = 0;
  std::int64_t repaired_timestamps = 0;
  double last_time_s = 0.0;

  double secondsOf(std::int64_t pts) const {
    return static_cast<double>(pts) * av_q2d(stream->time_base);
  }

  [[noreturn]] void fail(const std::string& what, int code) const {
    throw InputError("cannot read video '" + info.path.string() + "' at " +
                     secondsText(last_time_s) + ": " + what +
                     (code < 0 ? " (" + av::avErrorText(code) + ")" : ""));
  }

  void openDecoder() {
    const AVCodec* decoder = avcodec_find_decoder(stream->codecpar->codec_id);
    codec.reset(avcodec_alloc_context3(decoder));
    if (!codec) throw std::bad_alloc();
    int result = avcodec_parameters_to_context(codec.get(), stream->codecpar);
    if (result < 0) fail("unusable codec parameters", result);
    codec->pkt_timebase = stream->time_base;
    codec->thread_count = options.threads;
    result = avcodec_open2(codec.get(), decoder, nullptr);
    if (result < 0) fail("cannot open the " + info.video_codec + " decoder", result);
  }

  void openDeinterlacer(const AVFrame* first) {
    graph.reset(avfilter_graph_alloc());
    if (!graph) throw std::bad_alloc();
    char arguments[256];
    std::snprintf(arguments, sizeof(arguments),
                  "video_size=%dx%d:pix_fmt=%d:time_base=%d/%d:pixel_aspect=%d/%d", first->width,
                  first->height, first->format, stream->time_base.num, stream->time_base.den,
                  std::max(1, first->sample_aspect_ratio.num),
                  std::max(1, first->sample_aspect_ratio.den));
    int result = avfilter_graph_create_filter(&buffer_source, avfilter_get_by_name("buffer"), "in",
                                              arguments, nullptr, graph.get());
    if (result >= 0) {
      result = avfilter_graph_create_filter(&buffer_sink, avfilter_get_by_name("buffersink"), "out",
                                            nullptr, nullptr, graph.get());
    }
    AVFilterContext* bwdif = nullptr;
    if (result >= 0) {
      result = avfilter_graph_create_filter(&bwdif, avfilter_get_by_name("bwdif"), "deinterlace",
                                            "mode=send_frame:parity=auto:deint=all", nullptr,
                                            graph.get());
    }
    if (result >= 0) result = avfilter_link(buffer_source, 0, bwdif, 0);
    if (result >= 0) result = avfilter_link(bwdif, 0, buffer_sink, 0);
    if (result >= 0) result = avfilter_graph_config(graph.get(), nullptr);
    if (result < 0) fail("cannot set up the bwdif deinterlacer", result);
    is_deinterlacing = true;
    notes.push_back("the source is interlaced: deinterlaced with bwdif (one frame per frame)");
  }

  // Converts `source` to the requested pixels in display orientation.
  cv::Mat convert(const AVFrame* source) {
    const auto input_format = static_cast<AVPixelFormat>(source->format);
    AVPixelFormat output_format = AV_PIX_FMT_BGR24;
    int mat_type = CV_8UC3;
    if (options.pixels == DecodedPixels::kBgr16) {
      output_format = AV_PIX_FMT_BGR48LE;
      mat_type = CV_16UC3;
    } else if (options.pixels == DecodedPixels::kGray16) {
      output_format = AV_PIX_FMT_GRAY16LE;
      mat_type = CV_16UC1;
    }
    if (!sws || input_format != sws_input_format || source->width != sws_width ||
        source->height != sws_height) {
      checkPixelBudget(source->width, source->height, info.path, "video frame");
      sws.reset(sws_getContext(
          source->width, source->height, input_format, source->width, source->height, output_format,
          SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nullptr, nullptr, nullptr));
      if (!sws) fail("cannot convert its pixel format", 0);
      const AVPixFmtDescriptor* descriptor = av_pix_fmt_desc_get(input_format);
      const bool is_yuv = descriptor != nullptr && !(descriptor->flags & AV_PIX_FMT_FLAG_RGB) &&
                          descriptor->nb_components > 1;
      const bool is_full_range_input = !is_yuv || source->color_range == AVCOL_RANGE_JPEG;
      const int matrix =
          source->colorspace == AVCOL_SPC_BT2020_NCL || source->colorspace == AVCOL_SPC_BT2020_CL
              ? SWS_CS_BT2020
          : source->colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709
                                                  : SWS_CS_DEFAULT;
      sws_setColorspaceDetails(sws.get(), sws_getCoefficients(matrix), is_full_range_input ? 1 : 0,
                               sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
      sws_input_format = input_format;
      sws_width = source->width;
      sws_height = source->height;
    }
    cv::Mat image(source->height, source->width, mat_type);
    std::uint8_t* planes[4] = {image.data, nullptr, nullptr, nullptr};
    int strides[4] = {static_cast<int>(image.step[0]), 0, 0, 0};
    sws_scale(sws.get(), source->data, source->linesize, 0, source->height, planes, strides);
    if (!options.apply_rotation || info.rotation_degrees == 0) return image;
    cv::Mat rotated;
    const int code = info.rotation_degrees == 90    ? cv::ROTATE_90_CLOCKWISE
                     : info.rotation_degrees == 180 ? cv::ROTATE_180
                                                    : cv::ROTATE_90_COUNTERCLOCKWISE;
    cv::rotate(image, rotated, code);
    return rotated;
  }

  // The next decoded (and deinterlaced) frame into `filtered`; false at the end of the stream.
  bool nextFrame() {
    for (;;) {
      if (is_deinterlacing) {
        const int result = av_buffersink_get_frame(buffer_sink, filtered.get());
        if (result >= 0) return true;
        if (result == AVERROR_EOF) return false;
        if (result != AVERROR(EAGAIN)) fail("deinterlacing failed", result);
        if (is_filter_flushed) return false;
      }
      if (!decodedFrame()) {
        if (!is_deinterlacing) return false;
        const int result = av_buffersrc_add_frame(buffer_source, nullptr);
        if (result < 0) fail("deinterlacing failed", result);
        is_filter_flushed = true;
        continue;
      }
      if (!graph && options.deinterlace && (info.is_interlaced || frame->interlaced_frame))
        openDeinterlacer(frame.get());
      if (!is_deinterlacing) {
        av_frame_unref(filtered.get());
        av_frame_move_ref(filtered.get(), frame.get());
        return true;
      }
      frame->pts = frame->best_effort_timestamp;
      const int result = av_buffersrc_add_frame(buffer_source, frame.get());
      if (result < 0) fail("deinterlacing failed", result);
    }
  }

  // The next frame out of the decoder into `frame`; false when drained.
  bool decodedFrame() {
    for (;;) {
      int result = avcodec_receive_frame(codec.get(), frame.get());
      if (result >= 0) return true;
      if (result == AVERROR_EOF) {
        is_decoder_drained = true;
        return false;
      }
      if (result != AVERROR(EAGAIN)) {
        ++damaged_packets;
        continue;
      }
      if (is_demux_done) return false;
      result = av_read_frame(format.get(), packet.get());
      if (result == AVERROR_EOF) {
        is_demux_done = true;
        avcodec_send_packet(codec.get(), nullptr);
        continue;
      }
      if (result < 0) fail("the file cannot be read on", result);
      if (packet->stream_index != stream->index) {
        av_packet_unref(packet.get());
        continue;
      }
      if (packet->pts != AV_NOPTS_VALUE && options.end_s >= 0.0 &&
          secondsOf(packet->pts) >= options.end_s + 5.0) {
        // Far past the end: B-frame reordering cannot bring an earlier frame any more.
        av_packet_unref(packet.get());
        is_demux_done = true;
        avcodec_send_packet(codec.get(), nullptr);
        continue;
      }
      if (packet->flags & AV_PKT_FLAG_CORRUPT) ++damaged_packets;
      result = avcodec_send_packet(codec.get(), packet.get());
      av_packet_unref(packet.get());
      if (result == AVERROR_INVALIDDATA) {
        ++damaged_packets;
      } else if (result < 0 && result != AVERROR(EAGAIN)) {
        fail("the decoder failed", result);
      }
    }
  }

  void seekToStart() {
    if (options.start_s <= 0.0) return;
    const auto target =
        static_cast<std::int64_t>(std::floor(options.start_s / av_q2d(stream->time_base)));
    const int result = av_seek_frame(format.get(), stream->index, target, AVSEEK_FLAG_BACKWARD);
    if (result < 0) {
      notes.push_back("cannot seek in '" + info.path.string() + "' (" + av::avErrorText(result) +
                      "): decoding from the start up to " + secondsText(options.start_s));
      av_seek_frame(format.get(), stream->index, INT64_MIN, AVSEEK_FLAG_BACKWARD);
    }
  }

  void checkComplete() {
    if (options.end_s >= 0.0 || options.start_s > 0.0 || info.duration_s <= 0.0) return;
    const double frame_s = info.average_fps > 0.0 ? 1.0 / info.average_fps : 0.0;
    const double expected_last_s = info.duration_s - frame_s;
    const double start_s =
        stream->start_time != AV_NOPTS_VALUE ? secondsOf(stream->start_time) : 0.0;
    if (last_time_s - start_s + kTruncationToleranceS < expected_last_s - 2.0 * frame_s) {
      throw InputError("video '" + info.path.string() + "' ends at " + secondsText(last_time_s) +
                       " but declares " + secondsText(info.duration_s) +
                       ": the file is truncated or damaged after " + secondsText(last_time_s));
    }
  }

  void addEndNotes() {
    if (damaged_packets > 0) {
      notes.push_back(std::to_string(damaged_packets) + " damaged packet(s) of '" +
                      info.path.string() + "' skipped (the video may show glitches there)");
    }
    if (repaired_timestamps > 0) {
      notes.push_back(std::to_string(repaired_timestamps) + " frame(s) of '" + info.path.string() +
                      "' had no or non-increasing timestamps: repaired from the frame rate");
    }
  }
};

VideoDecoder::VideoDecoder(const std::filesystem::path& path, DecodeOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  impl_->format = av::openMediaInput(path);
  impl_->info = av::describeSource(impl_->format.get(), path);
  impl_->stream = impl_->format->streams[impl_->info.video_stream];
  for (unsigned i = 0; i < impl_->format->nb_streams; ++i) {
    if (static_cast<int>(i) != impl_->info.video_stream)
      impl_->format->streams[i]->discard = AVDISCARD_ALL;
  }
  impl_->openDecoder();
  impl_->seekToStart();
}

VideoDecoder::~VideoDecoder() = default;

const VideoSourceInfo& VideoDecoder::info() const { return impl_->info; }

const std::vector<std::string>& VideoDecoder::notes() const { return impl_->notes; }

bool VideoDecoder::read(DecodedFrame& frame) {
  Impl& d = *impl_;
  for (;;) {
    if (!d.nextFrame()) {
      d.addEndNotes();
      d.checkComplete();
      return false;
    }
    AVFrame* decoded = d.filtered.get();
    std::int64_t pts = decoded->best_effort_timestamp;
    if (d.is_deinterlacing && decoded->pts != AV_NOPTS_VALUE) {
      // bwdif (send_frame) outputs in half the input time base.
      pts = av_rescale_q(decoded->pts, av_buffersink_get_time_base(d.buffer_sink),
                         d.stream->time_base);
    }
    if (pts == AV_NOPTS_VALUE || (d.last_pts != AV_NOPTS_VALUE && pts <= d.last_pts)) {
      const double fps = d.info.average_fps > 0.0 ? d.info.average_fps : 25.0;
      const std::int64_t step =
          std::max<std::int64_t>(1, std::llround(1.0 / fps / av_q2d(d.stream->time_base)));
      pts = d.last_pts == AV_NOPTS_VALUE ? 0 : d.last_pts + step;
      ++d.repaired_timestamps;
    }
    const double time_s = d.secondsOf(pts);
    if (d.options.end_s >= 0.0 && time_s >= d.options.end_s) {
      av_frame_unref(decoded);
      continue;  // drain the reordered frames still before end_s
    }
    if (time_s + 1e-9 < d.options.start_s) {
      av_frame_unref(decoded);
      continue;
    }
    d.last_pts = pts;
    d.last_time_s = time_s;
    frame.image = d.convert(decoded);
    frame.pts = pts;
    frame.time_s = time_s;
    frame.index = d.frames_returned++;
    av_frame_unref(decoded);
    return true;
  }
}

}  // namespace genstereo

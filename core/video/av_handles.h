// RAII owners of FFmpeg (libav*) objects and the text of an FFmpeg error code. Internal to
// core/video: the public headers of this folder never include libav headers.
#pragma once

#include <memory>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

namespace genstereo::av {

struct InputFormatDeleter {
  void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};
using InputFormatPtr = std::unique_ptr<AVFormatContext, InputFormatDeleter>;

// An output context: its file (when the muxer has one) is closed, then the context freed.
struct OutputFormatDeleter {
  void operator()(AVFormatContext* context) const {
    if (context == nullptr) return;
    if (context->oformat != nullptr && !(context->oformat->flags & AVFMT_NOFILE))
      avio_closep(&context->pb);
    avformat_free_context(context);
  }
};
using OutputFormatPtr = std::unique_ptr<AVFormatContext, OutputFormatDeleter>;

struct CodecContextDeleter {
  void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;

struct FrameDeleter {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;

struct PacketDeleter {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;

struct SwsDeleter {
  void operator()(SwsContext* context) const { sws_freeContext(context); }
};
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;

struct FilterGraphDeleter {
  void operator()(AVFilterGraph* graph) const { avfilter_graph_free(&graph); }
};
using FilterGraphPtr = std::unique_ptr<AVFilterGraph, FilterGraphDeleter>;

// FFmpeg's own log at "error" level (its info lines, x264's and x265's banners, would drown the
// progress), once per process; GENSTEREO_AV_LOG=info|warning|debug keeps more.
void quietLibraryLog();

// av_frame_alloc / av_packet_alloc that throw std::bad_alloc instead of returning null.
FramePtr allocFrame();
PacketPtr allocPacket();

// FFmpeg's text for an error code ("Invalid data found when processing input").
std::string avErrorText(int code);

}  // namespace genstereo::av

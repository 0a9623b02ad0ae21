#include "video/segment_encoder.h"

#include <algorithm>
#include <cctype>
#include <system_error>

#include "errors.h"
#include "io/atomic_write.h"
#include "video/av_handles.h"

extern "C" {
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

namespace genstereo {

namespace {

bool isFfv1(VideoCodec codec) { return codec == VideoCodec::kFfv1; }
bool isNvenc(VideoCodec codec) {
  return codec == VideoCodec::kH264Nvenc || codec == VideoCodec::kHevcNvenc;
}

}  // namespace

struct SegmentEncoder::Impl {
  std::filesystem::path path;
  std::filesystem::path temp_path;
  cv::Size frame_size;
  VideoSourceInfo source;
  VideoEncodeSettings settings;
  const AVCodec* encoder = nullptr;
  av::OutputFormatPtr output;
  av::CodecContextPtr codec;
  AVStream* stream = nullptr;
  av::SwsPtr sws;
  av::FramePtr frame = av::allocFrame();
  av::PacketPtr packet = av::allocPacket();
  int input_type = -1;
  std::int64_t last_pts = 0;
  std::int64_t frames_written = 0;
  bool is_open = false;
  bool is_finished = false;

  [[noreturn]] void fail(const std::string& what, int code) const {
    throw OutputError("cannot write video segment '" + path.string() + "': " + what +
                      (code < 0 ? " (" + av::avErrorText(code) + ")" : ""));
  }

  AVPixelFormat encoderPixelFormat(int mat_type) const {
    if (isFfv1(settings.codec)) {
      if (mat_type == CV_16UC1) return AV_PIX_FMT_GRAY16LE;
      return mat_type == CV_16UC3 ? AV_PIX_FMT_GBRP16LE : AV_PIX_FMT_BGR0;
    }
    if (isNvenc(settings.codec))
      return settings.bit_depth == 10 ? AV_PIX_FMT_P010LE : AV_PIX_FMT_YUV420P;
    return settings.bit_depth == 10 ? AV_PIX_FMT_YUV420P10LE : AV_PIX_FMT_YUV420P;
  }

  bool isHdr10Passthrough() const {
    return settings.hdr10_passthrough && source.is_hdr10 && settings.bit_depth == 10 &&
           settings.codec == VideoCodec::kX265;
  }

  void setQuality() {
    void* options = codec->priv_data;
    switch (settings.codec) {
      case VideoCodec::kX264:
      case VideoCodec::kX265:
        av_opt_set_double(options, "crf", settings.crf, 0);
        av_opt_set(options, "preset", settings.preset.c_str(), 0);
        break;
      case VideoCodec::kSvtAv1:
        if (av_opt_set_int(options, "crf", settings.crf, 0) < 0)
          av_opt_set_int(options, "qp", settings.crf, 0);
        if (!settings.preset.empty() &&
            std::isdigit(static_cast<unsigned char>(settings.preset[0]))) {
          av_opt_set(options, "preset", settings.preset.c_str(), 0);
        }
        break;
      case VideoCodec::kH264Nvenc:
      case VideoCodec::kHevcNvenc:
        av_opt_set(options, "rc", "constqp", 0);
        av_opt_set_int(options, "qp", settings.crf, 0);
        break;
      default:
        break;
    }
    if (settings.codec == VideoCodec::kX265) {
      std::string params = "open-gop=0";
      if (isHdr10Passthrough()) {
        params += ":hdr10-opt=1:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc";
        if (!source.hdr10_master_display.empty())
          params += ":master-display=" + source.hdr10_master_display;
        if (!source.hdr10_max_cll.empty()) params += ":max-cll=" + source.hdr10_max_cll;
      }
      av_opt_set(options, "x265-params", params.c_str(), 0);
    }
    if (isFfv1(settings.codec)) {
      av_opt_set_int(options, "level", 3, 0);
      av_opt_set_int(options, "slicecrc", 1, 0);
    }
  }

  // Opens the encoder and the file for frames of `mat_type` (FFV1 stores the type it gets).
  void open(int mat_type) {
    codec.reset(avcodec_alloc_context3(encoder));
    if (!codec) throw std::bad_alloc();
    codec->width = frame_size.width;
    codec->height = frame_size.height;
    codec->pix_fmt = encoderPixelFormat(mat_type);
    codec->time_base = AVRational{source.time_base_num, source.time_base_den};
    if (source.average_fps > 0.0) codec->framerate = av_d2q(source.average_fps, 100000);
    codec->sample_aspect_ratio = AVRational{1, 1};
    codec->thread_count = settings.threads;
    codec->flags |= AV_CODEC_FLAG_CLOSED_GOP;
    codec->gop_size = isFfv1(settings.codec) ? 1 : 250;
    const bool is_hdr = isHdr10Passthrough();
    codec->color_primaries = is_hdr ? AVCOL_PRI_BT2020 : AVCOL_PRI_BT709;
    codec->color_trc = is_hdr ? AVCOL_TRC_SMPTE2084 : AVCOL_TRC_BT709;
    codec->colorspace = is_hdr ? AVCOL_SPC_BT2020_NCL : AVCOL_SPC_BT709;
    codec->color_range = AVCOL_RANGE_MPEG;
    if (isFfv1(settings.codec)) {
      codec->colorspace = mat_type == CV_16UC1 ? AVCOL_SPC_UNSPECIFIED : AVCOL_SPC_RGB;
      codec->color_range = AVCOL_RANGE_JPEG;
    }
    if (output->oformat->flags & AVFMT_GLOBALHEADER) codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    setQuality();
    int result = avcodec_open2(codec.get(), encoder, nullptr);
    if (result < 0)
      fail(std::string("the ") + toString(settings.codec) + " encoder refused the settings",
           result);
    stream = avformat_new_stream(output.get(), nullptr);
    if (stream == nullptr) throw std::bad_alloc();
    result = avcodec_parameters_from_context(stream->codecpar, codec.get());
    if (result < 0) fail("cannot describe the stream", result);
    stream->time_base = codec->time_base;
    stream->avg_frame_rate = codec->framerate;
    result = avio_open(&output->pb, temp_path.c_str(), AVIO_FLAG_WRITE);
    if (result < 0) fail("cannot create '" + temp_path.string() + "'", result);
    result = avformat_write_header(output.get(), nullptr);
    if (result < 0) fail("cannot write the header", result);

    const AVPixelFormat input_format = mat_type == CV_16UC1   ? AV_PIX_FMT_GRAY16LE
                                       : mat_type == CV_16UC3 ? AV_PIX_FMT_BGR48LE
                                                              : AV_PIX_FMT_BGR24;
    sws.reset(sws_getContext(frame_size.width, frame_size.height, input_format, frame_size.width,
                             frame_size.height, codec->pix_fmt,
                             SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nullptr, nullptr,
                             nullptr));
    if (!sws)
      fail("cannot convert frames to " + std::string(av_get_pix_fmt_name(codec->pix_fmt)), 0);
    const int matrix = is_hdr ? SWS_CS_BT2020 : SWS_CS_ITU709;
    const int* table = sws_getCoefficients(matrix);
    const bool is_full_range_output = codec->color_range == AVCOL_RANGE_JPEG;
    sws_setColorspaceDetails(sws.get(), table, 1, table, is_full_range_output ? 1 : 0, 0, 1 << 16,
                             1 << 16);
    frame->format = codec->pix_fmt;
    frame->width = frame_size.width;
    frame->height = frame_size.height;
    result = av_frame_get_buffer(frame.get(), 0);
    if (result < 0) throw std::bad_alloc();
    input_type = mat_type;
    is_open = true;
  }

  std::int64_t last_dts = AV_NOPTS_VALUE;  // in the codec's time base

  void drain(bool is_flush) {
    int result = avcodec_send_frame(codec.get(), is_flush ? nullptr : frame.get());
    if (result < 0) fail("the encoder failed", result);
    for (;;) {
      result = avcodec_receive_packet(codec.get(), packet.get());
      if (result == AVERROR(EAGAIN) || result == AVERROR_EOF) return;
      if (result < 0) fail("the encoder failed", result);
      // libx265 can return a garbage decode timestamp at the end of a very short segment (seen:
      // 2 frames with B-frames). Matroska stores presentation times only, and the final mux
      // derives decode times again (stereo_muxer.cpp): keep dts valid and increasing here.
      if (packet->pts != AV_NOPTS_VALUE &&
          (packet->dts == AV_NOPTS_VALUE || packet->dts > packet->pts ||
           (last_dts != AV_NOPTS_VALUE && packet->dts <= last_dts))) {
        packet->dts =
            last_dts == AV_NOPTS_VALUE ? packet->pts : std::min(packet->pts, last_dts + 1);
      }
      if (packet->dts != AV_NOPTS_VALUE) last_dts = packet->dts;
      av_packet_rescale_ts(packet.get(), codec->time_base, stream->time_base);
      packet->stream_index = stream->index;
      result = av_interleaved_write_frame(output.get(), packet.get());
      if (result < 0) fail("cannot write (disk full?)", result);
    }
  }

  void discard() {
    codec.reset();
    output.reset();
    std::error_code ignored;
    std::filesystem::remove(temp_path, ignored);
  }
};

SegmentEncoder::SegmentEncoder(const std::filesystem::path& path, cv::Size frame_size,
                               const VideoSourceInfo& source, const VideoEncodeSettings& settings)
    : impl_(std::make_unique<Impl>()) {
  av::quietLibraryLog();
  Impl& d = *impl_;
  d.path = path;
  d.frame_size = frame_size;
  d.source = source;
  d.settings = settings;
  const std::filesystem::path folder =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) {
    throw OutputError("cannot write video segment '" + path.string() + "': the folder '" +
                      folder.string() + "' does not exist");
  }
  d.encoder = avcodec_find_encoder_by_name(toString(settings.codec));
  if (d.encoder == nullptr || !isVideoEncoderAvailable(settings.codec)) {
    throw OutputError(
        "cannot write video segment '" + path.string() + "': the encoder " +
        toString(settings.codec) +
        " is not available in this FFmpeg build or on this machine; choose libx264, libx265, "
        "libsvtav1 or ffv1");
  }
  if (settings.bit_depth != 8 && settings.bit_depth != 10) {
    throw OutputError("cannot write video segment '" + path.string() + "': bit depth " +
                      std::to_string(settings.bit_depth) + " is not supported; expected 8 or 10");
  }
  if (frame_size.width <= 0 || frame_size.height <= 0) {
    throw InputError("video segment '" + path.string() + "': frame size " +
                     std::to_string(frame_size.width) + "x" + std::to_string(frame_size.height) +
                     " is not positive");
  }
  if (!isFfv1(settings.codec) && (frame_size.width % 2 != 0 || frame_size.height % 2 != 0)) {
    throw InputError("video segment '" + path.string() + "': " + toString(settings.codec) +
                     " with 4:2:0 chroma needs an even width and height, got " +
                     std::to_string(frame_size.width) + "x" + std::to_string(frame_size.height) +
                     " (crop or pad by one pixel, or use ffv1)");
  }
  if (source.time_base_num <= 0 || source.time_base_den <= 0) {
    throw InputError("video segment '" + path.string() + "': the source has no valid time base");
  }
  d.temp_path = temporaryPathFor(path);
  AVFormatContext* raw = nullptr;
  const int result = avformat_alloc_output_context2(&raw, nullptr, "matroska", d.temp_path.c_str());
  if (result < 0 || raw == nullptr) d.fail("cannot set up the Matroska muxer", result);
  d.output.reset(raw);
}

SegmentEncoder::~SegmentEncoder() {
  if (impl_ && !impl_->is_finished) impl_->discard();
}

void SegmentEncoder::write(const cv::Mat& frame, std::int64_t pts) {
  Impl& d = *impl_;
  if (d.is_finished) d.fail("write() after finish()", 0);
  const int type = frame.type();
  const bool is_supported =
      type == CV_8UC3 || type == CV_16UC3 || (type == CV_16UC1 && isFfv1(d.settings.codec));
  if (!is_supported || frame.size() != d.frame_size) {
    d.fail("expected a " + std::to_string(d.frame_size.width) + "x" +
               std::to_string(d.frame_size.height) +
               " CV_8UC3 or CV_16UC3 frame (CV_16UC1 with ffv1), got " +
               std::to_string(frame.cols) + "x" + std::to_string(frame.rows) + " of type " +
               std::to_string(type),
           0);
  }
  if (d.is_open && type != d.input_type) d.fail("the frame type changed within the segment", 0);
  if (d.frames_written > 0 && pts <= d.last_pts) {
    d.fail("timestamps must increase: pts " + std::to_string(pts) + " after " +
               std::to_string(d.last_pts),
           0);
  }
  if (!d.is_open) d.open(type);
  const int result = av_frame_make_writable(d.frame.get());
  if (result < 0) throw std::bad_alloc();
  const cv::Mat continuous = frame.isContinuous() ? frame : frame.clone();
  const std::uint8_t* planes[4] = {continuous.data, nullptr, nullptr, nullptr};
  const int strides[4] = {static_cast<int>(continuous.step[0]), 0, 0, 0};
  sws_scale(d.sws.get(), planes, strides, 0, d.frame_size.height, d.frame->data, d.frame->linesize);
  d.frame->pts = pts;
  d.drain(false);
  d.last_pts = pts;
  ++d.frames_written;
}

void SegmentEncoder::finish() {
  Impl& d = *impl_;
  if (d.is_finished) return;
  if (!d.is_open) d.fail("no frame was written", 0);
  d.drain(true);
  int result = av_write_trailer(d.output.get());
  if (result < 0) d.fail("cannot finish the file", result);
  result = avio_closep(&d.output->pb);
  if (result < 0) d.fail("cannot close the file (disk full?)", result);
  syncPath(d.temp_path);
  checkReplaceableDestination(d.path, "a video segment");
  std::error_code error;
  std::filesystem::rename(d.temp_path, d.path, error);
  if (error) d.fail("cannot rename '" + d.temp_path.string() + "': " + error.message(), 0);
  syncPath(d.path.has_parent_path() ? d.path.parent_path() : std::filesystem::path("."));
  d.is_finished = true;
  d.codec.reset();
  d.output.reset();
}

std::int64_t SegmentEncoder::framesWritten() const { return impl_->frames_written; }

}  // namespace genstereo

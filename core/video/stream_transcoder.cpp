#include "video/stream_transcoder.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "errors.h"

extern "C" {
#include <libavutil/audio_fifo.h>
#include <libswresample/swresample.h>
}

namespace genstereo::av {

namespace {

struct SwrDeleter {
  void operator()(SwrContext* context) const { swr_free(&context); }
};
struct FifoDeleter {
  void operator()(AVAudioFifo* fifo) const { av_audio_fifo_free(fifo); }
};

constexpr int kSubtitleBufferBytes = 1 << 16;

}  // namespace

struct StreamTranscoder::Impl {
  std::string source_path;
  int stream_index = -1;
  AVRational input_time_base{1, 1};
  bool is_audio = true;
  CodecContextPtr decoder;
  CodecContextPtr encoder;
  std::unique_ptr<SwrContext, SwrDeleter> swr;
  std::unique_ptr<AVAudioFifo, FifoDeleter> fifo;
  FramePtr decoded = allocFrame();
  FramePtr converted = allocFrame();
  PacketPtr packet = allocPacket();
  std::int64_t next_pts = AV_NOPTS_VALUE;

  [[noreturn]] void fail(const std::string& what, int code) const {
    throw InputError("cannot transcode stream " + std::to_string(stream_index) + " of '" +
                     source_path + "': " + what + " (" + avErrorText(code) + ")");
  }

  void encodeFrame(AVFrame* frame, const Emit& emit) {
    int result = avcodec_send_frame(encoder.get(), frame);
    if (result < 0 && result != AVERROR_EOF) fail("the encoder failed", result);
    for (;;) {
      result = avcodec_receive_packet(encoder.get(), packet.get());
      if (result == AVERROR(EAGAIN) || result == AVERROR_EOF) return;
      if (result < 0) fail("the encoder failed", result);
      emit(packet.get());
      av_packet_unref(packet.get());
    }
  }

  // Sends whole encoder frames from the FIFO (and the remainder when `is_final`).
  void drainFifo(bool is_final, const Emit& emit) {
    const int frame_size = encoder->frame_size > 0 ? encoder->frame_size : 1024;
    while (av_audio_fifo_size(fifo.get()) >= frame_size ||
           (is_final && av_audio_fifo_size(fifo.get()) > 0)) {
      const int count = std::min(frame_size, av_audio_fifo_size(fifo.get()));
      FramePtr frame = allocFrame();
      frame->nb_samples = count;
      frame->format = encoder->sample_fmt;
      frame->sample_rate = encoder->sample_rate;
      av_channel_layout_copy(&frame->ch_layout, &encoder->ch_layout);
      if (av_frame_get_buffer(frame.get(), 0) < 0) throw std::bad_alloc();
      av_audio_fifo_read(fifo.get(), reinterpret_cast<void**>(frame->data), count);
      frame->pts = next_pts;
      next_pts += count;
      encodeFrame(frame.get(), emit);
    }
  }

  void convert(const AVFrame* input, const Emit& emit) {
    const int capacity = swr_get_out_samples(swr.get(), input != nullptr ? input->nb_samples : 0);
    if (capacity <= 0) return;
    av_frame_unref(converted.get());
    converted->nb_samples = capacity;
    converted->format = encoder->sample_fmt;
    av_channel_layout_copy(&converted->ch_layout, &encoder->ch_layout);
    if (av_frame_get_buffer(converted.get(), 0) < 0) throw std::bad_alloc();
    const int count = swr_convert(
        swr.get(), converted->data, capacity,
        input != nullptr ? const_cast<const std::uint8_t**>(input->extended_data) : nullptr,
        input != nullptr ? input->nb_samples : 0);
    if (count < 0) fail("resampling failed", count);
    av_audio_fifo_write(fifo.get(), reinterpret_cast<void**>(converted->data), count);
    drainFifo(false, emit);
  }

  void receiveAudio(const Emit& emit) {
    for (;;) {
      const int result = avcodec_receive_frame(decoder.get(), decoded.get());
      if (result == AVERROR(EAGAIN) || result == AVERROR_EOF) return;
      if (result < 0) fail("the decoder failed", result);
      if (next_pts == AV_NOPTS_VALUE) {
        const std::int64_t pts =
            decoded->best_effort_timestamp != AV_NOPTS_VALUE ? decoded->best_effort_timestamp : 0;
        next_pts = av_rescale_q(pts, input_time_base, encoder->time_base);
      }
      convert(decoded.get(), emit);
      av_frame_unref(decoded.get());
    }
  }

  void openAudio(const AVStream* input, const AVCodec* codec, const AVOutputFormat* output_format) {
    encoder.reset(avcodec_alloc_context3(codec));
    if (!encoder) throw std::bad_alloc();
    const bool is_opus = std::string(codec->name).find("opus") != std::string::npos;
    encoder->sample_rate = is_opus ? 48000 : decoder->sample_rate;
    if (decoder->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
      av_channel_layout_default(&encoder->ch_layout, decoder->ch_layout.nb_channels);
    } else {
      av_channel_layout_copy(&encoder->ch_layout, &decoder->ch_layout);
    }
    if (is_opus && encoder->ch_layout.nb_channels > 2) {
      av_channel_layout_uninit(&encoder->ch_layout);
      av_channel_layout_default(&encoder->ch_layout, 2);
    }
    encoder->sample_fmt =
        codec->sample_fmts != nullptr ? codec->sample_fmts[0] : AV_SAMPLE_FMT_FLTP;
    encoder->time_base = AVRational{1, encoder->sample_rate};
    encoder->bit_rate = 64000LL * encoder->ch_layout.nb_channels;
    if (output_format->flags & AVFMT_GLOBALHEADER) encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    int result = avcodec_open2(encoder.get(), codec, nullptr);
    if (result < 0) fail(std::string("cannot open the ") + codec->name + " encoder", result);
    SwrContext* raw = nullptr;
    result = swr_alloc_set_opts2(&raw, &encoder->ch_layout, encoder->sample_fmt,
                                 encoder->sample_rate, &decoder->ch_layout, decoder->sample_fmt,
                                 decoder->sample_rate, 0, nullptr);
    swr.reset(raw);
    if (result >= 0) result = swr_init(swr.get());
    if (result < 0) fail("cannot set up resampling", result);
    fifo.reset(av_audio_fifo_alloc(encoder->sample_fmt, encoder->ch_layout.nb_channels, 1));
    if (!fifo) throw std::bad_alloc();
    (void)input;
  }

  void openSubtitles(const AVCodec* codec, const AVOutputFormat* output_format) {
    encoder.reset(avcodec_alloc_context3(codec));
    if (!encoder) throw std::bad_alloc();
    encoder->time_base = input_time_base;
    if (decoder->subtitle_header != nullptr && decoder->subtitle_header_size > 0) {
      encoder->subtitle_header =
          static_cast<std::uint8_t*>(av_mallocz(decoder->subtitle_header_size + 1));
      if (encoder->subtitle_header == nullptr) throw std::bad_alloc();
      std::memcpy(encoder->subtitle_header, decoder->subtitle_header,
                  decoder->subtitle_header_size);
      encoder->subtitle_header_size = decoder->subtitle_header_size;
    }
    if (output_format->flags & AVFMT_GLOBALHEADER) encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    const int result = avcodec_open2(encoder.get(), codec, nullptr);
    if (result < 0) fail(std::string("cannot open the ") + codec->name + " encoder", result);
  }

  void pushSubtitle(const AVPacket* input, const Emit& emit) {
    AVSubtitle subtitle{};
    int has_subtitle = 0;
    const int result = avcodec_decode_subtitle2(decoder.get(), &subtitle, &has_subtitle,
                                                const_cast<AVPacket*>(input));
    if (result < 0 || !has_subtitle) return;
    std::vector<std::uint8_t> buffer(kSubtitleBufferBytes);
    const int size = avcodec_encode_subtitle(encoder.get(), buffer.data(),
                                             static_cast<int>(buffer.size()), &subtitle);
    avsubtitle_free(&subtitle);
    if (size <= 0) return;
    av_packet_unref(packet.get());
    if (av_new_packet(packet.get(), size) < 0) throw std::bad_alloc();
    std::memcpy(packet->data, buffer.data(), static_cast<std::size_t>(size));
    packet->pts = input->pts;
    packet->dts = input->pts;
    packet->duration = input->duration;
    packet->flags |= AV_PKT_FLAG_KEY;
    emit(packet.get());
    av_packet_unref(packet.get());
  }
};

StreamTranscoder::StreamTranscoder(const AVStream* input, const std::string& encoder_name,
                                   const AVOutputFormat* output_format,
                                   const std::string& source_path)
    : impl_(std::make_unique<Impl>()) {
  Impl& d = *impl_;
  d.source_path = source_path;
  d.stream_index = input->index;
  d.input_time_base = input->time_base;
  d.is_audio = input->codecpar->codec_type == AVMEDIA_TYPE_AUDIO;
  const AVCodec* decoder = avcodec_find_decoder(input->codecpar->codec_id);
  if (decoder == nullptr)
    d.fail("no decoder for " + std::string(avcodec_get_name(input->codecpar->codec_id)), 0);
  d.decoder.reset(avcodec_alloc_context3(decoder));
  if (!d.decoder) throw std::bad_alloc();
  int result = avcodec_parameters_to_context(d.decoder.get(), input->codecpar);
  d.decoder->pkt_timebase = input->time_base;
  if (result >= 0) result = avcodec_open2(d.decoder.get(), decoder, nullptr);
  if (result < 0) d.fail("cannot open the decoder", result);
  const AVCodec* encoder = avcodec_find_encoder_by_name(encoder_name.c_str());
  if (encoder == nullptr && encoder_name == "libopus")
    encoder = avcodec_find_encoder_by_name("opus");
  if (encoder == nullptr)
    d.fail("this FFmpeg build has no " + encoder_name + " encoder", AVERROR_ENCODER_NOT_FOUND);
  if (d.is_audio) {
    d.openAudio(input, encoder, output_format);
  } else {
    d.openSubtitles(encoder, output_format);
  }
}

StreamTranscoder::~StreamTranscoder() = default;

const AVCodecContext* StreamTranscoder::encoder() const { return impl_->encoder.get(); }

AVRational StreamTranscoder::outputTimeBase() const { return impl_->encoder->time_base; }

void StreamTranscoder::push(const AVPacket* packet, const Emit& emit) {
  Impl& d = *impl_;
  if (!d.is_audio) {
    d.pushSubtitle(packet, emit);
    return;
  }
  const int result = avcodec_send_packet(d.decoder.get(), packet);
  if (result < 0 && result != AVERROR_INVALIDDATA) d.fail("the decoder failed", result);
  d.receiveAudio(emit);
}

void StreamTranscoder::flush(const Emit& emit) {
  Impl& d = *impl_;
  if (!d.is_audio) return;
  avcodec_send_packet(d.decoder.get(), nullptr);
  d.receiveAudio(emit);
  if (d.next_pts == AV_NOPTS_VALUE) return;
  d.convert(nullptr, emit);
  d.drainFifo(true, emit);
  d.encodeFrame(nullptr, emit);
}

}  // namespace genstereo::av

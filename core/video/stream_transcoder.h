// Re-encodes one audio or text-subtitle stream whose codec the output container cannot hold:
// audio to AAC or Opus (resampled, source timing kept), text subtitles to mov_text. Internal to
// core/video (stereo_muxer.cpp).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "video/av_handles.h"

namespace genstereo::av {

class StreamTranscoder {
 public:
  using Emit = std::function<void(AVPacket* packet)>;  // a packet in outputTimeBase()

  // `input`: the source stream; `encoder_name`: "aac", "libopus" or "mov_text"; `output_format`
  // decides global headers. Throws InputError naming `source_path` when a codec cannot be opened.
  StreamTranscoder(const AVStream* input, const std::string& encoder_name,
                   const AVOutputFormat* output_format, const std::string& source_path);
  ~StreamTranscoder();
  StreamTranscoder(const StreamTranscoder&) = delete;
  StreamTranscoder& operator=(const StreamTranscoder&) = delete;

  // The output stream's parameters and time base (valid after construction).
  const AVCodecContext* encoder() const;
  AVRational outputTimeBase() const;

  void push(const AVPacket* packet, const Emit& emit);
  void flush(const Emit& emit);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace genstereo::av

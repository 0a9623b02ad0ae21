#include "video/av_handles.h"

#include <new>

extern "C" {
#include <libavutil/error.h>
}

#include <cstdlib>
#include <cstring>
#include <mutex>

extern "C" {
#include <libavutil/log.h>
}

namespace genstereo::av {

void quietLibraryLog() {
  static std::once_flag once;
  std::call_once(once, [] {
    const char* wanted = std::getenv("GENSTEREO_AV_LOG");
    int level = AV_LOG_ERROR;
    if (wanted != nullptr) {
      if (std::strcmp(wanted, "info") == 0)
        level = AV_LOG_INFO;
      else if (std::strcmp(wanted, "warning") == 0)
        level = AV_LOG_WARNING;
      else if (std::strcmp(wanted, "debug") == 0)
        level = AV_LOG_DEBUG;
    }
    av_log_set_level(level);
  });
}

FramePtr allocFrame() {
  FramePtr frame(av_frame_alloc());
  if (!frame) throw std::bad_alloc();
  return frame;
}

PacketPtr allocPacket() {
  PacketPtr packet(av_packet_alloc());
  if (!packet) throw std::bad_alloc();
  return packet;
}

std::string avErrorText(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof(text));
  return text;
}

}  // namespace genstereo::av

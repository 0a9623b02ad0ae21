#include "video/media_input.h"

#include <chrono>
#include <string>
#include <system_error>

#include "errors.h"

namespace genstereo::av {

namespace {

struct OpenDeadline {
  std::chrono::steady_clock::time_point until;
};

// The callback's opaque is the format context, whose own opaque holds the deadline while the
// file is being opened and probed, and is null afterwards (libavformat copies the callback into
// its I/O contexts, so it stays installed for every later read: it must then say "go on").
int interruptWhenLate(void* opaque) {
  const auto* format = static_cast<const AVFormatContext*>(opaque);
  const auto* deadline = static_cast<const OpenDeadline*>(format->opaque);
  return deadline != nullptr && std::chrono::steady_clock::now() > deadline->until ? 1 : 0;
}

}  // namespace

InputFormatPtr openMediaInput(const std::filesystem::path& path) {
  quietLibraryLog();
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) {
    throw InputError("video file '" + path.string() + "' does not exist");
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw InputError("video input '" + path.string() +
                     "' is not a regular file (a folder, FIFO or device); give a video file such "
                     "as .mp4 or .mkv");
  }
  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr) throw std::bad_alloc();
  OpenDeadline deadline;
  deadline.until = std::chrono::steady_clock::now() +
                   std::chrono::milliseconds(static_cast<long long>(kOpenTimeLimitS * 1000));
  raw->opaque = &deadline;
  raw->interrupt_callback.callback = interruptWhenLate;
  raw->interrupt_callback.opaque = raw;
  int result = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);  // frees `raw` on failure
  if (result < 0) {
    throw InputError("cannot open video '" + path.string() + "': " + avErrorText(result) +
                     " (expected a video file FFmpeg can read: mp4, mkv, mov, webm, avi, ...)");
  }
  InputFormatPtr format(raw);
  result = avformat_find_stream_info(format.get(), nullptr);
  format->opaque = nullptr;
  if (result < 0) {
    throw InputError("cannot read the streams of '" + path.string() + "': " + avErrorText(result) +
                     (result == AVERROR_EXIT
                          ? " (probing took longer than " +
                                std::to_string(static_cast<int>(kOpenTimeLimitS)) + " s)"
                          : " (the file is damaged or not a video)"));
  }
  return format;
}

}  // namespace genstereo::av

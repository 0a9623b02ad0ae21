#include "io/animated_writer.h"

#include <string>

#include "errors.h"
#include "io/atomic_write.h"

namespace genstereo {

const char* toString(AnimationFormat format) {
  return format == AnimationFormat::kApng ? "apng" : "gif";
}

std::optional<AnimationFormat> animationFormatFromString(const std::string& text) {
  if (text == "gif") return AnimationFormat::kGif;
  if (text == "apng") return AnimationFormat::kApng;
  return std::nullopt;
}

const char* extensionOf(AnimationFormat format) {
  return format == AnimationFormat::kApng ? ".png" : ".gif";
}

namespace {

std::string sizeText(const cv::Mat& mat) {
  return std::to_string(mat.cols) + "x" + std::to_string(mat.rows);
}

// The frames as CV_8UC3 BGR, checked.
std::vector<cv::Mat> framesAsBgr8(const std::vector<cv::Mat>& frames) {
  if (frames.empty()) throw InputError("animation: expected at least one frame, found none");
  std::vector<cv::Mat> bgr8;
  bgr8.reserve(frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const cv::Mat& frame = frames[i];
    if (frame.empty() || (frame.type() != CV_32FC3 && frame.type() != CV_8UC3)) {
      throw InputError("animation frame " + std::to_string(i + 1) +
                       ": expected a colour image (CV_32FC3 in [0, 1] or CV_8UC3), found " +
                       (frame.empty() ? std::string("an empty image")
                                      : "OpenCV type " + std::to_string(frame.type())));
    }
    if (frame.size() != frames.front().size()) {
      throw InputError("animation frame " + std::to_string(i + 1) +
                       ": expected the size of frame 1 (" + sizeText(frames.front()) + "), found " +
                       sizeText(frame));
    }
    cv::Mat converted;
    if (frame.type() == CV_32FC3) {
      frame.convertTo(converted, CV_8UC3, 255.0);  // saturating, rounded
    } else {
      converted = frame;
    }
    bgr8.push_back(converted);
  }
  return bgr8;
}

}  // namespace

std::vector<std::uint8_t> encodeAnimation(const std::vector<cv::Mat>& frames,
                                          const AnimationOptions& options) {
  if (options.frame_ms < kMinFrameMs || options.frame_ms > kMaxFrameMs) {
    throw InputError("animation frame time: expected " + std::to_string(kMinFrameMs) + " to " +
                     std::to_string(kMaxFrameMs) + " ms, found " +
                     std::to_string(options.frame_ms));
  }
  if (options.loop_count < 0 || options.loop_count > 65535) {
    throw InputError("animation loop count: expected 0 (forever) to 65535, found " +
                     std::to_string(options.loop_count));
  }
  const std::vector<cv::Mat> bgr8 = framesAsBgr8(frames);
  return options.format == AnimationFormat::kApng
             ? encodeApng(bgr8, options.frame_ms, options.loop_count)
             : encodeGif(bgr8, options.frame_ms, options.loop_count);
}

void writeWiggle(const std::filesystem::path& destination, const cv::Mat& first,
                 const cv::Mat& second, const AnimationOptions& options) {
  writeBytesAtomically(destination, encodeAnimation({first, second}, options));
}

}  // namespace genstereo

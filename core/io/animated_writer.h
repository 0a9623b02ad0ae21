// Animated images of a stereo pair: the wiggle (left and right view alternating) as an animated
// GIF (giflib; 256 colours per frame, each frame its own palette) or an APNG (lossless 8-bit RGB,
// written chunk by chunk with zlib; a viewer without APNG support shows the first frame).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace genstereo {

enum class AnimationFormat { kGif, kApng };
const char* toString(AnimationFormat format);  // "gif", "apng"
std::optional<AnimationFormat> animationFormatFromString(const std::string& text);
// The file extension of `format`: ".gif" or ".png" (APNG files are PNG files).
const char* extensionOf(AnimationFormat format);

// The frame time users may choose, in milliseconds. GIF stores centiseconds (the time is
// rounded to 10 ms) and most viewers slow GIF frames under 20 ms down, hence the lower bound.
inline constexpr int kMinFrameMs = 20;
inline constexpr int kMaxFrameMs = 10000;
// The frame time the GUI's Export Wiggle dialog and the CLI's wiggle formats start from.
inline constexpr int kDefaultFrameMs = 150;

struct AnimationOptions {
  AnimationFormat format = AnimationFormat::kGif;
  int frame_ms = kDefaultFrameMs;  // display time of every frame, kMinFrameMs..kMaxFrameMs
  int loop_count = 0;              // 0 = forever
};

// Encodes `frames` (CV_32FC3 BGR [0, 1] or CV_8UC3 BGR; at least one; all the same size) into
// the bytes of an animated file. Throws InputError naming what is wrong (no frame, sizes or
// types that differ, a frame time or loop count out of range).
std::vector<std::uint8_t> encodeAnimation(const std::vector<cv::Mat>& frames,
                                          const AnimationOptions& options);
std::vector<std::uint8_t> encodeApng(const std::vector<cv::Mat>& frames_bgr8, int frame_ms,
                                     int loop_count);
std::vector<std::uint8_t> encodeGif(const std::vector<cv::Mat>& frames_bgr8, int frame_ms,
                                    int loop_count);

// The wiggle of a stereo pair: `first` and `second` alternating (left then right, or the other
// way round for swapped eyes), written atomically (io/atomic_write.h) to `destination`.
void writeWiggle(const std::filesystem::path& destination, const cv::Mat& first,
                 const cv::Mat& second, const AnimationOptions& options);

}  // namespace genstereo

// Decoding the wiggle files in tests: PNG chunks (APNG), and GIF frames through giflib.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace genstereo::test {

// The big-endian 32-bit number at `at`.
std::uint32_t u32At(const std::vector<std::uint8_t>& bytes, std::size_t at);

struct PngChunk {
  std::string type;
  std::vector<std::uint8_t> data;
};

// Splits a PNG file into its chunks; fails the test on a bad signature, CRC or length.
std::vector<PngChunk> pngChunks(const std::vector<std::uint8_t>& bytes);

// What an APNG file declares: its size (IHDR), its frame and play counts (acTL), and the
// delay of every frame (fcTL), in milliseconds.
struct ApngSummary {
  int width = 0;
  int height = 0;
  int declared_frames = 0;
  int plays = -1;  // 0 = forever
  std::vector<double> frame_delays_ms;
};
ApngSummary summariseApng(const std::vector<std::uint8_t>& bytes);

// A GIF decoded by giflib: the logical screen, every frame as CV_8UC3 BGR, its delay in
// centiseconds, and whether a NETSCAPE2.0 extension says it loops forever. Fails the test
// (and returns what it has) when giflib cannot read it.
struct DecodedGif {
  int width = 0;
  int height = 0;
  std::vector<cv::Mat> frames_bgr8;
  std::vector<int> frame_delays_cs;
  bool loops_forever = false;
};
DecodedGif decodeGif(const std::vector<std::uint8_t>& bytes);

std::vector<std::uint8_t> readBinaryFile(const std::filesystem::path& path);

}  // namespace genstereo::test

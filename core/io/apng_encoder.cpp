// APNG (animated PNG, https://wiki.mozilla.org/APNG_Specification): the PNG chunks IHDR,
// acTL, then per frame fcTL + image data (IDAT for the first frame, so that a plain PNG
// decoder shows it; fdAT for the others), IEND. 8-bit RGB, every row Paeth-filtered.
#include <cstdlib>
#include <iterator>
#include <string>

#include <zlib.h>

#include "errors.h"
#include "io/animated_writer.h"
#include "io/png_chunks.h"

namespace genstereo {

namespace {

// zlib level 1: two 4000x2724 frames in 4.1 s against 19.9 s at the default 6, for 22.0 MB
// against 18.1 MB (2 shared cores under load 15, docs/gui.md); a wiggle is a preview file.
constexpr int kZlibLevel = 1;

std::uint8_t paeth(int a, int b, int c) {
  const int p = a + b - c;
  const int pa = std::abs(p - a);
  const int pb = std::abs(p - b);
  const int pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return static_cast<std::uint8_t>(a);
  return static_cast<std::uint8_t>(pb <= pc ? b : c);
}

// The zlib stream of a frame: each RGB row with filter byte 4 (Paeth).
std::vector<std::uint8_t> compressedRows(const cv::Mat& bgr8) {
  const int row_bytes = bgr8.cols * 3;
  std::vector<std::uint8_t> filtered;
  filtered.reserve(static_cast<std::size_t>(bgr8.rows) * (row_bytes + 1));
  std::vector<std::uint8_t> previous(static_cast<std::size_t>(row_bytes), 0);
  std::vector<std::uint8_t> current(static_cast<std::size_t>(row_bytes), 0);
  for (int y = 0; y < bgr8.rows; ++y) {
    const std::uint8_t* bgr = bgr8.ptr<std::uint8_t>(y);
    for (int x = 0; x < bgr8.cols; ++x) {  // BGR -> RGB
      current[3 * x] = bgr[3 * x + 2];
      current[3 * x + 1] = bgr[3 * x + 1];
      current[3 * x + 2] = bgr[3 * x];
    }
    filtered.push_back(4);
    for (int i = 0; i < row_bytes; ++i) {
      const int left = i >= 3 ? current[i - 3] : 0;
      const int up = previous[i];
      const int up_left = i >= 3 ? previous[i - 3] : 0;
      filtered.push_back(static_cast<std::uint8_t>(current[i] - paeth(left, up, up_left)));
    }
    previous.swap(current);
  }
  uLongf size = compressBound(static_cast<uLong>(filtered.size()));
  std::vector<std::uint8_t> compressed(size);
  if (compress2(compressed.data(), &size, filtered.data(), static_cast<uLong>(filtered.size()),
                kZlibLevel) != Z_OK) {
    throw OutputError("APNG: zlib could not compress a frame of " + std::to_string(bgr8.cols) +
                      "x" + std::to_string(bgr8.rows) + " pixels");
  }
  compressed.resize(size);
  return compressed;
}

}  // namespace

std::vector<std::uint8_t> encodeApng(const std::vector<cv::Mat>& frames_bgr8, int frame_ms,
                                     int loop_count) {
  const auto width = static_cast<std::uint32_t>(frames_bgr8.front().cols);
  const auto height = static_cast<std::uint32_t>(frames_bgr8.front().rows);
  std::vector<std::uint8_t> out(std::begin(kPngSignature), std::end(kPngSignature));
  std::vector<std::uint8_t> header;
  putU32(header, width);
  putU32(header, height);
  header.insert(header.end(),
                {8, 2, 0, 0, 0});  // 8 bits, RGB, deflate, adaptive filter, no interlace
  putChunk(out, "IHDR", header);
  std::vector<std::uint8_t> animation;
  putU32(animation, static_cast<std::uint32_t>(frames_bgr8.size()));
  putU32(animation, static_cast<std::uint32_t>(loop_count));
  putChunk(out, "acTL", animation);
  std::uint32_t sequence = 0;
  for (std::size_t i = 0; i < frames_bgr8.size(); ++i) {
    std::vector<std::uint8_t> control;
    putU32(control, sequence++);
    putU32(control, width);
    putU32(control, height);
    putU32(control, 0);                                     // x offset
    putU32(control, 0);                                     // y offset
    putU16(control, static_cast<std::uint16_t>(frame_ms));  // delay = frame_ms / 1000 s
    putU16(control, 1000);
    control.push_back(0);  // dispose: none (the next frame covers everything)
    control.push_back(0);  // blend: source (replace)
    putChunk(out, "fcTL", control);
    const std::vector<std::uint8_t> data = compressedRows(frames_bgr8[i]);
    if (i == 0) {
      putChunk(out, "IDAT", data);
    } else {
      std::vector<std::uint8_t> frame_data;
      frame_data.reserve(data.size() + 4);
      putU32(frame_data, sequence++);
      frame_data.insert(frame_data.end(), data.begin(), data.end());
      putChunk(out, "fdAT", frame_data);
    }
  }
  putChunk(out, "IEND", {});
  return out;
}

}  // namespace genstereo

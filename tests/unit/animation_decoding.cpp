#include "animation_decoding.h"

#include <gtest/gtest.h>

#include <gif_lib.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

namespace genstereo::test {

namespace {

struct GifReader {
  const std::vector<std::uint8_t>* bytes = nullptr;
  std::size_t at = 0;
};

int readGifBytes(GifFileType* gif, GifByteType* out, int count) {
  auto* reader = static_cast<GifReader*>(gif->UserData);
  const std::size_t n =
      std::min<std::size_t>(static_cast<std::size_t>(count), reader->bytes->size() - reader->at);
  std::memcpy(out, reader->bytes->data() + reader->at, n);
  reader->at += n;
  return static_cast<int>(n);
}

}  // namespace

std::uint32_t u32At(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  return (std::uint32_t{bytes[at]} << 24) | (std::uint32_t{bytes[at + 1]} << 16) |
         (std::uint32_t{bytes[at + 2]} << 8) | std::uint32_t{bytes[at + 3]};
}

std::vector<PngChunk> pngChunks(const std::vector<std::uint8_t>& bytes) {
  const std::uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::vector<PngChunk> chunks;
  if (bytes.size() < 8 || std::memcmp(bytes.data(), signature, 8) != 0) {
    ADD_FAILURE() << "no PNG signature";
    return chunks;
  }
  std::size_t at = 8;
  while (at + 12 <= bytes.size()) {
    const std::uint32_t length = u32At(bytes, at);
    if (at + 12 + length > bytes.size()) break;
    PngChunk chunk;
    chunk.type.assign(reinterpret_cast<const char*>(bytes.data() + at + 4), 4);
    chunk.data.assign(bytes.begin() + at + 8, bytes.begin() + at + 8 + length);
    const uLong crc = crc32(0L, bytes.data() + at + 4, 4 + length);
    EXPECT_EQ(u32At(bytes, at + 8 + length), static_cast<std::uint32_t>(crc)) << chunk.type;
    chunks.push_back(std::move(chunk));
    at += 12 + length;
  }
  EXPECT_EQ(at, bytes.size()) << "bytes after the last whole chunk";
  return chunks;
}

ApngSummary summariseApng(const std::vector<std::uint8_t>& bytes) {
  ApngSummary summary;
  for (const PngChunk& chunk : pngChunks(bytes)) {
    if (chunk.type == "IHDR" && chunk.data.size() >= 8) {
      summary.width = static_cast<int>(u32At(chunk.data, 0));
      summary.height = static_cast<int>(u32At(chunk.data, 4));
    } else if (chunk.type == "acTL" && chunk.data.size() == 8) {
      summary.declared_frames = static_cast<int>(u32At(chunk.data, 0));
      summary.plays = static_cast<int>(u32At(chunk.data, 4));
    } else if (chunk.type == "fcTL" && chunk.data.size() == 26) {
      const int delay_num = chunk.data[20] << 8 | chunk.data[21];
      const int delay_den = chunk.data[22] << 8 | chunk.data[23];
      // A zero denominator means 1/100 s (APNG specification).
      summary.frame_delays_ms.push_back(1000.0 * delay_num / (delay_den == 0 ? 100 : delay_den));
    }
  }
  return summary;
}

DecodedGif decodeGif(const std::vector<std::uint8_t>& bytes) {
  DecodedGif decoded;
  GifReader reader{&bytes, 0};
  int error = 0;
  GifFileType* gif = DGifOpen(&reader, readGifBytes, &error);
  if (gif == nullptr) {
    ADD_FAILURE() << "giflib cannot open the GIF: " << GifErrorString(error);
    return decoded;
  }
  if (DGifSlurp(gif) != GIF_OK) {
    ADD_FAILURE() << "giflib cannot read the GIF: " << GifErrorString(gif->Error);
    DGifCloseFile(gif, &error);
    return decoded;
  }
  decoded.width = gif->SWidth;
  decoded.height = gif->SHeight;
  for (int i = 0; i < gif->ImageCount; ++i) {
    const SavedImage& image = gif->SavedImages[i];
    // giflib keeps the extensions before an image with that image (the loop: before image 1).
    for (int e = 0; e + 1 < image.ExtensionBlockCount; ++e) {
      const ExtensionBlock& block = image.ExtensionBlocks[e];
      if (block.Function == APPLICATION_EXT_FUNC_CODE && block.ByteCount == 11 &&
          std::memcmp(block.Bytes, "NETSCAPE2.0", 11) == 0) {
        const ExtensionBlock& sub = image.ExtensionBlocks[e + 1];
        decoded.loops_forever =
            sub.ByteCount == 3 && sub.Bytes[0] == 1 && sub.Bytes[1] == 0 && sub.Bytes[2] == 0;
      }
    }
    GraphicsControlBlock control{};
    decoded.frame_delays_cs.push_back(
        DGifSavedExtensionToGCB(gif, i, &control) == GIF_OK ? control.DelayTime : -1);
    const int width = image.ImageDesc.Width;
    const int height = image.ImageDesc.Height;
    const ColorMapObject* map =
        image.ImageDesc.ColorMap != nullptr ? image.ImageDesc.ColorMap : gif->SColorMap;
    if (map == nullptr) {
      ADD_FAILURE() << "GIF frame " << i + 1 << " has no colour map";
      break;
    }
    cv::Mat frame(height, width, CV_8UC3);
    for (int p = 0; p < width * height; ++p) {
      const GifColorType& c = map->Colors[image.RasterBits[p]];
      frame.at<cv::Vec3b>(p / width, p % width) = cv::Vec3b(c.Blue, c.Green, c.Red);
    }
    decoded.frames_bgr8.push_back(frame);
  }
  DGifCloseFile(gif, &error);
  return decoded;
}

std::vector<std::uint8_t> readBinaryFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {});
}

}  // namespace genstereo::test

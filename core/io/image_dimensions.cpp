#include "io/image_dimensions.h"

#include <cstdlib>
#include <string>

namespace genstereo {

namespace {

// Bounds-checked reads: false when [at, at + n) is not inside `bytes`.
class ByteView {
 public:
  explicit ByteView(const std::vector<std::uint8_t>& bytes) : bytes_(bytes) {}
  bool has(std::uint64_t at, std::uint64_t count) const {
    return at <= bytes_.size() && count <= bytes_.size() - at;
  }
  std::uint32_t big16(std::size_t at) const {
    return (std::uint32_t{bytes_[at]} << 8) | bytes_[at + 1];
  }
  std::uint32_t big32(std::size_t at) const { return (big16(at) << 16) | big16(at + 2); }
  std::uint32_t little16(std::size_t at) const {
    return std::uint32_t{bytes_[at]} | (std::uint32_t{bytes_[at + 1]} << 8);
  }
  std::uint32_t little24(std::size_t at) const {
    return little16(at) | (std::uint32_t{bytes_[at + 2]} << 16);
  }
  std::uint32_t little32(std::size_t at) const { return little16(at) | (little16(at + 2) << 16); }
  std::uint8_t operator[](std::size_t at) const { return bytes_[at]; }
  std::string text(std::size_t at, std::size_t count) const {
    return std::string(reinterpret_cast<const char*>(bytes_.data() + at), count);
  }

 private:
  const std::vector<std::uint8_t>& bytes_;
};

std::optional<ImageDimensions> dimensions(std::int64_t width, std::int64_t height) {
  if (width <= 0 || height <= 0) return std::nullopt;
  return ImageDimensions{width, height};
}

std::optional<ImageDimensions> pngDimensions(const ByteView& in) {
  // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4).
  if (!in.has(8, 16) || in[12] != 'I' || in[13] != 'H' || in[14] != 'D' || in[15] != 'R')
    return std::nullopt;
  return dimensions(in.big32(16), in.big32(20));
}

std::optional<ImageDimensions> jpegDimensions(const ByteView& in) {
  std::size_t pos = 2;  // after SOI
  while (in.has(pos, 4)) {
    if (in[pos] != 0xFF) return std::nullopt;
    const std::uint8_t marker = in[pos + 1];
    if (marker == 0xFF) {  // fill byte
      ++pos;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
      pos += 2;
      continue;
    }
    if (marker == 0xD9 || marker == 0xDA) return std::nullopt;  // no frame header before the scan
    const std::size_t length = in.big16(pos + 2);
    const bool is_frame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (is_frame) {
      // Length (2), precision (1), height (2), width (2).
      if (length < 7 || !in.has(pos + 2, 7)) return std::nullopt;
      return dimensions(in.big16(pos + 7), in.big16(pos + 5));
    }
    if (length < 2) return std::nullopt;
    pos += 2 + length;
  }
  return std::nullopt;
}

std::optional<ImageDimensions> tiffDimensions(const ByteView& in) {
  if (!in.has(0, 8)) return std::nullopt;
  const bool is_little = in[0] == 'I';
  const auto u16 = [&](std::size_t at) { return is_little ? in.little16(at) : in.big16(at); };
  const auto u32 = [&](std::size_t at) { return is_little ? in.little32(at) : in.big32(at); };
  const std::uint64_t ifd = u32(4);
  if (!in.has(ifd, 2)) return std::nullopt;
  const std::uint32_t count = u16(static_cast<std::size_t>(ifd));
  if (!in.has(ifd + 2, std::uint64_t{count} * 12)) return std::nullopt;
  std::int64_t width = 0;
  std::int64_t height = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::size_t entry = static_cast<std::size_t>(ifd + 2 + std::uint64_t{i} * 12);
    const std::uint32_t tag = u16(entry);
    const std::uint32_t type = u16(entry + 2);
    if (tag != 256 && tag != 257) continue;
    std::int64_t value = 0;
    if (type == 3) {
      value = u16(entry + 8);  // SHORT, left-justified in the value field
    } else if (type == 4) {
      value = u32(entry + 8);  // LONG
    } else {
      return std::nullopt;
    }
    (tag == 256 ? width : height) = value;
  }
  return dimensions(width, height);
}

std::optional<ImageDimensions> webpDimensions(const ByteView& in) {
  if (!in.has(12, 18)) return std::nullopt;
  const std::string chunk = in.text(12, 4);
  if (chunk == "VP8 ") {
    // Frame tag (3), start code 9D 01 2A (3), then 14-bit width and height.
    if (in[23] != 0x9D || in[24] != 0x01 || in[25] != 0x2A) return std::nullopt;
    return dimensions(in.little16(26) & 0x3FFF, in.little16(28) & 0x3FFF);
  }
  if (chunk == "VP8L") {
    if (in[20] != 0x2F) return std::nullopt;
    const std::uint32_t bits = in.little32(21);
    return dimensions((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
  }
  if (chunk == "VP8X")
    return dimensions(std::int64_t{in.little24(24)} + 1, std::int64_t{in.little24(27)} + 1);
  return std::nullopt;
}

std::optional<ImageDimensions> bmpDimensions(const ByteView& in) {
  if (!in.has(14, 4)) return std::nullopt;
  const std::uint32_t header_size = in.little32(14);
  if (header_size == 12) {  // BITMAPCOREHEADER
    if (!in.has(18, 4)) return std::nullopt;
    return dimensions(in.little16(18), in.little16(20));
  }
  if (header_size < 40 || !in.has(18, 8)) return std::nullopt;
  const auto width = static_cast<std::int32_t>(in.little32(18));
  const auto height = static_cast<std::int32_t>(in.little32(22));  // negative: top-down rows
  return dimensions(width, std::llabs(static_cast<long long>(height)));
}

}  // namespace

std::optional<ImageDimensions> readImageDimensions(const std::vector<std::uint8_t>& bytes,
                                                   ImageFileFormat format) {
  const ByteView in(bytes);
  switch (format) {
    case ImageFileFormat::kPng:
      return pngDimensions(in);
    case ImageFileFormat::kJpeg:
      return jpegDimensions(in);
    case ImageFileFormat::kTiff:
      return tiffDimensions(in);
    case ImageFileFormat::kWebp:
      return webpDimensions(in);
    case ImageFileFormat::kBmp:
      return bmpDimensions(in);
    case ImageFileFormat::kUnknown:
      break;
  }
  return std::nullopt;
}

}  // namespace genstereo

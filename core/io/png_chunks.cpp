#include "io/png_chunks.h"

#include <algorithm>

#include <zlib.h>

namespace genstereo {

void putU32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 24));
  out.push_back(static_cast<std::uint8_t>(value >> 16));
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value));
}

void putU16(std::vector<std::uint8_t>& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value));
}

void putChunk(std::vector<std::uint8_t>& out, const char type[4], const std::uint8_t* data,
              std::size_t size) {
  putU32(out, static_cast<std::uint32_t>(size));
  const std::size_t type_at = out.size();
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), data, data + size);
  // crc32 takes a uInt length: feed large chunks in pieces.
  uLong crc = crc32(0L, out.data() + type_at, 4);
  for (std::size_t done = 0; done < size;) {
    const std::size_t piece = std::min<std::size_t>(size - done, 1u << 30);
    crc = crc32(crc, out.data() + type_at + 4 + done, static_cast<uInt>(piece));
    done += piece;
  }
  putU32(out, static_cast<std::uint32_t>(crc));
}

void putChunk(std::vector<std::uint8_t>& out, const char type[4],
              const std::vector<std::uint8_t>& data) {
  putChunk(out, type, data.data(), data.size());
}

}  // namespace genstereo

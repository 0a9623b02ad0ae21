// PNG container pieces shared by the PNG writers (io/png_encoder, the APNG of io/animated_writer):
// big-endian integers and chunks (length, type, data, CRC-32 of type and data).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace genstereo {

inline constexpr std::uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

void putU32(std::vector<std::uint8_t>& out, std::uint32_t value);
void putU16(std::vector<std::uint8_t>& out, std::uint16_t value);
void putChunk(std::vector<std::uint8_t>& out, const char type[4], const std::uint8_t* data,
              std::size_t size);
void putChunk(std::vector<std::uint8_t>& out, const char type[4],
              const std::vector<std::uint8_t>& data);

}  // namespace genstereo

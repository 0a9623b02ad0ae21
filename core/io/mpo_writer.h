// Multi-Picture Object (.mpo) files: the stereo container of CIPA DC-007 "Multi-Picture
// Format", as written by stereo cameras (Fujifilm FinePix REAL 3D W1/W3, Nintendo 3DS) and
// StereoPhoto Maker, and read by 3D TVs, StereoPhoto Maker, exiftool and many stereo viewers.
// An MPO is the left JPEG followed by the right JPEG; each carries an APP2 "MPF" segment.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace genstereo {

// Builds a two-image "Multi-Frame Image, Disparity" MPO from two complete JPEG streams
// (left view first: it is the representative image that 2D viewers show).
// Throws InputError when an input is not a JPEG stream (no SOI marker, truncated header).
std::vector<std::uint8_t> buildStereoMpo(const std::vector<std::uint8_t>& left_jpeg,
                                         const std::vector<std::uint8_t>& right_jpeg);

// One image of an MPO, in bytes from the start of the file: [offset, offset + size) runs from
// its SOI marker to the end of its EOI marker.
struct MpoImageInfo {
  std::size_t offset = 0;
  std::size_t size = 0;
  // The MP Entry's Individual Image Attribute: flags (bits 31..27), image data format (26..24,
  // 0 = JPEG) and MP type code (23..0: 0x020002 disparity view, 0x010001/0x010002 large
  // thumbnails, 0x030000 baseline MP primary image, 0 undefined).
  std::uint32_t attribute = 0;
};

// Reads the MP Index IFD of the first image (either byte order) and returns the images it
// lists, in order. Throws InputError when the data has no MPF segment, the index is malformed,
// or an entry points outside the data or not at an SOI marker.
std::vector<MpoImageInfo> parseMpoIndex(const std::vector<std::uint8_t>& mpo);

// Where a new APPn segment goes in a JPEG stream: after SOI and any APP0 (JFIF) and APP1
// (Exif/XMP) segments that follow it, so those stay first as their specifications require.
// Shared by the MPO and JPS writers. Throws InputError when `jpeg` does not start with SOI
// or a leading segment is truncated.
std::size_t jpegAppSegmentInsertPosition(const std::vector<std::uint8_t>& jpeg);

// Returns `jpeg` with the APPn segment `marker` (0xE0..0xEF) holding `payload` inserted at
// jpegAppSegmentInsertPosition(jpeg). Throws InputError when the payload does not fit in one
// segment (65533 bytes) or `jpeg` is not a JPEG stream.
std::vector<std::uint8_t> insertJpegAppSegment(const std::vector<std::uint8_t>& jpeg,
                                               std::uint8_t marker,
                                               const std::vector<std::uint8_t>& payload);

}  // namespace genstereo

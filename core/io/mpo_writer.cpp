#include "io/mpo_writer.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

#include "errors.h"

namespace genstereo {

namespace {

// JPEG markers (ITU-T T.81).
constexpr std::uint8_t kMarkerPrefix = 0xFF;
constexpr std::uint8_t kSoi = 0xD8;
constexpr std::uint8_t kEoi = 0xD9;
constexpr std::uint8_t kSos = 0xDA;
constexpr std::uint8_t kApp0 = 0xE0;
constexpr std::uint8_t kApp1 = 0xE1;
constexpr std::uint8_t kApp2 = 0xE2;
constexpr std::size_t kMaxSegmentPayload = 65535 - 2;

// CIPA DC-007 section 5.2: the APP2 payload starts with this identifier; the MP Endian field
// (the TIFF-style header all MP offsets are relative to) follows it.
constexpr char kMpfIdentifier[4] = {'M', 'P', 'F', '\0'};

// TIFF field types.
constexpr std::uint16_t kTypeLong = 4;
constexpr std::uint16_t kTypeRational = 5;
constexpr std::uint16_t kTypeUndefined = 7;
constexpr std::uint16_t kTypeSRational = 10;

// MP tags (CIPA DC-007 tables 3 and 6).
constexpr std::uint16_t kTagMpfVersion = 0xB000;
constexpr std::uint16_t kTagNumberOfImages = 0xB001;
constexpr std::uint16_t kTagMpEntry = 0xB002;
constexpr std::uint16_t kTagMpIndividualNum = 0xB101;
constexpr std::uint16_t kTagBaseViewpointNum = 0xB204;
constexpr std::uint16_t kTagConvergenceAngle = 0xB205;
constexpr std::uint16_t kTagBaselineLength = 0xB206;

// MP Entry, Individual Image Attribute (CIPA DC-007 5.2.3.3.1): bit 29 = representative
// image flag, bits 26..24 = image data format (0 = JPEG), bits 23..0 = MP type code
// (0x020002 = Multi-Frame Image, Disparity).
constexpr std::uint32_t kRepresentativeImageFlag = 0x20000000u;
constexpr std::uint32_t kTypeDisparityImage = 0x020002u;
constexpr std::size_t kMpEntrySize = 16;

void putU16(std::vector<std::uint8_t>& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value & 0xFF));
}

void putU32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<std::uint8_t>((value >> shift) & 0xFF));
  }
}

void setU32(std::vector<std::uint8_t>& out, std::size_t pos, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) {
    out[pos + static_cast<std::size_t>(i)] =
        static_cast<std::uint8_t>((value >> (24 - 8 * i)) & 0xFF);
  }
}

std::vector<std::uint8_t> u32Bytes(std::uint32_t value) {
  std::vector<std::uint8_t> bytes;
  putU32(bytes, value);
  return bytes;
}

std::vector<std::uint8_t> rationalBytes(std::uint32_t numerator, std::uint32_t denominator) {
  std::vector<std::uint8_t> bytes;
  putU32(bytes, numerator);
  putU32(bytes, denominator);
  return bytes;
}

std::uint32_t checkedU32(std::size_t value, const char* what) {
  if (value > std::numeric_limits<std::uint32_t>::max()) {
    throw InputError(std::string("cannot build an MPO: the ") + what + " (" +
                     std::to_string(value) + " bytes) exceeds the format's 4 GiB limit");
  }
  return static_cast<std::uint32_t>(value);
}

struct IfdEntry {
  std::uint16_t tag = 0;
  std::uint16_t type = 0;
  std::uint32_t count = 0;
  std::vector<std::uint8_t> value;  // big-endian bytes, count * size of type
};

struct IfdLayout {
  std::size_t next_ifd_field = 0;          // position of the "offset of next IFD" field
  std::vector<std::size_t> value_offsets;  // where each entry's value bytes are
};

// Appends a big-endian IFD at the end of `tiff` (offsets relative to tiff[0], the MP Endian
// field): count, 12-byte entries sorted by tag, next-IFD offset (0), then the values longer
// than 4 bytes, each at an even offset.
IfdLayout appendIfd(std::vector<std::uint8_t>& tiff, const std::vector<IfdEntry>& entries) {
  IfdLayout layout;
  const std::size_t value_area = tiff.size() + 2 + 12 * entries.size() + 4;
  std::vector<std::uint8_t> values;
  putU16(tiff, static_cast<std::uint16_t>(entries.size()));
  for (const IfdEntry& entry : entries) {
    putU16(tiff, entry.tag);
    putU16(tiff, entry.type);
    putU32(tiff, entry.count);
    if (entry.value.size() <= 4) {
      layout.value_offsets.push_back(tiff.size());
      tiff.insert(tiff.end(), entry.value.begin(), entry.value.end());
      tiff.resize(tiff.size() + (4 - entry.value.size()), 0);
    } else {
      const std::size_t offset = value_area + values.size();
      layout.value_offsets.push_back(offset);
      putU32(tiff, static_cast<std::uint32_t>(offset));
      values.insert(values.end(), entry.value.begin(), entry.value.end());
      if (values.size() % 2 != 0) values.push_back(0);
    }
  }
  layout.next_ifd_field = tiff.size();
  putU32(tiff, 0);
  tiff.insert(tiff.end(), values.begin(), values.end());
  return layout;
}

// The MP Attribute IFD of one image (CIPA DC-007 5.2.4). Convergence angle 0: GenStereo's
// views come from parallel virtual cameras. Baseline length 0 mm: the synthesised baseline
// has no physical length.
std::vector<IfdEntry> attributeEntries(std::uint32_t individual_num) {
  return {
      {kTagMpfVersion, kTypeUndefined, 4, {'0', '1', '0', '0'}},
      {kTagMpIndividualNum, kTypeLong, 1, u32Bytes(individual_num)},
      {kTagBaseViewpointNum, kTypeLong, 1, u32Bytes(1)},
      {kTagConvergenceAngle, kTypeSRational, 1, rationalBytes(0, 1)},
      {kTagBaselineLength, kTypeRational, 1, rationalBytes(0, 1)},
  };
}

std::vector<std::uint8_t> withMpfIdentifier(const std::vector<std::uint8_t>& tiff) {
  std::vector<std::uint8_t> payload(sizeof(kMpfIdentifier) + tiff.size());
  std::memcpy(payload.data(), kMpfIdentifier, sizeof(kMpfIdentifier));
  std::copy(tiff.begin(), tiff.end(), payload.begin() + sizeof(kMpfIdentifier));
  return payload;
}

std::vector<std::uint8_t> tiffHeader() {
  // "MM", 42, offset of the first IFD = 8 (right after this header).
  return {'M', 'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08};
}

// --- Reading -------------------------------------------------------------------------------

class TiffReader {
 public:
  TiffReader(const std::vector<std::uint8_t>& data, std::size_t begin, std::size_t end,
             bool is_big_endian)
      : data_(data), begin_(begin), end_(end), is_big_endian_(is_big_endian) {}

  std::uint16_t u16(std::size_t offset) const {
    require(offset, 2);
    const std::uint8_t* p = &data_[begin_ + offset];
    return is_big_endian_ ? static_cast<std::uint16_t>((p[0] << 8) | p[1])
                          : static_cast<std::uint16_t>((p[1] << 8) | p[0]);
  }

  std::uint32_t u32(std::size_t offset) const {
    require(offset, 4);
    const std::uint8_t* p = &data_[begin_ + offset];
    const std::uint32_t b0 = p[0], b1 = p[1], b2 = p[2], b3 = p[3];
    return is_big_endian_ ? (b0 << 24) | (b1 << 16) | (b2 << 8) | b3
                          : (b3 << 24) | (b2 << 16) | (b1 << 8) | b0;
  }

  void require(std::size_t offset, std::size_t length) const {
    if (offset > end_ - begin_ || length > end_ - begin_ - offset) {
      throw InputError("malformed MPO: an MP field at offset " + std::to_string(offset) +
                       " runs past the end of the " + std::to_string(end_ - begin_) +
                       "-byte MPF segment");
    }
  }

 private:
  const std::vector<std::uint8_t>& data_;
  std::size_t begin_;
  std::size_t end_;
  bool is_big_endian_;
};

std::uint16_t readBigEndianU16(const std::vector<std::uint8_t>& data, std::size_t pos) {
  return static_cast<std::uint16_t>((data[pos] << 8) | data[pos + 1]);
}

// Finds the APP2 "MPF" segment of the first image; returns [MP Endian position, segment end).
std::pair<std::size_t, std::size_t> findMpfSegment(const std::vector<std::uint8_t>& mpo) {
  if (mpo.size() < 4 || mpo[0] != kMarkerPrefix || mpo[1] != kSoi) {
    throw InputError("not an MPO: the data (" + std::to_string(mpo.size()) +
                     " bytes) does not start with a JPEG SOI marker");
  }
  std::size_t pos = 2;
  while (pos + 1 < mpo.size()) {
    if (mpo[pos] != kMarkerPrefix) {
      throw InputError("malformed MPO: expected a JPEG marker at byte " + std::to_string(pos));
    }
    const std::uint8_t marker = mpo[pos + 1];
    if (marker == kMarkerPrefix) {  // fill byte
      ++pos;
      continue;
    }
    if (marker == kSos || marker == kEoi) break;
    if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {  // markers without length
      pos += 2;
      continue;
    }
    if (pos + 4 > mpo.size()) break;
    const std::size_t length = readBigEndianU16(mpo, pos + 2);
    const std::size_t segment_end = pos + 2 + length;
    if (length < 2 || segment_end > mpo.size()) {
      throw InputError("malformed MPO: the JPEG segment at byte " + std::to_string(pos) +
                       " is truncated");
    }
    if (marker == kApp2 && length >= 2 + sizeof(kMpfIdentifier) + 8 &&
        std::memcmp(&mpo[pos + 4], kMpfIdentifier, sizeof(kMpfIdentifier)) == 0) {
      return {pos + 4 + sizeof(kMpfIdentifier), segment_end};
    }
    pos = segment_end;
  }
  throw InputError("not an MPO: the first image has no APP2 \"MPF\" segment before its image data");
}

}  // namespace

std::size_t jpegAppSegmentInsertPosition(const std::vector<std::uint8_t>& jpeg) {
  if (jpeg.size() < 4 || jpeg[0] != kMarkerPrefix || jpeg[1] != kSoi) {
    throw InputError("expected a JPEG stream starting with the SOI marker FF D8; got " +
                     std::to_string(jpeg.size()) + " bytes that do not");
  }
  std::size_t pos = 2;
  while (pos + 4 <= jpeg.size() && jpeg[pos] == kMarkerPrefix &&
         (jpeg[pos + 1] == kApp0 || jpeg[pos + 1] == kApp1)) {
    const std::size_t length = readBigEndianU16(jpeg, pos + 2);
    if (length < 2 || pos + 2 + length > jpeg.size()) {
      throw InputError("truncated JPEG stream: the APP segment at byte " + std::to_string(pos) +
                       " declares " + std::to_string(length) + " bytes, past the end of the " +
                       std::to_string(jpeg.size()) + "-byte stream");
    }
    pos += 2 + length;
  }
  return pos;
}

std::vector<std::uint8_t> insertJpegAppSegment(const std::vector<std::uint8_t>& jpeg,
                                               std::uint8_t marker,
                                               const std::vector<std::uint8_t>& payload) {
  if (payload.size() > kMaxSegmentPayload) {
    throw InputError("a JPEG APP segment holds at most " + std::to_string(kMaxSegmentPayload) +
                     " bytes; got " + std::to_string(payload.size()));
  }
  const std::size_t insert_at = jpegAppSegmentInsertPosition(jpeg);
  std::vector<std::uint8_t> segment = {kMarkerPrefix, marker};
  putU16(segment, static_cast<std::uint16_t>(payload.size() + 2));
  segment.insert(segment.end(), payload.begin(), payload.end());

  std::vector<std::uint8_t> out;
  out.reserve(jpeg.size() + segment.size());
  out.insert(out.end(), jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(insert_at));
  out.insert(out.end(), segment.begin(), segment.end());
  out.insert(out.end(), jpeg.begin() + static_cast<std::ptrdiff_t>(insert_at), jpeg.end());
  return out;
}

std::vector<std::uint8_t> buildStereoMpo(const std::vector<std::uint8_t>& left_jpeg,
                                         const std::vector<std::uint8_t>& right_jpeg) {
  // First image: MP Index IFD (version, number of images, MP Entry) followed by its
  // MP Attribute IFD. The MP Entry is patched once the sizes are known.
  std::vector<std::uint8_t> left_tiff = tiffHeader();
  const IfdLayout index =
      appendIfd(left_tiff, {{kTagMpfVersion, kTypeUndefined, 4, {'0', '1', '0', '0'}},
                            {kTagNumberOfImages, kTypeLong, 1, u32Bytes(2)},
                            {kTagMpEntry, kTypeUndefined, 2 * kMpEntrySize,
                             std::vector<std::uint8_t>(2 * kMpEntrySize, 0)}});
  setU32(left_tiff, index.next_ifd_field, static_cast<std::uint32_t>(left_tiff.size()));
  appendIfd(left_tiff, attributeEntries(1));

  // Second image: MP Attribute IFD only.
  std::vector<std::uint8_t> right_tiff = tiffHeader();
  appendIfd(right_tiff, attributeEntries(2));

  // Sizes include the APP2 segments (marker + length + payload); the second image's offset is
  // relative to the first image's MP Endian field.
  const std::size_t left_insert_at = jpegAppSegmentInsertPosition(left_jpeg);
  jpegAppSegmentInsertPosition(right_jpeg);  // validates the right stream
  const std::size_t segment_overhead = 4 + sizeof(kMpfIdentifier);
  const std::size_t left_size = left_jpeg.size() + segment_overhead + left_tiff.size();
  const std::size_t right_size = right_jpeg.size() + segment_overhead + right_tiff.size();
  const std::size_t mp_endian_pos = left_insert_at + segment_overhead;
  const std::size_t right_offset = left_size - mp_endian_pos;

  const std::size_t entry_pos = index.value_offsets[2];
  setU32(left_tiff, entry_pos + 0, kRepresentativeImageFlag | kTypeDisparityImage);
  setU32(left_tiff, entry_pos + 4, checkedU32(left_size, "left image"));
  setU32(left_tiff, entry_pos + 8, 0);   // the first image's offset is 0 by definition
  setU32(left_tiff, entry_pos + 12, 0);  // dependent image entry numbers 1 and 2
  setU32(left_tiff, entry_pos + 16, kTypeDisparityImage);
  setU32(left_tiff, entry_pos + 20, checkedU32(right_size, "right image"));
  setU32(left_tiff, entry_pos + 24, checkedU32(right_offset, "right image offset"));
  setU32(left_tiff, entry_pos + 28, 0);

  std::vector<std::uint8_t> mpo =
      insertJpegAppSegment(left_jpeg, kApp2, withMpfIdentifier(left_tiff));
  const std::vector<std::uint8_t> right =
      insertJpegAppSegment(right_jpeg, kApp2, withMpfIdentifier(right_tiff));
  mpo.insert(mpo.end(), right.begin(), right.end());
  return mpo;
}

std::vector<MpoImageInfo> parseMpoIndex(const std::vector<std::uint8_t>& mpo) {
  const auto [mp_endian_pos, segment_end] = findMpfSegment(mpo);
  bool is_big_endian = false;
  if (mpo[mp_endian_pos] == 'M' && mpo[mp_endian_pos + 1] == 'M') {
    is_big_endian = true;
  } else if (!(mpo[mp_endian_pos] == 'I' && mpo[mp_endian_pos + 1] == 'I')) {
    throw InputError("malformed MPO: the MP Endian field is neither \"MM\" nor \"II\"");
  }
  const TiffReader tiff(mpo, mp_endian_pos, segment_end, is_big_endian);
  if (tiff.u16(2) != 42) {
    throw InputError("malformed MPO: the MP header does not hold the TIFF value 42");
  }
  const std::size_t ifd = tiff.u32(4);
  const std::uint16_t num_entries = tiff.u16(ifd);

  std::uint32_t num_images = 0;
  std::size_t entries_offset = 0;
  std::uint32_t entries_bytes = 0;
  for (std::uint16_t i = 0; i < num_entries; ++i) {
    const std::size_t field = ifd + 2 + 12 * static_cast<std::size_t>(i);
    const std::uint16_t tag = tiff.u16(field);
    const std::uint32_t count = tiff.u32(field + 4);
    if (tag == kTagNumberOfImages) {
      num_images = tiff.u32(field + 8);
    } else if (tag == kTagMpEntry) {
      entries_bytes = count;
      entries_offset = count <= 4 ? field + 8 : tiff.u32(field + 8);
    }
  }
  if (num_images == 0 || entries_bytes == 0) {
    throw InputError("malformed MPO: the MP Index IFD lacks NumberOfImages or MPEntry");
  }
  if (entries_bytes != num_images * kMpEntrySize) {
    throw InputError("malformed MPO: NumberOfImages is " + std::to_string(num_images) +
                     " but MPEntry holds " + std::to_string(entries_bytes) + " bytes, expected " +
                     std::to_string(num_images * kMpEntrySize));
  }
  tiff.require(entries_offset, entries_bytes);

  std::vector<MpoImageInfo> images;
  for (std::uint32_t i = 0; i < num_images; ++i) {
    const std::size_t entry = entries_offset + kMpEntrySize * i;
    const std::size_t size = tiff.u32(entry + 4);
    const std::size_t stored_offset = tiff.u32(entry + 8);
    const std::size_t offset = stored_offset == 0 ? 0 : mp_endian_pos + stored_offset;
    if (i > 0 && stored_offset == 0) {
      throw InputError("malformed MPO: image " + std::to_string(i + 1) + " has offset 0");
    }
    if (size < 4 || offset > mpo.size() || size > mpo.size() - offset) {
      throw InputError("malformed MPO: image " + std::to_string(i + 1) + " (offset " +
                       std::to_string(offset) + ", size " + std::to_string(size) +
                       ") lies outside the " + std::to_string(mpo.size()) + "-byte file");
    }
    if (mpo[offset] != kMarkerPrefix || mpo[offset + 1] != kSoi) {
      throw InputError("malformed MPO: image " + std::to_string(i + 1) + " at byte " +
                       std::to_string(offset) + " does not start with a JPEG SOI marker");
    }
    images.push_back({offset, size, tiff.u32(entry)});
  }
  return images;
}

}  // namespace genstereo

// Read-only access to the entries of a ZIP archive held in memory (a MappedFile), as PyTorch
// writes its checkpoints: entries stored uncompressed, ZIP64 records for large files. Only
// the central directory is parsed; an entry's data is a view into the mapping.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace genstereo {

struct ZipEntry {
  std::string name;
  std::uint16_t method = 0;  // 0 = stored
  std::uint64_t compressed_size = 0;
  std::uint64_t size = 0;
  std::uint64_t data_offset = 0;  // from the start of the archive
};

class ZipArchive {
 public:
  // Parses the archive in [data, data + size). `display_name` names it in errors.
  // Throws CheckpointError for anything that is not a well-formed ZIP (no end-of-central-
  // directory record, records outside the file, truncated entries...).
  ZipArchive(const std::uint8_t* data, std::size_t size, std::string display_name);

  const std::vector<ZipEntry>& entries() const { return entries_; }
  const ZipEntry* find(const std::string& name) const;

  // The bytes of a stored (uncompressed) entry: `entry.size` bytes, all inside the archive
  // (the constructor refuses stored entries whose size differs from their compressed size,
  // and entries whose data lies beyond the end). Throws CheckpointError for a compressed one.
  const std::uint8_t* storedData(const ZipEntry& entry) const;
  // At most `max_bytes` of a stored entry, as text (for small entries such as `byteorder`).
  std::string storedText(const ZipEntry& entry, std::size_t max_bytes) const;

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::string display_name_;
  std::vector<ZipEntry> entries_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace genstereo

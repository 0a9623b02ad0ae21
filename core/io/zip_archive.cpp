#include "io/zip_archive.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "errors.h"

namespace genstereo {

namespace {

constexpr std::uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr std::uint32_t kZip64Locator = 0x07064b50;
constexpr std::uint32_t kZip64EndOfCentralDirectory = 0x06064b50;
constexpr std::uint32_t kCentralDirectoryHeader = 0x02014b50;
constexpr std::uint32_t kLocalFileHeader = 0x04034b50;
constexpr std::uint16_t kZip64ExtraId = 0x0001;
constexpr std::size_t kEndRecordSize = 22;
constexpr std::size_t kMaxCommentSize = 65535;

// Little-endian reads with bounds checks against the archive.
class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size, const std::string& name)
      : data_(data), size_(size), name_(name) {}

  void require(std::uint64_t offset, std::uint64_t count, const char* what) const {
    if (offset > size_ || count > size_ - offset) {
      throw CheckpointError("'" + name_ + "' is not a valid checkpoint archive: the " + what +
                            " lies beyond the end of the file (truncated download?)");
    }
  }
  std::uint16_t u16(std::uint64_t offset) const {
    require(offset, 2, "ZIP record");
    return static_cast<std::uint16_t>(data_[offset] | (data_[offset + 1] << 8));
  }
  std::uint32_t u32(std::uint64_t offset) const {
    require(offset, 4, "ZIP record");
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i)
      value = (value << 8) | data_[offset + static_cast<std::uint64_t>(i)];
    return value;
  }
  std::uint64_t u64(std::uint64_t offset) const {
    return static_cast<std::uint64_t>(u32(offset)) |
           (static_cast<std::uint64_t>(u32(offset + 4)) << 32);
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  const std::string& name_;
};

}  // namespace

ZipArchive::ZipArchive(const std::uint8_t* data, std::size_t size, std::string display_name)
    : data_(data), size_(size), display_name_(std::move(display_name)) {
  const Reader in(data_, size_, display_name_);
  if (size_ < kEndRecordSize) {
    throw CheckpointError("'" + display_name_ + "' is not a PyTorch checkpoint: " +
                          std::to_string(size_) + " bytes is too small for a ZIP archive");
  }
  // The end-of-central-directory record: within the last 22 + 65535 bytes.
  std::uint64_t end_record = 0;
  bool found = false;
  const std::uint64_t lowest =
      size_ > kEndRecordSize + kMaxCommentSize ? size_ - kEndRecordSize - kMaxCommentSize : 0;
  for (std::uint64_t pos = size_ - kEndRecordSize + 1; pos-- > lowest;) {
    if (in.u32(pos) == kEndOfCentralDirectory) {
      end_record = pos;
      found = true;
      break;
    }
  }
  if (!found) {
    const bool legacy = size_ >= 2 && data_[0] == 0x80;  // a bare pickle stream
    throw CheckpointError(
        "'" + display_name_ + "' is not a PyTorch zip checkpoint" +
        (legacy ? std::string(" (it looks like the legacy pre-1.6 format: re-save it with "
                              "torch.save(state_dict, path) from a recent PyTorch)")
                : std::string(" (no ZIP end-of-central-directory record: not a .pth file, or a "
                              "truncated download)")));
  }
  std::uint64_t entry_count = in.u16(end_record + 10);
  std::uint64_t directory_offset = in.u32(end_record + 16);
  if (entry_count == 0xFFFF || directory_offset == 0xFFFFFFFF) {
    if (end_record < 20 || in.u32(end_record - 20) != kZip64Locator) {
      throw CheckpointError("'" + display_name_ + "': ZIP64 archive without its locator record");
    }
    const std::uint64_t zip64_end = in.u64(end_record - 20 + 8);
    in.require(zip64_end, 56, "ZIP64 end-of-central-directory record");
    if (in.u32(zip64_end) != kZip64EndOfCentralDirectory) {
      throw CheckpointError("'" + display_name_ +
                            "': damaged ZIP64 end-of-central-directory record");
    }
    entry_count = in.u64(zip64_end + 32);
    directory_offset = in.u64(zip64_end + 48);
  }
  std::uint64_t pos = directory_offset;
  for (std::uint64_t i = 0; i < entry_count; ++i) {
    if (in.u32(pos) != kCentralDirectoryHeader) {
      throw CheckpointError("'" + display_name_ + "': damaged ZIP central directory (entry " +
                            std::to_string(i) + ")");
    }
    ZipEntry entry;
    entry.method = in.u16(pos + 10);
    entry.compressed_size = in.u32(pos + 20);
    entry.size = in.u32(pos + 24);
    const std::uint16_t name_length = in.u16(pos + 28);
    const std::uint16_t extra_length = in.u16(pos + 30);
    const std::uint16_t comment_length = in.u16(pos + 32);
    std::uint64_t local_offset = in.u32(pos + 42);
    in.require(pos + 46, name_length, "ZIP entry name");
    entry.name.assign(reinterpret_cast<const char*>(data_ + pos + 46), name_length);
    // ZIP64 extra field: the 64-bit values of the fields saturated at 0xFFFFFFFF, in order.
    // Every read stays inside both the extra field and its record.
    std::uint64_t extra = pos + 46 + name_length;
    const std::uint64_t extra_end = extra + extra_length;
    in.require(extra, extra_length, "ZIP extra field");
    while (extra + 4 <= extra_end) {
      const std::uint16_t id = in.u16(extra);
      const std::uint16_t length = in.u16(extra + 2);
      const std::uint64_t field_end = extra + 4 + static_cast<std::uint64_t>(length);
      if (field_end > extra_end) {
        throw CheckpointError("'" + display_name_ + "': damaged ZIP extra field of '" + entry.name +
                              "'");
      }
      if (id == kZip64ExtraId) {
        std::uint64_t field = extra + 4;
        const auto next = [&]() {
          if (field + 8 > field_end) {
            throw CheckpointError("'" + display_name_ + "': ZIP64 extra field of '" + entry.name +
                                  "' is shorter than its saturated sizes require");
          }
          const std::uint64_t value = in.u64(field);
          field += 8;
          return value;
        };
        if (entry.size == 0xFFFFFFFF) entry.size = next();
        if (entry.compressed_size == 0xFFFFFFFF) entry.compressed_size = next();
        if (local_offset == 0xFFFFFFFF) local_offset = next();
      }
      extra = field_end;
    }
    // A stored entry's size is its compressed size: anything else is a size lie that would
    // make readers trust bytes beyond the entry (or beyond the file).
    if (entry.method == 0 && entry.size != entry.compressed_size) {
      throw CheckpointError("'" + display_name_ + "': ZIP entry '" + entry.name +
                            "' is stored uncompressed but claims " + std::to_string(entry.size) +
                            " bytes for " + std::to_string(entry.compressed_size) +
                            " stored bytes (damaged or forged archive)");
    }
    if (index_.count(entry.name) > 0) {
      throw CheckpointError("'" + display_name_ + "': the ZIP entry '" + entry.name +
                            "' appears twice (damaged or forged archive)");
    }
    // The data follows the local header, whose own name and extra lengths may differ.
    if (in.u32(local_offset) != kLocalFileHeader) {
      throw CheckpointError("'" + display_name_ + "': damaged ZIP local header of '" + entry.name +
                            "'");
    }
    entry.data_offset = local_offset + 30 + in.u16(local_offset + 26) + in.u16(local_offset + 28);
    in.require(local_offset, 30, "ZIP local header");
    in.require(entry.data_offset, entry.compressed_size, "data of a ZIP entry");
    index_[entry.name] = entries_.size();
    entries_.push_back(std::move(entry));
    pos += 46 + static_cast<std::uint64_t>(name_length) + extra_length + comment_length;
  }
}

const ZipEntry* ZipArchive::find(const std::string& name) const {
  const auto it = index_.find(name);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

const std::uint8_t* ZipArchive::storedData(const ZipEntry& entry) const {
  if (entry.method != 0) {
    throw CheckpointError("'" + display_name_ + "': entry '" + entry.name +
                          "' is compressed (method " + std::to_string(entry.method) +
                          "); PyTorch checkpoints store tensors uncompressed");
  }
  // The constructor checked that [data_offset, data_offset + size) lies inside the mapping.
  return data_ + entry.data_offset;
}

std::string ZipArchive::storedText(const ZipEntry& entry, std::size_t max_bytes) const {
  const std::uint8_t* bytes = storedData(entry);
  const std::size_t count =
      static_cast<std::size_t>(std::min<std::uint64_t>(entry.size, max_bytes));
  return std::string(reinterpret_cast<const char*>(bytes), count);
}

}  // namespace genstereo

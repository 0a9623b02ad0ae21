// A whole file mapped read-only into memory (POSIX mmap). Checkpoints of several GB are opened
// this way: nothing is read until a tensor is used, and tensors are views into the mapping.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace genstereo {

class MappedFile {
 public:
  // Throws InputError naming the file when it is missing, a folder, or cannot be mapped.
  // An empty file maps to data() == nullptr, size() == 0.
  explicit MappedFile(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  void unmap() noexcept;

  std::filesystem::path path_;
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace genstereo

// Shared by the libFuzzer harnesses: the readers under test take file paths, so each input
// is written to a file in a private temporary folder (created once per process).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <stdlib.h>

namespace genstereo::fuzz {

inline const std::filesystem::path& scratchFolder() {
  static const std::filesystem::path folder = [] {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "genstereo-fuzz-XXXXXX").string();
    const char* made = ::mkdtemp(pattern.data());
    return std::filesystem::path(made != nullptr ? made : "/tmp");
  }();
  return folder;
}

inline std::filesystem::path writeInput(const std::string& name, const std::uint8_t* data,
                                        std::size_t size) {
  const std::filesystem::path path = scratchFolder() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

}  // namespace genstereo::fuzz

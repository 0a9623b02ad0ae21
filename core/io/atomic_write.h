// Atomic file output: everything is written to a temporary file in the destination folder
// and renamed over the destination only when complete, so a reader (or a crash) never sees
// a half-written file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

namespace genstereo {

// Calls write_temp(temp_path) to produce the file, then renames temp_path to `destination`.
// write_temp must create temp_path (it may throw; the temporary is then removed).
// Throws OutputError naming `destination` when the folder is missing or not writable,
// when write_temp did not create the file, or when the rename fails.
void writeFileAtomically(const std::filesystem::path& destination,
                         const std::function<void(const std::filesystem::path& temp_path)>& write_temp);

// Writes `bytes` to `destination` atomically (see writeFileAtomically).
void writeBytesAtomically(const std::filesystem::path& destination,
                          const std::vector<std::uint8_t>& bytes);

// Reads a whole file. Throws InputError naming the file when it is missing or unreadable.
std::vector<std::uint8_t> readFileBytes(const std::filesystem::path& path);

}  // namespace genstereo

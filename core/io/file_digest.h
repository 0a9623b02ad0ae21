// Content hashes of files (model files and dataset items), for reproducible records.
#pragma once

#include <filesystem>
#include <string>

namespace genstereo {

// SHA-256 of the file's bytes, lower-case hex. Throws InputError naming the file when it
// cannot be read.
std::string sha256OfFile(const std::filesystem::path& path);

}  // namespace genstereo

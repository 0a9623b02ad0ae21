// Content hashes of written files (SHA-256, through OpenSSL's libcrypto), recorded in a batch
// item's meta JSON so that batch-verify detects corruption that keeps the file size.
#pragma once

#include <filesystem>
#include <string>

namespace genstereo {

// Lower-case hex SHA-256 of the file's bytes. Throws InputError naming the file when it
// cannot be read.
std::string sha256OfFile(const std::filesystem::path& path);

}  // namespace genstereo

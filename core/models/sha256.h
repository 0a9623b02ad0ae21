// SHA-256 through OpenSSL's libcrypto (the library libcurl already links).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace genstereo {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t num_bytes);
  // The digest as 64 lowercase hex digits. The object starts over afterwards.
  std::string finishHex();
  void reset();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

// The sha256 of a whole file (lowercase hex). Throws InputError naming the file when it
// cannot be read.
std::string sha256OfFile(const std::filesystem::path& path);

}  // namespace genstereo

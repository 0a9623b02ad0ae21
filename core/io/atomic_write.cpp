#include "io/atomic_write.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <system_error>

#include <unistd.h>

#include "errors.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

// A temporary name in the destination folder that keeps the extension (encoders such as
// cv::imwrite choose the format from it) and is hidden from file browsers.
fs::path temporaryPathFor(const fs::path& destination) {
  static std::atomic<unsigned> counter{0};
  const std::string unique = std::to_string(::getpid()) + "-" + std::to_string(counter++);
  const fs::path folder = destination.has_parent_path() ? destination.parent_path() : fs::path(".");
  return folder / ("." + destination.stem().string() + ".tmp-" + unique +
                   destination.extension().string());
}

void removeQuietly(const fs::path& path) {
  std::error_code ignored;
  fs::remove(path, ignored);
}

}  // namespace

void writeFileAtomically(const fs::path& destination,
                         const std::function<void(const fs::path& temp_path)>& write_temp) {
  const fs::path folder = destination.has_parent_path() ? destination.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    throw OutputError("cannot write '" + destination.string() + "': the folder '" +
                      folder.string() + "' does not exist");
  }
  if (::access(folder.c_str(), W_OK) != 0) {
    throw OutputError("cannot write '" + destination.string() + "': the folder '" +
                      folder.string() + "' is not writable (" + std::strerror(errno) + ")");
  }
  const fs::path temp = temporaryPathFor(destination);
  try {
    write_temp(temp);
  } catch (...) {
    removeQuietly(temp);
    throw;
  }
  if (!fs::exists(temp, ec)) {
    throw OutputError("cannot write '" + destination.string() +
                      "': the encoder produced no file (unsupported extension or disk full?)");
  }
  fs::rename(temp, destination, ec);
  if (ec) {
    removeQuietly(temp);
    throw OutputError("cannot write '" + destination.string() + "': " + ec.message());
  }
}

void writeBytesAtomically(const fs::path& destination, const std::vector<std::uint8_t>& bytes) {
  writeFileAtomically(destination, [&](const fs::path& temp) {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) {
      throw OutputError("cannot write '" + destination.string() + "': cannot create a file in its folder");
    }
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      throw OutputError("cannot write '" + destination.string() + "': write failed (disk full?)");
    }
  });
}

std::vector<std::uint8_t> readFileBytes(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    throw InputError("'" + path.string() + "' does not exist");
  }
  if (fs::is_directory(path, ec)) {
    throw InputError("'" + path.string() + "' is a folder, expected a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError("cannot open '" + path.string() + "' for reading (" + std::strerror(errno) + ")");
  }
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size < 0 ? 0 : size));
  if (!bytes.empty()) {
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  if (!in) {
    throw InputError("cannot read '" + path.string() + "': read failed");
  }
  return bytes;
}

}  // namespace genstereo

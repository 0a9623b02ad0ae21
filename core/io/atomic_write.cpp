#include "io/atomic_write.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "errors.h"
#include "io/output_transaction.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

// When this process started (static initialisation): temporaries older than that cannot be
// ours.
const fs::file_time_type kProcessStart = fs::file_time_type::clock::now();

void removeQuietly(const fs::path& path) {
  std::error_code ignored;
  fs::remove(path, ignored);
}

bool isDigits(const std::string& text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool isProcessRunning(long pid) {
  if (pid <= 0) return false;
  if (pid == static_cast<long>(::getpid())) return true;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

}  // namespace

// A temporary name in the destination folder that keeps the extension (encoders such as
// cv::imwrite choose the format from it) and is hidden from file browsers. The
// "genstereo-" marker keeps the sweep away from other programs' hidden temporaries.
fs::path temporaryPathFor(const fs::path& destination, const char* kind) {
  static std::atomic<unsigned> counter{0};
  const std::string unique = std::to_string(::getpid()) + "-" + std::to_string(counter++);
  const fs::path folder = destination.has_parent_path() ? destination.parent_path() : fs::path(".");
  return folder / ("." + destination.stem().string() + ".genstereo-" + kind + "-" + unique +
                   destination.extension().string());
}

bool isOwnTemporaryName(const std::string& file_name, TemporaryName* name) {
  if (file_name.size() < 2 || file_name[0] != '.') return false;
  for (const std::string kind : {".genstereo-tmp-", ".genstereo-old-"}) {
    const std::size_t at = file_name.rfind(kind);
    if (at == std::string::npos || at <= 1) continue;
    // PID-N then an optional extension.
    const std::string rest = file_name.substr(at + kind.size());
    const std::size_t dash = rest.find('-');
    if (dash == std::string::npos) continue;
    const std::string pid_text = rest.substr(0, dash);
    std::string counter = rest.substr(dash + 1);
    std::string extension;
    const std::size_t dot = counter.find('.');
    if (dot != std::string::npos) {
      extension = counter.substr(dot);
      counter.resize(dot);
    }
    if (!isDigits(pid_text) || !isDigits(counter) || pid_text.size() > 9 || counter.size() > 18)
      continue;
    if (name != nullptr) {
      name->is_backup = kind == ".genstereo-old-";
      name->pid = std::stol(pid_text);
      name->destination_name = file_name.substr(1, at - 1) + extension;
    }
    return true;
  }
  return false;
}

std::vector<fs::path> sweepStaleTemporaries(const fs::path& folder) {
  std::vector<fs::path> removed;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    TemporaryName name;
    std::error_code entry_ec;
    if (!isOwnTemporaryName(it->path().filename().string(), &name)) continue;
    if (!it->is_regular_file(entry_ec) || entry_ec || it->is_symlink(entry_ec)) continue;
    if (isProcessRunning(name.pid)) continue;
    const fs::file_time_type modified = fs::last_write_time(it->path(), entry_ec);
    if (entry_ec || modified >= kProcessStart) continue;
    if (name.is_backup) {
      // A commit killed after moving this file aside and before its replacement was in
      // place: the destination is missing, so the old file goes back (link() never replaces
      // an existing file).
      const fs::path destination = folder / name.destination_name;
      if (::link(it->path().c_str(), destination.c_str()) != 0 && errno != EEXIST) continue;
    }
    if (fs::remove(it->path(), entry_ec) && !entry_ec) removed.push_back(it->path());
  }
  return removed;
}

namespace {

struct ProtectedEntry {
  std::uint64_t id = 0;
  dev_t device = 0;
  ino_t inode = 0;
  std::string path;  // for the message
  std::string role;
};

std::mutex g_protected_mutex;
std::vector<ProtectedEntry> g_protected;
std::uint64_t g_next_protected_id = 1;

fs::path absoluteNormal(const fs::path& path) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  return (ec ? path : absolute).lexically_normal();
}

}  // namespace

bool isSameFile(const fs::path& a, const fs::path& b) {
  struct stat info_a {};
  struct stat info_b {};
  if (::stat(a.c_str(), &info_a) == 0 && ::stat(b.c_str(), &info_b) == 0) {
    return info_a.st_dev == info_b.st_dev && info_a.st_ino == info_b.st_ino;
  }
  return absoluteNormal(a) == absoluteNormal(b);
}

ProtectedInputs::ProtectedInputs(const std::vector<fs::path>& files, std::string role)
    : role_(std::move(role)) {
  for (const fs::path& file : files) add(file);
}

ProtectedInputs::~ProtectedInputs() {
  const std::lock_guard<std::mutex> lock(g_protected_mutex);
  g_protected.erase(std::remove_if(g_protected.begin(), g_protected.end(),
                                   [&](const ProtectedEntry& entry) {
                                     return std::find(ids_.begin(), ids_.end(), entry.id) !=
                                            ids_.end();
                                   }),
                    g_protected.end());
}

void ProtectedInputs::add(const fs::path& file) {
  struct stat info {};
  if (file.empty() || ::stat(file.c_str(), &info) != 0) return;
  const std::lock_guard<std::mutex> lock(g_protected_mutex);
  const std::uint64_t id = g_next_protected_id++;
  g_protected.push_back({id, info.st_dev, info.st_ino, file.string(), role_});
  ids_.push_back(id);
}

void checkReplaceableDestination(const fs::path& destination, const std::string& what) {
  const std::string named =
      (what.empty() ? std::string() : what + " ") + "'" + destination.string() + "'";
  struct stat info {};
  if (::lstat(destination.c_str(), &info) != 0) return;  // a new file
  if (!S_ISREG(info.st_mode)) {
    const char* kind = S_ISDIR(info.st_mode)                            ? "a folder"
                       : S_ISLNK(info.st_mode)                          ? "a symbolic link"
                       : S_ISFIFO(info.st_mode)                         ? "a FIFO"
                       : S_ISSOCK(info.st_mode)                         ? "a socket"
                       : S_ISCHR(info.st_mode) || S_ISBLK(info.st_mode) ? "a device"
                                                                        : "not a regular file";
    throw OutputError(
        "cannot write " + named + ": it exists and is " + kind +
        "; refusing to replace it (give the name of a regular file, or '-' for standard output "
        "where the option allows it)");
  }
  const std::lock_guard<std::mutex> lock(g_protected_mutex);
  for (const ProtectedEntry& entry : g_protected) {
    if (entry.device == info.st_dev && entry.inode == info.st_ino) {
      throw OutputError("cannot write " + named + ": it is " + entry.role + " of this run ('" +
                        entry.path +
                        "'); an output never replaces a file the run reads (choose another output "
                        "name or folder)");
    }
  }
}

void syncPath(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw OutputError("cannot sync '" + path.string() + "' to disk: " + std::strerror(errno));
  }
  const int result = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  // Some file systems do not support fsync on folders (EINVAL): nothing more can be done there.
  if (result != 0 && error != EINVAL) {
    throw OutputError("cannot sync '" + path.string() + "' to disk: " + std::strerror(error));
  }
}

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
  checkReplaceableDestination(destination);
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
  DeferredSync* deferred = DeferredSync::current();
  try {
    if (deferred == nullptr) syncPath(temp);
  } catch (...) {
    removeQuietly(temp);
    throw;
  }
  if (OutputTransaction* transaction = OutputTransaction::current()) {
    transaction->stage(temp, destination);
    return;
  }
  try {
    checkReplaceableDestination(destination);  // again: the write may have taken a while
  } catch (...) {
    removeQuietly(temp);
    throw;
  }
  fs::rename(temp, destination, ec);
  if (ec) {
    removeQuietly(temp);
    throw OutputError("cannot write '" + destination.string() + "': " + ec.message());
  }
  if (deferred != nullptr)
    deferred->noteFolder(folder);
  else
    syncPath(folder);
}

namespace {
thread_local DeferredSync* t_deferred_sync = nullptr;
}  // namespace

DeferredSync::DeferredSync() : previous_(t_deferred_sync) { t_deferred_sync = this; }

DeferredSync::~DeferredSync() { t_deferred_sync = previous_; }

DeferredSync* DeferredSync::current() { return t_deferred_sync; }

void DeferredSync::noteFolder(const fs::path& folder) {
  for (const fs::path& known : folders_) {
    if (known == folder) return;
  }
  folders_.push_back(folder);
}

void DeferredSync::flush() {
  // syncfs flushes a whole file system (data and folder entries); one call per distinct one.
  std::vector<dev_t> devices;
  for (const fs::path& folder : folders_) {
    struct stat info {};
    if (::stat(folder.c_str(), &info) != 0) continue;
    if (std::find(devices.begin(), devices.end(), info.st_dev) != devices.end()) continue;
    devices.push_back(info.st_dev);
    const int fd = ::open(folder.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      throw OutputError("cannot sync '" + folder.string() + "' to disk: " + std::strerror(errno));
    const int result = ::syncfs(fd);
    const int error = errno;
    ::close(fd);
    if (result != 0)
      throw OutputError("cannot sync '" + folder.string() + "' to disk: " + std::strerror(error));
  }
  folders_.clear();
}

void writeBytesAtomically(const fs::path& destination, const std::vector<std::uint8_t>& bytes) {
  writeFileAtomically(destination, [&](const fs::path& temp) {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) {
      throw OutputError("cannot write '" + destination.string() +
                        "': cannot create a file in its folder");
    }
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
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
    throw InputError("'" + path.string() + "' is not a regular file: it is a folder");
  }
  if (!fs::is_regular_file(path, ec)) {
    throw InputError("'" + path.string() + "' is not a regular file (a FIFO, socket or device?)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError("cannot open '" + path.string() + "' for reading (" + std::strerror(errno) +
                     ")");
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

#include "models/bounded_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace genstereo {

std::optional<std::string> readBoundedRegularFile(const std::filesystem::path& path,
                                                  std::size_t max_bytes,
                                                  BoundedReadProblem* problem) {
  BoundedReadProblem ignored = BoundedReadProblem::kNone;
  BoundedReadProblem& why = problem != nullptr ? *problem : ignored;
  why = BoundedReadProblem::kNone;
  // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting for one.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    why = errno == ENOENT || errno == ENOTDIR ? BoundedReadProblem::kMissing
                                              : BoundedReadProblem::kUnreadable;
    return std::nullopt;
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    why = BoundedReadProblem::kNotRegular;
    return std::nullopt;
  }
  if (static_cast<std::uint64_t>(info.st_size) > max_bytes) {
    ::close(fd);
    why = BoundedReadProblem::kTooLarge;
    return std::nullopt;
  }
  std::string text;
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      why = BoundedReadProblem::kUnreadable;
      return std::nullopt;
    }
    if (n == 0) break;
    if (text.size() + static_cast<std::size_t>(n) > max_bytes) {  // grew since the fstat
      ::close(fd);
      why = BoundedReadProblem::kTooLarge;
      return std::nullopt;
    }
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

}  // namespace genstereo

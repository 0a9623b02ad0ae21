// Small local files the model tooling reads (the token file, the download record, the Hugging
// Face cache's refs): a regular file of bounded size, or nothing. A FIFO, a device (/dev/zero)
// or a folder would block the reader or never end; the file is opened without blocking and
// checked with fstat on the descriptor that is read, so a swap after the check changes nothing.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace genstereo {

// Why readBoundedRegularFile returned nothing, for messages.
enum class BoundedReadProblem { kNone, kMissing, kNotRegular, kTooLarge, kUnreadable };

// The whole content of `path` when it is a regular file (symbolic links followed) of at most
// `max_bytes`; otherwise std::nullopt, and `problem` (when given) says why.
std::optional<std::string> readBoundedRegularFile(const std::filesystem::path& path,
                                                  std::size_t max_bytes,
                                                  BoundedReadProblem* problem = nullptr);

}  // namespace genstereo

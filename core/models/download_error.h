// The typed error of a failed model download: what went wrong, for which file, at which URL,
// with the HTTP status and, on a checksum mismatch, both hashes. what() is one actionable line.
// URLs (in what() and url()) are shown without user:password@ and without their query string;
// a server's own message is quoted as printable text of bounded length (printable_text.h).
#pragma once

#include <string>

#include "errors.h"

namespace genstereo {

enum class DownloadErrorKind {
  kOffline,       // HF_HUB_OFFLINE is set
  kHttp,          // the server answered with an error status (401, 403, 404, 5xx after retries...)
  kNetwork,       // connection failures after all retries
  kHashMismatch,  // the body's sha256 differs from the expected one (the .part is removed)
  kSizeMismatch,  // the body's size differs from X-Linked-Size (the .part is removed)
  kInvalidFile,   // the downloaded file fails the structural check (the .part is removed)
  kDiskSpace,     // not enough free space, before starting or while writing
  kWrite,         // the file cannot be written (permissions, file size limit...)
  kSettings,      // the settings cannot be used as given (a control character in the token)
};

// "offline", "http", "network", "sha256 mismatch", ...
const char* toString(DownloadErrorKind kind);

class DownloadError : public Error {
 public:
  DownloadError(DownloadErrorKind kind, std::string message, std::string file, std::string url,
                long http_status = 0, std::string expected_sha256 = {},
                std::string actual_sha256 = {})
      : Error(std::move(message)),
        kind_(kind),
        file_(std::move(file)),
        url_(std::move(url)),
        http_status_(http_status),
        expected_sha256_(std::move(expected_sha256)),
        actual_sha256_(std::move(actual_sha256)) {}

  DownloadErrorKind kind() const { return kind_; }
  const std::string& file() const { return file_; }  // the local name in the models folder
  const std::string& url() const { return url_; }
  long httpStatus() const { return http_status_; }  // 0 when no HTTP answer
  const std::string& expectedSha256() const { return expected_sha256_; }
  const std::string& actualSha256() const { return actual_sha256_; }

 private:
  DownloadErrorKind kind_;
  std::string file_, url_;
  long http_status_ = 0;
  std::string expected_sha256_, actual_sha256_;
};

}  // namespace genstereo

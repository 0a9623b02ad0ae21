#include "models/hub_download.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include "io/atomic_write.h"
#include "models/bounded_file.h"
#include "models/model_file_check.h"
#include "models/model_inventory.h"
#include "models/printable_text.h"
#include "models/sha256.h"

namespace genstereo {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kMaxRedirects = 10;

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool isTruthy(const std::string& value) {
  const std::string v = lower(value);
  return v == "1" || v == "true" || v == "yes" || v == "on";
}

bool isHex64(const std::string& text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// '"abc"' or 'W/"abc"' -> 'abc', lowercased.
std::string normalizeEtag(std::string value) {
  if (value.rfind("W/", 0) == 0) value.erase(0, 2);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    value = value.substr(1, value.size() - 2);
  return lower(value);
}

void ensureCurlInitialised() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// "scheme://host:port" of a URL (default ports filled in), or empty when it does not parse.
std::string originOf(const std::string& url) {
  CURLU* handle = curl_url();
  std::string origin;
  if (curl_url_set(handle, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    char* scheme = nullptr;
    char* host = nullptr;
    char* port = nullptr;
    if (curl_url_get(handle, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(handle, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(handle, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
      origin = lower(scheme) + "://" + lower(host) + ":" + port;
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
  }
  curl_url_cleanup(handle);
  return origin;
}

std::string percentEncodePath(const std::string& path) {
  std::string encoded;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      encoded += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof(hex), "%%%02X", c);
      encoded += hex;
    }
  }
  return encoded;
}

bool isTransientCurlError(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

bool isTransientHttpStatus(long status) { return status >= 500 || status == 429 || status == 408; }

// Free bytes for an unprivileged user in the file system holding `folder`.
std::uint64_t freeBytesIn(const fs::path& folder) {
  struct statvfs info {};
  if (::statvfs(folder.c_str(), &info) != 0) return UINT64_MAX;  // unknown: do not block
  return static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
}

// The .part file: append-only, hashed as it grows, locked against a second downloader.
class PartFile {
 public:
  PartFile(const fs::path& path, const std::string& local_name, const std::string& url)
      : path_(path) {
    fd_ = openRegular(path, local_name, url);
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      fd_ = -1;
      throw DownloadError(DownloadErrorKind::kWrite,
                          "another download of " + local_name + " is running (its '" +
                              path.string() + "' is locked)",
                          local_name, url);
    }
    std::vector<char> buffer(1 << 20);
    for (;;) {
      const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      hash_.update(buffer.data(), static_cast<std::size_t>(n));
      size_ += static_cast<std::uint64_t>(n);
    }
  }
  ~PartFile() { close(); }
  PartFile(const PartFile&) = delete;
  PartFile& operator=(const PartFile&) = delete;

  std::uint64_t size() const { return size_; }
  const fs::path& path() const { return path_; }

  void truncate() {
    if (::ftruncate(fd_, 0) == 0) ::lseek(fd_, 0, SEEK_SET);
    size_ = 0;
    hash_.reset();
  }
  // 0 on success, else errno.
  int write(const char* data, std::size_t num_bytes) {
    while (num_bytes > 0) {
      const ssize_t n = ::write(fd_, data, num_bytes);
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno;
      }
      hash_.update(data, static_cast<std::size_t>(n));
      size_ += static_cast<std::uint64_t>(n);
      data += n;
      num_bytes -= static_cast<std::size_t>(n);
    }
    return 0;
  }
  int sync() { return ::fsync(fd_) == 0 ? 0 : errno; }
  std::string finishSha256() { return hash_.finishHex(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  void remove() {
    close();
    std::error_code ignored;
    fs::remove(path_, ignored);
  }

 private:
  // The .part itself, never what a symbolic link there points to (O_NOFOLLOW), and never a
  // FIFO or device (O_NONBLOCK so that opening one does not wait): a .part that is not a
  // regular file is garbage from elsewhere, removed (the link, not its target) and recreated.
  static int openRegular(const fs::path& path, const std::string& local_name,
                         const std::string& url) {
    const auto fail = [&](const std::string& why) {
      return DownloadError(DownloadErrorKind::kWrite,
                           "cannot create '" + path.string() + "' for " + local_name + ": " + why,
                           local_name, redactUrl(url));
    };
    for (int attempt = 0; attempt < 2; ++attempt) {
      const int fd = ::open(
          path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0644);
      struct stat info {};
      if (fd >= 0 && ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        return fd;
      }
      const int error = errno;
      if (fd >= 0) ::close(fd);
      struct stat link_info {};
      if (::lstat(path.c_str(), &link_info) != 0)
        throw fail(std::strerror(fd >= 0 ? EINVAL : error));
      if (S_ISDIR(link_info.st_mode)) throw fail("it is a folder");
      if (S_ISREG(link_info.st_mode))
        throw fail(std::strerror(fd >= 0 ? EINVAL : error));  // e.g. no permission
      if (::unlink(path.c_str()) != 0) {
        throw fail(std::string("it is not a regular file and cannot be removed: ") +
                   std::strerror(errno));
      }
    }
    throw fail("it keeps being replaced by something that is not a regular file");
  }

  fs::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  Sha256 hash_;
};

// What one request (one hop) saw, and the state the libcurl callbacks share.
struct Transfer {
  PartFile* part = nullptr;
  CURL* curl = nullptr;
  const DownloadParams* params = nullptr;
  DownloadProgress progress;
  fs::path folder;
  std::map<std::string, std::string> headers;         // lowercased names, this hop
  std::string linked_etag, linked_size, repo_commit;  // from the first response that has them
  std::string error_body;
  bool has_body_started = false;
  bool is_cancelled = false;
  bool needs_restart = false;  // a 206 that does not continue the .part
  bool is_out_of_space = false;
  std::uint64_t space_needed_bytes = 0;
  std::uint64_t space_free_bytes = 0;
  int write_errno = 0;
  std::uint64_t bytes_total = 0;
  std::uint64_t bytes_at_start = 0;
  Clock::time_point started = Clock::now();
  Clock::time_point last_report{};

  void report(bool force) {
    if (!params->progress) return;
    const Clock::time_point now = Clock::now();
    if (!force && now - last_report < std::chrono::milliseconds(100)) return;
    last_report = now;
    progress.bytes_done = part->size();
    progress.bytes_total = bytes_total;
    const double seconds = std::chrono::duration<double>(now - started).count();
    const double fresh =
        part->size() > bytes_at_start ? static_cast<double>(part->size() - bytes_at_start) : 0.0;
    progress.rate_bytes_per_s = seconds > 0.05 ? fresh / seconds : 0.0;
    progress.eta_s =
        (bytes_total > 0 && progress.rate_bytes_per_s > 0.0 && bytes_total >= part->size())
            ? static_cast<double>(bytes_total - part->size()) / progress.rate_bytes_per_s
            : -1.0;
    params->progress(progress);
  }
};

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  std::string line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  const std::size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string value = line.substr(colon + 1);
    const std::size_t first = value.find_first_not_of(" \t");
    value = first == std::string::npos ? std::string() : value.substr(first);
    t->headers[lower(line.substr(0, colon))] = value;
  }
  return n;
}

long responseStatus(CURL* curl) {
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  const long status = responseStatus(t->curl);
  if (status != 200 &&
      status != 206) {  // a redirect or an error page: keep the start for the message
    if (t->error_body.size() < 512)
      t->error_body.append(data, std::min<std::size_t>(n, 512 - t->error_body.size()));
    return n;
  }
  if (!t->has_body_started) {
    t->has_body_started = true;
    std::uint64_t range_start = 0;
    std::uint64_t range_total = 0;
    const auto range = t->headers.find("content-range");
    if (status == 206 && range != t->headers.end()) {
      unsigned long long start = 0, end = 0, total = 0;
      if (std::sscanf(range->second.c_str(), "bytes %llu-%llu/%llu", &start, &end, &total) >= 2) {
        range_start = start;
        range_total = total;
      }
    }
    if (status == 200 && t->part->size() > 0) t->part->truncate();  // the server ignored the Range
    if (status == 206 && range_start != t->part->size()) {
      t->needs_restart = true;
      return 0;
    }
    curl_off_t content_length = -1;
    curl_easy_getinfo(t->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &content_length);
    if (!t->linked_size.empty()) {
      t->bytes_total = std::strtoull(t->linked_size.c_str(), nullptr, 10);
    } else if (range_total > 0) {
      t->bytes_total = range_total;
    } else if (content_length >= 0) {
      t->bytes_total = t->part->size() + static_cast<std::uint64_t>(content_length);
    }
    if (t->bytes_total > t->part->size()) {
      t->space_needed_bytes = t->bytes_total - t->part->size() + t->params->free_space_margin_bytes;
      t->space_free_bytes = freeBytesIn(t->folder);
      if (t->space_free_bytes < t->space_needed_bytes) {
        t->is_out_of_space = true;
        return 0;
      }
    }
  }
  const int error = t->part->write(data, n);
  if (error != 0) {
    t->write_errno = error;
    return 0;
  }
  return n;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (t->params->cancel.isCancelled()) {
    t->is_cancelled = true;
    return 1;
  }
  if (t->has_body_started) t->report(false);
  return 0;
}

struct HopResult {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string url;  // the last URL requested
  char curl_error[CURL_ERROR_SIZE] = {0};
};

// One attempt: the request and its redirects, by hand, so that the first response's X-Linked-*
// headers are seen and the token goes to the hub's origin only.
HopResult performWithRedirects(Transfer& t, const std::string& start_url,
                               const std::string& hub_origin, const DownloadParams& params) {
  HopResult result;
  std::string url = start_url;
  for (int hop = 0; hop <= kMaxRedirects; ++hop) {
    CURL* curl = t.curl;
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, params.connect_timeout_s);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, params.low_speed_time_s);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, params.user_agent.c_str());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, result.curl_error);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
    const std::string range = std::to_string(t.part->size()) + "-";
    if (t.part->size() > 0) curl_easy_setopt(curl, CURLOPT_RANGE, range.c_str());
    curl_slist* headers = nullptr;
    const std::string authorization = "Authorization: Bearer " + params.hub.token;
    if (!params.hub.token.empty() && originOf(url) == hub_origin) {
      headers = curl_slist_append(headers, authorization.c_str());
    }
    if (headers != nullptr) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    t.headers.clear();
    t.error_body.clear();
    result.url = url;
    result.code = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    result.status = responseStatus(curl);
    auto header = [&](const char* name) {
      const auto it = t.headers.find(name);
      return it == t.headers.end() ? std::string() : it->second;
    };
    if (t.linked_etag.empty()) t.linked_etag = normalizeEtag(header("x-linked-etag"));
    if (t.linked_size.empty()) t.linked_size = header("x-linked-size");
    if (t.repo_commit.empty()) t.repo_commit = header("x-repo-commit");
    if (result.code != CURLE_OK || result.status < 300 || result.status >= 400) return result;
    char* location = nullptr;
    curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location);
    if (location == nullptr) return result;  // a 3xx without Location: reported as an HTTP error
    url = location;
  }
  return result;
}

void sleepUnlessCancelled(int milliseconds, const CancelToken& cancel) {
  const Clock::time_point until = Clock::now() + std::chrono::milliseconds(milliseconds);
  while (Clock::now() < until) {
    if (cancel.isCancelled()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string httpAdvice(long status) {
  switch (status) {
    case 401:
      return "authentication required: set HF_TOKEN to a Hugging Face access token";
    case 403:
      return "access denied: for a gated repository accept its terms on the model page, and set "
             "HF_TOKEN";
    case 404:
      return "not found: check the repository, revision and path (and HF_ENDPOINT for a mirror)";
    case 416:
      return "the server refused the resume range";
    default:
      return status >= 500 ? "server error" : "unexpected answer";
  }
}

// The record, when it is a regular file of at most kMaxRecordBytes (a FIFO or a device there
// would block or never end); else nothing.
constexpr std::size_t kMaxRecordBytes = std::size_t{16} << 20;

nlohmann::json readRecordRoot(const fs::path& models_dir) {
  const std::optional<std::string> text =
      readBoundedRegularFile(downloadRecordPath(models_dir), kMaxRecordBytes);
  if (!text) return nlohmann::json::object();
  nlohmann::json root = nlohmann::json::parse(*text, nullptr, false);
  return root.is_object() ? root : nlohmann::json::object();
}

void writeDownloadRecord(const fs::path& models_dir, const CatalogFile& file,
                         const DownloadResult& result) {
  nlohmann::json root = readRecordRoot(models_dir);
  root["format"] = 1;
  root["files"][file.local_name] = {
      {"repo", file.repo},       {"revision", file.revision},       {"commit", result.commit},
      {"sha256", result.sha256}, {"size_bytes", result.size_bytes}, {"url", result.url}};
  const std::string text = root.dump(1) + "\n";
  writeBytesAtomically(downloadRecordPath(models_dir),
                       std::vector<std::uint8_t>(text.begin(), text.end()));
}

}  // namespace

const char* toString(DownloadErrorKind kind) {
  switch (kind) {
    case DownloadErrorKind::kOffline:
      return "offline";
    case DownloadErrorKind::kHttp:
      return "http";
    case DownloadErrorKind::kNetwork:
      return "network";
    case DownloadErrorKind::kHashMismatch:
      return "sha256 mismatch";
    case DownloadErrorKind::kSizeMismatch:
      return "size mismatch";
    case DownloadErrorKind::kInvalidFile:
      return "invalid file";
    case DownloadErrorKind::kDiskSpace:
      return "disk space";
    case DownloadErrorKind::kWrite:
      return "write";
    case DownloadErrorKind::kSettings:
      return "settings";
  }
  return "?";
}

HubSettings HubSettings::fromEnvironment() {
  HubSettings settings;
  std::string endpoint = environment("HF_ENDPOINT");
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  if (!endpoint.empty()) settings.endpoint = endpoint;
  settings.token = environment("HF_TOKEN");
  if (settings.token.empty()) settings.token = environment("HUGGING_FACE_HUB_TOKEN");
  if (settings.token.empty()) {
    fs::path token_path = environment("HF_TOKEN_PATH");
    if (token_path.empty()) {
      const std::string hf_home = environment("HF_HOME");
      const std::string home = environment("HOME");
      token_path = !hf_home.empty()
                       ? fs::path(hf_home) / "token"
                       : fs::path(home.empty() ? "." : home) / ".cache" / "huggingface" / "token";
    }
    // A regular file of at most 64 KiB, else no token (a FIFO or device there would block).
    const std::optional<std::string> text = readBoundedRegularFile(token_path, 64 << 10);
    if (text) settings.token = text->substr(0, text->find('\n'));
    while (!settings.token.empty() &&
           std::isspace(static_cast<unsigned char>(settings.token.back())))
      settings.token.pop_back();
  }
  settings.is_offline = isTruthy(environment("HF_HUB_OFFLINE"));
  return settings;
}

std::string hubFileUrl(const std::string& endpoint, const CatalogFile& file) {
  std::string base = endpoint;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/" + file.repo + "/resolve/" + percentEncodePath(file.revision) + "/" +
         percentEncodePath(file.path);
}

fs::path downloadRecordPath(const fs::path& models_dir) {
  return models_dir / ".genstereo-models.json";
}

bool readDownloadRecord(const fs::path& models_dir, const std::string& local_name,
                        DownloadRecordEntry& entry) {
  try {
    const nlohmann::json root = readRecordRoot(models_dir);
    const nlohmann::json& item = root.at("files").at(local_name);
    entry.repo = item.value("repo", "");
    entry.revision = item.value("revision", "");
    entry.commit = item.value("commit", "");
    entry.sha256 = item.value("sha256", "");
    entry.url = item.value("url", "");
    entry.size_bytes = item.value("size_bytes", std::uint64_t{0});
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

DownloadResult downloadCatalogFile(const CatalogFile& file, const ModelManifest* manifest,
                                   const fs::path& models_dir, const DownloadParams& params) {
  const std::string full_url = hubFileUrl(params.hub.endpoint, file);
  const std::string url = redactUrl(full_url);  // what messages and the record show
  const std::string& name = file.local_name;
  if (hasControlCharacter(params.hub.token)) {
    throw DownloadError(
        DownloadErrorKind::kSettings,
        "the Hugging Face token (HF_TOKEN, HUGGING_FACE_HUB_TOKEN or the token file) holds a "
        "control character such as a line break: refused, it would add a header to the request",
        name, url);
  }
  if (params.hub.is_offline) {
    throw DownloadError(DownloadErrorKind::kOffline,
                        "HF_HUB_OFFLINE is set: not downloading " + name + " from " + url, name,
                        url);
  }
  const fs::path destination = models_dir / file.local_name;
  const fs::path folder = destination.parent_path();
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) {
    throw DownloadError(
        DownloadErrorKind::kWrite,
        "cannot create the folder '" + folder.string() + "' for " + name + ": " + ec.message(),
        name, url);
  }
  const fs::path part_path = destination.string() + ".part";
  PartFile part(part_path, name, url);
  DownloadResult result;
  result.file_id = file.id;
  result.url = url;
  result.was_resumed = part.size() > 0;
  if (file.size_bytes > part.size()) {
    const std::uint64_t needed = file.size_bytes - part.size() + params.free_space_margin_bytes;
    const std::uint64_t available = freeBytesIn(folder);
    if (available < needed) {
      part.remove();
      throw DownloadError(DownloadErrorKind::kDiskSpace,
                          "not enough free space in '" + folder.string() + "' for " + name +
                              ": needs " + (file.is_size_approximate ? "about " : "") +
                              formatByteSize(needed) + ", " + formatByteSize(available) + " free",
                          name, url);
    }
  }
  ensureCurlInitialised();
  CURL* curl = curl_easy_init();
  if (curl == nullptr)
    throw DownloadError(DownloadErrorKind::kNetwork, "libcurl cannot start a transfer", name, url);
  struct CurlCleanup {
    CURL* curl;
    ~CurlCleanup() { curl_easy_cleanup(curl); }
  } cleanup{curl};

  Transfer t;
  t.part = &part;
  t.curl = curl;
  t.params = &params;
  t.folder = folder;
  t.progress.file_id = file.id;
  t.progress.local_name = name;
  const std::string hub_origin = originOf(full_url);
  int backoff_ms = params.initial_backoff_ms;
  HopResult hop;
  for (int attempt = 1;; ++attempt) {
    result.attempts = attempt;
    t.has_body_started = false;
    t.needs_restart = false;
    t.bytes_at_start = part.size();
    t.started = Clock::now();
    hop = performWithRedirects(t, full_url, hub_origin, params);
    const std::string hop_url = redactUrl(hop.url);
    if (t.is_cancelled || params.cancel.isCancelled()) {
      // The bytes so far stay in the .part: the next download of the file resumes there
      // (issue 23: Cancel never loses work). The final name is never written.
      part.close();
      throw CancelledError();
    }
    if (t.is_out_of_space) {
      part.remove();
      throw DownloadError(DownloadErrorKind::kDiskSpace,
                          "not enough free space in '" + folder.string() + "' for " + name +
                              ": needs " + formatByteSize(t.space_needed_bytes) + ", " +
                              formatByteSize(t.space_free_bytes) + " free",
                          name, hop_url);
    }
    if (t.write_errno != 0) {
      const int error = t.write_errno;
      const std::uint64_t written = part.size();
      part.remove();
      const bool is_full = error == ENOSPC || error == EFBIG || error == EDQUOT;
      throw DownloadError(is_full ? DownloadErrorKind::kDiskSpace : DownloadErrorKind::kWrite,
                          "cannot write '" + part_path.string() + "' for " + name + " after " +
                              formatByteSize(written) + ": " + std::strerror(error) +
                              " (partial file removed)",
                          name, hop_url);
    }
    const bool is_success = hop.code == CURLE_OK && (hop.status == 200 || hop.status == 206);
    if (is_success) break;
    const bool needs_fresh_start =
        t.needs_restart || (hop.code == CURLE_OK && hop.status == 416 && part.size() > 0);
    const bool is_transient = needs_fresh_start ||
                              (hop.code != CURLE_OK && isTransientCurlError(hop.code)) ||
                              (hop.code == CURLE_OK && isTransientHttpStatus(hop.status));
    if (needs_fresh_start) part.truncate();
    if (!is_transient || attempt >= params.max_attempts) {
      const bool keeps_part = is_transient && part.size() > 0;
      if (!keeps_part) part.remove();
      const std::string kept = keeps_part ? "; the " + formatByteSize(part.size()) +
                                                " received are kept in '" + part_path.string() +
                                                "': run the download again to resume"
                                          : std::string();
      const std::string tries =
          attempt > 1 ? " (after " + std::to_string(attempt) + " attempts)" : std::string();
      if (hop.code != CURLE_OK) {
        // libcurl's message may quote the URL: credentials and queries out, escapes neutralised.
        std::string detail =
            hop.curl_error[0] != '\0' ? hop.curl_error : curl_easy_strerror(hop.code);
        if (hop.url != hop_url) {
          for (std::size_t at; (at = detail.find(hop.url)) != std::string::npos;)
            detail.replace(at, hop.url.size(), hop_url);
        }
        detail = printableText(detail, 300);
        throw DownloadError(
            DownloadErrorKind::kNetwork,
            "download of " + name + " from " + hop_url + " failed: " + detail + tries + kept, name,
            hop_url, hop.status);
      }
      std::string server_message;
      const auto message = t.headers.find("x-error-message");
      if (message != t.headers.end())
        server_message = " (server: " + printableText(message->second, 200) + ")";
      throw DownloadError(DownloadErrorKind::kHttp,
                          "download of " + name + " from " + hop_url + " failed: HTTP " +
                              std::to_string(hop.status) + ", " + httpAdvice(hop.status) +
                              server_message + tries + kept,
                          name, hop_url, hop.status);
    }
    sleepUnlessCancelled(backoff_ms, params.cancel);
    backoff_ms = std::min(backoff_ms * 2, params.max_backoff_ms);
  }
  t.report(true);

  result.size_bytes = part.size();
  result.commit = t.repo_commit;
  if (!t.linked_size.empty() && std::strtoull(t.linked_size.c_str(), nullptr, 10) != part.size()) {
    const std::uint64_t received = part.size();
    part.remove();
    throw DownloadError(DownloadErrorKind::kSizeMismatch,
                        "download of " + name + " from " + url + " has " +
                            std::to_string(received) + " bytes but the hub announced " +
                            t.linked_size + " (X-Linked-Size); file removed",
                        name, url, hop.status);
  }
  result.sha256 = part.finishSha256();
  std::string expected;
  if (!file.sha256.empty()) {
    expected = file.sha256;
    result.verified_against = "catalogue";
  } else if (isHex64(t.linked_etag)) {
    expected = t.linked_etag;
    result.verified_against = "X-Linked-Etag";
  }
  if (!expected.empty() && expected != result.sha256) {
    part.remove();
    throw DownloadError(DownloadErrorKind::kHashMismatch,
                        "download of " + name + " from " + url + " is corrupt: sha256 " +
                            result.sha256 + ", expected " + expected + " (" +
                            result.verified_against + "); file removed",
                        name, url, hop.status, expected, result.sha256);
  }
  if (const int error = part.sync(); error != 0) {
    part.remove();
    throw DownloadError(
        DownloadErrorKind::kWrite,
        "cannot write '" + part_path.string() + "' for " + name + ": " + std::strerror(error), name,
        url);
  }
  const ModelFileCheck check = checkModelFile(part_path, manifest, file.check);
  if (!check.isPresent()) {
    part.remove();
    throw DownloadError(DownloadErrorKind::kInvalidFile,
                        "download of " + name + " from " + url +
                            " is not the expected model: " + check.reason + "; file removed",
                        name, url, hop.status);
  }
  part.close();
  fs::rename(part_path, destination, ec);
  if (ec) {
    part.remove();
    throw DownloadError(DownloadErrorKind::kWrite,
                        "cannot rename '" + part_path.string() + "' to '" + destination.string() +
                            "': " + ec.message(),
                        name, url);
  }
  const int dir_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  result.path = destination;
  try {
    writeDownloadRecord(models_dir, file, result);
  } catch (const Error&) {
    // The file itself is complete and verified; the record is a convenience.
  }
  return result;
}

std::vector<DownloadResult> downloadModels(const ModelCatalog& catalog,
                                           const std::vector<std::string>& model_ids,
                                           const fs::path& models_dir,
                                           const DownloadParams& params) {
  const std::vector<const CatalogFile*> files = catalog.filesOf(model_ids);
  std::vector<DownloadResult> results;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const CatalogFile& file = *files[i];
    const ModelFileStatus status = inspectModelFile(models_dir, catalog, file, params.inspect);
    if (status.state == ModelFileState::kPresent) {
      DownloadResult skipped;
      skipped.file_id = file.id;
      skipped.path = status.path;
      skipped.size_bytes = status.size_bytes;
      skipped.was_skipped = true;
      results.push_back(skipped);
      continue;
    }
    DownloadParams file_params = params;
    if (params.progress) {
      file_params.progress = [&params, i, n = files.size()](const DownloadProgress& progress) {
        DownloadProgress copy = progress;
        copy.file_index = i;
        copy.file_count = n;
        params.progress(copy);
      };
    }
    results.push_back(
        downloadCatalogFile(file, catalog.manifestFor(file), models_dir, file_params));
  }
  return results;
}

}  // namespace genstereo

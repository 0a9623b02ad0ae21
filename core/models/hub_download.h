// Downloads of catalogue files from the Hugging Face hub (or a mirror) through libcurl, shared
// by the CLI and the workbench. A file is fetched from {endpoint}/{repo}/resolve/{revision}/{path}:
//   - the first response's X-Linked-Etag (sha256 of an LFS file), X-Linked-Size and
//     X-Repo-Commit are read before its redirect (large files redirect to a CDN) is followed;
//     the token goes to the hub's host only, never to the redirect target;
//   - the body goes to MODELS/<local name>.part, resumed with an HTTP Range when that exists;
//     the .part is never opened through a symbolic link, nor as a FIFO or device: such an entry
//     is removed (the entry, not what it points to) and a regular file created;
//   - free disk space is checked before the first request and again once the size is known;
//   - transient failures (connection reset or cut, timeouts, 5xx, 429) are retried with
//     exponential backoff, resuming; 401/403/404 and other client errors are not;
//   - at the end the sha256 is checked (the catalogue's, else X-Linked-Etag), then the
//     structural check (model_file_check.h); on a mismatch the .part is removed; else it is
//     fsync'ed and renamed atomically, and the result recorded in MODELS/.genstereo-models.json.
// Cancel removes the .part; a network failure after every retry keeps it, for the next run to
// resume (the message says so). The final name never holds a partial or unverified file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "genstereo/progress.h"
#include "models/download_error.h"
#include "models/model_catalog.h"
#include "models/model_inventory.h"

namespace genstereo {

struct HubSettings {
  std::string endpoint = "https://huggingface.co";  // HF_ENDPOINT (mirrors)
  std::string token;                                // HF_TOKEN, else the file $HF_HOME/token
  bool is_offline = false;                          // HF_HUB_OFFLINE=1/true/yes/on
  // Proxies: libcurl reads http_proxy, https_proxy, all_proxy and no_proxy itself.

  static HubSettings fromEnvironment();
};

// {endpoint}/{repo}/resolve/{revision}/{path} (path segments percent-encoded).
std::string hubFileUrl(const std::string& endpoint, const CatalogFile& file);

struct DownloadProgress {
  std::string file_id;
  std::string local_name;
  std::size_t file_index = 0;  // 0-based, among file_count files of one downloadModels call
  std::size_t file_count = 1;
  std::uint64_t bytes_done = 0;   // of this file, resumed bytes included
  std::uint64_t bytes_total = 0;  // 0 = unknown yet
  double rate_bytes_per_s = 0.0;  // over this run of this file
  double eta_s = -1.0;            // -1 = unknown
};

using DownloadProgressCallback = std::function<void(const DownloadProgress&)>;

struct DownloadParams {
  HubSettings hub = HubSettings::fromEnvironment();
  DownloadProgressCallback progress;  // called from the downloading thread, about 10 times/s
  CancelToken cancel;                 // checked during transfers and backoff waits
  int max_attempts = 5;               // per file, for transient failures
  int initial_backoff_ms = 1000;      // doubled after each failed attempt
  int max_backoff_ms = 30000;
  long connect_timeout_s = 30;
  long low_speed_time_s = 60;  // abort (and retry) when under 1 byte/s for this long
  std::uint64_t free_space_margin_bytes = 64ull << 20;  // kept free beyond the file
  std::string user_agent = "genstereo";
  InspectOptions inspect;  // downloadModels: where present files are looked for

  static DownloadParams defaults() { return DownloadParams(); }
};

struct DownloadResult {
  std::string file_id;
  std::filesystem::path path;  // the final file
  std::uint64_t size_bytes = 0;
  std::string sha256;            // computed from the bytes written
  std::string verified_against;  // "catalogue", "X-Linked-Etag", or empty (not verifiable)
  std::string commit;            // X-Repo-Commit, when the hub sent it
  std::string url;
  bool was_resumed = false;  // a .part was continued
  bool was_skipped = false;  // downloadModels: already present and valid
  int attempts = 0;
};

// Downloads one file into `models_dir`/file.local_name (folders created). `manifest` (may be
// nullptr) is the structural check applied before the rename. Throws DownloadError, or
// CancelledError when params.cancel is set.
DownloadResult downloadCatalogFile(const CatalogFile& file, const ModelManifest* manifest,
                                   const std::filesystem::path& models_dir,
                                   const DownloadParams& params);

// Downloads every file of `model_ids` that is not already present and valid (in the models
// folder or the Hugging Face cache; see model_inventory.h), in catalogue order. Stops at the
// first error (files already done stay done).
std::vector<DownloadResult> downloadModels(const ModelCatalog& catalog,
                                           const std::vector<std::string>& model_ids,
                                           const std::filesystem::path& models_dir,
                                           const DownloadParams& params);

// The record of verified downloads, MODELS/.genstereo-models.json: local name -> repo,
// revision, commit, sha256, size, URL. Missing or unreadable records read as empty.
struct DownloadRecordEntry {
  std::string repo, revision, commit, sha256, url;
  std::uint64_t size_bytes = 0;
};
std::filesystem::path downloadRecordPath(const std::filesystem::path& models_dir);
bool readDownloadRecord(const std::filesystem::path& models_dir, const std::string& local_name,
                        DownloadRecordEntry& entry);

}  // namespace genstereo

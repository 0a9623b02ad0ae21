#include "models/hf_cache.h"

#include <algorithm>
#include <cstdlib>
#include <system_error>
#include <vector>

#include "models/bounded_file.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

bool isHex64(const std::string& text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::optional<HfCacheHit> hitIn(const fs::path& snapshot, const std::string& path) {
  std::error_code ec;
  const fs::path candidate = snapshot / path;
  if (!fs::is_regular_file(candidate, ec)) return std::nullopt;
  HfCacheHit hit;
  hit.path = candidate;
  hit.commit = snapshot.filename().string();
  if (fs::is_symlink(candidate, ec)) {
    const std::string blob = fs::read_symlink(candidate, ec).filename().string();
    if (!ec && isHex64(blob)) hit.blob_sha256 = blob;
  }
  return hit;
}

}  // namespace

fs::path hfHubCacheDir() {
  for (const char* name : {"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"}) {
    const std::string value = environment(name);
    if (!value.empty()) return value;
  }
  const std::string hf_home = environment("HF_HOME");
  if (!hf_home.empty()) return fs::path(hf_home) / "hub";
  const std::string xdg = environment("XDG_CACHE_HOME");
  if (!xdg.empty()) return fs::path(xdg) / "huggingface" / "hub";
  const std::string home = environment("HOME");
  return fs::path(home.empty() ? "." : home) / ".cache" / "huggingface" / "hub";
}

std::string hfCacheRepoFolderName(const std::string& repo) {
  std::string name = "models--";
  for (char c : repo) {
    if (c == '/') {
      name += "--";
    } else {
      name += c;
    }
  }
  return name;
}

std::optional<HfCacheHit> findInHfCache(const fs::path& cache_dir, const std::string& repo,
                                        const std::string& revision, const std::string& path) {
  const fs::path repo_dir = cache_dir / hfCacheRepoFolderName(repo);
  const fs::path snapshots = repo_dir / "snapshots";
  std::error_code ec;
  if (!fs::is_directory(snapshots, ec)) return std::nullopt;
  // A regular file of a few bytes (a commit hash), never a FIFO or /dev/zero read for ever.
  const std::optional<std::string> ref = readBoundedRegularFile(repo_dir / "refs" / revision, 4096);
  std::string commit;
  if (ref && !ref->empty()) {
    commit = ref->substr(0, ref->find('\n'));
    while (!commit.empty() &&
           (commit.back() == '\n' || commit.back() == '\r' || commit.back() == ' '))
      commit.pop_back();
  } else {
    commit = revision;  // a commit hash names its snapshot directly
  }
  if (!commit.empty() && commit.find('/') == std::string::npos) {
    if (auto hit = hitIn(snapshots / commit, path)) return hit;
  }
  const bool is_commit =
      revision.size() == 40 && std::all_of(revision.begin(), revision.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      });
  if (is_commit) return std::nullopt;  // a pinned revision is that snapshot or nothing
  std::vector<std::pair<fs::file_time_type, fs::path>> others;
  for (const fs::directory_entry& entry : fs::directory_iterator(snapshots, ec)) {
    if (entry.is_directory(ec)) others.emplace_back(entry.last_write_time(ec), entry.path());
  }
  std::sort(others.begin(), others.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& other : others) {
    if (auto hit = hitIn(other.second, path)) return hit;
  }
  return std::nullopt;
}

}  // namespace genstereo

#include "video/depth_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "errors.h"
#include "io/atomic_write.h"

namespace genstereo {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kManifestName = "manifest.jsonl";
constexpr const char* kKeyName = "key.txt";
constexpr const char* kCompleteName = "complete.json";

json statsToJson(const DepthFrameStats& s) {
  return json::array({s.min, s.max, s.p02, s.p50, s.p95, s.p98, s.scene_cut});
}

DepthFrameStats statsFromJson(const json& j) {
  DepthFrameStats s;
  s.min = j.at(0).get<double>();
  s.max = j.at(1).get<double>();
  s.p02 = j.at(2).get<double>();
  s.p50 = j.at(3).get<double>();
  s.p95 = j.at(4).get<double>();
  s.p98 = j.at(5).get<double>();
  s.scene_cut = j.at(6).get<bool>();
  return s;
}

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void appendLineDurably(const fs::path& path, const std::string& line) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0)
    throw OutputError("cannot write the depth cache manifest " + path.string() + ": " +
                      std::strerror(errno));
  const std::string text = line + "\n";
  const ssize_t written = ::write(fd, text.data(), text.size());
  const int write_errno = errno;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size()) || !synced) {
    throw OutputError("cannot write the depth cache manifest " + path.string() + ": " +
                      std::strerror(written < 0 ? write_errno : ENOSPC));
  }
}

}  // namespace

DepthCache::DepthCache(const fs::path& folder, const std::string& key)
    : folder_(folder), key_(key) {
  std::error_code ec;
  fs::create_directories(folder_ / "depth", ec);
  if (ec)
    throw OutputError("cannot create the depth cache folder " + folder_.string() + ": " +
                      ec.message());
  const fs::path key_path = folder_ / kKeyName;
  const bool same_key = fs::exists(key_path) && readText(key_path) == key_;
  if (!same_key) {
    // Another source or other depth settings: start over.
    fs::remove(folder_ / kManifestName, ec);
    fs::remove(folder_ / kCompleteName, ec);
    for (const auto& file : fs::directory_iterator(folder_ / "depth", ec))
      fs::remove(file.path(), ec);
    writeBytesAtomically(key_path, std::vector<std::uint8_t>(key_.begin(), key_.end()));
    return;
  }
  std::ifstream manifest(folder_ / kManifestName);
  std::string line;
  while (std::getline(manifest, line)) {
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      break;  // a torn last line: the frames after it are redone
    try {
      DepthCacheEntry entry;
      entry.frame = j.at("frame").get<std::int64_t>();
      entry.pts = j.at("pts").get<std::int64_t>();
      entry.time_s = j.at("t").get<double>();
      entry.has_depth = j.at("depth").get<bool>();
      entry.stats = statsFromJson(j.at("stats"));
      if (entry.frame != static_cast<std::int64_t>(entries_.size())) break;
      if (entry.has_depth && !fs::exists(framePath(entry.frame))) break;
      entries_.push_back(entry);
    } catch (const json::exception&) {
      break;
    }
  }
  // Rewrite the manifest when lines were dropped, so that appends follow the last whole line.
  std::string kept;
  for (const DepthCacheEntry& e : entries_) {
    kept += json{{"frame", e.frame},
                 {"pts", e.pts},
                 {"t", e.time_s},
                 {"depth", e.has_depth},
                 {"stats", statsToJson(e.stats)}}
                .dump() +
            "\n";
  }
  if (kept != readText(folder_ / kManifestName)) {
    writeBytesAtomically(folder_ / kManifestName,
                         std::vector<std::uint8_t>(kept.begin(), kept.end()));
    fs::remove(folder_ / kCompleteName, ec);
  }
  if (fs::exists(folder_ / kCompleteName)) {
    json j = json::parse(readText(folder_ / kCompleteName), nullptr, false);
    if (j.is_object() && j.value("frames", -1) == static_cast<std::int64_t>(entries_.size())) {
      complete_ = true;
      total_frames_ = static_cast<std::int64_t>(entries_.size());
    }
  }
}

fs::path DepthCache::framePath(std::int64_t frame) const {
  char name[32];
  std::snprintf(name, sizeof name, "%08lld.png", static_cast<long long>(frame));
  return folder_ / "depth" / name;
}

void DepthCache::append(const DepthCacheEntry& entry, const cv::Mat& depth) {
  if (entry.frame != static_cast<std::int64_t>(entries_.size())) {
    throw Error("depth cache: frame " + std::to_string(entry.frame) + " appended after " +
                std::to_string(entries_.size()) + " frames");
  }
  if (entry.has_depth) {
    const double low = entry.stats.min;
    const double span = entry.stats.max - entry.stats.min;
    cv::Mat finite = depth.clone();
    cv::patchNaNs(finite, low);
    cv::Mat quantised;
    finite.convertTo(quantised, CV_16U, span > 0 ? 65535.0 / span : 0.0,
                     span > 0 ? -low * 65535.0 / span : 0.0);
    std::vector<std::uint8_t> png;
    if (!cv::imencode(".png", quantised, png, {cv::IMWRITE_PNG_COMPRESSION, 1})) {
      throw OutputError("cannot encode the cached depth of frame " + std::to_string(entry.frame));
    }
    writeBytesAtomically(framePath(entry.frame), png);
  }
  appendLineDurably(folder_ / kManifestName, json{{"frame", entry.frame},
                                                  {"pts", entry.pts},
                                                  {"t", entry.time_s},
                                                  {"depth", entry.has_depth},
                                                  {"stats", statsToJson(entry.stats)}}
                                                 .dump());
  entries_.push_back(entry);
}

void DepthCache::markComplete() {
  const std::string text = json{{"frames", entries_.size()}}.dump();
  writeBytesAtomically(folder_ / kCompleteName,
                       std::vector<std::uint8_t>(text.begin(), text.end()));
  complete_ = true;
  total_frames_ = static_cast<std::int64_t>(entries_.size());
}

cv::Mat DepthCache::read(std::int64_t frame) const {
  if (frame < 0 || frame >= static_cast<std::int64_t>(entries_.size()) ||
      !entries_[frame].has_depth) {
    throw InputError("the depth cache " + folder_.string() + " has no depth for frame " +
                     std::to_string(frame));
  }
  const fs::path path = framePath(frame);
  cv::Mat quantised = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
  if (quantised.empty() || quantised.type() != CV_16UC1) {
    throw InputError("the cached depth " + path.string() +
                     " is unreadable (expected a 16-bit grey PNG)");
  }
  const DepthFrameStats& s = entries_[frame].stats;
  cv::Mat depth;
  quantised.convertTo(depth, CV_32F, (s.max - s.min) / 65535.0, s.min);
  return depth;
}

}  // namespace genstereo

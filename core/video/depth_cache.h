// The depth pass's cache: one 16-bit PNG per frame (the frame's raw depth quantised between its
// own min and max) and a manifest (JSON lines, one per frame, fsynced as it grows) with each
// frame's timestamp, statistics and scene-cut flag. A killed run leaves a manifest whose last
// line may be torn: it is dropped, and the run goes on from the frame after the last whole one.
// The cache belongs to one source and one depth setting (its key); a different key clears it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "video/temporal/depth_range_stabilizer.h"

namespace genstereo {

struct DepthCacheEntry {
  std::int64_t frame = 0;
  std::int64_t pts = 0;
  double time_s = 0.0;
  bool has_depth = true;  // false: a frame between depth frames (depth every Nth frame)
  DepthFrameStats stats;  // of the depth frame this one takes its statistics from
};

class DepthCache {
 public:
  // Opens (creates) the cache in `folder` for `key` (any text that names the source and the
  // depth settings). Throws OutputError naming the folder.
  DepthCache(const std::filesystem::path& folder, const std::string& key);

  const std::vector<DepthCacheEntry>& entries() const { return entries_; }
  // True when the depth pass reached the end of the range (markComplete was called).
  bool isComplete() const { return complete_; }
  std::int64_t totalFrames() const { return total_frames_; }

  // Appends the next frame (entry.frame == entries().size()); `depth` (CV_32FC1) is written
  // when entry.has_depth. Throws OutputError (disk full names the file).
  void append(const DepthCacheEntry& entry, const cv::Mat& depth);
  void markComplete();

  // The raw depth of a depth frame, as cached (dequantised). Throws InputError naming the file.
  cv::Mat read(std::int64_t frame) const;
  std::filesystem::path framePath(std::int64_t frame) const;

 private:
  std::filesystem::path folder_;
  std::string key_;
  std::vector<DepthCacheEntry> entries_;
  bool complete_ = false;
  std::int64_t total_frames_ = 0;
};

}  // namespace genstereo

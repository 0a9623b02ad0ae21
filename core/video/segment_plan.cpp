#include "video/segment_plan.h"

#include <algorithm>
#include <cmath>

namespace genstereo {

std::int64_t segmentGridCell(double time_s, double origin_s, double grid_seconds) {
  if (!(grid_seconds > 0.0)) return 0;
  // A microsecond of tolerance: timestamps are rationals printed as doubles.
  return static_cast<std::int64_t>(std::floor((time_s - origin_s) / grid_seconds + 1e-6));
}

std::vector<VideoSegment> planVideoSegments(const std::vector<DepthCacheEntry>& entries,
                                            std::int64_t begin, std::int64_t end, int max_frames,
                                            double origin_s, double grid_seconds) {
  std::vector<VideoSegment> segments;
  const std::int64_t limit = std::max(1, max_frames);
  end = std::min<std::int64_t>(end, static_cast<std::int64_t>(entries.size()));
  if (begin >= end) return segments;
  std::int64_t first = begin;
  std::int64_t cell =
      segmentGridCell(entries[static_cast<std::size_t>(begin)].time_s, origin_s, grid_seconds);
  for (std::int64_t t = begin + 1; t <= end; ++t) {
    bool cut = t == end;
    if (!cut) {
      const DepthCacheEntry& entry = entries[static_cast<std::size_t>(t)];
      const std::int64_t next_cell = segmentGridCell(entry.time_s, origin_s, grid_seconds);
      cut = entry.stats.scene_cut || next_cell != cell || t - first >= limit;
      cell = next_cell;
    }
    if (cut) {
      segments.push_back({first, t});
      first = t;
    }
  }
  return segments;
}

}  // namespace genstereo

#include "video/segment_plan.h"

#include <algorithm>

namespace genstereo {

std::vector<VideoSegment> planVideoSegments(const std::vector<DepthCacheEntry>& entries, int max_frames) {
  std::vector<VideoSegment> segments;
  const std::int64_t limit = std::max(1, max_frames);
  const auto count = static_cast<std::int64_t>(entries.size());
  std::int64_t first = 0;
  for (std::int64_t t = 1; t <= count; ++t) {
    const bool cut = t < count && entries[static_cast<std::size_t>(t)].stats.scene_cut;
    if (t == count || cut || t - first >= limit) {
      segments.push_back({first, t});
      first = t;
    }
  }
  return segments;
}

}  // namespace genstereo

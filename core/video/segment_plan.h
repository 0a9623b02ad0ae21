// The timeline cut into segments for encoding and resume: a new segment at every scene cut and
// after at most `max_frames` frames. A killed run loses at most the segment it was writing.
#pragma once

#include <cstdint>
#include <vector>

#include "video/depth_cache.h"

namespace genstereo {

struct VideoSegment {
  std::int64_t first = 0;  // first frame
  std::int64_t end = 0;    // one past the last frame
};

std::vector<VideoSegment> planVideoSegments(const std::vector<DepthCacheEntry>& entries, int max_frames);

}  // namespace genstereo

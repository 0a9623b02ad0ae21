// The timeline cut into segments for encoding, resume and shards: a new segment at every scene
// cut, at every multiple of `grid_seconds` after the range start (the lines shards split on),
// and after at most `max_frames` frames. Every rule looks at the frame and the segment it is
// in only, so a shard that decodes part of the timeline cuts exactly where a whole run does.
// A killed run loses at most the segment it was writing.
#pragma once

#include <cstdint>
#include <vector>

#include "video/depth_cache.h"

namespace genstereo {

struct VideoSegment {
  std::int64_t first = 0;  // first frame (index in the entries)
  std::int64_t end = 0;    // one past the last frame
};

// The grid cell of a time: floor((time_s - origin_s) / grid_seconds), rounded so that a frame
// exactly on a line belongs to the cell it starts.
std::int64_t segmentGridCell(double time_s, double origin_s, double grid_seconds);

// Segments over entries[begin, end).
std::vector<VideoSegment> planVideoSegments(const std::vector<DepthCacheEntry>& entries,
                                            std::int64_t begin, std::int64_t end, int max_frames,
                                            double origin_s, double grid_seconds);

}  // namespace genstereo

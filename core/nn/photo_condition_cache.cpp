#include "nn/photo_condition_cache.h"

#include <utility>

#include "errors.h"
#include "models/sha256.h"

namespace genstereo {

PhotoConditionCache::PhotoConditionCache(int capacity_photos) : capacity_photos_(capacity_photos) {
  if (capacity_photos < 0) {
    throw InputError("photo cache: capacity must be 0 or more photos, found " +
                     std::to_string(capacity_photos));
  }
}

std::string PhotoConditionCache::keyOf(const cv::Mat& image_rgb8, const std::string& device,
                                       const std::string& dtype) {
  if (image_rgb8.type() != CV_8UC3) throw InputError("photo cache: expected an 8-bit RGB image");
  Sha256 hash;
  const std::size_t row_bytes = static_cast<std::size_t>(image_rgb8.cols) * 3;
  for (int y = 0; y < image_rgb8.rows; ++y) hash.update(image_rgb8.ptr<std::uint8_t>(y), row_bytes);
  return hash.finishHex() + "|" + std::to_string(image_rgb8.cols) + "x" +
         std::to_string(image_rgb8.rows) + "|" + device + "|" + dtype;
}

std::shared_ptr<const PhotoConditions> PhotoConditionCache::find(const std::string& key) {
  const std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->key != key) continue;
    entries_.splice(entries_.begin(), entries_, it);
    ++counters_.cache_hits;
    return entries_.front().conditions;
  }
  return nullptr;
}

void PhotoConditionCache::insert(const std::string& key,
                                 std::shared_ptr<const PhotoConditions> conditions) {
  const std::lock_guard<std::mutex> lock(mutex_);
  if (capacity_photos_ == 0) return;
  entries_.remove_if([&key](const Entry& e) { return e.key == key; });
  entries_.push_front(Entry{key, std::move(conditions)});
  while (static_cast<int>(entries_.size()) > capacity_photos_) entries_.pop_back();
}

int PhotoConditionCache::size() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(entries_.size());
}

PhotoConditionCounters PhotoConditionCache::counters() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return counters_;
}

void PhotoConditionCache::countClip() {
  const std::lock_guard<std::mutex> lock(mutex_);
  ++counters_.clip_forwards;
}

void PhotoConditionCache::countVaeEncode() {
  const std::lock_guard<std::mutex> lock(mutex_);
  ++counters_.vae_encodes;
}

void PhotoConditionCache::countReferenceForward() {
  const std::lock_guard<std::mutex> lock(mutex_);
  ++counters_.reference_forwards;
}

}  // namespace genstereo

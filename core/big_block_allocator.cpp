#include "big_block_allocator.h"

#include <cstdlib>
#include <map>
#include <mutex>
#include <new>

namespace genstereo {

namespace {

// Blocks are rounded to 2 MiB so that images of nearly the same size share cached blocks.
constexpr std::size_t kBlockGranularityBytes = std::size_t{2} << 20;

class BigBlockAllocator final : public cv::MatAllocator {
 public:
  cv::UMatData* allocate(int dims, const int* sizes, int type, void* data0, std::size_t* step,
                         cv::AccessFlag flags, cv::UMatUsageFlags usage) const override {
    std::size_t total = CV_ELEM_SIZE(type);
    for (int i = dims - 1; i >= 0; --i) total *= static_cast<std::size_t>(sizes[i]);
    if (data0 != nullptr || total < kBigBlockBytes) {
      return cv::Mat::getStdAllocator()->allocate(dims, sizes, type, data0, step, flags, usage);
    }
    // Continuous layout, as the standard allocator makes it.
    std::size_t bytes = CV_ELEM_SIZE(type);
    for (int i = dims - 1; i >= 0; --i) {
      if (step != nullptr) step[i] = bytes;
      bytes *= static_cast<std::size_t>(sizes[i]);
    }
    cv::UMatData* u = new cv::UMatData(this);
    u->data = u->origdata = static_cast<uchar*>(take(total));
    u->size = total;
    return u;
  }

  bool allocate(cv::UMatData* u, cv::AccessFlag, cv::UMatUsageFlags) const override {
    return u != nullptr;
  }

  void deallocate(cv::UMatData* u) const override {
    if (u == nullptr) return;
    CV_Assert(u->urefcount == 0);
    CV_Assert(u->refcount == 0);
    give(u->origdata);
    u->origdata = nullptr;
    delete u;
  }

 private:
  // A cached block no more than twice the size asked for, else a new one.
  void* take(std::size_t bytes) const {
    const std::size_t rounded =
        (bytes + kBlockGranularityBytes - 1) / kBlockGranularityBytes * kBlockGranularityBytes;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      const auto it = free_by_size_.lower_bound(rounded);
      if (it != free_by_size_.end() && it->first <= 2 * rounded) {
        void* block = it->second;
        cached_bytes_ -= it->first;
        free_by_size_.erase(it);
        return block;
      }
    }
    void* block = nullptr;
    if (posix_memalign(&block, kBlockGranularityBytes, rounded) != 0) throw std::bad_alloc();
    const std::lock_guard<std::mutex> lock(mutex_);
    size_of_.emplace(block, rounded);
    return block;
  }

  void give(void* block) const {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto size = size_of_.find(block);
    CV_Assert(size != size_of_.end());
    free_by_size_.emplace(size->second, block);
    cached_bytes_ += size->second;
    // Over the limit: release the smallest blocks (the big ones are the expensive ones).
    while (cached_bytes_ > kMaxCachedBytes && !free_by_size_.empty()) {
      const auto smallest = free_by_size_.begin();
      cached_bytes_ -= smallest->first;
      size_of_.erase(smallest->second);
      std::free(smallest->second);
      free_by_size_.erase(smallest);
    }
  }

  mutable std::mutex mutex_;
  mutable std::map<void*, std::size_t> size_of_;            // every live or cached block
  mutable std::multimap<std::size_t, void*> free_by_size_;  // cached blocks
  mutable std::size_t cached_bytes_ = 0;
};

}  // namespace

cv::MatAllocator* bigBlockAllocator() {
  static BigBlockAllocator* const allocator = new BigBlockAllocator();
  return allocator;
}

}  // namespace genstereo

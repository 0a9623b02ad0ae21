// An OpenCV allocator for images of 32 MiB and more (a 2.8-megapixel float RGB image and
// up). glibc serves such blocks with mmap whatever the thresholds (32 MiB is its maximum mmap
// threshold) and unmaps them on free, so each temporary image of a 10-megapixel photo costs
// ~32 000 fresh 4 KiB pages, faulted in and zero-filled one by one (~1 us each on the
// reference VM: 130 ms for one 131 MB float image): a third of the CPU time of a 10.9 MP
// `generate` was page faults. This allocator keeps freed blocks (up to kMaxCachedBytes) for
// the next image of a similar size, which then costs no fault at all. (Transparent huge pages,
// madvise MADV_HUGEPAGE, were tried: first touches became twice as slow on the VM.)
// Smaller images and Mats over user data go to OpenCV's standard allocator. Installed by
// configureProcessMemory() (process_memory.h); thread-safe.
#pragma once

#include <cstddef>

#include <opencv2/core.hpp>

namespace genstereo {

constexpr std::size_t kBigBlockBytes = std::size_t{32} << 20;
constexpr std::size_t kMaxCachedBytes = std::size_t{1} << 30;

// The process-wide instance (never destroyed: Mats may outlive main()).
cv::MatAllocator* bigBlockAllocator();

}  // namespace genstereo

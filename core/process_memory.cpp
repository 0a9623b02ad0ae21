#include "process_memory.h"

#include <cstdlib>  // defines __GLIBC__ on glibc systems (through <features.h>)

#include <opencv2/core.hpp>

#include "big_block_allocator.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace genstereo {

void configureProcessMemory() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
  mallopt(M_TOP_PAD, 256 * 1024 * 1024);
#endif
  cv::Mat::setDefaultAllocator(bigBlockAllocator());
}

}  // namespace genstereo

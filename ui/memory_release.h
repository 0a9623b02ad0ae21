// Gives the memory freed by a closed photo back to the system. glibc keeps freed blocks below
// its mmap threshold in its heaps, and that threshold grows (up to 32 MB) as large images are
// freed, so the resident size would stay near the big photo's after the next, small one is
// open (issue 23, point 9); malloc_trim returns the free pages of every heap. A no-op where the
// C library has no malloc_trim.
#pragma once

namespace genstereo::ui {

void releaseFreedMemory();

}  // namespace genstereo::ui

// Process-wide allocator policy for the programs built on genstereo_core (CLI, GUI, benchmarks).
//
// The engine works on full-resolution float images (12 MB per 1-megapixel RGB image). glibc
// serves such blocks with mmap and returns them on free, so every temporary image costs fresh
// zero-filled pages: at 1 megapixel, page faults were half of the run time. Raising the mmap
// and trim thresholds keeps freed blocks in the heap for reuse. The library never calls this
// itself (it holds no global state); each program's main() does, once, before any work.
#pragma once

namespace genstereo {

// Keeps blocks up to 32 MiB (glibc's maximum mmap threshold) in the heap and stops returning
// free heap memory to the system below 1 GiB (a no-op without glibc's mallopt); images of
// 32 MiB and more go to bigBlockAllocator() (freed blocks reused:
// big_block_allocator.h). Safe to call more than once.
void configureProcessMemory();

}  // namespace genstereo

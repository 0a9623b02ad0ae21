// Disparity maps (readDisparity), seeded with .tiff files: the reader picks the format from
// the first bytes, so this harness reaches every format, starting from tiff.
#include "errors.h"
#include "fuzz_support.h"
#include "io/disparity_io.h"
#include "io/pixel_budget.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  genstereo::setMaxInputPixels(4'000'000);  // explore the parsers, not huge allocations
  const auto path = genstereo::fuzz::writeInput("input.tiff", data, size);
  try {
    (void)genstereo::readDisparity(path);
  } catch (const genstereo::Error&) {
  }
  return 0;
}

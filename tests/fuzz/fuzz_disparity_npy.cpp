// Disparity maps (readDisparity), seeded with .npy files: the reader picks the format from
// the first bytes, so this harness reaches every format, starting from npy.
#include "errors.h"
#include "fuzz_support.h"
#include "io/disparity_io.h"
#include "io/pixel_budget.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  genstereo::setMaxInputPixels(4'000'000);  // explore the parsers, not huge allocations
  const auto path = genstereo::fuzz::writeInput("input.npy", data, size);
  try {
    (void)genstereo::readDisparity(path);
  } catch (const genstereo::Error&) {
  }
  return 0;
}

// Photos (readImage): signature, completeness checks, header dimensions (pixel budget), then
// OpenCV's decoders with the EXIF orientation applied. The budget is lowered so that the
// fuzzer explores the parsers rather than huge allocations.
#include "errors.h"
#include "fuzz_support.h"
#include "io/image_io.h"
#include "io/pixel_budget.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  genstereo::setMaxInputPixels(4'000'000);
  const auto path = genstereo::fuzz::writeInput("input.img", data, size);
  try {
    (void)genstereo::readImage(path);
  } catch (const genstereo::Error&) {
  }
  return 0;
}

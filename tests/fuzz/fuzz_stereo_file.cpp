// Stereo files (io/stereo_file_reader.h): each input is read both as an MPO (MP index, the
// views' JPEGs) and as a JPS (APP3 descriptor, the split of the pair). The budget is lowered so
// that the fuzzer explores the parsers rather than huge allocations.
#include <vector>

#include "errors.h"
#include "io/pixel_budget.h"
#include "io/stereo_file_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  genstereo::setMaxInputPixels(4'000'000);
  const std::vector<std::uint8_t> bytes(data, data + size);
  for (const auto format : {genstereo::StereoFileFormat::kMpo, genstereo::StereoFileFormat::kJps}) {
    try {
      (void)genstereo::decodeStereoFile(bytes, format, "input");
    } catch (const genstereo::Error&) {
    }
  }
  return 0;
}

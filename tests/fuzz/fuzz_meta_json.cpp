// meta.json of an evaluation pair folder (discoverStereoDataset reads its disparity encoding).
#include "errors.h"
#include "eval/stereo_dataset.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path pair = [] {
    const std::filesystem::path folder = genstereo::fuzz::scratchFolder() / "pair";
    std::filesystem::create_directories(folder);
    for (const char* name : {"left.png", "right.png", "disp_left.pfm"})
      std::ofstream(folder / name) << "x";
    return folder;
  }();
  genstereo::fuzz::writeInput("pair/meta.json", data, size);
  try {
    (void)genstereo::discoverStereoDataset(pair);
  } catch (const genstereo::Error&) {
  }
  return 0;
}

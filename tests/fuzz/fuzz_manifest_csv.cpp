// Batch manifests (readBatchManifest), csv. Paths that exist in the scratch folder
// (a.png, a.pfm) let rows get past the existence checks.
#include "batch/batch_inputs.h"
#include "errors.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool has_files = [] {
    for (const char* name : {"a.png", "a.pfm", "b.png"})
      std::ofstream(genstereo::fuzz::scratchFolder() / name) << "x";
    return true;
  }();
  (void)has_files;
  const auto path = genstereo::fuzz::writeInput("list.csv", data, size);
  try {
    (void)genstereo::readBatchManifest(path);
  } catch (const genstereo::Error&) {
  }
  return 0;
}

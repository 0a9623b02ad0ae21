// safetensors checkpoints: header JSON, offsets, dtypes. Every tensor is read.
#include "errors.h"
#include "fuzz_support.h"
#include "io/checkpoint_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = genstereo::fuzz::writeInput("input.safetensors", data, size);
  try {
    const auto file = genstereo::CheckpointFile::open(path);
    for (const genstereo::CheckpointEntry& entry : file->entries())
      (void)file->readAsFloat32(entry.name);
  } catch (const genstereo::Error&) {
  }
  return 0;
}

// .pth checkpoints: ZIP archive + restricted unpickler + tensor views. Every tensor is read.
#include "errors.h"
#include "fuzz_support.h"
#include "io/pth_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = genstereo::fuzz::writeInput("input.pth", data, size);
  try {
    const genstereo::PthFile file(path);
    for (const genstereo::CheckpointTensor& tensor : file.tensors())
      (void)file.readAsFloat32(tensor.name);
  } catch (const genstereo::Error&) {
  }
  return 0;
}

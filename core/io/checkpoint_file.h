// One interface over the checkpoint formats model weights come in: PyTorch .pth/.bin
// (torch.save zip archives, read by pth_reader without executing anything) and safetensors.
// The format is recognised from the file's first bytes, not its extension.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "io/safetensors_reader.h"  // TensorDtype

namespace genstereo {

struct CheckpointEntry {
  std::string name;
  TensorDtype dtype = TensorDtype::kF32;
  std::vector<std::int64_t> shape;
};

class CheckpointFile {
 public:
  // Opens a .pth/.bin (ZIP) or .safetensors file. Throws CheckpointError (or InputError for
  // a missing file) naming the file and what is wrong with it.
  static std::unique_ptr<CheckpointFile> open(const std::filesystem::path& path);
  virtual ~CheckpointFile() = default;

  virtual const std::filesystem::path& path() const = 0;
  // Every tensor, in the file's order.
  virtual const std::vector<CheckpointEntry>& entries() const = 0;
  virtual bool contains(const std::string& name) const = 0;
  // Row-major float32 copy of a tensor (exact for f16/bf16). Throws CheckpointError when absent.
  virtual std::vector<float> readAsFloat32(const std::string& name) const = 0;
};

// "[1, 7, 3, 3]"
std::string shapeToString(const std::vector<std::int64_t>& shape);

}  // namespace genstereo

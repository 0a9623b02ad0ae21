// Reader of PyTorch checkpoints written by torch.save(model.state_dict(), path): a ZIP archive
// with `<archive>/data.pkl` (the pickled dict, read by the restricted unpickler of
// pickle_state_dict.h: nothing is ever executed) and one uncompressed entry
// `<archive>/data/<key>` per storage. LibTorch 1.13's torch::pickle_load cannot read these
// files (it rejects the OrderedDict), hence this reader.
// The file is memory-mapped: opening a 3.4 GB checkpoint reads only its pickle, tensors are
// views into the mapping (float32 / float16 / bfloat16 / float64 / integer storages; strides,
// storage offsets and storages shared by several tensors are handled).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "io/mapped_file.h"
#include "io/safetensors_reader.h"  // TensorDtype, dtypeSize

namespace genstereo {

struct CheckpointTensor {
  std::string name;
  TensorDtype dtype = TensorDtype::kF32;
  std::vector<std::int64_t> shape;
  std::vector<std::int64_t> strides;      // in elements
  std::int64_t storage_offset = 0;        // in elements
  const std::uint8_t* storage = nullptr;  // start of the storage's bytes in the mapping
  std::string storage_key;

  std::int64_t numel() const;
  bool isContiguous() const;
};

class PthFile {
 public:
  // Maps and validates the file. Throws CheckpointError naming the file for: not a ZIP (or the
  // legacy pre-1.6 format), truncated, no data.pkl, a pickle global other than those a state
  // dict uses, a value that is not a tensor, a missing storage entry, a storage shorter than
  // its tensors need, big-endian data.
  explicit PthFile(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return file_.path(); }
  const std::vector<CheckpointTensor>& tensors() const { return tensors_; }
  bool contains(const std::string& name) const;
  // Throws CheckpointError naming the file when the tensor is absent.
  const CheckpointTensor& tensor(const std::string& name) const;

  // The tensor's elements in row-major order, converted to float (exact for f16/bf16).
  std::vector<float> readAsFloat32(const std::string& name) const;

 private:
  MappedFile file_;
  std::vector<CheckpointTensor> tensors_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace genstereo

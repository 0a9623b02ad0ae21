// A restricted unpickler for PyTorch state dicts (the data.pkl inside a .pth file).
//
// Python's pickle can call any function while loading, which makes torch.load of an untrusted
// file run arbitrary code. This reader implements only the opcodes a state dict uses and
// accepts only these globals: collections.OrderedDict, torch._utils._rebuild_tensor_v2,
// torch._utils._rebuild_parameter and the torch.*Storage types. It never executes anything:
// the allowed calls are interpreted (an empty dict, a tensor description). Anything else is a
// CheckpointError naming the file and the offending global or opcode.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "io/safetensors_reader.h"  // TensorDtype

namespace genstereo {

// A tensor as the pickle describes it; its bytes live in the archive entry `storage_key`.
struct PickledTensor {
  std::string name;
  TensorDtype dtype = TensorDtype::kF32;
  std::string storage_key;
  std::int64_t storage_numel = 0;   // elements of the storage, as recorded in the pickle
  std::int64_t storage_offset = 0;  // in elements
  std::vector<std::int64_t> shape;
  std::vector<std::int64_t> strides;  // in elements
};

// Parses a pickle stream whose result is a dict (or OrderedDict) of name -> tensor.
// `display_name` names the file in errors.
std::vector<PickledTensor> readPickledStateDict(const std::uint8_t* data, std::size_t size,
                                                const std::string& display_name);

}  // namespace genstereo

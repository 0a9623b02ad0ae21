#include "io/pth_reader.h"

#include <string>

#include "errors.h"
#include "io/checkpoint_file.h"
#include "io/pickle_state_dict.h"
#include "io/zip_archive.h"

namespace genstereo {

// Checked at load (checkTensorView): the product neither overflows nor exceeds the storage.
std::int64_t CheckpointTensor::numel() const {
  std::int64_t n = 1;
  for (std::int64_t d : shape) n *= d;
  return n;
}

bool CheckpointTensor::isContiguous() const {
  std::int64_t expected = 1;
  for (std::size_t i = shape.size(); i-- > 0;) {
    if (shape[i] != 1 && strides[i] != expected) return false;
    expected *= shape[i];
  }
  return true;
}

namespace {

// The view (offset, shape, strides) must only touch elements of its storage, and its element
// count must be representable and no larger than the storage: a state dict holds no broadcast
// views, and a forged one must not make readAsFloat32 allocate without bound. All arithmetic is
// checked, so that a huge stride cannot wrap around and pass.
void checkTensorView(const PickledTensor& p, const std::string& file) {
  const std::string tensor =
      "'" + file + "': tensor '" + p.name + "' of shape " + shapeToString(p.shape);
  if (p.storage_offset < 0) throw CheckpointError(tensor + " has a negative storage offset");
  std::int64_t numel = 1;
  std::int64_t last = p.storage_offset;
  bool is_overflow = false;
  for (std::size_t i = 0; i < p.shape.size(); ++i) {
    if (p.shape[i] < 0 || p.strides[i] < 0)
      throw CheckpointError(tensor + " has a negative size or stride");
    std::int64_t reach = 0;
    is_overflow = is_overflow || __builtin_mul_overflow(p.shape[i], numel, &numel);
    if (p.shape[i] > 0) {
      is_overflow = is_overflow || __builtin_mul_overflow(p.shape[i] - 1, p.strides[i], &reach) ||
                    __builtin_add_overflow(last, reach, &last);
    }
  }
  if (is_overflow)
    throw CheckpointError(tensor + " has sizes or strides too large to address (forged file?)");
  if (numel == 0) return;
  if (last >= p.storage_numel) {
    throw CheckpointError(tensor + " reaches beyond its storage (" +
                          std::to_string(p.storage_numel) + " elements)");
  }
  if (numel > p.storage_numel) {
    throw CheckpointError(tensor + " has more elements than its storage (" +
                          std::to_string(p.storage_numel) + "): broadcast views are not supported");
  }
}

}  // namespace

PthFile::PthFile(const std::filesystem::path& path) : file_(path) {
  const std::string name = path.string();
  const ZipArchive archive(file_.data(), file_.size(), name);
  // Every entry lives under one top folder (the name torch.save chose).
  const ZipEntry* pickle = nullptr;
  std::string prefix;
  for (const ZipEntry& entry : archive.entries()) {
    const std::size_t slash = entry.name.find('/');
    if (slash != std::string::npos &&
        entry.name.compare(slash, std::string::npos, "/data.pkl") == 0) {
      pickle = &entry;
      prefix = entry.name.substr(0, slash + 1);
      break;
    }
  }
  if (pickle == nullptr) {
    throw CheckpointError("'" + name +
                          "' is a ZIP archive but not a PyTorch checkpoint (no data.pkl)");
  }
  if (const ZipEntry* byteorder = archive.find(prefix + "byteorder")) {
    const std::string order = archive.storedText(*byteorder, 16);
    if (order == "big") {
      throw CheckpointError("'" + name +
                            "' stores big-endian tensors; only little-endian is supported");
    }
    if (order != "little") {
      throw CheckpointError("'" + name +
                            "': its byteorder entry is neither 'little' nor 'big' (damaged file)");
    }
  }
  const std::vector<PickledTensor> pickled = readPickledStateDict(
      archive.storedData(*pickle), static_cast<std::size_t>(pickle->size), name);
  for (const PickledTensor& p : pickled) {
    const ZipEntry* storage = archive.find(prefix + "data/" + p.storage_key);
    if (storage == nullptr) {
      throw CheckpointError("'" + name + "': the storage of tensor '" + p.name + "' (data/" +
                            p.storage_key + ") is missing from the archive");
    }
    CheckpointTensor tensor;
    tensor.name = p.name;
    tensor.dtype = p.dtype;
    tensor.shape = p.shape;
    tensor.strides = p.strides;
    tensor.storage_offset = p.storage_offset;
    tensor.storage_key = p.storage_key;
    tensor.storage = archive.storedData(*storage);
    const std::uint64_t element_size = dtypeSize(p.dtype);
    const std::uint64_t available = storage->size / element_size;
    if (p.storage_numel < 0 || static_cast<std::uint64_t>(p.storage_numel) > available) {
      throw CheckpointError("'" + name + "': storage data/" + p.storage_key + " of tensor '" +
                            p.name + "' should hold " + std::to_string(p.storage_numel) +
                            " elements but has " + std::to_string(available) +
                            " (truncated or damaged file)");
    }
    checkTensorView(p, name);
    if (index_.count(tensor.name) > 0) {
      throw CheckpointError("'" + name + "' lists the tensor '" + p.name +
                            "' twice (damaged or forged file)");
    }
    index_[tensor.name] = tensors_.size();
    tensors_.push_back(std::move(tensor));
  }
}

bool PthFile::contains(const std::string& name) const { return index_.count(name) > 0; }

const CheckpointTensor& PthFile::tensor(const std::string& name) const {
  const auto it = index_.find(name);
  if (it == index_.end()) {
    throw CheckpointError("'" + path().string() + "' has no tensor '" + name + "' (it has " +
                          std::to_string(tensors_.size()) + " tensors)");
  }
  return tensors_[it->second];
}

std::vector<float> PthFile::readAsFloat32(const std::string& name) const {
  const CheckpointTensor& t = tensor(name);
  const std::int64_t count = t.numel();
  std::vector<float> values(static_cast<std::size_t>(count));
  if (count == 0) return values;
  const std::size_t element_size = dtypeSize(t.dtype);
  if (t.isContiguous()) {
    convertToFloat32(t.dtype, t.storage + static_cast<std::size_t>(t.storage_offset) * element_size,
                     count, values.data());
    return values;
  }
  const std::size_t rank = t.shape.size();
  std::vector<std::int64_t> index(rank, 0);
  std::int64_t offset = t.storage_offset;
  for (std::int64_t i = 0; i < count; ++i) {
    convertToFloat32(t.dtype, t.storage + static_cast<std::size_t>(offset) * element_size, 1,
                     &values[static_cast<std::size_t>(i)]);
    // Advance the multi-index (row-major), keeping the storage offset in step.
    for (std::size_t d = rank; d-- > 0;) {
      offset += t.strides[d];
      if (++index[d] < t.shape[d]) break;
      offset -= t.strides[d] * t.shape[d];
      index[d] = 0;
    }
  }
  return values;
}

}  // namespace genstereo

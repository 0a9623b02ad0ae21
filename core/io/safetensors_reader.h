// Reader (and a small writer) of the Hugging Face safetensors format:
//   8 bytes      little-endian uint64 N, the header length
//   N bytes      JSON object {name: {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]},
//                optional "__metadata__": {string: string}}
//   the rest     raw little-endian tensor data; data_offsets are relative to its start.
// The file is memory-mapped read-only, so opening a multi-GB checkpoint costs nothing until
// its tensors are read, and data() hands out views into the mapping without copying.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

#include "io/mapped_file.h"

namespace genstereo {

// Element types of the format (their names in the header: F32 F16 BF16 F64 I64 I32 U8 I8 BOOL).
enum class TensorDtype { kF32, kF16, kBF16, kF64, kI64, kI32, kU8, kI8, kBool };

// The header name of a dtype ("F32", "BF16", ...).
const char* toString(TensorDtype dtype);

// Bytes per element.
std::size_t dtypeSize(TensorDtype dtype);

// Exact conversions of IEEE half (binary16) and bfloat16 bit patterns to float (subnormals,
// infinities and NaN included).
float halfBitsToFloat(std::uint16_t bits);
float bfloat16BitsToFloat(std::uint16_t bits);

// Converts `count` contiguous little-endian elements of `dtype` at `bytes` (any alignment) to
// float: exact for f16/bf16, nearest for f64 and integers (f64 beyond the float range gives
// +-infinity), 0/1 for bool.
void convertToFloat32(TensorDtype dtype, const std::uint8_t* bytes, std::int64_t count, float* out);

// One tensor of the file.
struct TensorInfo {
  std::string name;
  TensorDtype dtype = TensorDtype::kF32;
  std::vector<std::int64_t> shape;  // empty for a scalar
  std::size_t byte_offset = 0;      // from the start of the file
  std::size_t byte_size = 0;

  // Number of elements (1 for a scalar).
  std::int64_t numel() const;
};

// An open safetensors file. Movable, not copyable; the mapping lives as long as the object,
// so pointers from data() are valid until it is destroyed.
class SafetensorsFile {
 public:
  // Maps and validates the file. Throws InputError naming the file when it is missing,
  // unreadable, shorter than 8 bytes, has a header length beyond the file, a header that is
  // not a JSON object, an unknown dtype, a shape whose size does not match data_offsets, or
  // offsets outside the data or overlapping.
  explicit SafetensorsFile(const std::filesystem::path& path);
  SafetensorsFile(SafetensorsFile&& other) noexcept = default;
  SafetensorsFile& operator=(SafetensorsFile&& other) noexcept = default;
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  const std::filesystem::path& path() const { return file_.path(); }

  // All tensors in the order of their data in the file.
  const std::vector<TensorInfo>& tensors() const { return tensors_; }

  bool contains(const std::string& name) const;

  // Throws InputError naming the file and a few of its tensors when `name` is not in it.
  const TensorInfo& info(const std::string& name) const;

  // The raw little-endian bytes of a tensor (info(name).byte_size of them) inside the mapping.
  // Not necessarily aligned to the element size: copy with std::memcpy to read elements.
  const std::uint8_t* data(const std::string& name) const;

  // The tensor's elements converted to float, in row-major order. F32 is copied, F16/BF16 are
  // converted exactly, F64 and the integer types are rounded to the nearest float (F64 beyond
  // the float range gives +-infinity), BOOL gives 0 or 1.
  std::vector<float> readAsFloat32(const std::string& name) const;

  // The "__metadata__" entries (empty when the header has none).
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

 private:
  void parseHeader();

  MappedFile file_;
  std::vector<TensorInfo> tensors_;
  std::unordered_map<std::string, std::size_t> index_by_name_;
  std::map<std::string, std::string> metadata_;
};

// Writes Mats as a safetensors file (no metadata), atomically (temporary file + rename), in the
// given order. Each Mat must be 2-D, of depth CV_8U (U8), CV_8S (I8), CV_32S (I32), CV_32F (F32)
// or CV_64F (F64); its shape is [rows, cols, channels], or [rows, cols] with one channel.
// Throws InputError for an unsupported Mat or a repeated name, OutputError when the file
// cannot be written.
void writeSafetensors(const std::filesystem::path& path,
                      const std::vector<std::pair<std::string, cv::Mat>>& tensors);

}  // namespace genstereo

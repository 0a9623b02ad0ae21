#include "io/safetensors_reader.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "errors.h"
#include "io/atomic_write.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the safetensors reader assumes a little-endian host");

namespace genstereo {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kLengthFieldBytes = 8;
// The reference implementation refuses headers over 100 MB; so do we.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;
// A valid header nests 3 levels deep (header object, tensor object, shape array). Deeper
// nesting is refused before parsing so that a malicious header cannot exhaust the stack.
constexpr int kMaxHeaderNesting = 8;
constexpr const char* kMetadataKey = "__metadata__";
// Real checkpoints hold a few thousand tensors (Stable Diffusion's UNet about 700, the whole
// pipeline under 2000); a header listing more is refused before it is parsed.
constexpr std::size_t kMaxTensorCount = 200'000;

struct DtypeName {
  TensorDtype dtype;
  const char* name;
  std::size_t size;
};

constexpr DtypeName kDtypes[] = {
    {TensorDtype::kF32, "F32", 4}, {TensorDtype::kF16, "F16", 2}, {TensorDtype::kBF16, "BF16", 2},
    {TensorDtype::kF64, "F64", 8}, {TensorDtype::kI64, "I64", 8}, {TensorDtype::kI32, "I32", 4},
    {TensorDtype::kU8, "U8", 1},   {TensorDtype::kI8, "I8", 1},   {TensorDtype::kBool, "BOOL", 1},
};

const DtypeName& dtypeEntry(TensorDtype dtype) {
  for (const DtypeName& entry : kDtypes) {
    if (entry.dtype == dtype) return entry;
  }
  return kDtypes[0];
}

std::string supportedDtypeList() {
  std::string list;
  for (const DtypeName& entry : kDtypes) {
    if (!list.empty()) list += ", ";
    list += entry.name;
  }
  return list;
}

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

std::string shapeToString(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

// What one pass over the header text finds before it is parsed: the deepest nesting of JSON
// arrays/objects, and the raw text of every key of the top-level object (its tensor names and
// "__metadata__"), escapes undecoded. Linear in the header size.
struct HeaderScan {
  int deepest = 0;
  std::vector<std::pair<std::size_t, std::size_t>> top_level_keys;  // offset, length
};

HeaderScan scanHeader(const char* text, std::size_t size) {
  HeaderScan scan;
  int depth = 0;
  bool is_in_string = false;
  bool expects_key = false;  // at depth 1, after '{' or ','
  std::size_t string_start = 0;
  bool is_key = false;
  for (std::size_t i = 0; i < size; ++i) {
    const char c = text[i];
    if (c == '\0') break;  // where nlohmann's parser sees the end of the input
    if (is_in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        is_in_string = false;
        if (is_key) scan.top_level_keys.emplace_back(string_start, i - string_start);
      }
    } else if (c == '"') {
      is_in_string = true;
      is_key = depth == 1 && expects_key;
      expects_key = false;
      string_start = i + 1;
    } else if (c == '{' || c == '[') {
      scan.deepest = std::max(scan.deepest, ++depth);
      expects_key = depth == 1 && c == '{';
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == ',' && depth == 1) {
      expects_key = true;
    }
  }
  return scan;
}

// A non-negative integer from the header, or false.
bool readCount(const nlohmann::json& value, std::uint64_t& count) {
  if (value.is_number_unsigned()) {
    count = value.get<std::uint64_t>();
    return true;
  }
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
    count = static_cast<std::uint64_t>(value.get<std::int64_t>());
    return true;
  }
  return false;
}

template <typename T>
T loadElement(const std::uint8_t* bytes, std::int64_t index) {
  T value;
  std::memcpy(&value, bytes + static_cast<std::size_t>(index) * sizeof(T), sizeof(T));
  return value;
}

template <typename T>
void convertElements(const std::uint8_t* bytes, std::int64_t count, float* out) {
  for (std::int64_t i = 0; i < count; ++i) out[i] = static_cast<float>(loadElement<T>(bytes, i));
}

// Doubles beyond the float range become infinities (a plain cast would be undefined).
void convertDoubles(const std::uint8_t* bytes, std::int64_t count, float* out) {
  constexpr double kFloatMax = std::numeric_limits<float>::max();
  for (std::int64_t i = 0; i < count; ++i) {
    const double value = loadElement<double>(bytes, i);
    if (value > kFloatMax) {
      out[i] = std::numeric_limits<float>::infinity();
    } else if (value < -kFloatMax) {
      out[i] = -std::numeric_limits<float>::infinity();
    } else {
      out[i] = static_cast<float>(value);
    }
  }
}

float bitsToFloat(std::uint32_t bits) {
  float value = 0.0f;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

}  // namespace

const char* toString(TensorDtype dtype) { return dtypeEntry(dtype).name; }

std::size_t dtypeSize(TensorDtype dtype) { return dtypeEntry(dtype).size; }

float halfBitsToFloat(std::uint16_t bits) {
  const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
  std::uint32_t exponent = (bits >> 10) & 0x1fu;
  std::uint32_t mantissa = bits & 0x3ffu;
  if (exponent == 0x1fu) {  // infinity or NaN (payload kept)
    return bitsToFloat(sign | 0x7f800000u | (mantissa << 13));
  }
  if (exponent == 0) {
    if (mantissa == 0) return bitsToFloat(sign);  // signed zero
    // Subnormal half: mantissa * 2^-24. Normalise it; every such value is a normal float.
    exponent = 127 - 14;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      --exponent;
    }
    mantissa &= 0x3ffu;
    return bitsToFloat(sign | (exponent << 23) | (mantissa << 13));
  }
  return bitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
}

float bfloat16BitsToFloat(std::uint16_t bits) {
  return bitsToFloat(static_cast<std::uint32_t>(bits) << 16);
}

std::int64_t TensorInfo::numel() const {
  std::int64_t count = 1;
  for (const std::int64_t dim : shape) count *= dim;
  return count;
}

SafetensorsFile::SafetensorsFile(const fs::path& path) : file_(path) {
  if (file_.size() < kLengthFieldBytes) {
    throw InputError(quoted(path) + " is not a safetensors file: it has " +
                     std::to_string(file_.size()) + " bytes, fewer than the 8-byte header length");
  }
  parseHeader();
}

void SafetensorsFile::parseHeader() {
  const std::string invalid = quoted(file_.path()) + " is not a valid safetensors file: ";
  std::uint64_t header_bytes = 0;
  std::memcpy(&header_bytes, file_.data(), sizeof(header_bytes));
  const std::uint64_t rest_bytes = file_.size() - kLengthFieldBytes;
  if (header_bytes > rest_bytes) {
    throw InputError(invalid + "the header length " + std::to_string(header_bytes) +
                     " is larger than the rest of the file (" + std::to_string(rest_bytes) +
                     " bytes); is it truncated?");
  }
  if (header_bytes > kMaxHeaderBytes) {
    throw InputError(invalid + "the header length " + std::to_string(header_bytes) +
                     " exceeds the limit of " + std::to_string(kMaxHeaderBytes) + " bytes");
  }
  const char* header_text = reinterpret_cast<const char*>(file_.data() + kLengthFieldBytes);
  const HeaderScan scan = scanHeader(header_text, header_bytes);
  if (scan.deepest > kMaxHeaderNesting) {
    throw InputError(invalid + "the header nests JSON more than " +
                     std::to_string(kMaxHeaderNesting) + " levels deep");
  }
  std::size_t tensor_count = scan.top_level_keys.size();
  for (const auto& [offset, length] : scan.top_level_keys) {
    if (std::string_view(header_text + offset, length) == kMetadataKey) --tensor_count;
  }
  if (tensor_count > kMaxTensorCount) {
    throw InputError(invalid + "the header lists " + std::to_string(tensor_count) +
                     " tensors, more than the limit of " + std::to_string(kMaxTensorCount));
  }
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(header_text, header_text + header_bytes);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(invalid + "the header is not valid JSON (" + e.what() + ")");
  }
  // JSON lets a key appear twice and the parser keeps the last one; a tensor listed twice is
  // refused instead of guessing which entry is meant. The keys found by the scan are compared
  // (a hash set: linear), escapes decoded by the JSON parser where there are any.
  if (header.is_object() && scan.top_level_keys.size() != header.size()) {
    std::unordered_set<std::string> names;
    names.reserve(scan.top_level_keys.size());
    for (const auto& [offset, length] : scan.top_level_keys) {
      std::string name(header_text + offset, length);
      if (name.find('\\') != std::string::npos) {
        const nlohmann::json decoded = nlohmann::json::parse("\"" + name + "\"", nullptr, false);
        if (decoded.is_string()) name = decoded.get<std::string>();
      }
      if (!names.insert(name).second) {
        throw InputError(invalid + "the header lists '" + name + "' twice");
      }
    }
  }
  if (!header.is_object()) {
    throw InputError(invalid + "the header is a JSON " + header.type_name() +
                     ", expected an object");
  }

  const std::size_t data_start = kLengthFieldBytes + static_cast<std::size_t>(header_bytes);
  const std::size_t data_bytes = file_.size() - data_start;
  for (const auto& [name, entry] : header.items()) {
    if (name == kMetadataKey) {
      if (!entry.is_object()) throw InputError(invalid + "\"__metadata__\" is not an object");
      for (const auto& [key, value] : entry.items()) {
        if (!value.is_string()) {
          throw InputError(invalid + "metadata entry '" + key + "' is not a string");
        }
        metadata_[key] = value.get<std::string>();
      }
      continue;
    }
    const std::string tensor = invalid + "tensor '" + name + "': ";
    if (!entry.is_object()) throw InputError(tensor + "its entry is not a JSON object");
    const auto dtype_it = entry.find("dtype");
    const auto shape_it = entry.find("shape");
    const auto offsets_it = entry.find("data_offsets");
    if (dtype_it == entry.end() || shape_it == entry.end() || offsets_it == entry.end()) {
      throw InputError(tensor + "'dtype', 'shape' and 'data_offsets' are all required");
    }
    if (!dtype_it->is_string()) throw InputError(tensor + "'dtype' is not a string");
    const std::string dtype_name = dtype_it->get<std::string>();
    const auto known = std::find_if(std::begin(kDtypes), std::end(kDtypes),
                                    [&](const DtypeName& d) { return dtype_name == d.name; });
    if (known == std::end(kDtypes)) {
      throw InputError(tensor + "unsupported dtype '" + dtype_name +
                       "' (supported: " + supportedDtypeList() + ")");
    }

    if (!shape_it->is_array()) throw InputError(tensor + "'shape' is not an array");
    TensorInfo info;
    info.name = name;
    info.dtype = known->dtype;
    // Element count with overflow detection; anything beyond the file size cannot match.
    std::uint64_t element_count = 1;
    bool is_too_large = false;
    for (const nlohmann::json& dim : *shape_it) {
      std::uint64_t extent = 0;
      if (!readCount(dim, extent) ||
          extent > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        throw InputError(tensor + "'shape' " + shape_it->dump() +
                         " must hold non-negative integers");
      }
      info.shape.push_back(static_cast<std::int64_t>(extent));
      if (extent != 0 && element_count > std::numeric_limits<std::uint64_t>::max() / extent) {
        is_too_large = true;
      }
      element_count *= extent;
    }

    std::uint64_t begin = 0;
    std::uint64_t end = 0;
    if (!offsets_it->is_array() || offsets_it->size() != 2 || !readCount((*offsets_it)[0], begin) ||
        !readCount((*offsets_it)[1], end) || begin > end) {
      throw InputError(tensor + "'data_offsets' " + offsets_it->dump() +
                       " must be [begin, end] with 0 <= begin <= end");
    }
    if (end > data_bytes) {
      throw InputError(tensor + "'data_offsets' " + offsets_it->dump() +
                       " go beyond the end of the data (" + std::to_string(data_bytes) +
                       " bytes); is the file truncated?");
    }
    const std::uint64_t span_bytes = end - begin;
    const std::uint64_t element_bytes = known->size;
    if (is_too_large || element_count > span_bytes / element_bytes ||
        element_count * element_bytes != span_bytes) {
      throw InputError(tensor + "shape " + shapeToString(info.shape) + " of " + known->name +
                       " needs " +
                       (is_too_large ? std::string("more than 2^64")
                                     : std::to_string(element_count * element_bytes)) +
                       " bytes but 'data_offsets' " + offsets_it->dump() + " span " +
                       std::to_string(span_bytes) + " bytes");
    }
    info.byte_offset = data_start + static_cast<std::size_t>(begin);
    info.byte_size = static_cast<std::size_t>(span_bytes);
    tensors_.push_back(std::move(info));
  }

  std::sort(tensors_.begin(), tensors_.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.byte_offset != b.byte_offset ? a.byte_offset < b.byte_offset
                                          : a.byte_size < b.byte_size;
  });
  const TensorInfo* previous = nullptr;
  for (const TensorInfo& info : tensors_) {
    if (info.byte_size == 0) continue;
    if (previous != nullptr && info.byte_offset < previous->byte_offset + previous->byte_size) {
      throw InputError(invalid + "the data of tensors '" + previous->name + "' and '" + info.name +
                       "' overlap");
    }
    previous = &info;
  }
  for (std::size_t i = 0; i < tensors_.size(); ++i) index_by_name_[tensors_[i].name] = i;
}

bool SafetensorsFile::contains(const std::string& name) const {
  return index_by_name_.count(name) != 0;
}

const TensorInfo& SafetensorsFile::info(const std::string& name) const {
  const auto it = index_by_name_.find(name);
  if (it != index_by_name_.end()) return tensors_[it->second];
  std::string message = quoted(file_.path()) + " has no tensor '" + name + "' (";
  if (tensors_.empty()) {
    message += "it has no tensors)";
  } else {
    message += "it has " + std::to_string(tensors_.size()) +
               (tensors_.size() == 1 ? " tensor" : " tensors") + ", e.g. ";
    const std::size_t shown = std::min<std::size_t>(tensors_.size(), 3);
    for (std::size_t i = 0; i < shown; ++i) {
      if (i > 0) message += ", ";
      message += "'" + tensors_[i].name + "'";
    }
    message += ")";
  }
  throw InputError(message);
}

const std::uint8_t* SafetensorsFile::data(const std::string& name) const {
  return file_.data() + info(name).byte_offset;
}

void convertToFloat32(TensorDtype dtype, const std::uint8_t* bytes, std::int64_t count,
                      float* out) {
  switch (dtype) {
    case TensorDtype::kF32:
      if (count > 0) std::memcpy(out, bytes, static_cast<std::size_t>(count) * sizeof(float));
      break;
    case TensorDtype::kF16:
      for (std::int64_t i = 0; i < count; ++i) {
        out[i] = halfBitsToFloat(loadElement<std::uint16_t>(bytes, i));
      }
      break;
    case TensorDtype::kBF16:
      for (std::int64_t i = 0; i < count; ++i) {
        out[i] = bfloat16BitsToFloat(loadElement<std::uint16_t>(bytes, i));
      }
      break;
    case TensorDtype::kF64:
      convertDoubles(bytes, count, out);
      break;
    case TensorDtype::kI64:
      convertElements<std::int64_t>(bytes, count, out);
      break;
    case TensorDtype::kI32:
      convertElements<std::int32_t>(bytes, count, out);
      break;
    case TensorDtype::kU8:
      convertElements<std::uint8_t>(bytes, count, out);
      break;
    case TensorDtype::kI8:
      convertElements<std::int8_t>(bytes, count, out);
      break;
    case TensorDtype::kBool:
      for (std::int64_t i = 0; i < count; ++i) out[i] = bytes[i] != 0 ? 1.0f : 0.0f;
      break;
  }
}

std::vector<float> SafetensorsFile::readAsFloat32(const std::string& name) const {
  const TensorInfo& tensor = info(name);
  std::vector<float> values(static_cast<std::size_t>(tensor.numel()));
  convertToFloat32(tensor.dtype, file_.data() + tensor.byte_offset, tensor.numel(), values.data());
  return values;
}

void writeSafetensors(const fs::path& path,
                      const std::vector<std::pair<std::string, cv::Mat>>& tensors) {
  const std::string cannot = "cannot write safetensors file " + quoted(path) + ": ";
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  std::size_t data_bytes = 0;
  for (const auto& [name, mat] : tensors) {
    if (name.empty() || name == kMetadataKey) {
      throw InputError(cannot + "invalid tensor name '" + name + "'");
    }
    if (header.contains(name)) throw InputError(cannot + "tensor '" + name + "' is repeated");
    if (mat.empty() || mat.dims != 2) {
      throw InputError(cannot + "tensor '" + name + "' is empty or not 2-D");
    }
    const char* dtype = nullptr;
    switch (mat.depth()) {
      case CV_8U:
        dtype = "U8";
        break;
      case CV_8S:
        dtype = "I8";
        break;
      case CV_32S:
        dtype = "I32";
        break;
      case CV_32F:
        dtype = "F32";
        break;
      case CV_64F:
        dtype = "F64";
        break;
      default:
        throw InputError(cannot + "tensor '" + name + "' has the unsupported type " +
                         cv::typeToString(mat.type()) +
                         " (supported depths: CV_8U, CV_8S, CV_32S, CV_32F, CV_64F)");
    }
    std::vector<std::int64_t> shape = {mat.rows, mat.cols};
    if (mat.channels() > 1) shape.push_back(mat.channels());
    const std::size_t byte_size = mat.total() * mat.elemSize();
    header[name] = {
        {"dtype", dtype}, {"shape", shape}, {"data_offsets", {data_bytes, data_bytes + byte_size}}};
    data_bytes += byte_size;
  }
  std::string header_text = header.dump();
  // Pads with spaces so that the data starts 8-byte aligned, as the reference writer does.
  header_text.append(
      (kLengthFieldBytes - header_text.size() % kLengthFieldBytes) % kLengthFieldBytes, ' ');

  std::vector<std::uint8_t> bytes;
  bytes.reserve(kLengthFieldBytes + header_text.size() + data_bytes);
  const std::uint64_t header_length = header_text.size();
  const auto* length_bytes = reinterpret_cast<const std::uint8_t*>(&header_length);
  bytes.insert(bytes.end(), length_bytes, length_bytes + sizeof(header_length));
  bytes.insert(bytes.end(), header_text.begin(), header_text.end());
  for (const auto& entry : tensors) {
    const cv::Mat& mat = entry.second;
    const std::size_t row_bytes = static_cast<std::size_t>(mat.cols) * mat.elemSize();
    for (int y = 0; y < mat.rows; ++y) {
      const std::uint8_t* row = mat.ptr<std::uint8_t>(y);
      bytes.insert(bytes.end(), row, row + row_bytes);
    }
  }
  writeBytesAtomically(path, bytes);
}

}  // namespace genstereo

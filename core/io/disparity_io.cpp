#include "io/disparity_io.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "errors.h"
#include "io/atomic_write.h"
#include "io/image_io.h"
#include "io/pixel_budget.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

constexpr const char* kSupportedReadFormats =
    "PFM, PNG (8- or 16-bit, 1 channel), TIFF (float32/float64, 1 channel), NumPy .npy "
    "(float32/float64)";
constexpr const char* kSupportedWriteExtensions = ".pfm .png .tif .tiff .npy";

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

std::string sizeText(std::uint64_t width, std::uint64_t height) {
  return std::to_string(width) + "x" + std::to_string(height);
}

// ---- Byte order -------------------------------------------------------------------------

std::uint32_t loadUint32(const std::uint8_t* p, bool is_little_endian) {
  return is_little_endian ? (std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) |
                             (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24))
                          : (std::uint32_t{p[3]} | (std::uint32_t{p[2]} << 8) |
                             (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[0]} << 24));
}

float loadFloat32(const std::uint8_t* p, bool is_little_endian) {
  const std::uint32_t bits = loadUint32(p, is_little_endian);
  float value = 0.0f;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

float loadFloat64AsFloat32(const std::uint8_t* p, bool is_little_endian) {
  const std::uint64_t low = loadUint32(is_little_endian ? p : p + 4, is_little_endian);
  const std::uint64_t high = loadUint32(is_little_endian ? p + 4 : p, is_little_endian);
  const std::uint64_t bits = low | (high << 32);
  double value = 0.0;
  std::memcpy(&value, &bits, sizeof value);
  return static_cast<float>(value);
}

void appendFloat32LittleEndian(std::vector<std::uint8_t>& out, float value) {
  std::uint32_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  for (int shift = 0; shift < 32; shift += 8)
    out.push_back(static_cast<std::uint8_t>(bits >> shift));
}

void appendText(std::vector<std::uint8_t>& out, const std::string& text) {
  out.insert(out.end(), text.begin(), text.end());
}

// ---- Shared checks ----------------------------------------------------------------------

// Bytes needed for width x height x channels samples of sample_bytes each; throws on a
// zero size. Sizes come from headers of at most 32-bit integers, so this cannot overflow.
std::uint64_t requiredDataBytes(std::uint64_t width, std::uint64_t height, std::uint64_t channels,
                                std::uint64_t sample_bytes, const fs::path& path,
                                const std::string& format) {
  if (width == 0 || height == 0) {
    throw InputError(quoted(path) + ": " + format + " header says the map is " +
                     sizeText(width, height) + "; expected a non-empty map");
  }
  const std::uint64_t max_side = std::numeric_limits<int>::max();
  if (width > max_side || height > max_side || width * height > max_side) {
    throw InputError(quoted(path) + ": " + format + " header says the map is " +
                     sizeText(width, height) + ", too large to load");
  }
  checkPixelBudget(static_cast<std::int64_t>(width), static_cast<std::int64_t>(height), path,
                   format + " disparity map");
  return width * height * channels * sample_bytes;
}

void checkDataSize(std::uint64_t required, std::uint64_t available, const fs::path& path,
                   const std::string& description) {
  if (available < required) {
    throw InputError(quoted(path) + ": truncated " + description + " (" + std::to_string(required) +
                     " bytes of data), file has " + std::to_string(available));
  }
}

// Header text quoted in a message: non-printable bytes as '?', at most 80 characters.
std::string printable(const std::string& text) {
  std::string out = text.substr(0, 80);
  for (char& c : out) {
    if (!std::isprint(static_cast<unsigned char>(c))) c = '?';
  }
  return text.size() > 80 ? out + "..." : out;
}

std::string lowerExtension(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

// ---- PFM --------------------------------------------------------------------------------

bool isPfmSpace(std::uint8_t c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The next whitespace-separated token of the PFM header, starting at `pos`.
std::string nextPfmToken(const std::vector<std::uint8_t>& bytes, std::size_t& pos) {
  constexpr std::size_t kMaxHeaderBytes = 256;
  while (pos < bytes.size() && pos < kMaxHeaderBytes && isPfmSpace(bytes[pos])) ++pos;
  std::string token;
  while (pos < bytes.size() && pos < kMaxHeaderBytes && !isPfmSpace(bytes[pos])) {
    token += static_cast<char>(bytes[pos++]);
  }
  return token;
}

bool parseUint(const std::string& token, std::uint64_t& value) {
  if (token.empty() || token.size() > 9) return false;
  value = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}

DisparityMap readPfm(const std::vector<std::uint8_t>& bytes, const fs::path& path) {
  const std::string expected =
      "expected 'PF' or 'Pf', then width, height and scale (negative = little endian)";
  const std::uint64_t channels = bytes[1] == 'F' ? 3 : 1;
  std::size_t pos = 2;
  const std::string width_token = nextPfmToken(bytes, pos);
  const std::string height_token = nextPfmToken(bytes, pos);
  const std::string scale_token = nextPfmToken(bytes, pos);
  std::uint64_t width = 0;
  std::uint64_t height = 0;
  double scale = 0.0;
  bool is_scale_valid = false;
  try {
    std::size_t used = 0;
    scale = std::stod(scale_token, &used);
    is_scale_valid = used == scale_token.size() && std::isfinite(scale) && scale != 0.0;
  } catch (const std::exception&) {
    is_scale_valid = false;
  }
  if (!parseUint(width_token, width) || !parseUint(height_token, height) || !is_scale_valid ||
      pos >= bytes.size() || !isPfmSpace(bytes[pos])) {
    throw InputError(quoted(path) + ": bad PFM header: " + expected + "; found width '" +
                     printable(width_token) + "', height '" + printable(height_token) +
                     "', scale '" + printable(scale_token) + "'");
  }
  const std::uint64_t required = requiredDataBytes(width, height, channels, 4, path, "PFM");
  // One whitespace character ends the header; a CR LF (a header written on Windows) counts as
  // one when the data still fits after it.
  const bool is_crlf = bytes[pos] == '\r' && pos + 1 < bytes.size() && bytes[pos + 1] == '\n' &&
                       bytes.size() - (pos + 2) >= required;
  pos += is_crlf ? 2 : 1;
  checkDataSize(
      required, bytes.size() - pos, path,
      "PFM: header says " + sizeText(width, height) + "x" + std::to_string(channels) + " float32");
  const bool is_little_endian = scale < 0.0;
  const int rows = static_cast<int>(height);
  const int cols = static_cast<int>(width);
  cv::Mat values(rows, cols, CV_32FC1);
  const std::uint8_t* data = bytes.data() + pos;
  for (int file_row = 0; file_row < rows; ++file_row) {
    float* out = values.ptr<float>(rows - 1 - file_row);  // rows are stored bottom to top
    const std::uint8_t* in = data + static_cast<std::size_t>(file_row) * cols * channels * 4;
    for (int x = 0; x < cols; ++x) out[x] = loadFloat32(in + x * channels * 4, is_little_endian);
  }
  return makeDisparityMap(values);
}

// ---- NumPy .npy -------------------------------------------------------------------------

// Value of `key` in the header dict, up to the next ',' or '}' at depth 0 (so a tuple stays
// whole). Returns false when the key is absent.
bool findNpyValue(const std::string& header, const std::string& key, std::string& value) {
  std::size_t at = std::string::npos;
  for (const char quote : {'\'', '"'}) {
    at = header.find(std::string(1, quote) + key + quote);
    if (at != std::string::npos) break;
  }
  if (at == std::string::npos) return false;
  at = header.find(':', at + key.size() + 2);
  if (at == std::string::npos) return false;
  ++at;
  int depth = 0;
  std::size_t end = at;
  for (; end < header.size(); ++end) {
    const char c = header[end];
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth == 0 && (c == ',' || c == '}')) break;
    if (depth < 0) break;
  }
  value = header.substr(at, end - at);
  const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!value.empty() && is_space(value.front())) value.erase(value.begin());
  while (!value.empty() && is_space(value.back())) value.pop_back();
  return true;
}

// Parses "(480, 640)" or "(480, 640, 1)"; returns false when it is not a tuple of integers.
bool parseNpyShape(const std::string& text, std::vector<std::uint64_t>& shape) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') return false;
  shape.clear();
  std::string item;
  const std::string inside = text.substr(1, text.size() - 2) + ",";
  for (char c : inside) {
    if (c == ',') {
      if (item.empty()) continue;  // trailing comma of "(5,)"
      std::uint64_t dimension = 0;
      if (!parseUint(item, dimension)) return false;
      shape.push_back(dimension);
      item.clear();
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      item += c;
    }
  }
  return true;
}

DisparityMap readNpy(const std::vector<std::uint8_t>& bytes, const fs::path& path) {
  if (bytes.size() < 10) {
    throw InputError(quoted(path) + ": truncated NPY: the file has " +
                     std::to_string(bytes.size()) + " bytes, the header alone needs at least 10");
  }
  const int major_version = bytes[6];
  if (major_version < 1 || major_version > 3) {
    throw InputError(quoted(path) + ": unsupported NPY format version " +
                     std::to_string(major_version) + "; expected 1, 2 or 3");
  }
  const std::size_t length_bytes = major_version == 1 ? 2 : 4;
  if (bytes.size() < 8 + length_bytes) {
    throw InputError(quoted(path) + ": truncated NPY header");
  }
  const std::uint64_t header_length =
      major_version == 1 ? (std::uint64_t{bytes[8]} | (std::uint64_t{bytes[9]} << 8))
                         : loadUint32(bytes.data() + 8, true);
  const std::uint64_t data_start = 8 + length_bytes + header_length;
  if (data_start > bytes.size()) {
    throw InputError(quoted(path) + ": truncated NPY: header says it is " +
                     std::to_string(header_length) + " bytes long, file has " +
                     std::to_string(bytes.size()));
  }
  const std::string header(bytes.begin() + static_cast<std::ptrdiff_t>(8 + length_bytes),
                           bytes.begin() + static_cast<std::ptrdiff_t>(data_start));
  std::string descr;
  std::string fortran_order;
  std::string shape_text;
  if (!findNpyValue(header, "descr", descr) ||
      !findNpyValue(header, "fortran_order", fortran_order) ||
      !findNpyValue(header, "shape", shape_text)) {
    throw InputError(quoted(path) +
                     ": bad NPY header: expected the keys 'descr', 'fortran_order' and 'shape', "
                     "found " +
                     printable(header));
  }
  if (descr.size() >= 2 && (descr.front() == '\'' || descr.front() == '"') &&
      descr.back() == descr.front()) {
    descr = descr.substr(1, descr.size() - 2);
  }
  std::uint64_t sample_bytes = 0;
  bool is_little_endian = true;
  if (descr == "<f4" || descr == ">f4" || descr == "<f8" || descr == ">f8") {
    sample_bytes = descr[2] == '4' ? 4 : 8;
    is_little_endian = descr[0] == '<';
  } else {
    throw InputError(quoted(path) +
                     ": unsupported NPY data type: expected float32 or float64, found '" +
                     printable(descr) + "'");
  }
  if (fortran_order == "True") {
    throw InputError(quoted(path) +
                     ": Fortran-ordered NPY arrays are not supported ('fortran_order': True); "
                     "save a C-ordered array (numpy.ascontiguousarray)");
  }
  if (fortran_order != "False") {
    throw InputError(quoted(path) + ": bad NPY header: expected 'fortran_order': False, found '" +
                     printable(fortran_order) + "'");
  }
  std::vector<std::uint64_t> shape;
  if (!parseNpyShape(shape_text, shape) ||
      !(shape.size() == 2 || (shape.size() == 3 && shape[2] == 1))) {
    throw InputError(quoted(path) + ": unsupported NPY shape " + shape_text +
                     "; expected (height, width) or (height, width, 1)");
  }
  const std::uint64_t height = shape[0];
  const std::uint64_t width = shape[1];
  const std::uint64_t required = requiredDataBytes(width, height, 1, sample_bytes, path, "NPY");
  checkDataSize(required, bytes.size() - data_start, path,
                "NPY: header says " + sizeText(width, height) + " " +
                    (sample_bytes == 4 ? "float32" : "float64"));
  const int rows = static_cast<int>(height);
  const int cols = static_cast<int>(width);
  cv::Mat values(rows, cols, CV_32FC1);
  const std::uint8_t* data = bytes.data() + data_start;
  for (int y = 0; y < rows; ++y) {
    float* out = values.ptr<float>(y);
    for (int x = 0; x < cols; ++x) {
      const std::uint8_t* in = data + (static_cast<std::size_t>(y) * cols + x) * sample_bytes;
      out[x] = sample_bytes == 4 ? loadFloat32(in, is_little_endian)
                                 : loadFloat64AsFloat32(in, is_little_endian);
    }
  }
  return makeDisparityMap(values);
}

// ---- PNG and TIFF (through OpenCV) ------------------------------------------------------

DisparityMap readPng(const std::vector<std::uint8_t>& bytes, const fs::path& path,
                     const DisparityReadOptions& options) {
  const cv::Mat decoded = decodeImageBytes(bytes, path, cv::IMREAD_UNCHANGED);
  if (decoded.channels() != 1) {
    throw InputError(quoted(path) + ": a disparity PNG must have 1 channel (grey), found " +
                     std::to_string(decoded.channels()) +
                     " channels; is this a colour image or a visualisation?");
  }
  if (decoded.depth() != CV_8U && decoded.depth() != CV_16U) {
    throw InputError(quoted(path) + ": expected an 8- or 16-bit PNG, found OpenCV type " +
                     cv::typeToString(decoded.type()));
  }
  const double divisor = options.png_divisor.value_or(decoded.depth() == CV_16U ? 256.0 : 1.0);
  if (!std::isfinite(divisor) || divisor <= 0.0) {
    throw InputError("reading " + quoted(path) + ": the PNG divisor must be positive, got " +
                     std::to_string(divisor));
  }
  DisparityMap map;
  decoded.convertTo(map.values, CV_32F, 1.0 / divisor);
  map.valid = decoded != 0;  // 255 where non-zero
  map.valid.setTo(1, map.valid);
  return map;
}

DisparityMap readTiff(const std::vector<std::uint8_t>& bytes, const fs::path& path) {
  const cv::Mat decoded = decodeImageBytes(bytes, path, cv::IMREAD_UNCHANGED);
  if (decoded.channels() != 1) {
    throw InputError(quoted(path) + ": a disparity TIFF must have 1 channel, found " +
                     std::to_string(decoded.channels()));
  }
  if (decoded.depth() != CV_32F && decoded.depth() != CV_64F) {
    throw InputError(quoted(path) + ": expected a float32 or float64 TIFF, found OpenCV type " +
                     cv::typeToString(decoded.type()));
  }
  cv::Mat values;
  decoded.convertTo(values, CV_32F);
  return makeDisparityMap(values);
}

// ---- Writers ----------------------------------------------------------------------------

std::vector<std::uint8_t> encodePfm(const DisparityMap& map) {
  const int rows = map.height();
  const int cols = map.width();
  std::vector<std::uint8_t> out;
  appendText(out, "Pf\n" + std::to_string(cols) + " " + std::to_string(rows) + "\n-1\n");
  out.reserve(out.size() + static_cast<std::size_t>(rows) * cols * 4);
  const float infinity = std::numeric_limits<float>::infinity();
  for (int y = rows - 1; y >= 0; --y) {  // bottom to top
    const float* values = map.values.ptr<float>(y);
    const std::uint8_t* valid = map.valid.ptr<std::uint8_t>(y);
    for (int x = 0; x < cols; ++x) appendFloat32LittleEndian(out, valid[x] ? values[x] : infinity);
  }
  return out;
}

std::vector<std::uint8_t> encodeNpy(const DisparityMap& map) {
  const int rows = map.height();
  const int cols = map.width();
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                       std::to_string(rows) + ", " + std::to_string(cols) + "), }";
  // Magic (6) + version (2) + length (2) + header + '\n' is padded to a multiple of 64.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::vector<std::uint8_t> out = {0x93,
                                   'N',
                                   'U',
                                   'M',
                                   'P',
                                   'Y',
                                   1,
                                   0,
                                   static_cast<std::uint8_t>(header.size() & 0xFF),
                                   static_cast<std::uint8_t>(header.size() >> 8)};
  appendText(out, header);
  out.reserve(out.size() + static_cast<std::size_t>(rows) * cols * 4);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (int y = 0; y < rows; ++y) {
    const float* values = map.values.ptr<float>(y);
    const std::uint8_t* valid = map.valid.ptr<std::uint8_t>(y);
    for (int x = 0; x < cols; ++x) appendFloat32LittleEndian(out, valid[x] ? values[x] : nan);
  }
  return out;
}

// KITTI: round(value * 256), 0 = invalid. A valid value that would round to 0 is stored
// as 1 (1/256 px) so that it stays valid.
cv::Mat toKittiPng(const DisparityMap& map) {
  cv::Mat stored(map.height(), map.width(), CV_16UC1);
  for (int y = 0; y < map.height(); ++y) {
    const float* values = map.values.ptr<float>(y);
    const std::uint8_t* valid = map.valid.ptr<std::uint8_t>(y);
    std::uint16_t* out = stored.ptr<std::uint16_t>(y);
    for (int x = 0; x < map.width(); ++x) {
      // 0 = invalid; the format cannot hold a negative (in front of the screen) disparity.
      if (!valid[x] || !std::isfinite(values[x]) || values[x] < 0.0f) {
        out[x] = 0;
        continue;
      }
      const double scaled = std::round(static_cast<double>(values[x]) * 256.0);
      out[x] = static_cast<std::uint16_t>(std::clamp(scaled, 1.0, 65535.0));
    }
  }
  return stored;
}

cv::Mat toTiffValues(const DisparityMap& map) {
  cv::Mat stored = map.values.clone();
  stored.setTo(std::numeric_limits<float>::infinity(), map.valid == 0);
  return stored;
}

std::vector<std::uint8_t> encodeWithOpenCv(const std::string& extension, const cv::Mat& image,
                                           const std::string& what) {
  std::vector<std::uint8_t> bytes;
  try {
    if (!cv::imencode(extension, image, bytes) || bytes.empty()) {
      throw OutputError(what + ": OpenCV could not encode the map as " + extension);
    }
  } catch (const cv::Exception& e) {
    throw OutputError(what + ": OpenCV could not encode the map as " + extension + " (" + e.err +
                      ")");
  }
  return bytes;
}

}  // namespace

DisparityMap readDisparity(const fs::path& path, const DisparityReadOptions& options) {
  const std::vector<std::uint8_t> bytes = readImageFileBytes(path);  // bounded (image_io.h)
  if (bytes.empty()) throw InputError(quoted(path) + ": the file is empty");
  const bool looks_like_pfm = bytes.size() >= 3 && bytes[0] == 'P' &&
                              (bytes[1] == 'F' || bytes[1] == 'f') && isPfmSpace(bytes[2]);
  if (looks_like_pfm) return readPfm(bytes, path);
  if (bytes.size() >= 6 && std::memcmp(bytes.data(), "\x93NUMPY", 6) == 0) {
    return readNpy(bytes, path);
  }
  switch (detectImageFormat(bytes)) {
    case ImageFileFormat::kPng:
      return readPng(bytes, path, options);
    case ImageFileFormat::kTiff:
      return readTiff(bytes, path);
    case ImageFileFormat::kUnknown:
      break;
    default:
      throw InputError(
          quoted(path) + ": a " + std::string(imageFormatName(detectImageFormat(bytes))) +
          " file cannot hold a disparity map; supported formats: " + kSupportedReadFormats);
  }
  throw InputError(quoted(path) +
                   ": not a supported disparity file (unknown signature); "
                   "supported formats: " +
                   kSupportedReadFormats);
}

void writeDisparity(const fs::path& path, const DisparityMap& map) {
  const std::string what = "cannot write " + quoted(path);
  if (map.values.empty() || map.values.type() != CV_32FC1) {
    throw OutputError(what + ": expected a non-empty CV_32FC1 disparity map, found " +
                      (map.values.empty() ? std::string("an empty map")
                                          : "OpenCV type " + cv::typeToString(map.values.type())));
  }
  if (map.valid.type() != CV_8UC1 || map.valid.size() != map.values.size()) {
    throw OutputError(what + ": the validity mask must be CV_8UC1 and " +
                      sizeText(map.values.cols, map.values.rows) + " like the values");
  }
  const std::string extension = lowerExtension(path);
  if (extension == ".pfm") {
    writeBytesAtomically(path, encodePfm(map));
  } else if (extension == ".npy") {
    writeBytesAtomically(path, encodeNpy(map));
  } else if (extension == ".png") {
    writeBytesAtomically(path, encodeWithOpenCv(".png", toKittiPng(map), what));
  } else if (extension == ".tif" || extension == ".tiff") {
    writeBytesAtomically(path, encodeWithOpenCv(".tiff", toTiffValues(map), what));
  } else {
    throw OutputError(what + ": unknown disparity extension '" + path.extension().string() +
                      "'; supported: " + kSupportedWriteExtensions);
  }
}

}  // namespace genstereo

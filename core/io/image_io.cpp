#include "io/image_io.h"
#include "io/png_encoder.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include <jerror.h>
#include <jpeglib.h>  // after <cstdio>: it needs FILE
#include <opencv2/imgcodecs.hpp>

#include "errors.h"
#include "io/atomic_write.h"
#include "io/image_dimensions.h"
#include "io/pixel_budget.h"
#include "io/stereo_file_reader.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

constexpr const char* kSupportedReadFormats = "PNG, JPEG, TIFF, WebP, BMP";
constexpr const char* kSupportedWriteExtensions = ".png .jpg .jpeg .tif .tiff .webp .bmp";

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

std::uint32_t readBigEndian32(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  return (std::uint32_t{bytes[at]} << 24) | (std::uint32_t{bytes[at + 1]} << 16) |
         (std::uint32_t{bytes[at + 2]} << 8) | std::uint32_t{bytes[at + 3]};
}

std::uint32_t readLittleEndian32(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  return std::uint32_t{bytes[at]} | (std::uint32_t{bytes[at + 1]} << 8) |
         (std::uint32_t{bytes[at + 2]} << 16) | (std::uint32_t{bytes[at + 3]} << 24);
}

bool startsWith(const std::vector<std::uint8_t>& bytes, const char* signature, std::size_t length,
                std::size_t at = 0) {
  return bytes.size() >= at + length && std::memcmp(bytes.data() + at, signature, length) == 0;
}

// The first bytes of a file, in hex, for "found ..." in messages.
std::string hexPrefix(const std::vector<std::uint8_t>& bytes) {
  static const char* digits = "0123456789ABCDEF";
  std::string text;
  const std::size_t count = std::min<std::size_t>(bytes.size(), 8);
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) text += ' ';
    text += digits[bytes[i] >> 4];
    text += digits[bytes[i] & 0xF];
  }
  return text;
}

// Walks the PNG chunks up to IEND; throws when one runs past the end of the file.
void checkPngComplete(const std::vector<std::uint8_t>& bytes, const fs::path& path) {
  std::size_t pos = 8;
  while (pos + 8 <= bytes.size()) {
    const std::uint64_t length = readBigEndian32(bytes, pos);
    const std::string type(reinterpret_cast<const char*>(bytes.data() + pos + 4), 4);
    const std::uint64_t end = pos + 12 + length;  // length, type, data, CRC
    if (end > bytes.size()) {
      throw InputError(quoted(path) + ": truncated PNG: chunk '" + type + "' at byte " +
                       std::to_string(pos) + " needs " + std::to_string(end - pos) +
                       " bytes, the file ends at byte " + std::to_string(bytes.size()));
    }
    if (type == "IEND") return;
    pos = static_cast<std::size_t>(end);
  }
  throw InputError(quoted(path) + ": truncated PNG: the file (" + std::to_string(bytes.size()) +
                   " bytes) ends before the IEND chunk");
}

// Parses JPEG marker segments up to the first end-of-image marker (FFD9), skipping the
// entropy-coded data after each start-of-scan. An MPO file holds several JPEGs one after
// another; the first one being complete is enough.
void checkJpegComplete(const std::vector<std::uint8_t>& bytes, const fs::path& path) {
  const std::size_t size = bytes.size();
  const auto truncated = [&](const std::string& where) {
    return InputError(quoted(path) + ": truncated JPEG: the file (" + std::to_string(size) +
                      " bytes) ends " + where + " before the end-of-image marker (FFD9)");
  };
  bool has_scan = false;
  std::size_t pos = 2;  // after SOI
  while (true) {
    if (pos >= size) throw truncated("after the segment ending at byte " + std::to_string(pos));
    if (bytes[pos] != 0xFF) {
      throw InputError(quoted(path) + ": corrupt JPEG: expected a marker (FF) at byte " +
                       std::to_string(pos) + ", found " + hexPrefix({bytes[pos]}));
    }
    while (pos < size && bytes[pos] == 0xFF) ++pos;  // fill bytes
    if (pos >= size) throw truncated("inside a marker");
    const std::uint8_t marker = bytes[pos++];
    if (marker == 0xD9) {
      if (!has_scan) {
        throw InputError(quoted(path) + ": corrupt JPEG: end-of-image marker at byte " +
                         std::to_string(pos - 2) + " before any image data (no SOS segment)");
      }
      return;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) continue;  // no length field
    if (pos + 2 > size)
      throw truncated("inside the length of a segment at byte " + std::to_string(pos - 2));
    const std::size_t length = (std::size_t{bytes[pos]} << 8) | bytes[pos + 1];
    if (length < 2) {
      throw InputError(quoted(path) + ": corrupt JPEG: segment at byte " + std::to_string(pos - 2) +
                       " declares a length of " + std::to_string(length) +
                       " (at least 2 expected)");
    }
    if (pos + length > size) {
      throw truncated("inside the segment at byte " + std::to_string(pos - 2) + " (it needs " +
                      std::to_string(length) + " bytes)");
    }
    pos += length;
    if (marker != 0xDA) continue;
    // Entropy-coded data: 0xFF is followed by 00 (stuffing), D0-D7 (restart) or FF (fill)
    // inside the scan; any other byte is the next marker.
    has_scan = true;
    while (true) {
      while (pos < size && bytes[pos] != 0xFF) ++pos;
      if (pos + 1 >= size) throw truncated("inside the image data");
      const std::uint8_t next = bytes[pos + 1];
      if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
        pos += 2;
      } else if (next == 0xFF) {
        ++pos;
      } else {
        break;
      }
    }
  }
}

// ---- JPEG scan data, through libjpeg --------------------------------------------------
// OpenCV's decoder prints libjpeg's "Corrupt JPEG data" warnings and returns the garbage it
// decoded; the scan data is decoded here first (at 1/8 scale: the entropy decoding, where
// damage shows, is complete, the inverse DCT is cheap) and those warnings become errors.

struct JpegErrorManager {
  jpeg_error_mgr base;  // first: libjpeg passes a jpeg_error_mgr*
  std::jmp_buf escape;
  char message[JMSG_LENGTH_MAX];
};

// libjpeg's warnings that mean the image data is damaged (jerror.h); others (an unknown JFIF
// version, an odd Adobe marker) are harmless.
bool isCorruptDataWarning(const jpeg_error_mgr& err) {
  const int code = err.msg_code;
  // "Corrupt JPEG data: bad arithmetic code" and the like, whatever this libjpeg's codes are.
  if (code >= 0 && code <= err.last_jpeg_message && err.jpeg_message_table[code] != nullptr &&
      std::strncmp(err.jpeg_message_table[code], "Corrupt JPEG data", 17) == 0 &&
      code != JWRN_BOGUS_ICC) {
    return true;
  }
  switch (code) {
    case JWRN_EXTRANEOUS_DATA:
    case JWRN_HIT_MARKER:
    case JWRN_HUFF_BAD_CODE:
    case JWRN_MUST_RESYNC:
    case JWRN_NOT_SEQUENTIAL:
    case JWRN_BOGUS_PROGRESSION:
    case JWRN_TOO_MUCH_DATA:
    case JWRN_JPEG_EOF:
      return true;
    default:
      return false;
  }
}

extern "C" void onJpegError(j_common_ptr cinfo) {
  auto* manager = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, manager->message);
  std::longjmp(manager->escape, 1);
}

extern "C" void onJpegMessage(j_common_ptr cinfo, int level) {
  if (level >= 0 || !isCorruptDataWarning(*cinfo->err)) return;  // traces, harmless
  onJpegError(cinfo);
}

// Decodes the whole scan data; returns false with libjpeg's message in `message` (at least
// JMSG_LENGTH_MAX bytes) when libjpeg fails or warns of corrupt data. No C++ object with a
// destructor lives between setjmp and longjmp.
bool decodeJpegScans(const std::uint8_t* data, std::size_t size, char* message) {
  jpeg_decompress_struct cinfo{};
  JpegErrorManager manager{};
  cinfo.err = jpeg_std_error(&manager.base);
  manager.base.error_exit = onJpegError;
  manager.base.emit_message = onJpegMessage;
  JSAMPLE* volatile row = nullptr;  // volatile: read after the longjmp
  if (setjmp(manager.escape) != 0) {
    std::memcpy(message, manager.message, JMSG_LENGTH_MAX);
    std::free(row);
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, const_cast<unsigned char*>(data), static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  cinfo.scale_num = 1;
  cinfo.scale_denom = 8;
  cinfo.dct_method = JDCT_IFAST;
  cinfo.do_fancy_upsampling = FALSE;
  jpeg_start_decompress(&cinfo);
  row = static_cast<JSAMPLE*>(
      std::malloc(static_cast<std::size_t>(cinfo.output_width) * cinfo.output_components));
  if (row == nullptr) {
    std::snprintf(message, JMSG_LENGTH_MAX, "out of memory");
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW rows[1] = {row};
    jpeg_read_scanlines(&cinfo, rows, 1);
  }
  jpeg_finish_decompress(&cinfo);
  std::free(row);
  jpeg_destroy_decompress(&cinfo);
  return true;
}

void checkJpegScanData(const std::vector<std::uint8_t>& bytes, const fs::path& path) {
  char message[JMSG_LENGTH_MAX] = {0};
  if (!decodeJpegScans(bytes.data(), bytes.size(), message)) {
    throw InputError(quoted(path) +
                     ": corrupt JPEG, its image data does not decode (libjpeg: " + message + ")");
  }
}

// RIFF size field: the file must hold at least 8 + that many bytes.
void checkWebpComplete(const std::vector<std::uint8_t>& bytes, const fs::path& path) {
  const std::uint64_t declared = std::uint64_t{readLittleEndian32(bytes, 4)} + 8;
  if (declared > bytes.size()) {
    throw InputError(quoted(path) + ": truncated WebP: its header says " +
                     std::to_string(declared) + " bytes, the file has " +
                     std::to_string(bytes.size()));
  }
}

// BITMAPFILEHEADER size field (0 is allowed by some writers) and pixel data offset.
void checkBmpComplete(const std::vector<std::uint8_t>& bytes, const fs::path& path) {
  if (bytes.size() < 14) {
    throw InputError(quoted(path) + ": truncated BMP: the file has only " +
                     std::to_string(bytes.size()) + " bytes, the header alone needs 14");
  }
  const std::uint64_t declared = readLittleEndian32(bytes, 2);
  const std::uint64_t data_offset = readLittleEndian32(bytes, 10);
  if (declared > bytes.size() || data_offset >= bytes.size()) {
    throw InputError(quoted(path) + ": truncated BMP: its header says " +
                     std::to_string(std::max(declared, data_offset + 1)) +
                     " bytes or more, the file has " + std::to_string(bytes.size()));
  }
}

std::string lowerExtension(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

// Converts a CV_32F (or CV_8U, kept as is) image with 1, 3 or 4 channels to 8 or 16 bits.
cv::Mat toFileDepth(const cv::Mat& image01, ImageBitDepth depth, const std::string& what) {
  if (image01.empty()) throw OutputError(what + ": the image is empty");
  const int channels = image01.channels();
  if (channels != 1 && channels != 3 && channels != 4) {
    throw OutputError(what + ": expected a 1-, 3- or 4-channel image, found " +
                      std::to_string(channels) + " channels");
  }
  if (image01.depth() == CV_8U) return image01;
  if (image01.depth() != CV_32F) {
    throw OutputError(what + ": expected a float32 [0, 1] image, found OpenCV type " +
                      cv::typeToString(image01.type()));
  }
  cv::Mat converted;
  if (depth == ImageBitDepth::k16) {
    image01.convertTo(converted, CV_16U, 65535.0);
  } else {
    image01.convertTo(converted, CV_8U, 255.0);
  }
  return converted;
}

std::vector<std::uint8_t> encodeOrThrow(const std::string& extension, const cv::Mat& image,
                                        const std::vector<int>& params, const std::string& what) {
  std::vector<std::uint8_t> bytes;
  try {
    if (!cv::imencode(extension, image, bytes, params) || bytes.empty()) {
      throw OutputError(what + ": OpenCV could not encode the image as " + extension);
    }
  } catch (const cv::Exception& e) {
    throw OutputError(what + ": OpenCV could not encode the image as " + extension + " (" + e.err +
                      ")");
  }
  return bytes;
}

void checkJpegQuality(int quality, const std::string& what) {
  if (quality < 1 || quality > 100) {
    throw OutputError(what + ": JPEG quality must be between 1 and 100, got " +
                      std::to_string(quality));
  }
}

// Bytes per pixel of the largest uncompressed sample layout read (float32 RGBA), and room for
// metadata (EXIF, ICC, XMP): no image within the pixel budget needs a larger file.
constexpr std::uint64_t kMaxBytesPerPixel = 16;
constexpr std::uint64_t kMetadataAllowanceBytes = std::uint64_t{64} << 20;

// End of the PNG datastream (after IEND) found by walking the chunk headers in `in`, or 0 when
// the walk leaves the file or `limit` first (truncated or damaged: the whole file is read and
// the structure check then names the problem).
std::uint64_t pngStreamEnd(std::ifstream& in, std::uint64_t file_size, std::uint64_t limit) {
  std::uint64_t pos = 8;
  while (pos + 12 <= file_size && pos + 12 <= limit) {
    std::uint8_t header[8];
    in.seekg(static_cast<std::streamoff>(pos));
    if (!in.read(reinterpret_cast<char*>(header), sizeof(header))) return 0;
    const std::uint64_t length = (std::uint64_t{header[0]} << 24) |
                                 (std::uint64_t{header[1]} << 16) |
                                 (std::uint64_t{header[2]} << 8) | std::uint64_t{header[3]};
    pos += 12 + length;
    if (std::memcmp(header + 4, "IEND", 4) == 0) return pos <= file_size ? pos : 0;
  }
  return 0;
}

}  // namespace

ImageFileFormat detectImageFormat(const std::vector<std::uint8_t>& bytes) {
  if (startsWith(bytes, "\x89PNG\r\n\x1a\n", 8)) return ImageFileFormat::kPng;
  if (startsWith(bytes, "\xFF\xD8\xFF", 3)) return ImageFileFormat::kJpeg;
  if (startsWith(bytes, "II*\0", 4) || startsWith(bytes, "MM\0*", 4)) return ImageFileFormat::kTiff;
  if (startsWith(bytes, "RIFF", 4) && startsWith(bytes, "WEBP", 4, 8))
    return ImageFileFormat::kWebp;
  if (startsWith(bytes, "BM", 2)) return ImageFileFormat::kBmp;
  return ImageFileFormat::kUnknown;
}

const char* imageFormatName(ImageFileFormat format) {
  switch (format) {
    case ImageFileFormat::kPng:
      return "PNG";
    case ImageFileFormat::kJpeg:
      return "JPEG";
    case ImageFileFormat::kTiff:
      return "TIFF";
    case ImageFileFormat::kWebp:
      return "WebP";
    case ImageFileFormat::kBmp:
      return "BMP";
    case ImageFileFormat::kUnknown:
      break;
  }
  return "unknown";
}

cv::Mat decodeImageBytes(const std::vector<std::uint8_t>& bytes, const fs::path& path,
                         int imread_flags) {
  if (bytes.empty()) throw InputError(quoted(path) + ": the file is empty");
  const ImageFileFormat format = detectImageFormat(bytes);
  switch (format) {
    case ImageFileFormat::kUnknown:
      throw InputError(quoted(path) + ": not a supported image (first bytes " + hexPrefix(bytes) +
                       "); supported formats: " + kSupportedReadFormats);
    case ImageFileFormat::kPng:
      checkPngComplete(bytes, path);
      break;
    case ImageFileFormat::kJpeg:
      checkJpegComplete(bytes, path);
      break;
    case ImageFileFormat::kWebp:
      checkWebpComplete(bytes, path);
      break;
    case ImageFileFormat::kBmp:
      checkBmpComplete(bytes, path);
      break;
    case ImageFileFormat::kTiff:
      break;  // libtiff reports missing strips itself
  }
  const std::string name = imageFormatName(format);
  // The pixel budget, from the header, before OpenCV allocates anything.
  const std::optional<ImageDimensions> dimensions = readImageDimensions(bytes, format);
  if (!dimensions) {
    throw InputError(quoted(path) + ": corrupt " + name +
                     " file: its header does not give the image size");
  }
  checkPixelBudget(dimensions->width_px, dimensions->height_px, path, name + " image");
  if (format == ImageFileFormat::kJpeg) checkJpegScanData(bytes, path);
  cv::Mat decoded;
  try {
    decoded = cv::imdecode(bytes, imread_flags);
  } catch (const cv::Exception& e) {
    throw InputError(quoted(path) + ": cannot decode this " + name + " file (" + e.err + ")");
  }
  if (decoded.empty()) {
    throw InputError(quoted(path) + ": cannot decode this " + name +
                     " file: it is corrupt, truncated or uses an unsupported variant");
  }
  return decoded;
}

std::uint64_t maxImageFileBytes() {
  return static_cast<std::uint64_t>(maxInputPixels()) * kMaxBytesPerPixel + kMetadataAllowanceBytes;
}

std::vector<std::uint8_t> readImageFileBytes(const fs::path& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) throw InputError(quoted(path) + " does not exist");
  if (fs::is_directory(status))
    throw InputError(quoted(path) + " is not a regular file: it is a folder");
  if (!fs::is_regular_file(status)) {
    throw InputError(quoted(path) + " is not a regular file (a FIFO, socket or device?)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError("cannot open " + quoted(path) + " for reading (" + std::strerror(errno) + ")");
  in.seekg(0, std::ios::end);
  const std::streamoff end = in.tellg();
  const std::uint64_t file_size = end < 0 ? 0 : static_cast<std::uint64_t>(end);
  const std::uint64_t limit = maxImageFileBytes();
  std::uint64_t wanted = std::min(file_size, limit);
  char signature[8] = {0};
  in.seekg(0);
  if (file_size >= 8 && in.read(signature, 8) &&
      std::memcmp(signature, "\x89PNG\r\n\x1a\n", 8) == 0) {
    const std::uint64_t stream_end = pngStreamEnd(in, file_size, limit);
    if (stream_end > 0) wanted = stream_end;  // bytes after IEND are never read
  }
  in.clear();
  in.seekg(0);
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(wanted));
  if (!bytes.empty() &&
      !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()))) {
    throw InputError("cannot read " + quoted(path) + ": read failed");
  }
  return bytes;
}

cv::Mat readImage(const fs::path& path) {
  // A stereo file (.mpo, .jps) is read as its left view (readPhotoFile: one rule).
  if (stereoFileFormatOf(path) != StereoFileFormat::kNone) return readPhotoFile(path).left;
  return readSingleImage(path);
}

cv::Mat readSingleImage(const fs::path& path) {
  const std::vector<std::uint8_t> bytes = readImageFileBytes(path);
  // IMREAD_COLOR expands grayscale, drops alpha and applies the EXIF orientation;
  // IMREAD_ANYDEPTH keeps 16-bit samples.
  const cv::Mat decoded = decodeImageBytes(bytes, path, cv::IMREAD_COLOR | cv::IMREAD_ANYDEPTH);
  if (decoded.cols < kMinImageSidePx || decoded.rows < kMinImageSidePx) {
    throw InputError(quoted(path) + ": the image is " + std::to_string(decoded.cols) + "x" +
                     std::to_string(decoded.rows) + " pixels; at least " +
                     std::to_string(kMinImageSidePx) + "x" + std::to_string(kMinImageSidePx) +
                     " are needed");
  }
  if (decoded.channels() != 3) {
    throw InputError(quoted(path) + ": expected a 3-channel image after decoding, found " +
                     std::to_string(decoded.channels()) + " channels");
  }
  cv::Mat image01;
  switch (decoded.depth()) {
    case CV_8U:
      decoded.convertTo(image01, CV_32F, 1.0 / 255.0);
      break;
    case CV_16U:
      decoded.convertTo(image01, CV_32F, 1.0 / 65535.0);
      break;
    case CV_32F:
    case CV_64F:
      decoded.convertTo(image01, CV_32F);
      break;
    default:
      throw InputError(quoted(path) + ": unsupported sample type " +
                       cv::typeToString(decoded.type()) +
                       "; expected 8- or 16-bit unsigned or floating-point samples");
  }
  return image01;
}

void writeImage(const fs::path& path, const cv::Mat& image01, ImageBitDepth depth,
                int jpeg_quality) {
  const std::string what = "cannot write " + quoted(path);
  const std::string extension = lowerExtension(path);
  std::vector<int> params;
  bool allows_16_bit = false;
  if (extension == ".png" || extension == ".tif" || extension == ".tiff") {
    allows_16_bit = true;
  } else if (extension == ".jpg" || extension == ".jpeg") {
    checkJpegQuality(jpeg_quality, what);
    params = {cv::IMWRITE_JPEG_QUALITY, jpeg_quality};
  } else if (extension == ".webp" || extension == ".bmp") {
    // WebP without a quality parameter is lossless.
  } else {
    throw OutputError(what + ": unknown image extension '" + path.extension().string() +
                      "'; supported: " + kSupportedWriteExtensions);
  }
  const cv::Mat converted = toFileDepth(image01, allows_16_bit ? depth : ImageBitDepth::k8, what);
  if (extension == ".png" && isPngEncodable(converted)) {
    // Strips of rows compressed on every thread (io/png_encoder.h): the same pixels as OpenCV's.
    std::vector<std::uint8_t> bytes;
    try {
      bytes = encodePng(converted);
    } catch (const OutputError& e) {
      throw OutputError(what + ": " + e.what());
    }
    writeBytesAtomically(path, bytes);
    return;
  }
  writeBytesAtomically(path, encodeOrThrow(extension, converted, params, what));
}

cv::Mat toUint8(const cv::Mat& image01) {
  cv::Mat converted;
  // convertTo rounds to nearest and saturates to [0, 255].
  image01.convertTo(converted, CV_8U, image01.depth() == CV_8U ? 1.0 : 255.0);
  return converted;
}

std::vector<std::uint8_t> encodeJpeg(const cv::Mat& image01, int quality) {
  const std::string what = "cannot encode a JPEG";
  checkJpegQuality(quality, what);
  return encodeOrThrow(".jpg", toFileDepth(image01, ImageBitDepth::k8, what),
                       {cv::IMWRITE_JPEG_QUALITY, quality}, what);
}

}  // namespace genstereo

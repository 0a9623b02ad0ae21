#include "io/stereo_file_reader.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <string>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "io/image_io.h"
#include "io/mpo_writer.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

constexpr std::uint8_t kMarkerPrefix = 0xFF;
constexpr std::uint8_t kSoi = 0xD8;
constexpr std::uint8_t kEoi = 0xD9;
constexpr std::uint8_t kSos = 0xDA;
constexpr std::uint8_t kApp3 = 0xE3;

// MP type codes (CIPA DC-007 table 4), the low 24 bits of the Individual Image Attribute.
constexpr std::uint32_t kMpTypeMask = 0x00FFFFFFu;
constexpr std::uint32_t kMpTypeUndefined = 0x000000u;
constexpr std::uint32_t kMpTypeDisparity = 0x020002u;
constexpr std::uint32_t kMpTypeLargeThumbnailVga = 0x010001u;
constexpr std::uint32_t kMpTypeLargeThumbnailFullHd = 0x010002u;
constexpr std::uint32_t kMpTypePanorama = 0x020001u;
constexpr std::uint32_t kMpTypeMultiAngle = 0x020003u;

// The JPS stereoscopic descriptor (see io/jps_writer.cpp).
constexpr char kJpsIdentifier[8] = {'_', 'J', 'P', 'S', 'J', 'P', 'S', '_'};
constexpr std::uint8_t kJpsHalfHeight = 0x01;
constexpr std::uint8_t kJpsHalfWidth = 0x02;
constexpr std::uint8_t kJpsLeftFirst = 0x04;
constexpr std::uint8_t kJpsLayoutInterleaved = 0x01;
constexpr std::uint8_t kJpsLayoutSideBySide = 0x02;
constexpr std::uint8_t kJpsLayoutOverUnder = 0x03;
constexpr std::uint8_t kJpsLayoutAnaglyph = 0x04;
constexpr std::uint8_t kJpsMonoscopic = 0x00;
constexpr std::uint8_t kJpsStereoscopic = 0x01;

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

std::string sizeText(const cv::Mat& image) {
  return std::to_string(image.cols) + "x" + std::to_string(image.rows);
}

std::string hexText(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof(text), "0x%06X", static_cast<unsigned>(value));
  return text;
}

// A decoded 8-bit JPEG as the engine's image: CV_32FC3 BGR [0, 1].
cv::Mat decodeJpegView(const std::vector<std::uint8_t>& jpeg, const fs::path& path,
                       int imread_flags) {
  const cv::Mat decoded = decodeImageBytes(jpeg, path, imread_flags);
  if (decoded.channels() != 3 || decoded.depth() != CV_8U) {
    throw InputError(quoted(path) + ": expected an 8-bit colour JPEG view, found " +
                     cv::typeToString(decoded.type()));
  }
  cv::Mat image01;
  decoded.convertTo(image01, CV_32F, 1.0 / 255.0);
  return image01;
}

void requireViewSizes(const StereoViews& views, const fs::path& path) {
  for (const cv::Mat* view : {&views.left, &views.right}) {
    if (view->cols < kMinImageSidePx || view->rows < kMinImageSidePx) {
      throw InputError(quoted(path) + ": a view of the stereo pair is " + sizeText(*view) +
                       " pixels; at least " + std::to_string(kMinImageSidePx) + "x" +
                       std::to_string(kMinImageSidePx) + " are needed");
    }
  }
  if (views.left.size() != views.right.size()) {
    throw InputError(quoted(path) + ": the left view is " + sizeText(views.left) +
                     " pixels but the right view is " + sizeText(views.right) +
                     "; a stereo pair needs two views of the same size");
  }
}

std::string mpTypeName(std::uint32_t type) {
  switch (type) {
    case kMpTypeLargeThumbnailVga:
    case kMpTypeLargeThumbnailFullHd:
      return "a large thumbnail";
    case kMpTypePanorama:
      return "a panorama part";
    case kMpTypeMultiAngle:
      return "a multi-angle view";
    case kMpTypeDisparity:
      return "a disparity view";
    default:
      return "of MP type " + hexText(type);
  }
}

StereoViews decodeMpo(const std::vector<std::uint8_t>& bytes, const fs::path& path) {
  std::vector<MpoImageInfo> images;
  try {
    images = parseMpoIndex(bytes);
  } catch (const InputError& error) {
    throw InputError(quoted(path) + ": " + error.what());
  }
  // The views of a stereo pair are the disparity images, numbered from the left (CIPA DC-007
  // 5.2.3.3.1). Images of undefined type are taken as views too (some writers leave the type
  // 0); thumbnails and panorama parts never are.
  std::vector<const MpoImageInfo*> views;
  for (const MpoImageInfo& image : images) {
    const std::uint32_t type = image.attribute & kMpTypeMask;
    if (type == kMpTypeDisparity || type == kMpTypeUndefined) views.push_back(&image);
  }
  if (views.size() < 2) {
    std::string found;
    for (std::size_t i = 0; i < images.size(); ++i) {
      found += (i == 0 ? "" : ", ") + std::string("image ") + std::to_string(i + 1) + " is " +
               mpTypeName(images[i].attribute & kMpTypeMask);
    }
    throw InputError(quoted(path) + ": not a stereo MPO: expected two disparity views (MP type " +
                     hexText(kMpTypeDisparity) + "), found " + std::to_string(images.size()) +
                     (images.size() == 1 ? " image (" : " images (") + found + ")");
  }
  auto viewBytes = [&](const MpoImageInfo& info) {
    const auto begin = bytes.begin() + static_cast<std::ptrdiff_t>(info.offset);
    return std::vector<std::uint8_t>(begin, begin + static_cast<std::ptrdiff_t>(info.size));
  };
  StereoViews result;
  result.format = StereoFileFormat::kMpo;
  // Each view is a complete JPEG with its own EXIF orientation.
  result.left = decodeJpegView(viewBytes(*views[0]), path, cv::IMREAD_COLOR);
  result.right = decodeJpegView(viewBytes(*views[1]), path, cv::IMREAD_COLOR);
  requireViewSizes(result, path);
  return result;
}

struct JpsLayout {
  std::uint8_t layout = kJpsLayoutSideBySide;
  std::uint8_t flags = 0;  // default: full size, right view first (cross-eyed)
};

// The JPS descriptor from the APP3 "_JPSJPS_" segment before the image data; the convention
// (full-size side-by-side, right view first) when there is none.
JpsLayout jpsLayoutOf(const std::vector<std::uint8_t>& bytes, const fs::path& path) {
  if (bytes.size() < 4 || bytes[0] != kMarkerPrefix || bytes[1] != kSoi) {
    throw InputError(quoted(path) + ": not a JPS file: it does not start with a JPEG SOI marker");
  }
  std::size_t pos = 2;
  while (pos + 4 <= bytes.size()) {
    if (bytes[pos] != kMarkerPrefix) {
      throw InputError(quoted(path) + ": malformed JPEG: expected a marker at byte " +
                       std::to_string(pos));
    }
    const std::uint8_t marker = bytes[pos + 1];
    if (marker == kMarkerPrefix) {
      ++pos;
      continue;
    }
    if (marker == kSos || marker == kEoi) break;
    if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
      pos += 2;
      continue;
    }
    const std::size_t length = static_cast<std::size_t>((bytes[pos + 2] << 8) | bytes[pos + 3]);
    if (length < 2 || length > bytes.size() - pos - 2) {
      throw InputError(quoted(path) + ": truncated JPEG: the segment at byte " +
                       std::to_string(pos) + " runs past the end of the file");
    }
    const std::size_t payload = pos + 4;
    const std::size_t payload_size = length - 2;
    if (marker == kApp3 && payload_size >= sizeof(kJpsIdentifier) &&
        std::memcmp(&bytes[payload], kJpsIdentifier, sizeof(kJpsIdentifier)) == 0) {
      // Identifier, 16-bit block length, then the 32-bit descriptor (separation, flags,
      // layout, media type).
      const std::size_t block = payload + sizeof(kJpsIdentifier);
      if (payload_size < sizeof(kJpsIdentifier) + 2 + 4) {
        throw InputError(quoted(path) + ": truncated JPS descriptor: the APP3 segment holds " +
                         std::to_string(payload_size) + " bytes, at least " +
                         std::to_string(sizeof(kJpsIdentifier) + 6) + " are needed");
      }
      const std::size_t block_length =
          static_cast<std::size_t>((bytes[block] << 8) | bytes[block + 1]);
      if (block_length < 4) {
        throw InputError(quoted(path) + ": malformed JPS descriptor: its block length is " +
                         std::to_string(block_length) + ", at least 4 expected");
      }
      const std::uint8_t flags = bytes[block + 3];
      const std::uint8_t layout = bytes[block + 4];
      const std::uint8_t type = bytes[block + 5];
      if (type == kJpsMonoscopic) {
        throw InputError(quoted(path) +
                         ": the JPS descriptor says the file holds one "
                         "(monoscopic) view, not a stereo pair");
      }
      if (type != kJpsStereoscopic) {
        throw InputError(quoted(path) + ": unknown JPS media type " + std::to_string(type) +
                         "; expected 1 (stereoscopic)");
      }
      if (layout == kJpsLayoutInterleaved || layout == kJpsLayoutAnaglyph) {
        throw InputError(quoted(path) + ": the JPS layout is " +
                         (layout == kJpsLayoutAnaglyph ? "anaglyph" : "interleaved") +
                         "; only side-by-side and over-under pairs can be split into two views");
      }
      if (layout != kJpsLayoutSideBySide && layout != kJpsLayoutOverUnder) {
        throw InputError(quoted(path) + ": unknown JPS layout " + std::to_string(layout) +
                         "; expected 2 (side-by-side) or 3 (over-under)");
      }
      return {layout, flags};
    }
    pos += 2 + length;
  }
  return {};
}

StereoViews decodeJps(const std::vector<std::uint8_t>& bytes, const fs::path& path) {
  const JpsLayout layout = jpsLayoutOf(bytes, path);
  // The pair as stored: an EXIF orientation would turn the halves, so it is not applied.
  const cv::Mat pair =
      decodeJpegView(bytes, path, cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
  const bool is_side_by_side = layout.layout == kJpsLayoutSideBySide;
  const int extent = is_side_by_side ? pair.cols : pair.rows;
  if (extent % 2 != 0) {
    throw InputError(
        quoted(path) + ": the " +
        (is_side_by_side
             ? std::string("side-by-side pair is ") + sizeText(pair) + " pixels: an odd width"
             : std::string("over-under pair is ") + sizeText(pair) + " pixels: an odd height") +
        " does not split into two views of the same size");
  }
  const cv::Rect first = is_side_by_side ? cv::Rect(0, 0, pair.cols / 2, pair.rows)
                                         : cv::Rect(0, 0, pair.cols, pair.rows / 2);
  const cv::Rect second = is_side_by_side ? cv::Rect(pair.cols / 2, 0, pair.cols / 2, pair.rows)
                                          : cv::Rect(0, pair.rows / 2, pair.cols, pair.rows / 2);
  const bool is_left_first = (layout.flags & kJpsLeftFirst) != 0;
  StereoViews result;
  result.format = StereoFileFormat::kJps;
  result.left = pair(is_left_first ? first : second).clone();
  result.right = pair(is_left_first ? second : first).clone();
  // Half-size views were squeezed to fit: stretched back to the proportions of the photo.
  const double scale_x = (layout.flags & kJpsHalfWidth) != 0 ? 2.0 : 1.0;
  const double scale_y = (layout.flags & kJpsHalfHeight) != 0 ? 2.0 : 1.0;
  if (scale_x != 1.0 || scale_y != 1.0) {
    for (cv::Mat* view : {&result.left, &result.right}) {
      cv::resize(*view, *view, cv::Size(), scale_x, scale_y, cv::INTER_LINEAR);
    }
  }
  requireViewSizes(result, path);
  return result;
}

}  // namespace

StereoFileFormat stereoFileFormatOf(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".mpo") return StereoFileFormat::kMpo;
  if (extension == ".jps") return StereoFileFormat::kJps;
  return StereoFileFormat::kNone;
}

const char* toString(StereoFileFormat format) {
  switch (format) {
    case StereoFileFormat::kMpo:
      return "MPO";
    case StereoFileFormat::kJps:
      return "JPS";
    case StereoFileFormat::kNone:
      return "none";
  }
  return "?";
}

StereoViews decodeStereoFile(const std::vector<std::uint8_t>& bytes, StereoFileFormat format,
                             const fs::path& path) {
  switch (format) {
    case StereoFileFormat::kMpo:
      return decodeMpo(bytes, path);
    case StereoFileFormat::kJps:
      return decodeJps(bytes, path);
    case StereoFileFormat::kNone:
      break;
  }
  throw InputError(quoted(path) + ": not a stereo file: expected the extension .mpo or .jps");
}

StereoViews readStereoFile(const fs::path& path) {
  const StereoFileFormat format = stereoFileFormatOf(path);
  if (format == StereoFileFormat::kNone) {
    throw InputError(quoted(path) + ": not a stereo file: expected the extension .mpo or .jps");
  }
  return decodeStereoFile(readImageFileBytes(path), format, path);
}

StereoViews readPhotoFile(const fs::path& path) {
  const StereoFileFormat format = stereoFileFormatOf(path);
  if (format == StereoFileFormat::kMpo) {
    try {
      return readStereoFile(path);
    } catch (const InputError&) {
      if (!fs::exists(path)) throw;
    }
    // No stereo pair inside: its first JPEG.
  } else if (format == StereoFileFormat::kJps) {
    return readStereoFile(path);
  }
  StereoViews photo;
  photo.left = readSingleImage(path);
  return photo;
}

}  // namespace genstereo

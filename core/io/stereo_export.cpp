#include "io/stereo_export.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <system_error>
#include <utility>

#include "errors.h"
#include "io/atomic_write.h"
#include "io/image_io.h"
#include "io/jps_writer.h"
#include "io/mpo_writer.h"
#include "io/output_transaction.h"
#include "stereo/stereo_composition.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

constexpr std::array<std::pair<ExportFormat, const char*>, 16> kFormatNames = {{
    {ExportFormat::kAnaglyphDubois, "anaglyph"},
    {ExportFormat::kAnaglyphColor, "anaglyph-color"},
    {ExportFormat::kAnaglyphGray, "anaglyph-gray"},
    {ExportFormat::kSideBySideFull, "sbs"},
    {ExportFormat::kSideBySideHalf, "sbs-half"},
    {ExportFormat::kTopBottomFull, "tb"},
    {ExportFormat::kTopBottomHalf, "tb-half"},
    {ExportFormat::kCrossEyed, "cross"},
    {ExportFormat::kRowInterleaved, "rows"},
    {ExportFormat::kColumnInterleaved, "columns"},
    {ExportFormat::kCheckerboard, "checkerboard"},
    {ExportFormat::kSeparatePair, "pair"},
    {ExportFormat::kMpo, "mpo"},
    {ExportFormat::kJps, "jps"},
    {ExportFormat::kWiggleGif, "wiggle-gif"},
    {ExportFormat::kWiggleApng, "wiggle-apng"},
}};

constexpr std::array<const char*, 7> kImageExtensions = {"png",  "jpg",  "jpeg", "tif",
                                                         "tiff", "webp", "bmp"};

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// "png", ".PNG" -> "png"; throws InputError for an extension writeImage cannot encode.
std::string imageExtension(const std::string& requested) {
  std::string extension = lowercase(requested);
  if (!extension.empty() && extension.front() == '.') extension.erase(0, 1);
  for (const char* known : kImageExtensions) {
    if (extension == known) return extension;
  }
  throw InputError("unknown image extension '" + requested +
                   "' for the stereo export; expected png, jpg, jpeg, tif, tiff, webp or bmp");
}

// The single-image layout of a format, or nullopt for the pair, MPO, JPS and the wiggles.
std::optional<StereoLayout> layoutOf(ExportFormat format) {
  switch (format) {
    case ExportFormat::kAnaglyphDubois:
      return StereoLayout::kAnaglyphDubois;
    case ExportFormat::kAnaglyphColor:
      return StereoLayout::kAnaglyphColor;
    case ExportFormat::kAnaglyphGray:
      return StereoLayout::kAnaglyphGray;
    case ExportFormat::kSideBySideFull:
      return StereoLayout::kSideBySideFull;
    case ExportFormat::kSideBySideHalf:
      return StereoLayout::kSideBySideHalf;
    case ExportFormat::kTopBottomFull:
      return StereoLayout::kTopBottomFull;
    case ExportFormat::kTopBottomHalf:
      return StereoLayout::kTopBottomHalf;
    case ExportFormat::kCrossEyed:
      return StereoLayout::kCrossEyed;
    case ExportFormat::kRowInterleaved:
      return StereoLayout::kRowInterleaved;
    case ExportFormat::kColumnInterleaved:
      return StereoLayout::kColumnInterleaved;
    case ExportFormat::kCheckerboard:
      return StereoLayout::kCheckerboard;
    case ExportFormat::kSeparatePair:
    case ExportFormat::kMpo:
    case ExportFormat::kJps:
    case ExportFormat::kWiggleGif:
    case ExportFormat::kWiggleApng:
      return std::nullopt;
  }
  return std::nullopt;
}

AnimationFormat animationFormatOf(ExportFormat format) {
  return format == ExportFormat::kWiggleApng ? AnimationFormat::kApng : AnimationFormat::kGif;
}

// The extension (without the dot) of the files `format` writes.
std::string fileExtensionOf(ExportFormat format, const ExportOptions& options) {
  switch (format) {
    case ExportFormat::kMpo:
      return "mpo";
    case ExportFormat::kJps:
      return "jps";
    case ExportFormat::kWiggleGif:
    case ExportFormat::kWiggleApng:
      return extensionOf(animationFormatOf(format)) + 1;  // ".gif" -> "gif"
    default:
      return imageExtension(options.image_extension);
  }
}

void checkBaseName(const std::string& base_name) {
  if (base_name.empty() || base_name == "." || base_name == ".." ||
      base_name.find_first_of("/\\") != std::string::npos) {
    throw InputError("invalid base name '" + base_name +
                     "' for the stereo export: expected a plain file name without folders");
  }
}

// Makes sure `folder` exists; returns true when this call created it (see exportStereo).
bool prepareOutputFolder(const fs::path& folder) {
  std::error_code ec;
  if (fs::is_directory(folder, ec)) return false;
  if (fs::exists(folder, ec)) {
    throw OutputError("cannot export into '" + folder.string() + "': it is not a folder");
  }
  const fs::path parent = folder.has_parent_path() ? folder.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec)) {
    throw OutputError("cannot export into '" + folder.string() +
                      "': the folder does not exist and neither does its parent '" +
                      parent.string() + "'");
  }
  if (!fs::create_directory(folder, ec) || ec) {
    throw OutputError("cannot create the output folder '" + folder.string() +
                      "': " + (ec ? ec.message() : std::string("unknown error")));
  }
  return true;
}

fs::path folderOf(const fs::path& out_dir) {
  // "out/" has an empty file name; its folder is "out".
  if (out_dir.empty()) return fs::path(".");
  return out_dir.has_filename() ? out_dir : out_dir.parent_path();
}

}  // namespace

std::string toString(ExportFormat format) {
  for (const auto& [value, name] : kFormatNames) {
    if (value == format) return name;
  }
  return "unknown";
}

std::optional<ExportFormat> parseExportFormat(const std::string& name) {
  const std::string lower = lowercase(name);
  for (const auto& [value, format_name] : kFormatNames) {
    if (lower == format_name) return value;
  }
  return std::nullopt;
}

bool isWiggle(ExportFormat format) {
  return format == ExportFormat::kWiggleGif || format == ExportFormat::kWiggleApng;
}

std::vector<std::string> allExportFormatNames() {
  std::vector<std::string> names;
  for (const auto& [format, name] : kFormatNames) {
    if (!isWiggle(format)) names.emplace_back(name);
  }
  return names;
}

std::vector<std::string> wiggleExportFormatNames() {
  std::vector<std::string> names;
  for (const auto& [format, name] : kFormatNames) {
    if (isWiggle(format)) names.emplace_back(name);
  }
  return names;
}

std::string exportFileSuffix(ExportFormat format, bool vr_suffix, bool right_eye) {
  switch (format) {
    case ExportFormat::kSeparatePair:
      return right_eye ? "_R" : "_L";
    case ExportFormat::kMpo:
    case ExportFormat::kJps:
      return "";
    case ExportFormat::kWiggleGif:
    case ExportFormat::kWiggleApng:
      return "_wiggle";
    default:
      break;
  }
  if (!vr_suffix) return "_" + toString(format);
  switch (format) {
    case ExportFormat::kAnaglyphDubois:
      return "_anaglyph";
    case ExportFormat::kAnaglyphColor:
      return "_anaglyph_color";
    case ExportFormat::kAnaglyphGray:
      return "_anaglyph_gray";
    case ExportFormat::kSideBySideFull:
      return "_LRF_Full_SBS";
    case ExportFormat::kSideBySideHalf:
      return "_3dh";
    case ExportFormat::kTopBottomFull:
      return "_TB";
    case ExportFormat::kTopBottomHalf:
      return "_3dv";
    case ExportFormat::kCrossEyed:
      return "_RL";
    default:
      return "_" + toString(format);
  }
}

std::vector<fs::path> exportStereo(const cv::Mat& left01, const cv::Mat& right01,
                                   ExportFormat format, const fs::path& out_dir,
                                   const std::string& base_name, const ExportOptions& options) {
  checkStereoViews(left01, right01);
  checkBaseName(base_name);
  if (options.jpeg_quality < 1 || options.jpeg_quality > 100) {
    throw InputError("JPEG quality must be 1..100; got " + std::to_string(options.jpeg_quality));
  }
  AnimationOptions animation;
  animation.format = animationFormatOf(format);
  animation.frame_ms = options.wiggle_frame_ms;
  const std::optional<StereoLayout> layout = layoutOf(format);
  const std::string extension = fileExtensionOf(format, options);
  const fs::path folder = folderOf(out_dir);
  const auto path_for = [&](bool right_eye) {
    return folder /
           (base_name + exportFileSuffix(format, options.vr_suffix, right_eye) + "." + extension);
  };

  const bool created_folder = prepareOutputFolder(folder);
  std::vector<fs::path> written;
  // The files of one format (two for a separate pair) are published together or not at all;
  // inside a caller's transaction (generate) they join its set.
  OutputTransaction transaction;
  try {
    try {
      if (layout) {
        const fs::path path = path_for(false);
        writeImage(path, composeStereo(left01, right01, *layout), ImageBitDepth::k8,
                   options.jpeg_quality);
        written.push_back(path);
      } else if (format == ExportFormat::kSeparatePair) {
        for (const bool right_eye : {false, true}) {
          const fs::path path = path_for(right_eye);
          writeImage(path, right_eye ? right01 : left01, ImageBitDepth::k8, options.jpeg_quality);
          written.push_back(path);
        }
      } else if (isWiggle(format)) {
        const fs::path path = path_for(false);
        writeWiggle(path, left01, right01, animation);
        written.push_back(path);
      } else if (format == ExportFormat::kMpo) {
        const fs::path path = path_for(false);
        writeBytesAtomically(path, buildStereoMpo(encodeJpeg(left01, options.jpeg_quality),
                                                  encodeJpeg(right01, options.jpeg_quality)));
        written.push_back(path);
      } else {
        const fs::path path = path_for(false);
        writeBytesAtomically(path, buildJps(left01, right01, options.jpeg_quality));
        written.push_back(path);
      }
      transaction.commit();
    } catch (const cv::Exception& e) {
      throw OutputError("cannot export the stereo pair as " + toString(format) + " into '" +
                        folder.string() + "': " + e.what());
    }
  } catch (...) {
    transaction.rollback();
    std::error_code ignored;
    if (created_folder) fs::remove(folder, ignored);  // only removes it when empty
    throw;
  }
  return written;
}

}  // namespace genstereo

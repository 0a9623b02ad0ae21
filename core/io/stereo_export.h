// Writing a stereo pair to disk in the formats stereo viewers, VR players and 3D cameras use,
// and as a wiggle animation (left and right view alternating, io/animated_writer.h).
// Views: cv::Mat CV_32FC3, BGR channel order, values in [0, 1], same size.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "io/animated_writer.h"

namespace genstereo {

enum class ExportFormat {
  kAnaglyphDubois,  // one image, see StereoLayout::kAnaglyphDubois
  kAnaglyphColor,
  kAnaglyphGray,
  kSideBySideFull,
  kSideBySideHalf,
  kTopBottomFull,
  kTopBottomHalf,
  kCrossEyed,
  // Passive 3D monitors and TVs, DLP projectors: one view's size, each pixel from one view
  // (StereoLayout::kRowInterleaved, kColumnInterleaved, kCheckerboard).
  kRowInterleaved,
  kColumnInterleaved,
  kCheckerboard,
  kSeparatePair,  // two images, one per eye
  kMpo,           // CIPA DC-007 Multi-Picture Object (two JPEGs), see mpo_writer.h
  kJps,           // cross-eyed side-by-side JPEG with a JPS descriptor, see jps_writer.h
  kWiggleGif,     // animated GIF, left then right view (io/animated_writer.h)
  kWiggleApng,    // animated PNG, left then right view, lossless
};

// Stable names: the StereoLayout names ("anaglyph", "anaglyph-color", "anaglyph-gray", "sbs",
// "sbs-half", "tb", "tb-half", "cross") plus "pair", "mpo", "jps", "wiggle-gif" and
// "wiggle-apng".
std::string toString(ExportFormat format);

// The format with that stable name (case-insensitive), or nullopt.
std::optional<ExportFormat> parseExportFormat(const std::string& name);

// The stable names of the still-image formats (every format but the wiggles), in the order of
// the enum: the GUI's export list, and what `genstereo-cli generate --format all` writes.
std::vector<std::string> allExportFormatNames();

// The stable names of the animated formats: "wiggle-gif", "wiggle-apng". They are written only
// when named: a wiggle is no stereo picture for a viewer or headset but a preview for sharing,
// and `all` keeps meaning the set of files it meant before the wiggles existed.
std::vector<std::string> wiggleExportFormatNames();

// True for kWiggleGif and kWiggleApng.
bool isWiggle(ExportFormat format);

struct ExportOptions {
  // Extension of single-image outputs and of the pair: png, jpg/jpeg, tif/tiff, webp, bmp
  // (with or without the dot). MPO and JPS are always JPEG.
  std::string image_extension = "png";
  // JPEG quality 1..100 for JPEG outputs, MPO and JPS.
  int jpeg_quality = 95;
  // Name files with the suffix VR players use to detect the layout (see exportFileSuffix).
  bool vr_suffix = true;
  // Display time of each view in the wiggles, kMinFrameMs..kMaxFrameMs (io/animated_writer.h);
  // they loop forever.
  int wiggle_frame_ms = kDefaultFrameMs;
};

// The part of the file name between the base name and the extension.
// With vr_suffix, the tags VR players and stereo viewers look for in file names:
//   sbs      "_LRF_Full_SBS"  full side-by-side, iw3's tag, which Pigasus ("LRF"), SKYBOX
//                             ("Full_SBS") and DeoVR ("_LR", "_SBS") all recognise
//   sbs-half "_3dh"           side-by-side for SKYBOX ("3dh", "LR" or "SBS"); as a half-width
//                             frame it is stretched back to the full aspect by the player
//   tb       "_TB"            top-bottom (SKYBOX, Rad "tb")
//   tb-half  "_3dv"           top-bottom for SKYBOX ("3dv", "TB" or "OU"), half height
//   cross    "_RL"            side-by-side, right view first (Rad "rl")
//   anaglyph "_anaglyph", "_anaglyph_color", "_anaglyph_gray"
// (SKYBOX's list: skybox.xyz "Add suffix to help recognize the correct format"; iw3's
// choice: nagadomi/nunif iw3/README.md "About file naming rule".)
// Without vr_suffix: "_" + the stable name ("_sbs-half", "_cross"...).
// Both: pair "_L" and "_R" (`right_eye` selects), MPO and JPS none (their extension says it),
// the wiggles "_wiggle" (extension .gif for wiggle-gif, .png for wiggle-apng, as in the GUI).
std::string exportFileSuffix(ExportFormat format, bool vr_suffix, bool right_eye = false);

// Writes the pair in `format` into `out_dir` as base_name + exportFileSuffix + extension and
// returns the paths written (two for kSeparatePair, otherwise one). The extension: the image
// extension of `options` for the single images and the pair; .mpo, .jps; .gif and .png for the
// wiggles. Existing files of the same name are replaced.
// Output folder: created when missing but its parent folder exists (a fresh folder per run
// is the common case); when the parent is missing too, nothing is created, since a mistyped
// path must not silently grow a directory tree.
// Every file is written atomically (temporary file + rename); when any file of the call fails,
// the files this call already wrote (and a folder it created) are removed, so a failed export
// leaves nothing behind.
// Throws InputError for mismatched views, an empty base name or one with a folder separator,
// an unknown image extension, a wiggle frame time out of range; OutputError naming the folder
// or file that cannot be written.
std::vector<std::filesystem::path> exportStereo(const cv::Mat& left01, const cv::Mat& right01,
                                                ExportFormat format,
                                                const std::filesystem::path& out_dir,
                                                const std::string& base_name,
                                                const ExportOptions& options = {});

}  // namespace genstereo

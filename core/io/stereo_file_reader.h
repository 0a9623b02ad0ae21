// Reading stereo photo files, the pairs that stereo cameras and StereoPhoto Maker write:
//   MPO (CIPA DC-007 Multi-Picture Format): the left JPEG and the right JPEG in one file, listed
//       by the MP Index of an APP2 "MPF" segment in the first image (io/mpo_writer.h);
//   JPS (JPEG Stereo): one JPEG with both views side by side, cross-eyed (right view in the
//       left half) by convention; an APP3 "_JPSJPS_" descriptor may state another layout
//       (over-under, left view first, half width or height) (io/jps_writer.h).
// The format is chosen by the extension (.mpo, .jps, any case) and the content is checked.
// Image convention as io/image_io.h: CV_32FC3, BGR, [0, 1].
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include <opencv2/core.hpp>

namespace genstereo {

enum class StereoFileFormat { kNone, kMpo, kJps };

// kMpo for ".mpo", kJps for ".jps" (any case), else kNone.
StereoFileFormat stereoFileFormatOf(const std::filesystem::path& path);

// "MPO", "JPS" or "none".
const char* toString(StereoFileFormat format);

// The two views of a stereo file, same size (each at least kMinImageSidePx on a side).
struct StereoViews {
  cv::Mat left;   // CV_32FC3 BGR [0, 1]
  cv::Mat right;  // CV_32FC3 BGR [0, 1], the same size as `left`
  StereoFileFormat format = StereoFileFormat::kNone;
};

// Reads the file named by `path` as stereoFileFormatOf(path) says. Throws InputError naming
// the file when it is missing or not of that format, when an MPO does not hold two views of a
// stereo pair (e.g. a photo with its large thumbnail), when a JPS descriptor states a layout
// that is not two views side by side or over-under (interleaved, anaglyph, monoscopic), when
// the views differ in size, and when a JPEG inside is corrupt or beyond the pixel budget.
StereoViews readStereoFile(const std::filesystem::path& path);

// A photo as the clients open it (readImage uses the same rule for the left view): a stereo
// file's two views; a plain photo, and an .mpo that holds no stereo pair (no MP index, a photo
// with its thumbnail), as `left` with an empty `right` and format kNone. Throws InputError as
// readImage and readStereoFile do (a .jps must be a stereo pair).
StereoViews readPhotoFile(const std::filesystem::path& path);

// As readStereoFile, from the bytes of the file; `path` names it in messages only.
StereoViews decodeStereoFile(const std::vector<std::uint8_t>& bytes, StereoFileFormat format,
                             const std::filesystem::path& path);

}  // namespace genstereo

// Reading and writing photos through OpenCV.
// Image convention used throughout the engine: cv::Mat CV_32FC3, BGR channel order (OpenCV's),
// values in [0, 1].
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include <opencv2/core.hpp>

namespace genstereo {

// The smallest width and height readImage accepts (the view synthesis needs 2x2).
constexpr int kMinImageSidePx = 2;

// Reads PNG (8/16-bit), JPEG (EXIF orientation applied), TIFF, WebP or BMP; a stereo file
// (.mpo, .jps: io/stereo_file_reader.h) gives its left view.
// Grayscale is expanded to three channels, alpha is dropped.
// Returns CV_32FC3 BGR in [0, 1] (8-bit / 255, 16-bit / 65535; float TIFF as stored).
// The format is detected from the file's first bytes. Throws InputError (missing, not an
// image, corrupt, truncated) naming the file.
cv::Mat readImage(const std::filesystem::path& path);
// As readImage, the file decoded as one image whatever its extension (an .mpo: its first
// JPEG); the stereo readers' fallback.
cv::Mat readSingleImage(const std::filesystem::path& path);

// Bit depth of the written file where the format allows a choice (PNG and TIFF).
enum class ImageBitDepth { k8, k16 };

// Writes a CV_32FC3 (or CV_32FC1) [0, 1] image; the format follows the extension
// (.png .jpg/.jpeg .tif/.tiff .webp .bmp, any case). Atomic: temporary file + rename.
// `depth` applies to PNG and TIFF, other formats are 8-bit; `jpeg_quality` (1..100) applies
// to JPEG; WebP is written lossless. Throws OutputError naming the file (unknown extension,
// folder missing or not writable, unsupported image type).
void writeImage(const std::filesystem::path& path, const cv::Mat& image01,
                ImageBitDepth depth = ImageBitDepth::k8, int jpeg_quality = 95);

// Converts a [0,1] float image to 8-bit with rounding and clamping.
cv::Mat toUint8(const cv::Mat& image01);

// Encodes an image to JPEG bytes (for MPO/JPS containers). `quality` is 1..100.
// Throws OutputError when the image is not a [0, 1] float image or encoding fails.
std::vector<std::uint8_t> encodeJpeg(const cv::Mat& image01, int quality);

// Image container formats, recognised from the first bytes of a file (not its extension).
enum class ImageFileFormat { kUnknown, kPng, kJpeg, kTiff, kWebp, kBmp };

// The format whose signature starts `bytes`, or kUnknown.
ImageFileFormat detectImageFormat(const std::vector<std::uint8_t>& bytes);

// "PNG", "JPEG", "TIFF", "WebP", "BMP" or "unknown".
const char* imageFormatName(ImageFileFormat format);

// The bytes of an image or map file, bounded: a PNG up to its IEND chunk (a tail after it is
// never read), any other file up to maxImageFileBytes(). Throws InputError naming the file when
// it is missing, a folder, a FIFO or a device, or cannot be read.
std::vector<std::uint8_t> readImageFileBytes(const std::filesystem::path& path);

// The largest file an image within the pixel budget (pixel_budget.h) can need: 16 bytes per
// pixel (float32 RGBA) and 64 MiB of metadata.
std::uint64_t maxImageFileBytes();

// Checks that the file's structure is complete (PNG: chunks up to IEND; JPEG: marker
// segments up to the end-of-image marker, and the scan data decodes without libjpeg's
// "Corrupt JPEG data" warnings; WebP and BMP: the declared size), then decodes
// it with cv::imdecode(bytes, imread_flags). Never returns an empty Mat.
// Throws InputError naming `path` (used only in messages) when the format is unknown,
// the file is truncated or corrupt.
cv::Mat decodeImageBytes(const std::vector<std::uint8_t>& bytes, const std::filesystem::path& path,
                         int imread_flags);

}  // namespace genstereo

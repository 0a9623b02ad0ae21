// Reading and writing photos through OpenCV.
// Image convention used throughout the engine: cv::Mat CV_32FC3, BGR channel order (OpenCV's),
// values in [0, 1].
#pragma once

#include <filesystem>

#include <opencv2/core.hpp>

namespace genstereo {

// Reads PNG (8/16-bit), JPEG (EXIF orientation applied), TIFF, WebP or BMP.
// Grayscale is expanded to three channels, alpha is dropped.
// Returns CV_32FC3 BGR in [0, 1]. Throws InputError (missing, not an image, corrupt,
// truncated) naming the file.
cv::Mat readImage(const std::filesystem::path& path);

// Bit depth of the written file where the format allows a choice (PNG and TIFF).
enum class ImageBitDepth { k8, k16 };

// Writes a CV_32FC3 (or CV_32FC1) [0, 1] image; the format follows the extension
// (.png .jpg/.jpeg .tif/.tiff .webp .bmp). Atomic: temporary file + rename.
// Throws OutputError naming the file.
void writeImage(const std::filesystem::path& path, const cv::Mat& image01,
                ImageBitDepth depth = ImageBitDepth::k8, int jpeg_quality = 95);

// Converts a [0,1] float image to 8-bit with rounding and clamping.
cv::Mat toUint8(const cv::Mat& image01);

// Encodes an image to JPEG bytes (for MPO/JPS containers).
std::vector<std::uint8_t> encodeJpeg(const cv::Mat& image01, int quality);

}  // namespace genstereo

// The pixel budget: the largest image (or disparity map) the engine agrees to decode. Image
// headers are read before decoding (image_dimensions.h), so a 100 kB PNG that claims
// 30000x30000 pixels is refused with a clear message instead of asking for 13.5 GB and being
// killed by the out-of-memory killer, in every retry.
//
// The limit is process-wide, like OpenCV's CV_IO_MAX_IMAGE_PIXELS: the value given to
// setMaxInputPixels(), else the environment variable GENSTEREO_MAX_PIXELS (a positive
// integer), else kDefaultMaxInputPixels.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace genstereo {

// 40 megapixels: a 7680x5200 photo. The weight-free pipeline then needs ~2.4 GB
// (estimateWorkingMemoryBytes).
constexpr std::int64_t kDefaultMaxInputPixels = 40'000'000;

// Bytes per pixel the weight-free generate pipeline keeps alive at its peak: float BGR input
// and both views (3 x 12 B), disparities and warp maps (~6 x 4 B), masks and 8-bit encodes.
constexpr std::int64_t kWorkingBytesPerPixel = 64;

// The limit in force (see the header comment). Never below 1.
std::int64_t maxInputPixels();

// Overrides the limit for the whole process (the CLI's option, a test). 0 restores the
// environment / default.
void setMaxInputPixels(std::int64_t max_pixels);

// Rough peak memory of generating a stereo pair from a width x height photo.
std::int64_t estimateWorkingMemoryBytes(std::int64_t width_px, std::int64_t height_px);

// Throws InputError naming `path` when width x height exceeds maxInputPixels() (or a side is
// not positive), with the estimate of the memory it would need and how to raise the limit.
// `what` names the content ("image", "disparity map").
void checkPixelBudget(std::int64_t width_px, std::int64_t height_px,
                      const std::filesystem::path& path, const std::string& what);

}  // namespace genstereo

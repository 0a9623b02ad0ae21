// Image dimensions read from the file header, without decoding: PNG (IHDR), JPEG (the
// start-of-frame segment), TIFF (ImageWidth/ImageLength of the first image), WebP (VP8, VP8L,
// VP8X) and BMP (the DIB header). Used to enforce the pixel budget before OpenCV allocates.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "io/image_io.h"  // ImageFileFormat

namespace genstereo {

struct ImageDimensions {
  std::int64_t width_px = 0;
  std::int64_t height_px = 0;
};

// The dimensions declared by the header of a `format` file, or nullopt when the header is
// missing, truncated or inconsistent. Never reads outside `bytes`.
std::optional<ImageDimensions> readImageDimensions(const std::vector<std::uint8_t>& bytes,
                                                   ImageFileFormat format);

}  // namespace genstereo

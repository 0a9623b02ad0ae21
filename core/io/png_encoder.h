// A PNG encoder that compresses strips of rows on several threads (the whole-image writers of
// OpenCV and libpng use one): 8- or 16-bit grey, BGR or BGRA images, every row SUB-filtered and
// deflated at zlib level 1 with the run-length strategy (OpenCV's default PNG settings). Each
// strip is a raw deflate stream of its own ended with a sync flush, so the strips concatenate
// into one valid zlib stream (the Adler-32 combined), as pigz does. A 21.8 MP side-by-side
// encodes in about half the time on 2 cores; the pixels are those OpenCV writes.
#pragma once

#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

namespace genstereo {

// True for the images encodePng takes: CV_8U or CV_16U with 1, 3 or 4 channels, not empty.
bool isPngEncodable(const cv::Mat& image);

// The PNG file of `image` (BGR(A) channel order, as OpenCV's). `strips` 0: one per OpenCV thread
// for images of 1 MB and more, else 1. Throws OutputError when the image cannot be encoded.
std::vector<std::uint8_t> encodePng(const cv::Mat& image, int strips = 0);

}  // namespace genstereo

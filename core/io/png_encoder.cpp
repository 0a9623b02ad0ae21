#include "io/png_encoder.h"

#include <algorithm>
#include <cstring>
#include <string>

#include <zlib.h>

#include "errors.h"
#include "io/png_chunks.h"

namespace genstereo {

namespace {

constexpr int kZlibLevel = 1;
constexpr std::size_t kParallelFromBytes = std::size_t{1} << 20;
constexpr std::size_t kIdatChunkBytes = std::size_t{1} << 23;

struct StripOutput {
  std::vector<std::uint8_t> deflated;
  uLong adler = 0;
  std::size_t raw_bytes = 0;
  std::string error;
};

// One row as PNG wants it (RGB(A) order, big-endian 16-bit samples) with filter byte 1 (SUB).
void filterRow(const cv::Mat& image, int y, std::vector<std::uint8_t>& raw, std::uint8_t* out) {
  const int channels = image.channels();
  const int sample_bytes = image.depth() == CV_16U ? 2 : 1;
  const int bpp = channels * sample_bytes;
  const int width = image.cols;
  std::uint8_t* r = raw.data();
  if (sample_bytes == 1) {
    const std::uint8_t* src = image.ptr<std::uint8_t>(y);
    if (channels == 1) {
      std::memcpy(r, src, static_cast<std::size_t>(width));
    } else {
      for (int x = 0; x < width; ++x) {
        const std::uint8_t* p = src + x * channels;
        std::uint8_t* q = r + x * channels;
        q[0] = p[2];
        q[1] = p[1];
        q[2] = p[0];
        if (channels == 4) q[3] = p[3];
      }
    }
  } else {
    const std::uint16_t* src = image.ptr<std::uint16_t>(y);
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < channels; ++c) {
        const int from = channels == 1 ? c : (c < 3 ? 2 - c : c);  // BGR(A) -> RGB(A)
        const std::uint16_t v = src[x * channels + from];
        r[(x * channels + c) * 2] = static_cast<std::uint8_t>(v >> 8);
        r[(x * channels + c) * 2 + 1] = static_cast<std::uint8_t>(v & 0xff);
      }
    }
  }
  const std::size_t row_bytes = static_cast<std::size_t>(width) * bpp;
  out[0] = 1;  // SUB
  std::memcpy(out + 1, r, static_cast<std::size_t>(std::min<std::size_t>(bpp, row_bytes)));
  for (std::size_t i = bpp; i < row_bytes; ++i)
    out[1 + i] = static_cast<std::uint8_t>(r[i] - r[i - bpp]);
}

void deflateStrip(const cv::Mat& image, int first_row, int end_row, bool is_last,
                  StripOutput& strip) {
  const int sample_bytes = image.depth() == CV_16U ? 2 : 1;
  const std::size_t row_bytes =
      static_cast<std::size_t>(image.cols) * image.channels() * sample_bytes;
  std::vector<std::uint8_t> raw(row_bytes);
  std::vector<std::uint8_t> filtered(row_bytes + 1);
  z_stream z{};
  // Raw deflate (negative window bits): the zlib header and Adler-32 are written once, around all
  // strips.
  if (deflateInit2(&z, kZlibLevel, Z_DEFLATED, -15, 8, Z_RLE) != Z_OK) {
    strip.error = "zlib could not start";
    return;
  }
  strip.deflated.resize(
      deflateBound(&z, static_cast<uLong>((row_bytes + 1) * (end_row - first_row))) + 64);
  z.next_out = strip.deflated.data();
  z.avail_out = static_cast<uInt>(strip.deflated.size());
  strip.adler = adler32(0L, Z_NULL, 0);
  for (int y = first_row; y < end_row; ++y) {
    filterRow(image, y, raw, filtered.data());
    strip.adler = adler32(strip.adler, filtered.data(), static_cast<uInt>(filtered.size()));
    strip.raw_bytes += filtered.size();
    z.next_in = filtered.data();
    z.avail_in = static_cast<uInt>(filtered.size());
    const bool last_row = y + 1 == end_row;
    // The last strip finishes the stream; the others end byte-aligned with no final block.
    const int flush = !last_row ? Z_NO_FLUSH : (is_last ? Z_FINISH : Z_SYNC_FLUSH);
    const int status = deflate(&z, flush);
    if (status == Z_STREAM_ERROR || z.avail_in != 0 ||
        (flush == Z_FINISH && status != Z_STREAM_END)) {
      strip.error = "zlib could not compress rows " + std::to_string(first_row) + " to " +
                    std::to_string(end_row);
      deflateEnd(&z);
      return;
    }
  }
  strip.deflated.resize(strip.deflated.size() - z.avail_out);
  deflateEnd(&z);
}

}  // namespace

bool isPngEncodable(const cv::Mat& image) {
  const int channels = image.channels();
  return !image.empty() && image.dims == 2 && (image.depth() == CV_8U || image.depth() == CV_16U) &&
         (channels == 1 || channels == 3 || channels == 4);
}

std::vector<std::uint8_t> encodePng(const cv::Mat& image, int strips) {
  if (!isPngEncodable(image)) {
    throw OutputError(
        "PNG: expected a non-empty 8- or 16-bit image with 1, 3 or 4 channels, found OpenCV type " +
        cv::typeToString(image.type()) + " of " + std::to_string(image.cols) + "x" +
        std::to_string(image.rows));
  }
  const std::size_t bytes = image.total() * image.elemSize();
  if (strips <= 0) strips = bytes >= kParallelFromBytes ? std::max(1, cv::getNumThreads()) : 1;
  strips = std::clamp(strips, 1, image.rows);

  std::vector<StripOutput> outputs(static_cast<std::size_t>(strips));
  auto strip_rows = [&](int s) {
    return static_cast<int>(static_cast<std::int64_t>(image.rows) * s / strips);
  };
  cv::parallel_for_(cv::Range(0, strips), [&](const cv::Range& range) {
    for (int s = range.start; s < range.end; ++s) {
      deflateStrip(image, strip_rows(s), strip_rows(s + 1), s + 1 == strips,
                   outputs[static_cast<std::size_t>(s)]);
    }
  });

  std::vector<std::uint8_t> zlib_stream = {0x78, 0x01};  // deflate, 32 KiB window, fastest
  uLong adler = adler32(0L, Z_NULL, 0);
  for (const StripOutput& strip : outputs) {
    if (!strip.error.empty()) throw OutputError("PNG: " + strip.error);
    zlib_stream.insert(zlib_stream.end(), strip.deflated.begin(), strip.deflated.end());
    adler = adler32_combine(adler, strip.adler, static_cast<z_off_t>(strip.raw_bytes));
  }
  putU32(zlib_stream, static_cast<std::uint32_t>(adler));

  std::vector<std::uint8_t> png(std::begin(kPngSignature), std::end(kPngSignature));
  png.reserve(zlib_stream.size() + 1024);
  std::vector<std::uint8_t> header;
  putU32(header, static_cast<std::uint32_t>(image.cols));
  putU32(header, static_cast<std::uint32_t>(image.rows));
  header.push_back(image.depth() == CV_16U ? 16 : 8);
  const int channels = image.channels();
  header.push_back(channels == 1 ? 0 : channels == 3 ? 2 : 6);  // grey, RGB, RGBA
  header.insert(header.end(), {0, 0, 0});  // deflate, adaptive filters, no interlace
  putChunk(png, "IHDR", header);
  for (std::size_t at = 0; at < zlib_stream.size(); at += kIdatChunkBytes) {
    putChunk(png, "IDAT", zlib_stream.data() + at,
             std::min(kIdatChunkBytes, zlib_stream.size() - at));
  }
  putChunk(png, "IEND", nullptr, 0);
  return png;
}

}  // namespace genstereo

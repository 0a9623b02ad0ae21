// Animated GIF with giflib: a NETSCAPE2.0 loop extension, then per frame a graphic control
// extension (delay in centiseconds) and the image with its own 256-colour palette
// (giflib's median-cut GifQuantizeBuffer).
#include <cmath>
#include <string>

#include <gif_lib.h>

#include "errors.h"
#include "io/animated_writer.h"

namespace genstereo {

namespace {

int appendBytes(GifFileType* gif, const GifByteType* bytes, int count) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(gif->UserData);
  out->insert(out->end(), bytes, bytes + count);
  return count;
}

void check(int status, GifFileType* gif, const char* what) {
  if (status != GIF_OK) {
    throw OutputError(std::string("GIF: ") + what + " failed: " + GifErrorString(gif->Error));
  }
}

struct GifCloser {
  GifFileType* gif = nullptr;
  ~GifCloser() {
    if (gif != nullptr) EGifCloseFile(gif, nullptr);
  }
};

}  // namespace

std::vector<std::uint8_t> encodeGif(const std::vector<cv::Mat>& frames_bgr8, int frame_ms,
                                    int loop_count) {
  const int width = frames_bgr8.front().cols;
  const int height = frames_bgr8.front().rows;
  if (width > 65535 || height > 65535) {
    throw InputError("GIF: expected at most 65535x65535 pixels, found " + std::to_string(width) +
                     "x" + std::to_string(height));
  }
  std::vector<std::uint8_t> out;
  int error = 0;
  GifCloser closer;
  closer.gif = EGifOpen(&out, appendBytes, &error);
  GifFileType* gif = closer.gif;
  if (gif == nullptr)
    throw OutputError(std::string("GIF: cannot start the file: ") + GifErrorString(error));
  EGifSetGifVersion(gif, true);  // GIF89a: delays and the loop extension
  check(EGifPutScreenDesc(gif, width, height, 8, 0, nullptr), gif, "the screen descriptor");
  check(EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE), gif, "the loop extension");
  check(EGifPutExtensionBlock(gif, 11, "NETSCAPE2.0"), gif, "the loop extension");
  const unsigned char loop[3] = {1, static_cast<unsigned char>(loop_count & 0xff),
                                 static_cast<unsigned char>((loop_count >> 8) & 0xff)};
  check(EGifPutExtensionBlock(gif, 3, loop), gif, "the loop extension");
  check(EGifPutExtensionTrailer(gif), gif, "the loop extension");

  const std::size_t pixels = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  std::vector<GifByteType> red(pixels), green(pixels), blue(pixels), indices(pixels);
  for (const cv::Mat& frame : frames_bgr8) {
    for (int y = 0; y < height; ++y) {
      const std::uint8_t* bgr = frame.ptr<std::uint8_t>(y);
      for (int x = 0; x < width; ++x) {
        const std::size_t i = static_cast<std::size_t>(y) * width + x;
        blue[i] = bgr[3 * x];
        green[i] = bgr[3 * x + 1];
        red[i] = bgr[3 * x + 2];
      }
    }
    int colors = 256;
    GifColorType palette[256] = {};
    if (GifQuantizeBuffer(static_cast<unsigned>(width), static_cast<unsigned>(height), &colors,
                          red.data(), green.data(), blue.data(), indices.data(),
                          palette) != GIF_OK) {
      throw OutputError("GIF: cannot reduce a frame of " + std::to_string(width) + "x" +
                        std::to_string(height) + " pixels to 256 colours");
    }
    GraphicsControlBlock control{};
    control.DisposalMode = DISPOSE_DO_NOT;
    control.UserInputFlag = false;
    control.DelayTime = static_cast<int>(std::lround(frame_ms / 10.0));
    control.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType extension[4] = {};
    const std::size_t extension_bytes = EGifGCBToExtension(&control, extension);
    check(
        EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(extension_bytes), extension),
        gif, "the frame delay");
    ColorMapObject* map = GifMakeMapObject(256, palette);
    const int status = EGifPutImageDesc(gif, 0, 0, width, height, false, map);
    GifFreeMapObject(map);
    check(status, gif, "the image descriptor");
    for (int y = 0; y < height; ++y) {
      check(EGifPutLine(gif, indices.data() + static_cast<std::size_t>(y) * width, width), gif,
            "a row");
    }
  }
  closer.gif = nullptr;
  if (EGifCloseFile(gif, &error) != GIF_OK) {
    throw OutputError(std::string("GIF: cannot finish the file: ") + GifErrorString(error));
  }
  return out;
}

}  // namespace genstereo

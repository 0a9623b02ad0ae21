// Videos (probeVideo + VideoDecoder): libavformat's demuxers and libavcodec's decoders behind
// our checks (regular file, pixel budget, damaged packets, truncation). The budget is lowered
// and decoding stops after a few frames, so that each input is cheap and the fuzzer explores
// the parsers rather than long or huge videos.
#include "errors.h"
#include "fuzz_support.h"
#include "io/pixel_budget.h"
#include "video/media_source.h"
#include "video/video_decoder.h"

namespace {

constexpr int kMaxFramesPerInput = 8;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  genstereo::setMaxInputPixels(1'000'000);
  const auto path = genstereo::fuzz::writeInput("input.video", data, size);
  try {
    (void)genstereo::probeVideo(path);
    genstereo::DecodeOptions options;
    options.threads = 1;
    options.pixels =
        size % 2 == 0 ? genstereo::DecodedPixels::kBgr8 : genstereo::DecodedPixels::kGray16;
    genstereo::VideoDecoder decoder(path, options);
    genstereo::DecodedFrame frame;
    for (int i = 0; i < kMaxFramesPerInput && decoder.read(frame); ++i) {
    }
  } catch (const genstereo::Error&) {
  }
  return 0;
}

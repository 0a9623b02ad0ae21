// HDR10 sources: the tone map to SDR (video/hdr_tone_map.h) and what convertVideo does with an
// HDR10 clip (tone-mapped for an x264 output, refused passthrough, kept with x265 at 10 bits).
#include <cmath>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "errors.h"
#include "genstereo/video.h"
#include "test_support.h"
#include "video/hdr_tone_map.h"
#include "video/media_source.h"
#include "video/video_decoder.h"
#include "video_test_clips.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

// The PQ code value of a luminance in nits (SMPTE ST 2084 inverse EOTF), as a test reference.
double pqCode(double nits) {
  const double m1 = 2610.0 / 16384.0, m2 = 2523.0 / 4096.0 * 128.0;
  const double c1 = 3424.0 / 4096.0, c2 = 2413.0 / 4096.0 * 32.0, c3 = 2392.0 / 4096.0 * 32.0;
  const double y = std::pow(nits / 10000.0, m1);
  return std::pow((c1 + c2 * y) / (1.0 + c3 * y), m2);
}

cv::Mat greyPq(double nits) { return cv::Mat(2, 2, CV_32FC3, cv::Scalar::all(pqCode(nits))); }

TEST(HdrToneMap, GreysStayNeutralMonotonicAndWithinSdr) {
  double previous = -1.0;
  for (double nits : {0.0, 1.0, 10.0, 50.0, 100.0, 203.0, 400.0, 1000.0, 4000.0}) {
    const cv::Vec3f out = toneMapHdr10ToSdr(greyPq(nits)).at<cv::Vec3f>(0, 0);
    EXPECT_NEAR(out[0], out[1], 2e-3) << nits << " nits: a grey stays grey";
    EXPECT_NEAR(out[1], out[2], 2e-3) << nits;
    EXPECT_GE(out[1], previous) << nits << " nits: brighter in, brighter out";
    EXPECT_LE(out[1], 1.0f);
    previous = out[1];
  }
  EXPECT_NEAR(toneMapHdr10ToSdr(greyPq(0.0)).at<cv::Vec3f>(0, 0)[1], 0.0, 1e-4);
  // The peak (1000 nits by default) reaches SDR white; reference white (203 nits) sits at
  // Reinhard's (1 + 1/w^2) / 2 in linear light, about 0.74 after the BT.709 OETF.
  EXPECT_NEAR(toneMapHdr10ToSdr(greyPq(1000.0)).at<cv::Vec3f>(0, 0)[1], 1.0, 0.01);
  const double w = 1000.0 / 203.0;
  const double linear = (1.0 + 1.0 / (w * w)) / 2.0;
  EXPECT_NEAR(toneMapHdr10ToSdr(greyPq(203.0)).at<cv::Vec3f>(0, 0)[1],
              1.099 * std::pow(linear, 0.45) - 0.099, 0.01);
  EXPECT_DOUBLE_EQ(peakNitsFromMaxCll("4000,400"), 4000.0);
  EXPECT_DOUBLE_EQ(peakNitsFromMaxCll("garbage"), 1000.0);
  EXPECT_THROW(toneMapHdr10ToSdr(cv::Mat(2, 2, CV_8UC3)), InputError);
}

TEST(HdrVideo, Hdr10ClipIsToneMappedForX264AndKeptWithX265) {
  if (!test::hasFfmpegTools()) GTEST_SKIP() << "ffmpeg is not installed (Debian: ffmpeg)";
  test::TempDir dir;
  test::ClipSpec spec;
  spec.is_ten_bit_hdr10 = true;
  spec.container = "mkv";
  spec.width = 96;
  spec.height = 64;
  spec.seconds = 0.4;
  const fs::path clip = test::makeTestClip(dir.path(), spec);
  ASSERT_TRUE(probeVideo(clip).is_hdr10);
  fs::create_directories(dir / "depth");
  cv::Mat depth(64, 96, CV_16U);
  cv::randu(depth, 1000, 60000);
  for (int i = 0; i < 10; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "%04d.png", i);
    cv::imwrite((dir / "depth" / name).string(), depth);
  }
  StereoEngine engine;
  VideoParams params;
  params.input = clip;
  params.run = videoRunDefaults();
  params.map = VideoMapSource{dir / "depth", MapKind::kInverseDepth};
  params.encode.preset = "ultrafast";

  params.output = dir / "sdr.mkv";
  convertVideo(engine, params);  // auto: x264 cannot carry HDR10 -> tone-mapped
  const VideoSourceInfo sdr = probeVideo(params.output);
  EXPECT_FALSE(sdr.is_hdr10);
  EXPECT_EQ(sdr.bits_per_component, 8);
  // The source's PQ greys would look dark-washed as BT.709 codes; tone-mapped they are SDR.
  VideoDecoder source_decoder(clip, DecodeOptions{DecodedPixels::kBgr16});
  VideoDecoder sdr_decoder(params.output);
  DecodedFrame source_frame, sdr_frame;
  ASSERT_TRUE(source_decoder.read(source_frame));
  ASSERT_TRUE(sdr_decoder.read(sdr_frame));
  const cv::Mat expected = toneMapHdr10ToSdr(source_frame.image);
  cv::Mat left;
  sdr_frame.image(cv::Rect(0, 0, 96, 64)).convertTo(left, CV_32F, 1.0 / 255.0);
  cv::Mat diff;
  cv::absdiff(left, expected, diff);
  EXPECT_LT(cv::mean(diff)[0], 0.03) << "the left view is the tone-mapped source";

  params.hdr = HdrHandling::kPassthrough;
  params.output = dir / "refused.mkv";
  EXPECT_THROW(convertVideo(engine, params), InputError);
  EXPECT_FALSE(fs::exists(params.output));

  params.encode.codec = VideoCodec::kX265;
  params.encode.bit_depth = 10;
  params.output = dir / "hdr.mkv";
  convertVideo(engine, params);
  const VideoSourceInfo hdr = probeVideo(params.output);
  EXPECT_TRUE(hdr.is_hdr10);
  EXPECT_EQ(hdr.bits_per_component, 10);
}

}  // namespace
}  // namespace genstereo

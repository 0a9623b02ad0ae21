// Media I/O on libav*: probing, decoding (rotation, 10-bit, gray16, VFR timestamps,
// interlace), segment encoding and the stereo muxer (stream copy, transcoding, stereo
// signalling, atomic output), and refusal of damaged, odd or oversized inputs. Every clip is
// made with the ffmpeg tool inside the test (video_test_clips.h).
#include <sys/stat.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <future>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "io/pixel_budget.h"
#include "test_support.h"
#include "video/media_source.h"
#include "video/segment_encoder.h"
#include "video/stereo_muxer.h"
#include "video/video_decoder.h"
#include "video/video_encoding.h"
#include "video_test_clips.h"

namespace genstereo {
namespace {

using test::ClipSpec;
using test::makeTestClip;
using test::TempDir;

#define SKIP_WITHOUT_FFMPEG()  \
  if (!test::hasFfmpegTools()) \
  GTEST_SKIP() << "ffmpeg/ffprobe not installed (Debian: apt-get install ffmpeg)"

std::vector<DecodedFrame> decodeAll(const std::filesystem::path& path, DecodeOptions options = {}) {
  VideoDecoder decoder(path, options);
  std::vector<DecodedFrame> frames;
  DecodedFrame frame;
  while (decoder.read(frame)) frames.push_back(frame);
  return frames;
}

std::vector<std::filesystem::path> filesIn(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    files.push_back(entry.path());
  return files;
}

// Timestamps of two files in seconds, equal to far below a time-base unit.
void expectSameTimes(const std::vector<double>& written, const std::vector<double>& expected) {
  ASSERT_EQ(written.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(written[i], expected[i], 1e-9) << "frame " << i;
}

// Encodes every frame of `source` side by side (left = right = the frame) into `segment_count`
// libx264 segments split by frame index, and returns their paths.
std::vector<std::filesystem::path> encodeSbsSegments(const std::filesystem::path& source,
                                                     const std::filesystem::path& folder,
                                                     int segment_count,
                                                     VideoEncodeSettings settings = {}) {
  VideoDecoder decoder(source);
  const VideoSourceInfo info = decoder.info();
  const std::int64_t total = std::max<std::int64_t>(1, info.frame_count_estimate);
  std::vector<std::filesystem::path> paths;
  std::unique_ptr<SegmentEncoder> encoder;
  DecodedFrame frame;
  settings.preset = settings.codec == VideoCodec::kX264 ? "ultrafast" : settings.preset;
  while (decoder.read(frame)) {
    const int segment = static_cast<int>(
        std::min<std::int64_t>(segment_count - 1, frame.index * segment_count / total));
    if (static_cast<int>(paths.size()) <= segment) {
      if (encoder) encoder->finish();
      paths.push_back(folder / ("segment" + std::to_string(segment) + ".mkv"));
      encoder = std::make_unique<SegmentEncoder>(
          paths.back(), cv::Size(info.width * 2, info.height), info, settings);
    }
    cv::Mat sbs;
    cv::hconcat(frame.image, frame.image, sbs);
    encoder->write(sbs, frame.pts);
  }
  if (encoder) encoder->finish();
  return paths;
}

TEST(VideoMedia, ProbeDescribesSizeStreamsAndFrameCount) {
  SKIP_WITHOUT_FFMPEG();
  TempDir dir;
  ClipSpec spec;
  spec.pcm_audio_tracks = 1;
  spec.aac_audio_tracks = 1;
  spec.has_srt_subtitles = true;
  spec.has_chapters = true;
  const auto clip = makeTestClip(dir.path(), spec);
  const VideoSourceInfo info = probeVideo(clip);
  EXPECT_EQ(info.width, 64);
  EXPECT_EQ(info.height, 48);
  EXPECT_EQ(info.rotation_degrees, 0);
  EXPECT_EQ(info.video_stream, 0);
  EXPECT_EQ(info.video_codec, "h264");
  EXPECT_NEAR(info.average_fps, 25.0, 1e-6);
  EXPECT_FALSE(info.is_variable_frame_rate);
  EXPECT_NEAR(static_cast<double>(info.frame_count_estimate), 25.0,
              1.0);  // an estimate, for progress
  EXPECT_NEAR(info.duration_s, 1.0, 0.05);
  EXPECT_EQ(info.bits_per_component, 8);
  EXPECT_EQ(info.chapter_count, 2);
  ASSERT_EQ(info.streams.size(), 4u);
  EXPECT_EQ(info.streams[1].kind, MediaStreamKind::kAudio);
  EXPECT_EQ(info.streams[1].codec, "pcm_s16le");
  EXPECT_EQ(info.streams[1].language, "eng");
  EXPECT_EQ(info.streams[2].codec, "aac");
  EXPECT_EQ(info.streams[3].kind, MediaStreamKind::kSubtitle);
  EXPECT_EQ(info.streams[3].codec, "subrip");
  EXPECT_TRUE(hasVideoExtension("a/b.MKV"));
  EXPECT_FALSE(hasVideoExtension("a/b.png"));
}

TEST(VideoMedia, RotationSwapsDisplaySizeAndMatchesFfmpegAutorotate) {
  SKIP_WITHOUT_FFMPEG();
  TempDir dir;
  ClipSpec spec;
  spec.container = "mp4";
  spec.rotation_degrees = 90;
  const auto clip = makeTestClip(dir.path(), spec);
  const VideoSourceInfo info = probeVideo(clip);
  EXPECT_TRUE(info.rotation_degrees == 90 || info.rotation_degrees == 270) << info.rotation_degrees;
  EXPECT_EQ(info.coded_width, 64);
  EXPECT_EQ(info.width, 48);
  EXPECT_EQ(info.height, 64);
  DecodeOptions options;
  options.end_s = 0.01;
  const auto frames = decodeAll(clip, options);
  ASSERT_EQ(frames.size(), 1u);
  ASSERT_EQ(frames[0].image.size(), cv::Size(48, 64));
  // FFmpeg's own autorotation of the first frame is the reference for the direction.
  const auto reference_path = dir / "first.png";
  test::runCommand("ffmpeg -hide_banner -loglevel error -nostdin -y -i " + test::shellQuoted(clip) +
                   " -frames:v 1 " + test::shellQuoted(reference_path));
  const cv::Mat reference = cv::imread(reference_path.string(), cv::IMREAD_COLOR);
  ASSERT_EQ(reference.size(), cv::Size(48, 64));
  cv::Mat difference;
  cv::absdiff(reference, frames[0].image, difference);
  cv::Mat upside_down;
  cv::rotate(frames[0].image, upside_down, cv::ROTATE_180);
  cv::Mat wrong_difference;
  cv::absdiff(reference, upside_down, wrong_difference);
  // Colour conversion differs a little from ffmpeg's PNG path; the wrong direction differs a lot.
  EXPECT_LT(cv::mean(difference)[0], 12.0);
  EXPECT_LT(cv::mean(difference)[0] * 3.0, cv::mean(wrong_difference)[0]);
}

TEST(VideoMedia, VfrDecodeMatchesFfprobeCountAndPts) {
  SKIP_WITHOUT_FFMPEG();
  TempDir dir;
  ClipSpec spec;
  spec.is_vfr = true;
  spec.fps = 30;
  const auto clip = makeTestClip(dir.path(), spec);
  const VideoSourceInfo info = probeVideo(clip);
  EXPECT_TRUE(info.is_variable_frame_rate);
  const auto frames = decodeAll(clip);
  const auto expected = test::probeSortedPts(clip, 0);
  ASSERT_EQ(frames.size(), expected.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ(frames[i].pts, expected[i]) << "frame " << i;
    EXPECT_EQ(frames[i].index, static_cast<std::int64_t>(i));
  }
}

TEST(VideoMedia, Mp4WithBFramesDecodesEveryFrameInOrder) {
  SKIP_WITHOUT_FFMPEG();
  TempDir dir;
  ClipSpec spec;
  spec.container = "mp4";
  spec.fps = 30;
  spec.video_codec = "libx264 -preset veryfast -bf 3";
  const auto clip = makeTestClip(dir.path(), spec);
  const auto frames = decodeAll(clip);
  const auto expected = test::probeSortedPts(clip, 0);
  ASSERT_EQ(frames.size(), expected.size());
  for (std::size_t i = 0; i < frames.size(); ++i) EXPECT_EQ(frames[i].pts, expected[i]);
  DecodeOptions range;
  range.start_s = 0.4;
  range.end_s = 0.7;
  const auto part = decodeAll(clip, range);
  ASSERT_FALSE(part.empty());
  EXPECT_GE(part.front().time_s, 0.4 - 1e-9);
  EXPECT_LT(part.back().time_s, 0.7);
  EXPECT_EQ(part.size(), 9u);
}

TEST(VideoMedia, TenBitDecodesToBgr16WithItsPrecision) {
  SKIP_WITHOUT_FFMPEG();
  TempDir dir;
  ClipSpec spec;
  spec.is_ten_bit_hdr10 = true;
  spec.seconds = 0.2;
  const auto clip = makeTestClip(dir.path(), spec);
  const VideoSourceInfo info = probeVideo(clip);
  EXPECT_EQ(info.bits_per_component, 10);
  EXPECT_TRUE(info.is_hdr10);
  EXPECT_EQ(info.pixel_format, "yuv420p10le");
  DecodeOptions options;
  options.pixels = DecodedPixels::kBgr16;
  const auto frames = decodeAll(clip, options);
  ASSERT_EQ(frames.size(), 5u);
  const cv::Mat& image = frames[0].image;
  ASSERT_EQ(image.type(), CV_16UC3);
  // 10-bit precision: values are not all multiples of 256 (an 8-bit path would give x * 257).
  int finer_than_8_bit = 0;
  for (int y = 0; y < image.rows; ++y) {
    for (int x = 0; x < image.cols; ++x) {
      const cv::Vec3w pixel = image.at<cv::Vec3w>(y, x);
      if (pixel[1] % 257 != 0) ++finer_than_8_bit;
    }
  }
  EXPECT_GT(finer_than_8_bit, image.total() / 4);
}

TEST(VideoMedia, Gray16Ffv1RoundTripIsExact) {
  SKIP_WITHOUT_FFMPEG();
  TempDir dir;
  std::vector<cv::Mat> depth;
  for (int i = 0; i < 3; ++i) {
    cv::Mat image(30, 40, CV_16UC1);
    for (int y = 0; y < image.rows; ++y) {
      for (int x = 0; x < image.cols; ++x)
        image.at<std::uint16_t>(y, x) =
            static_cast<std::uint16_t>((x * 1601 + y * 37 + i * 9973) % 65536);
    }
    cv::imwrite((dir / ("depth" + std::to_string(i) + ".png")).string(), image);
    depth.push_back(image);
  }
  // Made by ffmpeg from 16-bit PNGs...
  const auto by_ffmpeg = dir / "depth_ffmpeg.mkv";
  test::runCommand("ffmpeg -hide_banner -loglevel error -nostdin -y -framerate 10 -i " +
                   test::shellQuoted(dir / "depth%d.png") + " -c:v ffv1 -pix_fmt gray16le " +
                   test::shellQuoted(by_ffmpeg));
  DecodeOptions options;
  options.pixels = DecodedPixels::kGray16;
  auto frames = decodeAll(by_ffmpeg, options);
  ASSERT_EQ(frames.size(), depth.size());
  for (std::size_t i = 0; i < depth.size(); ++i)
    EXPECT_EQ(cv::norm(frames[i].image, depth[i], cv::NORM_INF), 0.0);
  // ... and by our segment encoder (FFV1 keeps CV_16UC1 as gray16le).
  const VideoSourceInfo info = probeVideo(by_ffmpeg);
  VideoEncodeSettings settings;
  settings.codec = VideoCodec::kFfv1;
  const auto ours = dir / "depth_ours.mkv";
  {
    SegmentEncoder encoder(ours, depth[0].size(), info, settings);
    for (std::size_t i = 0; i < depth.size(); ++i) encoder.write(depth[i], frames[i].pts);
    encoder.finish();
    EXPECT_EQ(encoder.framesWritten(), 3);
  }
  EXPECT_EQ(probeVideo(ours).pixel_format, "gray16le");
  frames = decodeAll(ours, options);
  ASSERT_EQ(frames.size(), depth.size());
  for (std::size_t i = 0; i < depth.size(); ++i)
    EXPECT_EQ(cv::norm(frames[i].image, depth[i], cv::NORM_INF), 0.0);
}

TEST(VideoMedia, InterlacedSourceIsDeinterlacedFrameForFrame) {
  SKIP_WITHOUT_FFMPEG();
  TempDir dir;
  ClipSpec spec;
  spec.is_interlaced = true;
  spec.seconds = 0.4;
  const auto clip = makeTestClip(dir.path(), spec);
  EXPECT_TRUE(probeVideo(clip).is_interlaced);
  VideoDecoder decoder(clip);
  DecodedFrame frame;
  std::vector<std::int64_t> pts;
  while (decoder.read(frame)) pts.push_back(frame.pts);
  EXPECT_EQ(pts, test::probeSortedPts(clip, 0));
  ASSERT_FALSE(decoder.notes().empty());
  EXPECT_NE(decoder.notes()[0].find("bwdif"), std::string::npos);
}

TEST(VideoMedia, SegmentsMuxedToMkvKeepVfrPtsAndEveryStreamPacketIdentical) {
  SKIP_WITHOUT_FFMPEG();
  TempDir dir;
  ClipSpec spec;
  spec.fps = 30;
  spec.is_vfr = true;
  spec.pcm_audio_tracks = 1;
  spec.aac_audio_tracks = 1;
  spec.has_srt_subtitles = true;
  spec.has_chapters = true;
  spec.has_font_attachment = true;
  const auto clip = makeTestClip(dir.path(), spec);
  const VideoSourceInfo info = probeVideo(clip);
  const auto segments = encodeSbsSegments(clip, dir.path(), 2);
  ASSERT_EQ(segments.size(), 2u);
  std::filesystem::create_directory(dir / "out");
  MuxRequest request;
  request.source = clip;
  request.segments = segments;
  request.output = dir / "out" / "clip_LRF_Full_SBS.mkv";
  request.container = resolveContainer(info, "");
  ASSERT_EQ(request.container, "mkv");
  const MuxReport report = muxStereoVideo(request);
  EXPECT_TRUE(report.notes.empty()) << report.notes[0];
  ASSERT_EQ(report.streams.size(), 4u);
  for (const StreamDecision& decision : report.streams)
    EXPECT_EQ(decision.action, StreamAction::kCopy);
  // The video lasts as long as the source's (its last frame at 28/30 s, VFR); the audio streams,
  // copied whole, as long as theirs; so the A/V difference is the source's, within a frame.
  const auto source_times = test::probeSortedTimesS(clip, 0);
  const double source_video_s = source_times.back() - source_times.front() + 1.0 / info.average_fps;
  EXPECT_LT(std::abs(report.video_duration_s - source_video_s), 1.0 / 30.0);
  const double source_audio_s = std::stod(
      test::runCommand("ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 " +
                       test::shellQuoted(clip)));
  EXPECT_LT(std::abs(report.longest_other_duration_s - source_audio_s), 1.0 / 30.0)
      << report.longest_other_duration_s << " vs " << source_audio_s;

  EXPECT_EQ(test::probeSortedPts(request.output, 0), test::probeSortedPts(clip, 0));
  for (int stream = 1; stream <= 3; ++stream) {
    const auto expected = test::probePackets(clip, stream);
    const auto written = test::probePackets(request.output, stream);
    ASSERT_EQ(written.size(), expected.size()) << "stream " << stream;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(written[i].md5, expected[i].md5) << "stream " << stream << " packet " << i;
      EXPECT_EQ(written[i].pts, expected[i].pts) << "stream " << stream << " packet " << i;
    }
  }
  EXPECT_EQ(test::probeStreamEntries(request.output, "stream_tags=stereo_mode")[0], "left_right");
  EXPECT_EQ(test::probeStreamEntries(request.output, "stream=codec_name"),
            (std::vector<std::string>{"h264", "pcm_s16le", "aac", "subrip", "ttf"}));
  EXPECT_EQ(test::probeStreamEntries(request.output, "stream_tags=mimetype")[4],
            "application/x-truetype-font");
  EXPECT_EQ(probeVideo(request.output).chapter_count, 2);
  EXPECT_EQ(probeVideo(request.output).width, 128);
  EXPECT_EQ(filesIn(dir / "out").size(), 1u);  // no temporary left
}

TEST(VideoMedia, Mp4OutputTranscodesPcmAndSrtAndSignalsStereo3d) {
  SKIP_WITHOUT_FFMPEG();
  TempDir dir;
  ClipSpec spec;
  spec.pcm_audio_tracks = 1;
  spec.has_srt_subtitles = true;
  const auto clip = makeTestClip(dir.path(), spec);
  const auto segments = encodeSbsSegments(clip, dir.path(), 1);
  MuxRequest request;
  request.source = clip;
  request.segments = segments;
  request.output = dir / "vr180.mp4";
  request.container = "mp4";
  request.packing = VideoStereoPacking::kVr180SideBySide;
  const MuxReport report = muxStereoVideo(request);
  ASSERT_EQ(report.streams.size(), 2u);
  EXPECT_EQ(report.streams[0].action, StreamAction::kTranscode);
  EXPECT_EQ(report.streams[0].output_codec, "aac");
  EXPECT_EQ(report.streams[1].output_codec, "mov_text");
  ASSERT_EQ(report.notes.size(), 2u);
  EXPECT_NE(report.notes[0].find("pcm_s16le"), std::string::npos);
  EXPECT_NE(report.notes[0].find("aac"), std::string::npos);
  EXPECT_EQ(test::probeStreamEntries(request.output, "stream=codec_name"),
            (std::vector<std::string>{"h264", "aac", "mov_text"}));
  const std::string side_data =
      test::runCommand("ffprobe -v error -select_streams 0 -show_entries stream_side_data " +
                       test::shellQuoted(request.output));
  EXPECT_NE(side_data.find("Stereo 3D"), std::string::npos) << side_data;
  EXPECT_NE(side_data.find("side by side"), std::string::npos) << side_data;
  EXPECT_NE(side_data.find("Spherical"), std::string::npos) << side_data;
  expectSameTimes(test::probeSortedTimesS(request.output, 0), test::probeSortedTimesS(clip, 0));
  EXPECT_LT(std::abs(report.video_duration_s - report.longest_other_duration_s), 1.0 / 25.0);
}

TEST(VideoMedia, Mp4SourceTimestampsSurviveMillisecondSegments) {
  SKIP_WITHOUT_FFMPEG();
  TempDir dir;
  ClipSpec spec;
  spec.container = "mp4";
  spec.fps = 30;  // time base 1/15360: 512 per frame, not a whole number of milliseconds
  spec.aac_audio_tracks = 1;
  const auto clip = makeTestClip(dir.path(), spec);
  const auto segments = encodeSbsSegments(clip, dir.path(), 3);
  MuxRequest request;
  request.source = clip;
  request.segments = segments;
  request.output = dir / "out.mp4";
  request.container = resolveContainer(probeVideo(clip), "");
  ASSERT_EQ(request.container, "mp4");
  request.packing = VideoStereoPacking::kSideBySideRightFirst;
  const MuxReport report = muxStereoVideo(request);
  ASSERT_EQ(report.notes.size(), 1u);
  EXPECT_NE(report.notes[0].find("right-first"), std::string::npos);
  // The same time base (1/15360) as the source, and the exact source timestamps.
  EXPECT_EQ(test::probeSortedPts(request.output, 0), test::probeSortedPts(clip, 0));
  const auto expected = test::probePackets(clip, 1);
  const auto written = test::probePackets(request.output, 1);
  ASSERT_EQ(written.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(written[i].md5, expected[i].md5);
}

TEST(VideoMedia, FailedMuxLeavesExistingOutputUntouched) {
  SKIP_WITHOUT_FFMPEG();
  TempDir dir;
  ClipSpec spec;
  const auto clip = makeTestClip(dir.path(), spec);
  auto segments = encodeSbsSegments(clip, dir.path(), 1);
  std::filesystem::create_directory(dir / "out");
  const auto output = dir / "out" / "result.mp4";
  std::ofstream(output) << "previous result";
  MuxRequest request;
  request.source = clip;
  request.output = output;
  request.container = "mp4";
  request.segments = {segments[0], dir / "missing_segment.mkv"};
  try {
    muxStereoVideo(request);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("missing_segment.mkv"), std::string::npos)
        << error.what();
  }
  const auto garbage = dir / "garbage_segment.mkv";
  std::ofstream(garbage) << "not a video at all";
  request.segments = {garbage};
  EXPECT_THROW(muxStereoVideo(request), InputError);
  std::ifstream in(output);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "previous result");
  EXPECT_EQ(filesIn(dir / "out").size(), 1u);
}

TEST(VideoMedia, UnfinishedSegmentLeavesNothingAndOddSizeIsRefused) {
  SKIP_WITHOUT_FFMPEG();
  TempDir dir;
  const auto clip = makeTestClip(dir.path(), ClipSpec{});
  const VideoSourceInfo info = probeVideo(clip);
  std::filesystem::create_directory(dir / "seg");
  {
    SegmentEncoder encoder(dir / "seg" / "part.mkv", cv::Size(64, 48), info, VideoEncodeSettings{});
    encoder.write(cv::Mat(48, 64, CV_8UC3, cv::Scalar(10, 20, 30)), 0);
    encoder.write(cv::Mat(48, 64, CV_8UC3, cv::Scalar(10, 20, 30)), 40);
  }
  EXPECT_TRUE(filesIn(dir / "seg").empty());
  EXPECT_THROW(
      SegmentEncoder(dir / "seg" / "odd.mkv", cv::Size(65, 48), info, VideoEncodeSettings{}),
      InputError);
  EXPECT_THROW(
      SegmentEncoder(dir / "no_folder" / "x.mkv", cv::Size(64, 48), info, VideoEncodeSettings{}),
      OutputError);
}

TEST(VideoMedia, Hdr10SourceKeepsPqThroughX265) {
  SKIP_WITHOUT_FFMPEG();
  if (!isVideoEncoderAvailable(VideoCodec::kX265))
    GTEST_SKIP() << "libx265 not in this FFmpeg build";
  TempDir dir;
  ClipSpec spec;
  spec.is_ten_bit_hdr10 = true;
  spec.seconds = 0.2;
  const auto clip = makeTestClip(dir.path(), spec);
  VideoEncodeSettings settings;
  settings.codec = VideoCodec::kX265;
  settings.bit_depth = 10;
  settings.preset = "ultrafast";
  const auto segments = encodeSbsSegments(clip, dir.path(), 1, settings);
  const VideoSourceInfo out = probeVideo(segments[0]);
  EXPECT_EQ(out.video_codec, "hevc");
  EXPECT_EQ(out.pixel_format, "yuv420p10le");
  EXPECT_TRUE(out.is_hdr10);
}

TEST(VideoMedia, TruncatedOrGarbledInputGivesInputErrorNamingTheFile) {
  SKIP_WITHOUT_FFMPEG();
  TempDir dir;
  for (const char* container : {"mp4", "mkv"}) {
    ClipSpec spec;
    spec.container = container;
    spec.name = std::string("truncated_") + container;
    spec.aac_audio_tracks = 1;
    const auto clip = makeTestClip(dir.path(), spec);
    std::filesystem::resize_file(clip, std::filesystem::file_size(clip) / 2);
    try {
      decodeAll(clip);
      ADD_FAILURE() << container << ": expected InputError";
    } catch (const InputError& error) {
      EXPECT_NE(std::string(error.what()).find(clip.filename().string()), std::string::npos)
          << error.what();
    }
  }
  ClipSpec spec;
  spec.name = "garbled";
  const auto clip = makeTestClip(dir.path(), spec);
  {
    std::fstream file(clip, std::ios::in | std::ios::out | std::ios::binary);
    const auto size = static_cast<std::streamoff>(std::filesystem::file_size(clip));
    file.seekp(size / 2);
    const std::string noise(static_cast<std::size_t>(size / 8), '\xA5');
    file.write(noise.data(), static_cast<std::streamsize>(noise.size()));
  }
  try {
    VideoDecoder decoder(clip);
    DecodedFrame frame;
    int count = 0;
    while (decoder.read(frame)) ++count;
    // Read to the end: the damage must have been noticed and reported.
    ASSERT_FALSE(decoder.notes().empty());
    EXPECT_NE(decoder.notes()[0].find(clip.filename().string()), std::string::npos);
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find(clip.filename().string()), std::string::npos)
        << error.what();
  }
}

TEST(VideoMedia, NonVideoInputsAreRefusedClearly) {
  SKIP_WITHOUT_FFMPEG();
  TempDir dir;
  const auto text = dir / "notes.mp4";
  std::ofstream(text) << "this is not a video";
  EXPECT_THROW(probeVideo(text), InputError);
  const auto audio = dir / "tone.wav";
  test::runCommand(
      "ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i sine=duration=0.2 " +
      test::shellQuoted(audio));
  try {
    probeVideo(audio);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("no video stream"), std::string::npos) << error.what();
  }
  EXPECT_THROW(probeVideo(dir / "missing.mkv"), InputError);
  EXPECT_THROW(probeVideo(dir.path()), InputError);
  const auto fifo = dir / "pipe.mkv";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto probing = std::async(std::launch::async, [&] {
    try {
      probeVideo(fifo);
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string();
  });
  ASSERT_EQ(probing.wait_for(std::chrono::seconds(10)), std::future_status::ready)
      << "probing a FIFO hangs";
  EXPECT_NE(probing.get().find("not a regular file"), std::string::npos);
}

TEST(VideoMedia, PixelBudgetRefusesOversizedFrames) {
  SKIP_WITHOUT_FFMPEG();
  TempDir dir;
  const auto clip = makeTestClip(dir.path(), ClipSpec{});
  setMaxInputPixels(64 * 48 - 1);
  EXPECT_THROW(probeVideo(clip), InputError);
  EXPECT_THROW(VideoDecoder{clip}, InputError);
  setMaxInputPixels(0);
  EXPECT_NO_THROW(probeVideo(clip));
}

TEST(VideoMedia, CodecNamesContainersAndStreamPlans) {
  for (VideoCodec codec : {VideoCodec::kX264, VideoCodec::kX265, VideoCodec::kSvtAv1,
                           VideoCodec::kFfv1, VideoCodec::kH264Nvenc, VideoCodec::kHevcNvenc,
                           VideoCodec::kH264Vaapi, VideoCodec::kHevcVaapi}) {
    EXPECT_EQ(videoCodecFromString(toString(codec)), codec);
  }
  EXPECT_EQ(videoCodecFromString("x265"), VideoCodec::kX265);
  EXPECT_EQ(videoCodecFromString("av1"), VideoCodec::kSvtAv1);
  EXPECT_FALSE(videoCodecFromString("mpeg2").has_value());
  EXPECT_TRUE(isVideoEncoderAvailable(VideoCodec::kX264));
  EXPECT_TRUE(isVideoEncoderAvailable(VideoCodec::kFfv1));

  VideoSourceInfo info;
  info.video_stream = 0;
  info.streams = {{0, MediaStreamKind::kVideo, "h264", "", "", false},
                  {1, MediaStreamKind::kAudio, "pcm_s24le", "eng", "", false},
                  {2, MediaStreamKind::kAudio, "aac", "", "", false},
                  {3, MediaStreamKind::kSubtitle, "hdmv_pgs_subtitle", "", "", false},
                  {4, MediaStreamKind::kAttachment, "ttf", "", "", false}};
  EXPECT_EQ(resolveContainer(info, ""), "mkv");
  EXPECT_EQ(resolveContainer(info, "MP4"), "mp4");
  EXPECT_THROW(resolveContainer(info, "avi"), InputError);
  const auto mp4 = planStreams(info, "mp4");
  ASSERT_EQ(mp4.size(), 4u);
  EXPECT_EQ(mp4[0].action, StreamAction::kTranscode);
  EXPECT_EQ(mp4[0].output_codec, "aac");
  EXPECT_EQ(mp4[1].action, StreamAction::kCopy);
  EXPECT_EQ(mp4[2].action, StreamAction::kDrop);  // bitmap subtitles cannot go into mp4
  EXPECT_EQ(mp4[3].action, StreamAction::kDrop);
  EXPECT_FALSE(mp4[2].reason.empty());
  const auto mkv = planStreams(info, "mkv");
  for (const StreamDecision& decision : mkv)
    EXPECT_EQ(decision.action, StreamAction::kCopy) << decision.codec;
}

}  // namespace
}  // namespace genstereo

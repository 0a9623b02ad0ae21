// convertVideo end to end (genstereo/video.h) on clips made here with ffmpeg: two scenes with a
// cut, a moving object, per-frame depth maps whose scale drifts (as a depth model's does), and
// an AAC audio track.
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "genstereo/video.h"
#include "test_support.h"
#include "video/depth_cache.h"
#include "video/media_source.h"
#include "video/video_decoder.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

bool haveFfmpeg() { return std::system("ffmpeg -version >/dev/null 2>&1") == 0; }

constexpr int kWidth = 160;
constexpr int kHeight = 96;
constexpr int kFrames = 24;
constexpr int kCutFrame = 12;

// Frame t of the synthetic clip (BGR8) and its depth (larger = nearer, drifting scale).
void syntheticFrame(int t, cv::Mat& bgr8, cv::Mat& depth) {
  const bool second_scene = t >= kCutFrame;
  static const cv::Mat scene_a = test::makeTestImage(kWidth + 64, kHeight, 3);
  static const cv::Mat scene_b = 1.0 - 0.6 * test::makeTestImage(kWidth + 64, kHeight, 11);
  const cv::Mat& scene = second_scene ? scene_b : scene_a;
  const int pan = second_scene ? (t - kCutFrame) * 2 : t;
  cv::Mat view = scene(cv::Rect(pan, 0, kWidth, kHeight)).clone();
  depth = cv::Mat(kHeight, kWidth, CV_32F);
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x)
      depth.at<float>(y, x) = 0.2f + 0.3f * static_cast<float>(y) / kHeight;
  }
  if (!second_scene) {
    const cv::Rect square(20 + 3 * t, 30, 36, 36);
    view(square).setTo(cv::Scalar(0.1, 0.3, 0.9));
    depth(square).setTo(0.9);
  } else {
    cv::circle(view, {110 - 2 * (t - kCutFrame), 50}, 18, cv::Scalar(0.9, 0.8, 0.1), cv::FILLED);
    cv::circle(depth, {110 - 2 * (t - kCutFrame), 50}, 18, cv::Scalar(0.8), cv::FILLED);
  }
  view.convertTo(bgr8, CV_8U, 255.0);
  // A depth model's output: scale and offset change from frame to frame.
  const double scale = 1000.0 * (1.0 + 0.25 * std::sin(t * 1.3));
  depth = depth * scale + 50.0 * std::cos(t * 0.7);
}

struct Clip {
  fs::path video;
  fs::path depth_dir;
};

Clip makeClip(const fs::path& dir) {
  Clip clip;
  fs::create_directories(dir / "frames");
  clip.depth_dir = dir / "depth";
  fs::create_directories(clip.depth_dir);
  for (int t = 0; t < kFrames; ++t) {
    cv::Mat bgr8, depth;
    syntheticFrame(t, bgr8, depth);
    char name[32];
    std::snprintf(name, sizeof name, "f%04d.png", t);
    cv::imwrite((dir / "frames" / name).string(), bgr8);
    cv::Mat depth16;
    depth.convertTo(depth16, CV_16U);
    cv::imwrite((clip.depth_dir / name).string(), depth16);
  }
  clip.video = dir / "clip.mp4";
  const std::string command =
      "ffmpeg -v error -y -framerate 12 -i '" + (dir / "frames" / "f%04d.png").string() +
      "' -f lavfi -i sine=frequency=440:sample_rate=48000:duration=2 -c:v libx264 -preset "
      "ultrafast -pix_fmt yuv420p -g 6 -c:a aac -b:a 64k '" +
      clip.video.string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return clip;
}

struct DecodedVideo {
  std::vector<double> times;
  std::vector<std::string> digests;  // per frame: the pixels' bytes hashed
  cv::Size size;
};

std::string digest(const cv::Mat& image) {
  std::uint64_t h = 1469598103934665603ull;
  for (int y = 0; y < image.rows; ++y) {
    const auto* row = image.ptr<unsigned char>(y);
    for (size_t i = 0; i < image.cols * image.elemSize(); ++i) h = (h ^ row[i]) * 1099511628211ull;
  }
  return std::to_string(h);
}

DecodedVideo decodeAll(const fs::path& path) {
  DecodedVideo out;
  VideoDecoder decoder(path);
  DecodedFrame frame;
  while (decoder.read(frame)) {
    out.times.push_back(frame.time_s);
    out.digests.push_back(digest(frame.image));
    out.size = frame.image.size();
  }
  return out;
}

VideoParams paramsFor(const Clip& clip, const fs::path& output) {
  VideoParams params;
  params.input = clip.video;
  params.output = output;
  params.map = VideoMapSource{clip.depth_dir, MapKind::kInverseDepth};
  params.run = videoRunDefaults();
  params.segment_max_frames = 5;
  params.encode.preset = "ultrafast";
  params.encode.threads = 1;
  return params;
}

class VideoConvertTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!haveFfmpeg())
      GTEST_SKIP() << "ffmpeg is not installed (Debian: ffmpeg); it makes the test clips";
    clip_ = makeClip(dir_ / "clip");
  }
  test::TempDir dir_;
  Clip clip_;
};

TEST_F(VideoConvertTest, ConvertsWithGivenDepthKeepingAudioAndTimestamps) {
  StereoEngine engine;
  const fs::path out = dir_ / "out";
  fs::create_directories(out);
  VideoParams params = paramsFor(
      clip_, videoOutputPath(clip_.video, out, VideoOutputLayout::kSideBySideFull, "mp4"));
  params.encode.preset =
      "veryfast";  // the default: B-frames, whose decode timestamps the mux derives
  EXPECT_EQ(params.output.filename(), "clip_LRF_Full_SBS.mp4");
  const VideoReport report = convertVideo(engine, params);
  EXPECT_EQ(report.frames, kFrames);
  EXPECT_EQ(report.frames_rendered, kFrames);
  EXPECT_EQ(report.scene_cuts, 1);
  EXPECT_EQ(report.segments, 6);  // 0-4, 5-9, 10-11 | cut | 12-16, 17-21, 22-23
  ASSERT_TRUE(fs::exists(params.output));
  EXPECT_EQ(test::countEntries(out), 1) << "the work folder and temporaries are gone";

  const DecodedVideo source = decodeAll(clip_.video);
  const DecodedVideo result = decodeAll(params.output);
  EXPECT_EQ(result.size, cv::Size(2 * kWidth, kHeight));
  ASSERT_EQ(result.times.size(), source.times.size());
  for (size_t i = 0; i < source.times.size(); ++i)
    EXPECT_NEAR(result.times[i], source.times[i], 1e-3) << i;

  ASSERT_EQ(report.streams.size(), 1u);
  EXPECT_EQ(report.streams[0].kind, MediaStreamKind::kAudio);
  EXPECT_EQ(report.streams[0].action, StreamAction::kCopy);
  const VideoSourceInfo info = probeVideo(params.output);
  int audio = 0;
  for (const MediaStream& s : info.streams) audio += s.kind == MediaStreamKind::kAudio;
  EXPECT_EQ(audio, 1);
}

// Never write over a file the run reads (issue 24's rule for video): the input itself, or a
// device / FIFO / symbolic link at the output path.
TEST_F(VideoConvertTest, NeverWritesOverItsInputOrThroughANonRegularFile) {
  StereoEngine engine;
  const std::uintmax_t size = fs::file_size(clip_.video);
  VideoParams params = paramsFor(clip_, clip_.video);
  EXPECT_THROW(convertVideo(engine, params), OutputError);
  EXPECT_EQ(fs::file_size(clip_.video), size);
  const fs::path link = dir_ / "link.mp4";
  fs::create_symlink(dir_ / "elsewhere.mp4", link);
  params.output = link;
  EXPECT_THROW(convertVideo(engine, params), OutputError);
  EXPECT_FALSE(fs::exists(dir_ / "elsewhere.mp4"));
  const fs::path fifo = dir_ / "fifo.mp4";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  params.output = fifo;
  EXPECT_THROW(convertVideo(engine, params), OutputError);
  EXPECT_TRUE(fs::is_fifo(fifo));
}

TEST_F(VideoConvertTest, ResumeAfterCancelGivesIdenticalFrames) {
  StereoEngine engine;
  const fs::path out = dir_ / "out";
  fs::create_directories(out / "a");
  fs::create_directories(out / "b");
  const VideoParams whole = paramsFor(clip_, out / "a" / "clip.mkv");
  convertVideo(engine, whole);

  VideoParams interrupted = paramsFor(clip_, out / "b" / "clip.mkv");
  interrupted.on_progress = [cancel = interrupted.run.cancel](const VideoProgress& p) {
    if (p.pass == VideoProgress::Pass::kStereo && p.frame >= 13) cancel.cancel();
  };
  EXPECT_THROW(convertVideo(engine, interrupted), CancelledError);
  EXPECT_FALSE(fs::exists(interrupted.output)) << "nothing under the final name before the end";
  interrupted.run.cancel.reset();
  interrupted.on_progress = nullptr;
  const VideoReport resumed = convertVideo(engine, interrupted);
  EXPECT_GE(resumed.segments_reused, 2);
  EXPECT_LT(resumed.frames_rendered, kFrames);
  EXPECT_EQ(resumed.depth_frames_computed, 0) << "the depth cache was complete";

  const DecodedVideo a = decodeAll(whole.output);
  const DecodedVideo b = decodeAll(interrupted.output);
  ASSERT_EQ(a.digests.size(), static_cast<size_t>(kFrames));
  EXPECT_EQ(a.digests, b.digests) << "a resumed run's frames are those of an uninterrupted run";
  EXPECT_EQ(a.times, b.times);
}

TEST_F(VideoConvertTest, ShardsJoinToTheFramesOfAWholeRun) {
  StereoEngine engine;
  const fs::path out = dir_ / "out";
  fs::create_directories(out / "whole");
  fs::create_directories(out / "sharded");
  auto configure = [&](VideoParams& p) {
    p.segment_seconds = 0.5;  // 4 cells of 6 frames
    p.temporal.range.robust_back = 4;
    p.temporal.range.robust_ahead = 2;
  };
  VideoParams whole = paramsFor(clip_, out / "whole" / "clip.mkv");
  configure(whole);
  const VideoReport single = convertVideo(engine, whole);
  EXPECT_EQ(single.segments, 8) << "grid at 6, 12 (also the cut) and 18, and at most 5 frames each";

  VideoParams shard = paramsFor(clip_, out / "sharded" / "clip.mkv");
  configure(shard);
  std::int64_t frames = 0;
  for (int k = 0; k < 3; ++k) {
    shard.shard = VideoShard{k, 3};
    const VideoReport report = convertVideo(engine, shard);
    EXPECT_TRUE(report.output.empty());
    EXPECT_FALSE(fs::exists(shard.output));
    frames += report.frames_rendered;
  }
  EXPECT_EQ(frames, kFrames) << "the shards render disjoint parts that cover the clip";
  shard.shard = VideoShard{};
  const VideoReport joined = convertVideo(engine, shard);
  EXPECT_TRUE(joined.joined_shards);
  EXPECT_EQ(joined.frames_rendered, 0);
  const DecodedVideo a = decodeAll(whole.output);
  const DecodedVideo b = decodeAll(shard.output);
  ASSERT_EQ(a.digests.size(), static_cast<size_t>(kFrames));
  EXPECT_EQ(a.digests, b.digests) << "sharded frames are those of a single run";
  EXPECT_EQ(a.times, b.times);

  shard.shard = VideoShard{0, 2};
  shard.temporal.range.kind = RangeStabilizer::kIw3Ema;
  EXPECT_THROW(convertVideo(engine, shard), InputError) << "iw3-ema cannot be sharded exactly";
}

TEST_F(VideoConvertTest, ConstantRateOutputRepeatsOrDropsOnItsGrid) {
  StereoEngine engine;
  fs::create_directories(dir_ / "out");
  VideoParams params = paramsFor(clip_, dir_ / "out" / "clip.mp4");
  params.fps_num = 5;  // the 12 fps source: frames dropped
  params.fps_den = 1;
  convertVideo(engine, params);
  DecodedVideo result = decodeAll(params.output);
  ASSERT_EQ(result.times.size(), 10u) << "2 s at 5 fps";
  for (size_t i = 0; i < result.times.size(); ++i) EXPECT_NEAR(result.times[i], 0.2 * i, 1e-6) << i;
  const VideoSourceInfo info = probeVideo(params.output);
  EXPECT_NEAR(info.average_fps, 5.0, 1e-9);
  int audio = 0;
  for (const MediaStream& s : info.streams) audio += s.kind == MediaStreamKind::kAudio;
  EXPECT_EQ(audio, 1);

  params.output = dir_ / "out" / "clip30.mp4";
  params.fps_num = 30000;  // frames repeated
  params.fps_den = 1001;
  convertVideo(engine, params);
  result = decodeAll(params.output);
  ASSERT_EQ(result.times.size(), 60u) << "2 s at 29.97 fps";
  for (size_t i = 1; i < result.times.size(); ++i) {
    EXPECT_NEAR(result.times[i] - result.times[i - 1], 1001.0 / 30000.0, 1e-3) << i;
  }
}

TEST_F(VideoConvertTest, OtherEncodersAndLayouts) {
  StereoEngine engine;
  fs::create_directories(dir_ / "out");
  struct Case {
    VideoCodec codec;
    VideoOutputLayout layout;
    const char* preset;
    cv::Size size;
  };
  for (const Case& c :
       {Case{VideoCodec::kSvtAv1, VideoOutputLayout::kTopBottomHalf, "12", {kWidth, kHeight}},
        Case{VideoCodec::kX265, VideoOutputLayout::kVr180, "ultrafast", {2 * kHeight, kHeight}},
        Case{VideoCodec::kFfv1, VideoOutputLayout::kAnaglyph, "", {kWidth, kHeight}}}) {
    SCOPED_TRACE(toString(c.codec));
    if (!isVideoEncoderAvailable(c.codec)) {
      std::printf("skipped %s: not in this FFmpeg build\n", toString(c.codec));
      continue;
    }
    VideoParams params = paramsFor(clip_, dir_ / "out" / (std::string(toString(c.codec)) + ".mkv"));
    params.encode.codec = c.codec;
    params.encode.preset = c.preset;
    params.layout = c.layout;
    params.end_s = 1.0;
    convertVideo(engine, params);
    const DecodedVideo result = decodeAll(params.output);
    EXPECT_EQ(result.size, c.size);
    EXPECT_EQ(result.times.size(), 12u);
  }
}

TEST_F(VideoConvertTest, FrameRenderMatchesTheConvertedFrame) {
  StereoEngine engine;
  const fs::path out = dir_ / "out";
  fs::create_directories(out);
  VideoParams params = paramsFor(clip_, out / "clip.mkv");
  params.encode.codec = VideoCodec::kFfv1;  // lossless but for the BGR -> YUV conversion
  params.layout = VideoOutputLayout::kSideBySideFull;
  convertVideo(engine, params);
  const double time_s = 7.0 / 12.0;
  const VideoFrameResult frame = renderVideoFrame(engine, params, time_s);
  EXPECT_NEAR(frame.time_s, time_s, 1e-3);
  VideoDecoder decoder(params.output);
  DecodedFrame decoded;
  for (int i = 0; i <= 7; ++i) ASSERT_TRUE(decoder.read(decoded));
  cv::Mat right8;
  frame.result.right.convertTo(right8, CV_8U, 255.0);
  const cv::Mat file_right = decoded.image(cv::Rect(kWidth, 0, kWidth, kHeight));
  cv::Mat diff;
  cv::absdiff(right8, file_right, diff);
  EXPECT_LT(cv::mean(diff)[0], 3.0) << "the preview frame is the file's frame (up to 4:2:0 chroma)";
}

TEST_F(VideoConvertTest, OursFlickersAndPumpsLessThanIw3Ema) {
  StereoEngine engine;
  VideoParams params = paramsFor(clip_, dir_ / "unused.mp4");
  params.work_dir = dir_ / "eval-work";
  TemporalSettings iw3 = params.temporal;
  iw3.range.kind = RangeStabilizer::kIw3Ema;
  iw3.flow.window = 0;
  iw3.fill.window = 0;
  const std::vector<VideoVariantResult> results =
      evaluateVideoVariants(engine, params, {{"iw3-ema", iw3}, {"ours", params.temporal}});
  ASSERT_EQ(results.size(), 2u);
  const TemporalMetrics& base = results[0].metrics;
  const TemporalMetrics& ours = results[1].metrics;
  EXPECT_EQ(base.frames, kFrames);
  EXPECT_GT(base.range_pumping_p50_percent, 0.0);
  EXPECT_LE(ours.range_pumping_p50_percent, 0.5 * base.range_pumping_p50_percent);
  EXPECT_LE(ours.disparity_flicker_percent, base.disparity_flicker_percent);
}

TEST(VideoDepthCache, ATornManifestLineIsDroppedAndAnotherKeyStartsOver) {
  test::TempDir dir;
  cv::Mat depth(12, 16, CV_32F);
  cv::randu(depth, 1.0, 9.0);
  {
    DepthCache cache(dir.path(), "key-1");
    for (int t = 0; t < 3; ++t) {
      DepthCacheEntry entry;
      entry.frame = t;
      entry.pts = 100 * t;
      entry.has_depth = t != 1;
      entry.stats = computeDepthFrameStats(depth);
      cache.append(entry, depth);
    }
    // Quantised between the frame's min and max: 1/65535 of the range.
    EXPECT_LT(cv::norm(cache.read(2), depth, cv::NORM_INF), (9.0 - 1.0) / 65535.0 * 1.01);
    EXPECT_THROW(cache.read(1), InputError);  // a frame between depth frames has none
  }
  {  // A kill in the middle of a line.
    std::ofstream manifest(dir.path() / "manifest.jsonl", std::ios::app);
    manifest << "{\"frame\": 3, \"pts\": 3";
  }
  {
    DepthCache cache(dir.path(), "key-1");
    EXPECT_EQ(cache.entries().size(), 3u);
    EXPECT_FALSE(cache.isComplete());
    DepthCacheEntry entry;
    entry.frame = 3;
    entry.stats = computeDepthFrameStats(depth);
    cache.append(entry, depth);
    cache.markComplete();
  }
  EXPECT_EQ(DepthCache(dir.path(), "key-1").entries().size(), 4u);
  EXPECT_TRUE(DepthCache(dir.path(), "key-1").isComplete());
  EXPECT_TRUE(DepthCache(dir.path(), "key-2").entries().empty()) << "other settings: start over";
}

std::string fileBytes(const fs::path& path);

// Crafted files: timestamps that go backwards or are all zero, a truncated file, a header that
// declares 60000x60000 frames, a zero frame rate.
TEST_F(VideoConvertTest, CraftedTimestampsSizesAndRatesAreHandled) {
  StereoEngine engine;
  const fs::path dir = dir_ / "crafted";
  fs::create_directories(dir);
  auto ffmpeg = [](const std::string& args) {
    const std::string command = "ffmpeg -v error -y " + args;
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  };
  const std::string clip = clip_.video.string();
  ffmpeg("-i '" + clip +
         "' -an -c copy -bsf:v 'setts=pts=if(eq(mod(N\\,3)\\,1)\\,PTS-3000\\,PTS)' '" +
         (dir / "backwards.mkv").string() + "'");
  ffmpeg("-i '" + clip + "' -an -c copy -bsf:v setts=pts=0:dts=0 '" + (dir / "zero.mkv").string() +
         "'");
  for (const char* name : {"backwards.mkv", "zero.mkv"}) {
    SCOPED_TRACE(name);
    VideoParams params = paramsFor(clip_, dir / (std::string("out_") + name));
    params.input = dir / name;
    const VideoReport report = convertVideo(engine, params);
    EXPECT_EQ(report.frames, kFrames);
    const DecodedVideo out = decodeAll(params.output);
    ASSERT_EQ(out.times.size(), static_cast<size_t>(kFrames));
    for (size_t i = 1; i < out.times.size(); ++i) EXPECT_GT(out.times[i], out.times[i - 1]) << i;
  }
  const std::string bytes = fileBytes(clip_.video);
  test::writeRawFile(dir / "truncated.mp4", bytes.substr(0, bytes.size() / 2));
  test::writeRawFile(dir / "huge.y4m",
                     "YUV4MPEG2 W60000 H60000 F25:1 Ip A1:1 C420jpeg\nFRAME\nabcdefgh");
  for (const char* name : {"truncated.mp4", "huge.y4m"}) {
    SCOPED_TRACE(name);
    VideoParams params = paramsFor(clip_, dir / (std::string("out_") + name + ".mp4"));
    params.input = dir / name;
    try {
      convertVideo(engine, params);
      ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(params.output));
  }
  std::string y4m = "YUV4MPEG2 W64 H48 F0:1 Ip A1:1 C420jpeg\nFRAME\n";
  y4m += std::string(64 * 48 * 3 / 2, '\x80');
  test::writeRawFile(dir / "zero_fps.y4m", y4m);
  VideoParams params = paramsFor(clip_, dir / "out_zero_fps.mp4");
  params.input = dir / "zero_fps.y4m";
  params.map = VideoMapSource{clip_.depth_dir, MapKind::kInverseDepth};
  EXPECT_EQ(convertVideo(engine, params).frames, 1);
}

TEST(VideoConvertInput, BadInputsNameTheProblem) {
  test::TempDir dir;
  StereoEngine engine;
  VideoParams params;
  params.run = videoRunDefaults();
  params.input = dir / "missing.mp4";
  params.output = dir / "out.mp4";
  try {
    convertVideo(engine, params);
    FAIL() << "a missing input must be refused";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("missing.mp4"), std::string::npos) << e.what();
  }
  const fs::path fifo = dir / "fifo.mp4";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  params.input = fifo;
  try {
    convertVideo(engine, params);
    FAIL() << "a FIFO must be refused, not read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
  }
  test::writeRawFile(dir / "garbage.mp4", std::string(4096, '\x17'));
  params.input = dir / "garbage.mp4";
  EXPECT_THROW(convertVideo(engine, params), InputError);
  params.output = dir / "no-such-folder" / "out.mp4";
  EXPECT_THROW(convertVideo(engine, params), OutputError);
  params.output = dir / "out.mp4";
  params.run.synthesis.border = BorderMode::kCrop;
  try {
    validateVideoParams(params);
    FAIL() << "crop changes the width per frame";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("crop"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir / "out.mp4"));
}

// Segment files of a work folder (recursively), to see how far a run got.
int countSegments(const fs::path& work) {
  int count = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(work, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("segment_", 0) == 0 && it->path().extension() == ".mkv") ++count;
  }
  return count;
}

TEST_F(VideoConvertTest, CliRunKilledWithSigkillResumesToIdenticalFrames) {
  const std::vector<std::string> common = {"video",
                                           clip_.video.string(),
                                           "--depth",
                                           clip_.depth_dir.string(),
                                           "--segment-frames",
                                           "2",
                                           "--preset",
                                           "ultrafast",
                                           "-q"};
  std::vector<std::string> whole = common;
  whole.insert(whole.end(), {"-o", (dir_ / "whole").string()});
  ASSERT_EQ(test::runCli(whole).exit_code, 0);

  const fs::path out = dir_ / "killed";
  fs::create_directories(out);
  const fs::path work = out / ".clip_LRF_Full_SBS.mp4.genstereo";
  std::vector<std::string> args = {GENSTEREO_CLI_PATH};
  args.insert(args.end(), common.begin(), common.end());
  args.insert(args.end(), {"-o", out.string()});
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ), 0);
  // Kill it the hard way once a few segments are finished (and before the end).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool killed = false;
  while (std::chrono::steady_clock::now() < deadline) {
    if (countSegments(work) >= 3) {
      killed = ::kill(pid, SIGKILL) == 0;
      break;
    }
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      pid = 0;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (pid != 0) ::waitpid(pid, nullptr, 0);
  ASSERT_TRUE(killed) << "the run ended before it could be killed";
  EXPECT_FALSE(fs::exists(out / "clip_LRF_Full_SBS.mp4"))
      << "no output under the final name after a kill";

  std::vector<std::string> resume = common;
  resume.insert(resume.end(), {"-o", out.string(), "--json"});
  const test::CliRun run = test::runCli(resume);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string report = test::readTextFile(out / "clip_LRF_Full_SBS.mp4.json");
  EXPECT_EQ(report.find("\"segments_reused\": 0"), std::string::npos) << report;
  const DecodedVideo a = decodeAll(dir_ / "whole" / "clip_LRF_Full_SBS.mp4");
  const DecodedVideo b = decodeAll(out / "clip_LRF_Full_SBS.mp4");
  ASSERT_EQ(a.digests.size(), static_cast<size_t>(kFrames));
  EXPECT_EQ(a.digests, b.digests) << "frames after kill -9 and resume are those of a single run";
}

std::string fileBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_F(VideoConvertTest, CliOnAFullDiskKeepsThePreviousOutput) {
  const fs::path out = dir_ / "full";
  const std::vector<std::string> args = {
      "video",    clip_.video.string(), "--depth", clip_.depth_dir.string(), "-o", out.string(),
      "--preset", "ultrafast",          "-q"};
  ASSERT_EQ(test::runCli(args).exit_code, 0);
  const fs::path video = out / "clip_LRF_Full_SBS.mp4";
  const std::string before = fileBytes(video);
  ASSERT_FALSE(before.empty());
  // A disk that fills up: no file of the process may grow past 16 KiB (bash's ulimit -f counts
  // 1024-byte blocks); the rerun with other settings must fail cleanly.
  std::string command = "ulimit -f 16; exec '" + std::string(GENSTEREO_CLI_PATH) + "'";
  for (const std::string& a : args) command += " '" + a + "'";
  command += " --overwrite --baseline-scale 1.3 > '" + (dir_ / "full.log").string() + "' 2>&1";
  const int status = std::system(("bash -c \"" + command + "\"").c_str());
  ASSERT_TRUE(WIFEXITED(status)) << "killed by a signal: " << test::readTextFile(dir_ / "full.log");
  EXPECT_EQ(WEXITSTATUS(status), 1) << test::readTextFile(dir_ / "full.log");
  const std::string log = test::readTextFile(dir_ / "full.log");
  EXPECT_NE(log.find("error"), std::string::npos) << log;
  EXPECT_EQ(fileBytes(video), before) << "the previous output is untouched";
  for (const auto& entry : fs::directory_iterator(out)) {
    const std::string name = entry.path().filename().string();
    EXPECT_TRUE(name == video.filename().string() || name == ".clip_LRF_Full_SBS.mp4.genstereo")
        << name;
  }
}

TEST_F(VideoConvertTest, CliConvertsSkipsFinishedAndWritesAReport) {
  const fs::path out = dir_ / "cli-out";
  const test::CliRun run =
      test::runCli({"video", clip_.video.string(), "--depth", clip_.depth_dir.string(), "-o",
                    out.string(), "--preset", "ultrafast", "--json", "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const fs::path video = out / "clip_LRF_Full_SBS.mp4";
  EXPECT_TRUE(fs::exists(video)) << run.out;
  EXPECT_NE(run.out.find("stream 1 (audio, aac): copy"), std::string::npos) << run.out;
  const std::string report = test::readTextFile(fs::path(video.string() + ".json"));
  EXPECT_NE(report.find("\"frames\": 24"), std::string::npos) << report;
  const test::CliRun again = test::runCli({"video", clip_.video.string(), "--depth",
                                           clip_.depth_dir.string(), "-o", out.string(), "-q"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("skipped"), std::string::npos) << again.out;
}

}  // namespace
}  // namespace genstereo

// GenStereo's video conversion, on the same engine as photos (genstereo/engine.h): the CLI's
// `video` command, batch, the cluster scripts and the workbench call these and hold no video
// logic of their own.
//
//   genstereo::StereoEngine engine(options);          // as for photos
//   genstereo::VideoParams params;                    // documented defaults for everything
//   params.input = "clip.mp4";
//   params.output = "out/clip_LRF_Full_SBS.mp4";      // or videoOutputPath(...)
//   params.map = genstereo::VideoMapSource{"clip_depth/", MapKind::kInverseDepth};  // or none:
//                                                     // depth estimated by the engine
//   params.on_progress = [](const genstereo::VideoProgress& p) { ... p.frame, p.fps, p.eta_s ... };
//   genstereo::VideoReport report = genstereo::convertVideo(engine, params);
//   // another thread: params.run.cancel.cancel(); -> convertVideo throws CancelledError; a
//   // rerun resumes from the segments already finished.
//
// Two passes (docs/video.md):
//   1. the depth pass decodes the clip, detects scene cuts, takes each frame's depth (estimated
//      or given), and caches it (16-bit PNG + a JSONL manifest of per-frame statistics) in the
//      work folder;
//   2. the stereo pass stabilises the depth over time (range stabiliser over the per-frame
//      statistics, flow-guided smoothing with bounded memory), renders each frame with the
//      engine's weight-free warp and fill, and encodes the timeline in segments cut at scene
//      cuts (at most segment_max_frames each). The segments are joined by stream copy with
//      every other stream of the source (video/stereo_muxer.h).
// A run that was killed or cancelled resumes: cached depth and finished segments are reused,
// and the frames are identical to those of an uninterrupted run (the temporal filters are
// pure functions of a bounded window).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "genstereo/engine.h"
#include "io/map_discovery.h"
#include "stereo/stereo_composition.h"
#include "video/stereo_muxer.h"
#include "video/temporal/depth_range_stabilizer.h"
#include "video/temporal/flow_depth_smoother.h"
#include "video/temporal/scene_cut_detector.h"
#include "video/temporal/temporal_hole_fill.h"
#include "video/temporal/temporal_metrics.h"
#include "video/video_encoding.h"

namespace genstereo {

// Per-frame maps given by the user: a folder of one map per frame (sorted names; PFM, 16-bit
// PNG, NPY, TIFF: the formats of readDisparity), or a 16-bit grey video (FFV1 gray16le, ...,
// depth only; values 0..65535 as relative inverse depth). The depth pass's cache is one such
// folder (its depth/ subfolder).
struct VideoMapSource {
  std::filesystem::path path;
  MapKind kind = MapKind::kInverseDepth;  // kDisparity: pixels of the map's width
};

struct TemporalSettings {
  bool scene_cuts = true;  // detect cuts; every filter restarts at a cut
  SceneCutSettings scene_cut;
  RangeStabilizerSettings range;  // kRobust (ours), kIw3Ema (baseline) or kPerFrame (off)
  FlowSmoothingSettings flow;     // window 0 = off
  TemporalFillSettings fill;      // disoccluded bands from earlier frames; window 0 = off
  int depth_every = 1;            // estimate depth on every Nth frame; the frames between
                                  // get it along the flow (needs flow.window >= N - 1)
};

enum class VideoOutputLayout {
  kSideBySideFull,
  kSideBySideHalf,
  kTopBottomFull,
  kTopBottomHalf,
  kCrossEyed,
  kAnaglyph,  // Dubois red-cyan
  kVr180,     // left | right, each view mapped to a 180-degree equirectangular half
};
const char* toString(
    VideoOutputLayout layout);  // "sbs", "sbs-half", "tb", "tb-half", "cross", "anaglyph", "vr180"
std::optional<VideoOutputLayout> videoOutputLayoutFromString(const std::string& text);
// iw3-compatible file-name suffix: "_LRF_Full_SBS", "_LR", "_TBF_fulltb", "_TB", "_RLF_cross",
// "_redcyan", "_180x180_LR".
const char* videoFileSuffix(VideoOutputLayout layout);

// The output file for `input` in `out_dir`: NAME + suffix + "." + container.
std::filesystem::path videoOutputPath(const std::filesystem::path& input,
                                      const std::filesystem::path& out_dir,
                                      VideoOutputLayout layout, const std::string& container);

// A share of the timeline for one process of a cluster job: the cells of the segment time grid
// [index * C / count, (index + 1) * C / count) of the C cells. Each shard decodes a bounded
// margin around its share for the temporal filters, so that its frames are those of a whole
// run (robust range and per-frame range; iw3-ema's recursive range and --depth-every > 1
// depend on the scene's start and are refused with shards).
struct VideoShard {
  int index = 0;
  int count = 1;
};

// What happens to an HDR10 (PQ) source.
enum class HdrHandling {
  kAuto,         // passthrough when the output can carry it (libx265, 10-bit), else tone-map
  kPassthrough,  // keep PQ / BT.2020 and the HDR10 metadata (needs libx265 and --bit-depth 10)
  kToneMap,      // tone-map to SDR BT.709 (video/hdr_tone_map.h)
};
const char* toString(HdrHandling hdr);  // "auto", "passthrough", "tonemap"
std::optional<HdrHandling> hdrHandlingFromString(const std::string& text);

struct VideoProgress {
  enum class Pass { kDepth, kStereo, kMux };
  Pass pass = Pass::kDepth;
  std::int64_t frame = 0;  // frames done in this pass
  std::int64_t total = 0;  // frames of the pass (estimate until the depth pass ends)
  double fps = 0.0;        // measured over this pass
  double eta_s = -1.0;     // of this pass; < 0 unknown
  double elapsed_s = 0.0;  // since convertVideo started
};
const char* toString(VideoProgress::Pass pass);  // "depth", "stereo", "mux"
using VideoProgressCallback = std::function<void(const VideoProgress&)>;

// One output frame of the stereo pass as rendered (views after the temporal fill), before it
// is composed and encoded: the range player of the workbench shows these.
struct VideoRenderedFrame {
  std::int64_t frame = 0;  // index in the converted range
  double time_s = 0.0;     // in the source
  bool scene_cut = false;  // the frame starts a scene
  const RunResult& result;
};
using VideoFrameCallback = std::function<void(const VideoRenderedFrame&)>;

struct VideoParams {
  std::filesystem::path input;
  std::filesystem::path output;       // the video file to write (its folder must exist)
  std::optional<VideoMapSource> map;  // none: depth estimated by the engine's depth model
  // Synthesis (eye, warp, fill, baseline, convergence), depth shaping and depth conversion,
  // cancel. Video defaults (videoRunDefaults): a fixed screen plane and no per-frame parallax
  // limit, as anything computed per frame pumps. Geometry, engine and on_progress are ignored.
  RunParams run;
  TemporalSettings temporal;
  VideoOutputLayout layout = VideoOutputLayout::kSideBySideFull;
  VideoEncodeSettings encode;
  HdrHandling hdr = HdrHandling::kAuto;  // for HDR10 sources (others: ignored)
  // A constant output frame rate fps_num / fps_den (frames repeated or dropped on its grid,
  // each output frame the latest source frame at its time); 0: the source's timestamps, kept
  // exactly (variable rate stays variable).
  int fps_num = 0;
  int fps_den = 1;
  double start_s = 0.0;               // time range of the source to convert
  double end_s = -1.0;                // < 0: to the end
  int segment_max_frames = 300;       // a segment is at most this long (resume loses at most one)
  double segment_seconds = 10.0;      // segments also end on this time grid (from start_s): the
                                      // lines shards split the timeline on
  VideoShard shard;                   // count > 1: this process renders its share of the grid's
                                      // cells and writes no final file; a run without a shard
                                      // joins the shards' segments once all are done
  int depth_cache_short_side = 384;   // the cached depth's short side (never above the frame's)
  std::filesystem::path work_dir;     // empty: OUTPUT_FOLDER/.OUTPUT_NAME.genstereo/
  bool keep_work_dir = false;         // keep the depth cache (re-render with other settings) and
                                      // the segments after the final file is written
  bool depth_only = false;            // stop after the depth pass (the cache is kept)
  bool write_video = true;            // false: render and measure only (eval-video)
  bool measure = false;               // temporal metrics of the output (report.metrics)
  bool measure_fused = false;         // with measure: SGBM on every output pair too (slower)
  VideoProgressCallback on_progress;  // on the calling thread
  VideoFrameCallback on_frame;        // each frame rendered by this process, on the calling
                                      // thread (also with write_video = false)
};

// The run defaults for video: RunParams with the comfort features that work per frame off
// (auto convergence, parallax limit), convergence 0.5, max disparity 3 % of the width, the
// border filled.
RunParams videoRunDefaults();

struct VideoReport {
  std::filesystem::path output;      // empty when nothing final was written (depth_only, shard)
  std::int64_t frames = 0;           // frames in the converted range
  std::int64_t frames_rendered = 0;  // by this process (the rest came from finished segments)
  std::int64_t depth_frames_computed = 0;  // by this process (the rest came from the cache)
  int segments = 0;
  int segments_reused = 0;
  int scene_cuts = 0;
  int width = 0, height = 0;  // of one view
  double seconds = 0.0;
  double fps = 0.0;  // frames_rendered / stereo pass seconds
  // Stage times, summed over frames.
  double decode_seconds = 0.0, depth_seconds = 0.0, temporal_seconds = 0.0, synthesis_seconds = 0.0,
         encode_seconds = 0.0, mux_seconds = 0.0;
  std::string container;
  std::string engine_description;
  std::vector<StreamDecision> streams;
  std::vector<std::string> notes;
  std::optional<TemporalMetrics> metrics;  // params.measure
  bool joined_shards = false;              // the final file was joined from the shards' segments
};

// Checks params before any work (input readable, output folder, numbers in range).
// Throws InputError / OutputError.
void validateVideoParams(const VideoParams& params);

// Converts params.input. Throws InputError (naming the file and the position), OutputError,
// CancelledError (params.run.cancel; a rerun resumes).
VideoReport convertVideo(StereoEngine& engine, const VideoParams& params);

// One frame's stereo result, as the file will contain it: the depth pass over a bounded window
// around the frame (the range stabiliser's and the flow smoother's windows), then the frame.
struct VideoFrameResult {
  RunResult result;        // the engine's products for this frame (views, disparity, warp, ...)
  std::int64_t frame = 0;  // its index in the window decoded for it (not in the file)
  double time_s = 0.0;     // its time in the source
  bool scene_cut = false;  // the frame starts a scene
  // What the frame was rendered from: the decoded frame (CV_32FC3 BGR [0, 1]) and its depth
  // after the temporal filters (CV_32FC1 [0, 1] relative inverse depth at the depth cache's
  // size; empty when the frame had none). renderVideoFrameFromDepth(image01, depth01) gives
  // `result` without the temporal fill: the workbench's live proxy while a slider moves.
  cv::Mat image01;
  cv::Mat depth01;
};
VideoFrameResult renderVideoFrame(StereoEngine& engine, const VideoParams& params, double time_s);

// One frame from its stabilised depth, as the stereo pass renders it before the temporal fill:
// the depth upsampled along the frame's edges, shaped (run.depth_shaping), scaled to pixels
// (run.depth_conversion.max_disparity_fraction x width x baseline scale, convergence as the
// screen plane) and given to the engine's weight-free synthesis. `image01` may be a smaller
// proxy of the frame (the disparity scales with its width).
RunResult renderVideoFrameFromDepth(StereoEngine& engine, const RunParams& run,
                                    const cv::Mat& image01, const cv::Mat& depth01,
                                    const std::string& origin = "the frame");

// The frame shown at `time_s` (the first frame at or after it; the last one when `time_s` is
// past the end), decoded as the converter decodes it (rotation, deinterlace; HDR10 tone-mapped
// for display). For scrubbing: no depth, no stereo. Throws InputError.
struct VideoStill {
  cv::Mat image;  // CV_8UC3 BGR
  double time_s = 0.0;
  std::int64_t frame_estimate = 0;  // (time - first frame's time) x average frame rate, rounded
};
VideoStill readVideoStill(const std::filesystem::path& input, double time_s);

// The scene cuts of `input` as the converter's depth pass finds them (their times in seconds,
// ascending), from one fast decode. `on_fraction` (0..1, may be empty) is called as the scan
// goes; `cancel` stops it (CancelledError).
std::vector<double> findSceneCuts(const std::filesystem::path& input,
                                  const TemporalSettings& temporal, const CancelToken& cancel = {},
                                  const std::function<void(double)>& on_fraction = {});

// eval-video: the same depth and the same warp rendered with each temporal variant, nothing
// encoded, the temporal metrics (video/temporal/temporal_metrics.h) of each. The depth pass
// runs once (its cache is shared).
struct VideoVariant {
  std::string label;  // e.g. "iw3-ema", "ours"
  TemporalSettings temporal;
};
struct VideoVariantResult {
  std::string label;
  TemporalMetrics metrics;
  double fps = 0.0;  // stereo pass speed of this variant
};
std::vector<VideoVariantResult> evaluateVideoVariants(StereoEngine& engine,
                                                      const VideoParams& params,
                                                      const std::vector<VideoVariant>& variants);

}  // namespace genstereo

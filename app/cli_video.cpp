// genstereo-cli video: 2D -> 3D video (genstereo/video.h), and eval-video: the temporal metrics
// of our temporal stack against iw3's EMA on the same depth and the same warp.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "batch/sharding.h"
#include "cli_commands.h"
#include "cli_common.h"
#include "errors.h"
#include "genstereo/video.h"
#include "io/stereo_export.h"
#include "video/media_source.h"

namespace genstereo::cli {

namespace {

using nlohmann::json;

struct TemporalCli {
  TemporalSettings temporal;
  std::string range = "robust";
  std::vector<int> robust_window;  // BACK AHEAD
  bool no_scene_cuts = false;
};

struct VideoCli {
  EngineCli engine;
  TemporalCli temporal;
  std::vector<std::string> inputs;
  std::string out_dir;
  std::string disparity;
  std::string depth;
  std::string layout = "sbs";
  std::string codec = "libx264";
  std::string hdr = "auto";
  std::string fps;
  bool vda = false;
  VideoEncodeSettings encode;
  double start_s = 0.0;
  double end_s = -1.0;
  double frame_s = -1.0;
  int segment_frames = 300;
  double segment_seconds = 10.0;
  std::string shard;
  int cache_short_side = 384;
  std::string work_dir;
  bool keep_work_dir = false;
  bool depth_only = false;
  bool overwrite = false;
  bool json_report = false;
  bool measure = false;
  bool fused = false;
  bool quiet = false;
};

void addTemporalOptions(CLI::App& c, TemporalCli& t) {
  c.add_option(
       "--temporal", t.range,
       "depth range over time: robust (ours: median of robust percentiles over a bounded window, "
       "reset at "
       "cuts), iw3-ema (nunif iw3's EMA of min/max, the baseline), off (each frame's own min/max)")
      ->check(CLI::IsMember({toString(RangeStabilizer::kRobust), toString(RangeStabilizer::kIw3Ema),
                             toString(RangeStabilizer::kPerFrame)}))
      ->capture_default_str()
      ->group("Temporal");
  c.add_option("--ema-decay", t.temporal.range.ema_decay, "iw3-ema: decay")
      ->check(finiteIn(0.0, 0.9999))
      ->capture_default_str()
      ->group("Temporal");
  c.add_option("--ema-buffer", t.temporal.range.ema_buffer, "iw3-ema: look-ahead buffer in frames")
      ->check(CLI::Range(1, 600))
      ->capture_default_str()
      ->group("Temporal");
  c.add_option("--robust-window", t.robust_window,
               "robust: frames BACK,AHEAD of the window (default 30,15)")
      ->delimiter(',')
      ->expected(2)
      ->check(CLI::Range(0, 600))
      ->group("Temporal");
  c.add_option("--flow-window", t.temporal.flow.window,
               "flow-guided smoothing: earlier frames carried along the optical flow (0 = off)")
      ->check(CLI::Range(0, 8))
      ->capture_default_str()
      ->group("Temporal");
  c.add_option("--flow-strength", t.temporal.flow.strength,
               "flow-guided smoothing: weight of the carried depth")
      ->check(finiteIn(0.0, 0.95))
      ->capture_default_str()
      ->group("Temporal");
  c.add_option("--fill-window", t.temporal.fill.window,
               "temporal fill: earlier frames whose background fills the disoccluded bands (0 = "
               "off: each frame's "
               "own fill)")
      ->check(CLI::Range(0, 16))
      ->capture_default_str()
      ->group("Temporal");
  c.add_flag("--no-scene-cuts", t.no_scene_cuts, "do not detect scene cuts (filters never restart)")
      ->group("Temporal");
  c.add_option("--scene-threshold", t.temporal.scene_cut.threshold,
               "scene cut score threshold (0..1, higher = fewer)")
      ->check(finiteIn(0.01, 1.0))
      ->capture_default_str()
      ->group("Temporal");
  c.add_option("--depth-every", t.temporal.depth_every,
               "estimate depth on every Nth frame; the frames between get it along the flow")
      ->check(CLI::Range(1, 8))
      ->capture_default_str()
      ->group("Temporal");
}

void finishTemporal(TemporalCli& t) {
  t.temporal.range.kind = rangeStabilizerFromString(t.range).value_or(RangeStabilizer::kRobust);
  if (t.robust_window.size() == 2) {
    t.temporal.range.robust_back = t.robust_window[0];
    t.temporal.range.robust_ahead = t.robust_window[1];
  }
  t.temporal.scene_cuts = !t.no_scene_cuts;
}

// The inputs: files, and the videos of folders (sorted). Throws InputError for a missing path.
std::vector<fs::path> expandInputs(const std::vector<std::string>& inputs) {
  std::vector<fs::path> videos;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      std::vector<fs::path> found;
      for (const auto& entry : fs::directory_iterator(input, ec)) {
        if (entry.is_regular_file() && hasVideoExtension(entry.path()))
          found.push_back(entry.path());
      }
      std::sort(found.begin(), found.end());
      if (found.empty())
        throw InputError("the folder " + input + " holds no video (mp4, mkv, mov, webm, avi, ...)");
      videos.insert(videos.end(), found.begin(), found.end());
    } else if (fs::exists(input, ec)) {
      videos.emplace_back(input);
    } else {
      throw InputError("the video " + input + " does not exist");
    }
  }
  return videos;
}

VideoProgressCallback stderrVideoProgress(bool quiet, const std::string& name) {
  if (quiet) return nullptr;
  using Clock = std::chrono::steady_clock;
  return [name, last = Clock::time_point{},
          last_pass = VideoProgress::Pass::kMux](const VideoProgress& p) mutable {
    const auto now = Clock::now();
    const bool final_frame = p.total > 0 && p.frame >= p.total;
    if (p.pass == last_pass && now - last < std::chrono::seconds(1) && !final_frame) return;
    last = now;
    last_pass = p.pass;
    char line[256];
    if (p.pass == VideoProgress::Pass::kMux) {
      std::snprintf(line, sizeof line, "%s: [mux] joining the segments and the source's streams",
                    name.c_str());
    } else {
      int n = std::snprintf(line, sizeof line, "%s: [%s] frame %lld/%lld, %.2f fps", name.c_str(),
                            toString(p.pass), static_cast<long long>(p.frame),
                            static_cast<long long>(p.total), p.fps);
      if (p.eta_s >= 0 && n > 0 && n < static_cast<int>(sizeof line)) {
        std::snprintf(line + n, sizeof line - n, ", ETA %.0f s", p.eta_s);
      }
    }
    std::fprintf(stderr, "%s\n", line);
  };
}

json metricsJson(const TemporalMetrics& m) {
  return {{"frames", m.frames},
          {"disparity_flicker_percent", m.disparity_flicker_percent},
          {"range_pumping_p50_percent", m.range_pumping_p50_percent},
          {"range_pumping_p95_percent", m.range_pumping_p95_percent},
          {"right_warp_error", m.right_warp_error},
          {"fused_disparity_flicker_percent", m.fused_disparity_flicker_percent},
          {"confident_fraction", m.confident_fraction},
          {"per_frame",
           {{"p50_percent", m.p50_percent},
            {"p95_percent", m.p95_percent},
            {"flicker_percent", m.flicker_percent}}}};
}

json reportJson(const VideoReport& r) {
  json streams = json::array();
  for (const StreamDecision& s : r.streams) {
    streams.push_back({{"index", s.source_index},
                       {"kind", toString(s.kind)},
                       {"codec", s.codec},
                       {"action", toString(s.action)},
                       {"output_codec", s.output_codec},
                       {"reason", s.reason}});
  }
  json j = {{"output", r.output.string()},
            {"frames", r.frames},
            {"frames_rendered", r.frames_rendered},
            {"depth_frames_computed", r.depth_frames_computed},
            {"segments", r.segments},
            {"segments_reused", r.segments_reused},
            {"scene_cuts", r.scene_cuts},
            {"width", r.width},
            {"height", r.height},
            {"container", r.container},
            {"engine", r.engine_description},
            {"fps", r.fps},
            {"seconds", r.seconds},
            {"stage_seconds",
             {{"decode", r.decode_seconds},
              {"depth", r.depth_seconds},
              {"temporal", r.temporal_seconds},
              {"synthesis", r.synthesis_seconds},
              {"encode", r.encode_seconds},
              {"mux", r.mux_seconds}}},
            {"streams", streams},
            {"notes", r.notes}};
  if (r.metrics) j["metrics"] = metricsJson(*r.metrics);
  return j;
}

VideoParams videoParamsOf(VideoCli& v) {
  VideoParams params;
  params.run = v.engine.run;
  params.temporal = v.temporal.temporal;
  params.layout = *videoOutputLayoutFromString(v.layout);
  params.encode = v.encode;
  const auto codec = videoCodecFromString(v.codec);
  if (!codec) throw CLI::ValidationError("--codec", "unknown codec '" + v.codec + "'");
  params.encode.codec = *codec;
  if (!v.fps.empty()) {
    // "25", "23.976" (read as 24000/1001 when it is that) or "30000/1001".
    int num = 0;
    int den = 1;
    char slash = 0;
    std::istringstream in(v.fps);
    double value = 0.0;
    if (v.fps.find('/') != std::string::npos) {
      in >> num >> slash >> den;
      if (!in || slash != '/' || num <= 0 || den <= 0)
        throw CLI::ValidationError("--fps", "expected N, N.NNN or N/D");
    } else {
      in >> value;
      if (!in || !(value > 0.0) || value > 1000.0)
        throw CLI::ValidationError("--fps", "expected a rate in (0, 1000]");
      const double ntsc = value * 1.001;
      if (std::abs(ntsc - std::round(ntsc)) < 0.002 && std::abs(value - std::round(value)) > 0.01) {
        num = static_cast<int>(std::round(ntsc)) * 1000;
        den = 1001;
      } else {
        num = static_cast<int>(std::round(value * 1000.0));
        den = 1000;
      }
    }
    params.fps_num = num;
    params.fps_den = den;
  }
  params.hdr = hdrHandlingFromString(v.hdr).value_or(HdrHandling::kAuto);
  params.start_s = v.start_s;
  params.end_s = v.end_s;
  params.segment_max_frames = v.segment_frames;
  params.segment_seconds = v.segment_seconds;
  if (!v.shard.empty()) {
    const ShardSpec spec = parseShardSpec(v.shard);
    params.shard = VideoShard{spec.index, spec.count};
  }
  params.depth_cache_short_side = v.cache_short_side;
  params.keep_work_dir = v.keep_work_dir;
  params.depth_only = v.depth_only;
  params.measure = v.measure;
  params.measure_fused = v.fused;
  if (!v.disparity.empty()) params.map = VideoMapSource{v.disparity, MapKind::kDisparity};
  if (!v.depth.empty()) {
    params.map = VideoMapSource{v.depth, v.engine.run.depth_conversion.kind == DepthKind::kMetric
                                             ? MapKind::kMetricDepth
                                             : MapKind::kInverseDepth};
  }
  return params;
}

int writeFrame(StereoEngine& engine, VideoCli& v, const fs::path& input) {
  VideoParams params = videoParamsOf(v);
  params.input = input;
  params.output = fs::path(v.out_dir) / (input.stem().string() + ".mp4");
  if (!v.work_dir.empty()) params.work_dir = v.work_dir;
  params.on_progress = stderrVideoProgress(v.quiet, input.filename().string());
  const VideoFrameResult frame = renderVideoFrame(engine, params, v.frame_s);
  char base[64];
  std::snprintf(base, sizeof base, "_t%.3fs", frame.time_s);
  const std::string name = input.stem().string() + base;
  for (ExportFormat format : {ExportFormat::kSideBySideFull, ExportFormat::kAnaglyphDubois,
                              ExportFormat::kSeparatePair}) {
    for (const fs::path& path :
         exportStereo(frame.result.left, frame.result.right, format, v.out_dir, name)) {
      std::printf("wrote %s\n", path.string().c_str());
    }
  }
  std::printf("the frame at %.3f s of %s\n", frame.time_s, input.string().c_str());
  return 0;
}

int runVideo(VideoCli& v) {
  finishEngineOptions(v.engine);
  if (v.vda) v.engine.engine.depth_family = DepthModelFamily::kVideo;
  finishTemporal(v.temporal);
  const std::vector<fs::path> inputs = expandInputs(v.inputs);
  if (inputs.size() > 1 && (!v.disparity.empty() || !v.depth.empty())) {
    throw CLI::ValidationError("--disparity/--depth",
                               "per-frame maps belong to one video: give one input");
  }
  if (inputs.size() > 1 && !v.work_dir.empty()) {
    throw CLI::ValidationError("--work-dir",
                               "one work folder belongs to one video: give one input");
  }
  std::error_code ec;
  if (!fs::is_directory(v.out_dir, ec)) {
    const fs::path parent = fs::path(v.out_dir).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec)) {
      throw OutputError("the output folder " + v.out_dir + " and its parent do not exist");
    }
    fs::create_directory(v.out_dir, ec);
    if (ec) throw OutputError("cannot create the output folder " + v.out_dir + ": " + ec.message());
  }
  StereoEngine engine(v.engine.engine);
  if (v.frame_s >= 0) {
    for (const fs::path& input : inputs) writeFrame(engine, v, input);
    return 0;
  }
  int failures = 0;
  for (const fs::path& input : inputs) {
    const std::string name = input.filename().string();
    try {
      VideoParams params = videoParamsOf(v);
      params.input = input;
      if (!v.work_dir.empty()) params.work_dir = v.work_dir;
      const VideoSourceInfo info = probeVideo(input);
      const std::string container = resolveContainer(info, params.encode.container);
      params.output = videoOutputPath(input, v.out_dir, params.layout, container);
      if (!params.depth_only && params.shard.count == 1 && !v.overwrite &&
          fs::exists(params.output, ec)) {
        std::printf("%s: skipped: %s exists (--overwrite to redo it)\n", name.c_str(),
                    params.output.string().c_str());
        continue;
      }
      params.on_progress = stderrVideoProgress(v.quiet, name);
      const VideoReport report = convertVideo(engine, params);
      if (report.joined_shards)
        std::printf("%s: joined the %d segments of its shards\n", name.c_str(), report.segments);
      std::printf(
          "%s: %lld frames (%d scene cuts, %d segments, %d reused), %dx%d per view, %.2f fps "
          "stereo pass, "
          "%.1f s in all\n",
          name.c_str(), static_cast<long long>(report.frames), report.scene_cuts, report.segments,
          report.segments_reused, report.width, report.height, report.fps, report.seconds);
      std::printf(
          "%s: time: decode %.1f s, depth %.1f s (%lld frames), temporal %.1f s, synthesis %.1f s, "
          "encode %.1f "
          "s, mux %.1f s\n",
          name.c_str(), report.decode_seconds, report.depth_seconds,
          static_cast<long long>(report.depth_frames_computed), report.temporal_seconds,
          report.synthesis_seconds, report.encode_seconds, report.mux_seconds);
      for (const StreamDecision& s : report.streams) {
        std::printf("%s: stream %d (%s, %s): %s%s%s\n", name.c_str(), s.source_index,
                    toString(s.kind), s.codec.c_str(), toString(s.action),
                    s.action == StreamAction::kTranscode ? (" to " + s.output_codec).c_str() : "",
                    s.reason.empty() ? "" : (" (" + s.reason + ")").c_str());
      }
      for (const std::string& note : report.notes)
        std::printf("%s: note: %s\n", name.c_str(), note.c_str());
      if (report.metrics) {
        const TemporalMetrics& m = *report.metrics;
        std::printf(
            "%s: disparity flicker %.4f %%, range pumping p50 %.4f %% p95 %.4f %%, right-view warp "
            "error %.3f\n",
            name.c_str(), m.disparity_flicker_percent, m.range_pumping_p50_percent,
            m.range_pumping_p95_percent, m.right_warp_error);
      }
      if (!report.output.empty()) std::printf("wrote %s\n", report.output.string().c_str());
      if (v.json_report) {
        const fs::path json_path =
            params.depth_only ? fs::path(v.out_dir) / (input.stem().string() + ".depth.json")
                              : fs::path(params.output.string() + ".json");
        writeTextFile(json_path, reportJson(report).dump(2) + "\n");
        std::printf("wrote %s\n", json_path.string().c_str());
      }
    } catch (const CancelledError&) {
      throw;
    } catch (const Error& e) {
      // One file's error does not stop the others (a single file's is reported by main).
      if (inputs.size() == 1) throw;
      ++failures;
      std::fprintf(stderr, "genstereo-cli: error: %s: %s\n", name.c_str(), e.what());
    }
  }
  if (failures > 0) {
    std::fprintf(stderr, "genstereo-cli: %d of %zu videos failed\n", failures, inputs.size());
    return 1;
  }
  return 0;
}

void addVideoDepthOptions(CLI::App& c, VideoCli& v) {
  c.add_flag("--vda", v.vda,
             "estimate depth with Video Depth Anything (temporally consistent; models download "
             "video-depth-small) "
             "instead of Depth Anything V2 per frame")
      ->group("Depth");
  c.add_option(
       "--vda-window", v.engine.engine.video_depth_window,
       "Video Depth Anything: 0 = the official streaming mode; N = a window of N frames (1..32: "
       "exact with --shard, slower)")
      ->check(CLI::Range(0, 32))
      ->capture_default_str()
      ->group("Depth");
}

void addVideoInputOptions(CLI::App& c, VideoCli& v) {
  auto* disparity =
      c.add_option(
           "--disparity", v.disparity,
           "per-frame disparity in pixels: a folder of maps in name order (PFM, 16-bit PNG, NPY)")
          ->group("Inputs");
  auto* depth = c.add_option("--depth", v.depth,
                             "per-frame depth: a folder of maps in name order, or a 16-bit grey "
                             "video (FFV1 gray16le); "
                             "the depth/ folder of a kept depth cache (--depth-only "
                             "--keep-work-dir; each frame scaled to its own range) is one")
                    ->group("Inputs");
  disparity->excludes(depth);
  c.add_option("--start", v.start_s, "convert from this time (s)")
      ->check(finiteIn(0.0, 1e7))
      ->group("Inputs");
  c.add_option("--end", v.end_s, "convert up to this time (s)")
      ->check(finiteIn(0.0, 1e7))
      ->group("Inputs");
  c.add_option("--depth-cache-size", v.cache_short_side,
               "short side of the cached and filtered depth (px)")
      ->check(CLI::Range(16, 4320))
      ->capture_default_str()
      ->group("Inputs");
}

int runEvalVideo(VideoCli& v) {
  finishEngineOptions(v.engine);
  if (v.vda) v.engine.engine.depth_family = DepthModelFamily::kVideo;
  finishTemporal(v.temporal);
  const std::vector<fs::path> inputs = expandInputs(v.inputs);
  if (inputs.size() != 1) throw CLI::ValidationError("INPUT", "eval-video takes one video");
  StereoEngine engine(v.engine.engine);
  VideoParams params = videoParamsOf(v);
  params.input = inputs[0];
  if (!v.work_dir.empty()) params.work_dir = v.work_dir;
  params.on_progress = stderrVideoProgress(v.quiet, inputs[0].filename().string());
  TemporalSettings baseline = params.temporal;
  baseline.range.kind = RangeStabilizer::kIw3Ema;
  baseline.flow.window = 0;
  baseline.fill.window = 0;
  TemporalSettings range_only = params.temporal;
  range_only.flow.window = 0;
  range_only.fill.window = 0;
  TemporalSettings no_fill = params.temporal;
  no_fill.fill.window = 0;
  std::vector<VideoVariant> variants = {{"iw3-ema", baseline},
                                        {"ours (range only)", range_only},
                                        {"ours (range + flow)", no_fill},
                                        {"ours", params.temporal}};
  TemporalSettings off = params.temporal;
  off.range.kind = RangeStabilizer::kPerFrame;
  off.flow.window = 0;
  off.fill.window = 0;
  variants.insert(variants.begin(), {"off (per-frame min/max)", off});
  const std::vector<VideoVariantResult> results = evaluateVideoVariants(engine, params, variants);
  const TemporalMetrics* base = nullptr;
  for (const VideoVariantResult& r : results) {
    if (r.label == "iw3-ema") base = &r.metrics;
  }
  auto ratio = [](double value, double reference) {
    return reference > 0 ? value / reference : 0.0;
  };
  std::printf("%-26s %12s %12s %12s %12s %12s %8s\n", "variant", "flicker %", "pump p50 %",
              "pump p95 %", "R warp err", "fused flk %", "fps");
  json out = json::array();
  for (const VideoVariantResult& r : results) {
    const TemporalMetrics& m = r.metrics;
    std::printf("%-26s %12.4f %12.4f %12.4f %12.3f %12.4f %8.2f\n", r.label.c_str(),
                m.disparity_flicker_percent, m.range_pumping_p50_percent,
                m.range_pumping_p95_percent, m.right_warp_error, m.fused_disparity_flicker_percent,
                r.fps);
    json j = metricsJson(m);
    j["label"] = r.label;
    j["fps"] = r.fps;
    if (base) {
      j["vs_iw3_ema"] = {{"disparity_flicker",
                          ratio(m.disparity_flicker_percent, base->disparity_flicker_percent)},
                         {"range_pumping_p50",
                          ratio(m.range_pumping_p50_percent, base->range_pumping_p50_percent)},
                         {"range_pumping_p95",
                          ratio(m.range_pumping_p95_percent, base->range_pumping_p95_percent)},
                         {"right_warp_error", ratio(m.right_warp_error, base->right_warp_error)}};
    }
    out.push_back(j);
  }
  if (base) {
    const TemporalMetrics& ours = results.back().metrics;
    std::printf(
        "ours / iw3-ema: flicker %.2fx, pumping p50 %.2fx p95 %.2fx, right-view warp error %.2fx\n",
        ratio(ours.disparity_flicker_percent, base->disparity_flicker_percent),
        ratio(ours.range_pumping_p50_percent, base->range_pumping_p50_percent),
        ratio(ours.range_pumping_p95_percent, base->range_pumping_p95_percent),
        ratio(ours.right_warp_error, base->right_warp_error));
  }
  if (!v.out_dir.empty()) {
    writeTextFile(v.out_dir, json{{"input", inputs[0].string()}, {"variants", out}}.dump(2) + "\n");
    std::printf("wrote %s\n", v.out_dir.c_str());
  }
  return 0;
}

}  // namespace

void addVideoCommand(CLI::App& app, ActionSetter set_action) {
  auto v = std::make_shared<VideoCli>();
  CLI::App* c =
      app.add_subcommand("video",
                         "convert videos to stereo 3D (depth estimated by the depth model of the "
                         "models folder, or given per frame), keeping every audio and subtitle "
                         "stream");
  c->add_option("INPUT", v->inputs,
                "videos, or folders of videos (a folder's videos in name order)")
      ->required();
  c->add_option("-o,--output", v->out_dir, "output folder (created if its parent exists)")
      ->required()
      ->group("Outputs");
  addVideoInputOptions(*c, *v);
  v->engine.run = videoRunDefaults();
  addEngineOptions(*c, v->engine, true);
  addVideoDepthOptions(*c, *v);
  addTemporalOptions(*c, v->temporal);
  c->add_option("--layout", v->layout, "sbs, sbs-half, tb, tb-half, cross, anaglyph, vr180")
      ->check(CLI::IsMember(
          {toString(VideoOutputLayout::kSideBySideFull),
           toString(VideoOutputLayout::kSideBySideHalf),
           toString(VideoOutputLayout::kTopBottomFull), toString(VideoOutputLayout::kTopBottomHalf),
           toString(VideoOutputLayout::kCrossEyed), toString(VideoOutputLayout::kAnaglyph),
           toString(VideoOutputLayout::kVr180)}))
      ->capture_default_str()
      ->group("Outputs");
  c->add_option("--codec", v->codec,
                "libx264, libx265, libsvtav1, ffv1, h264_nvenc, hevc_nvenc, h264_vaapi, hevc_vaapi")
      ->capture_default_str()
      ->group("Encoding");
  c->add_option("--crf", v->encode.crf, "quality (x264/x265/SVT-AV1; lower = better)")
      ->check(CLI::Range(0, 63))
      ->capture_default_str()
      ->group("Encoding");
  c->add_option("--preset", v->encode.preset, "encoder preset (x264/x265: ultrafast ... veryslow)")
      ->capture_default_str()
      ->group("Encoding");
  c->add_option("--bit-depth", v->encode.bit_depth,
                "8 or 10 (10-bit HDR10 sources keep their metadata with libx265)")
      ->check(CLI::IsMember({8, 10}))
      ->capture_default_str()
      ->group("Encoding");
  c->add_option("--hdr", v->hdr,
                "HDR10 sources: auto (passthrough with libx265 at 10 bits, else tone-mapped to "
                "SDR), passthrough, "
                "tonemap")
      ->check(CLI::IsMember({toString(HdrHandling::kAuto), toString(HdrHandling::kPassthrough),
                             toString(HdrHandling::kToneMap)}))
      ->capture_default_str()
      ->group("Encoding");
  c->add_option(
       "--fps", v->fps,
       "a constant output rate (25, 23.976, 30000/1001): frames repeated or dropped on its grid; "
       "default: the source's own timestamps, kept exactly")
      ->group("Encoding");
  c->add_option("--container", v->encode.container,
                "mp4, mkv or mov (default: mkv when the source has subtitles)")
      ->check(CLI::IsMember({"mp4", "mkv", "mov"}))
      ->group("Encoding");
  c->add_option("--frame", v->frame_s,
                "write only the stereo result of the frame at this time (s) as images, with its "
                "temporal state")
      ->check(finiteIn(0.0, 1e7))
      ->group("Outputs");
  c->add_option("--segment-frames", v->segment_frames,
                "segments (the unit of resume) are at most this long")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str()
      ->group("Resume");
  c->add_option("--segment-seconds", v->segment_seconds,
                "segments also end on this time grid (the lines shards split on)")
      ->check(finiteIn(0.5, 3600.0))
      ->capture_default_str()
      ->group("Resume");
  c->add_option("--shard", v->shard,
                "K/N: render the K-th of N shares of the timeline into the work folder (shared by "
                "the shards, "
                "--work-dir); the same command without --shard then joins them")
      ->group("Resume");
  c->add_option("--work-dir", v->work_dir,
                "work folder (depth cache, segments); default OUTPUT/.NAME.genstereo")
      ->group("Resume");
  c->add_flag("--keep-work-dir", v->keep_work_dir,
              "keep the depth cache and segments after success (re-render fast)")
      ->group("Resume");
  c->add_flag("--depth-only", v->depth_only,
              "run the depth pass only (the cache stays in the work folder)")
      ->group("Resume");
  c->add_flag("--overwrite", v->overwrite, "redo videos whose output exists (default: skip them)")
      ->group("Outputs");
  c->add_flag("--json", v->json_report, "write a JSON report beside each output (OUTPUT.json)")
      ->group("Outputs");
  c->add_flag("--measure", v->measure, "measure the temporal metrics of the output (eval-video's)")
      ->group("Outputs");
  c->add_flag("-q,--quiet", v->quiet, "no progress on stderr");
  c->footer(
      "Writes OUT/NAME_LRF_Full_SBS.mp4 (iw3's suffixes: _LR half SBS, _TBF_fulltb, _TB half TB, "
      "_RLF_cross,\n"
      "_redcyan, _180x180_LR). Interrupted runs (Ctrl-C, kill) resume from the last finished "
      "segment.\n"
      "docs/video.md explains the passes, the temporal stack and the formats.");
  c->callback([v, set_action] { set_action([v] { return runVideo(*v); }); });

  auto e = std::make_shared<VideoCli>();
  CLI::App* ev =
      app.add_subcommand("eval-video",
                         "temporal metrics (flicker, range pumping, right-view warp error) of "
                         "our temporal stack against iw3's EMA on the same depth and warp");
  ev->add_option("INPUT", e->inputs, "a video")->required()->expected(1);
  addVideoInputOptions(*ev, *e);
  e->engine.run = videoRunDefaults();
  addEngineOptions(*ev, e->engine, true);
  addVideoDepthOptions(*ev, *e);
  addTemporalOptions(*ev, e->temporal);
  ev->add_option("--json", e->out_dir, "write the table as JSON to FILE")->group("Outputs");
  ev->add_flag("--fused", e->fused,
               "also the flicker of the disparity SGBM measures on each output pair (what a viewer "
               "fuses; slower)")
      ->group("Outputs");
  ev->add_option("--work-dir", e->work_dir,
                 "work folder for the depth cache (default: a temporary folder)");
  ev->add_flag("-q,--quiet", e->quiet, "no progress on stderr");
  ev->callback([e, set_action] { set_action([e] { return runEvalVideo(*e); }); });
}

}  // namespace genstereo::cli

// convertVideo and its relatives (genstereo/video.h): the depth pass, the stereo pass in
// segments, the mux.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "batch/sharding.h"
#include "errors.h"
#include "genstereo/video.h"
#include "io/atomic_write.h"
#include "stereo/depth_shaping.h"
#include "video/depth_cache.h"
#include "video/hdr_tone_map.h"
#include "video/segment_encoder.h"
#include "video/segment_plan.h"
#include "video/temporal/temporal_hole_fill.h"
#include "video/video_decoder.h"
#include "video/video_layout.h"
#include "video/video_map_reader.h"

namespace genstereo {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void checkCancel(const VideoParams& params) {
  if (params.run.cancel.isCancelled()) throw CancelledError();
}

fs::path workFolderOf(const VideoParams& params) {
  if (!params.work_dir.empty()) return params.work_dir;
  const fs::path folder =
      params.output.has_parent_path() ? params.output.parent_path() : fs::path(".");
  return folder / ("." + params.output.filename().string() + ".genstereo");
}

// The size the depth is cached and filtered at.
cv::Size depthWorkSize(cv::Size frame, int short_side) {
  const int shortest = std::min(frame.width, frame.height);
  if (short_side <= 0 || shortest <= short_side) return frame;
  const double scale = static_cast<double>(short_side) / shortest;
  return {std::max(1, static_cast<int>(std::lround(frame.width * scale))),
          std::max(1, static_cast<int>(std::lround(frame.height * scale)))};
}

std::string fileIdentity(const fs::path& path) {
  std::error_code ec;
  json j;
  j["path"] = fs::absolute(path, ec).lexically_normal().string();
  if (fs::is_regular_file(path, ec)) {
    j["bytes"] = fs::file_size(path, ec);
    j["mtime"] =
        static_cast<std::int64_t>(fs::last_write_time(path, ec).time_since_epoch().count());
  } else if (fs::is_directory(path, ec)) {
    std::int64_t count = 0;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      (void)entry;
      ++count;
    }
    j["entries"] = count;
    j["mtime"] =
        static_cast<std::int64_t>(fs::last_write_time(path, ec).time_since_epoch().count());
  }
  return j.dump();
}

// Everything the depth pass's output depends on.
std::string depthKeyOf(const StereoEngine& engine, const VideoParams& params) {
  json j;
  j["version"] = 1;
  j["input"] = fileIdentity(params.input);
  j["start"] = params.start_s;
  j["end"] = params.end_s;
  if (params.map) {
    j["map"] = fileIdentity(params.map->path);
    j["map_kind"] = toString(params.map->kind);
  } else {
    j["depth_model"] = toString(engine.options().depth_model);
    j["depth_input_size"] = engine.options().depth_input_size;
    j["depth_resize"] = static_cast<int>(engine.options().depth_resize);
    j["depth_family"] = toString(engine.options().depth_family);
    j["video_depth_window"] = engine.options().video_depth_window;
    j["models"] = engine.options().models_dir.string();
  }
  j["cache_short_side"] = params.depth_cache_short_side;
  j["scene_cuts"] = params.temporal.scene_cuts;
  j["scene_cut_threshold"] = params.temporal.scene_cut.threshold;
  j["scene_cut_min_frames"] = params.temporal.scene_cut.min_scene_frames;
  j["depth_every"] = params.temporal.depth_every;
  j["hdr"] = toString(params.hdr);
  j["hdr_tone_map_depends_on"] = {toString(params.encode.codec), params.encode.bit_depth};
  return j.dump();
}

// Everything a rendered segment depends on besides the depth.
std::string renderKeyOf(const VideoParams& params, const std::string& depth_key) {
  const SynthesisParams& s = params.run.synthesis;
  const TemporalSettings& t = params.temporal;
  json j;
  j["depth"] = depth_key;
  j["baseline"] = s.shaping.baseline_scale;
  j["convergence"] = s.shaping.convergence;
  j["border"] = toString(s.border);
  j["eye"] = toString(s.eye);
  j["warp"] = toString(s.warp);
  j["fill"] = static_cast<int>(s.fill);
  const FillParams& f = s.fill_params;
  j["fill_params"] = {f.foreground_margin_px, f.reach_factor, f.min_reach_px,     f.guard_window_px,
                      f.row_weight,           f.row_samples,  f.vertical_sigma_px};
  j["feather"] = s.feather_px;
  j["max_disparity"] = params.run.depth_conversion.max_disparity_fraction;
  j["depth_kind"] = static_cast<int>(params.run.depth_conversion.kind);
  j["foreground_scale"] = params.run.depth_shaping.foreground_scale;
  j["dilation"] = {params.run.depth_shaping.edge_dilation_x_px,
                   params.run.depth_shaping.edge_dilation_y_px};
  j["range"] = {toString(t.range.kind), t.range.ema_decay, t.range.ema_buffer, t.range.robust_back,
                t.range.robust_ahead};
  j["flow"] = {t.flow.window, t.flow.strength, t.flow.flow_short_side, t.flow.max_fb_error_px};
  j["fill"] = {t.fill.window,         t.fill.blend,
               t.fill.min_confidence, t.fill.max_disparity_error_px,
               t.fill.feather_px,     t.fill.flow_short_side,
               t.fill.max_fb_error_px};
  j["layout"] = toString(params.layout);
  const VideoEncodeSettings& e = params.encode;
  j["encode"] = {toString(e.codec), e.crf, e.preset, e.bit_depth, e.hdr10_passthrough};
  j["segment_max_frames"] = params.segment_max_frames;
  j["segment_seconds"] = params.segment_seconds;
  j["fps"] = {params.fps_num, params.fps_den};
  return j.dump();
}

std::string hexHash(const std::string& text) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(text)));
  return hex;
}

cv::Mat toFloat01(const cv::Mat& image) {
  cv::Mat out;
  image.convertTo(out, CV_32F, image.depth() == CV_16U ? 1.0 / 65535.0 : 1.0 / 255.0);
  return out;
}

cv::Mat fromFloat01(const cv::Mat& image01, int bit_depth) {
  cv::Mat out;
  if (bit_depth > 8)
    image01.convertTo(out, CV_16U, 65535.0);
  else
    image01.convertTo(out, CV_8U, 255.0);
  return out;
}

// True when the frames of `source` are tone-mapped to SDR (HDR10 source, output not HDR).
bool toneMapsFrames(const VideoParams& params, const VideoSourceInfo& source) {
  if (!source.is_hdr10) return false;
  const bool can_pass = params.encode.codec == VideoCodec::kX265 && params.encode.bit_depth == 10;
  switch (params.hdr) {
    case HdrHandling::kToneMap:
      return true;
    case HdrHandling::kPassthrough:
      if (!can_pass) {
        throw InputError(params.input.string() +
                         " is HDR10: passing it through needs --codec libx265 --bit-depth 10 "
                         "(or --hdr tonemap for SDR)");
      }
      return false;
    case HdrHandling::kAuto:
      return !can_pass;
  }
  return false;
}

// Replaces an HDR10 frame (decoded as BGR16) by its SDR tone map at `bit_depth`.
void toneMapFrame(DecodedFrame& frame, const VideoSourceInfo& source, int bit_depth) {
  ToneMapSettings settings;
  settings.peak_nits = peakNitsFromMaxCll(source.hdr10_max_cll);
  frame.image = fromFloat01(toneMapHdr10ToSdr(frame.image, settings), bit_depth);
}

// Inverse depth (larger = nearer) from a given or estimated map.
cv::Mat toInverseDepth(const cv::Mat& map, MapKind kind) {
  if (kind != MapKind::kMetricDepth) return map;
  cv::Mat inverse;
  cv::divide(1.0, map, inverse, CV_32F);
  inverse.setTo(std::numeric_limits<float>::quiet_NaN(), map <= 0);
  return inverse;
}

// Foreground scale and edge dilation on normalised depth, without the per-frame
// renormalisation of shapeDepth (which would undo the range stabiliser).
cv::Mat shapeVideoDepth(const cv::Mat& depth01, const DepthShaping& shaping) {
  cv::Mat out = depth01;
  if (shaping.foreground_scale != 0.0) {
    const double s = shaping.foreground_scale;
    const double gamma = s >= 0 ? 1.0 + s : 1.0 / (1.0 - s);
    cv::pow(depth01, gamma, out);
  }
  if (shaping.edge_dilation_x_px > 0 || shaping.edge_dilation_y_px > 0) {
    const cv::Mat kernel = cv::getStructuringElement(
        cv::MORPH_RECT, {2 * shaping.edge_dilation_x_px + 1, 2 * shaping.edge_dilation_y_px + 1});
    cv::dilate(out, out, kernel);
  }
  return out;
}

struct PassProgress {
  const VideoParams& params;
  Clock::time_point run_start;
  Clock::time_point pass_start = Clock::now();
  VideoProgress::Pass pass = VideoProgress::Pass::kDepth;
  std::int64_t done_at_start = 0;

  void begin(VideoProgress::Pass next, std::int64_t already_done) {
    pass = next;
    pass_start = Clock::now();
    done_at_start = already_done;
  }
  void report(std::int64_t frame, std::int64_t total) const {
    if (!params.on_progress) return;
    VideoProgress p;
    p.pass = pass;
    p.frame = frame;
    p.total = total;
    const double seconds = secondsSince(pass_start);
    const std::int64_t worked = frame - done_at_start;
    p.fps = seconds > 0 && worked > 0 ? worked / seconds : 0.0;
    p.eta_s = p.fps > 0 && total >= frame ? (total - frame) / p.fps : -1.0;
    p.elapsed_s = secondsSince(run_start);
    params.on_progress(p);
  }
};

// ---- Pass 1: depth ------------------------------------------------------------------------

void runDepthPass(StereoEngine& engine, const VideoParams& params, const VideoSourceInfo& source,
                  DepthCache& cache, VideoReport& report, PassProgress& progress) {
  if (cache.isComplete()) return;
  const bool tone_map = toneMapsFrames(params, source);
  DecodeOptions options;
  options.start_s = params.start_s;
  options.end_s = params.end_s;
  options.pixels = tone_map ? DecodedPixels::kBgr16 : DecodedPixels::kBgr8;
  VideoDecoder decoder(params.input, options);
  const std::int64_t estimate = std::max<std::int64_t>(decoder.info().frame_count_estimate, 1);
  std::optional<VideoMapReader> maps;
  if (params.map) maps.emplace(*params.map);
  SceneCutDetector detector(params.temporal.scene_cut);
  const int every = std::max(1, params.temporal.depth_every);
  const std::int64_t cached = static_cast<std::int64_t>(cache.entries().size());
  // A video depth model remembers earlier frames: it starts afresh here, and a resumed pass
  // feeds it again the frames its memory of the first new frame holds (the scene so far for
  // the streaming mode, the window for the window mode), discarding their depth.
  const bool video_model = !params.map && engine.options().depth_family == DepthModelFamily::kVideo;
  if (video_model) engine.resetDepthState();
  std::int64_t warm_from = cached;
  if (video_model && cached > 0) {
    std::int64_t scene_start = 0;
    for (std::int64_t s = cached - 1; s >= 0; --s) {
      if (cache.entries()[static_cast<std::size_t>(s)].stats.scene_cut) {
        scene_start = s;
        break;
      }
    }
    const int window = engine.options().video_depth_window;
    warm_from = window > 0 ? std::max(scene_start, cached - (window - 1)) : scene_start;
  }
  auto estimateFrame = [&](const cv::Mat& image) {
    // The model works at its own size (short side depth_input_size): give it the frame
    // already reduced to at least that (and the cache size), so that its output is scaled
    // up to the cache size only, not to the whole frame.
    const int model_short =
        std::max(params.depth_cache_short_side, engine.options().depth_input_size);
    const cv::Size model_size = depthWorkSize(image.size(), model_short);
    cv::Mat reduced = image;
    if (model_size != image.size()) cv::resize(image, reduced, model_size, 0, 0, cv::INTER_AREA);
    return engine.estimateDepth(toFloat01(reduced), params.run.cancel).values;
  };
  progress.begin(VideoProgress::Pass::kDepth, cached);
  std::int64_t t = 0;
  std::int64_t scene_start = 0;
  DepthFrameStats last_stats;
  DecodedFrame frame;
  cv::Size work;
  while (true) {
    checkCancel(params);
    auto decode_start = Clock::now();
    if (!decoder.read(frame)) break;
    if (tone_map) toneMapFrame(frame, decoder.info(), 8);
    report.decode_seconds += secondsSince(decode_start);
    const bool cut = params.temporal.scene_cuts && detector.push(frame.image);
    if (cut) scene_start = t;
    const bool has_depth = (t - scene_start) % every == 0;
    if (t < cached) {
      const DepthCacheEntry& entry = cache.entries()[static_cast<std::size_t>(t)];
      if (entry.pts != frame.pts || entry.stats.scene_cut != cut) {
        // The cache was made from other frames: the key should have caught it.
        throw InputError("the depth cache in " + workFolderOf(params).string() +
                         " does not match " + params.input.string() + " at frame " +
                         std::to_string(t) + ": delete the folder");
      }
      if (maps) maps->skip(1);
      if (entry.has_depth) last_stats = entry.stats;
      if (video_model && t >= warm_from && entry.has_depth) {
        if (cut) engine.resetDepthState();
        estimateFrame(frame.image);  // the model's memory only
      }
      ++t;
      continue;
    }
    if (work.empty()) work = depthWorkSize(frame.image.size(), params.depth_cache_short_side);
    DepthCacheEntry entry;
    entry.frame = t;
    entry.pts = frame.pts;
    entry.time_s = frame.time_s;
    entry.has_depth = has_depth;
    cv::Mat depth;
    if (has_depth) {
      const auto depth_start = Clock::now();
      cv::Mat raw;
      if (maps) {
        raw = toInverseDepth(maps->next(), params.map->kind);
      } else {
        if (video_model && cut) engine.resetDepthState();
        raw = estimateFrame(frame.image);
      }
      cv::resize(raw, depth, work, 0, 0, raw.cols > work.width ? cv::INTER_AREA : cv::INTER_LINEAR);
      entry.stats = computeDepthFrameStats(depth);
      report.depth_seconds += secondsSince(depth_start);
      ++report.depth_frames_computed;
      last_stats = entry.stats;
    } else {
      if (maps) maps->skip(1);
      entry.stats = last_stats;
    }
    entry.stats.scene_cut = cut;
    cache.append(entry, depth);
    ++t;
    progress.report(t, std::max(estimate, t));
  }
  if (t == 0) {
    throw InputError(params.input.string() + " has no video frame in the range " +
                     std::to_string(params.start_s) + " s .. " +
                     (params.end_s < 0 ? std::string("end") : std::to_string(params.end_s) + " s"));
  }
  for (const std::string& note : decoder.notes()) report.notes.push_back(note);
  cache.markComplete();
}

// ---- Pass 2: stereo -----------------------------------------------------------------------

struct StereoPass {
  StereoEngine& engine;
  const VideoParams& params;
  const DepthCache& cache;
  VideoReport& report;
  PassProgress& progress;
  std::optional<TemporalMetricsAccumulator> metrics;

  // Renders one frame from its smoothed depth (CV_32FC1 [0,1] at the depth size).
  RunResult renderFrame(const cv::Mat& image01, const cv::Mat& depth01, std::int64_t t) {
    const auto start = Clock::now();
    RunResult result = renderVideoFrameFromDepth(engine, params.run, image01, depth01,
                                                 "frame " + std::to_string(t));
    report.synthesis_seconds += secondsSince(start);
    return result;
  }
};

// Crops an odd width or height by one pixel (4:2:0 needs even sizes).
cv::Mat evenSized(const cv::Mat& frame) {
  const int w = frame.cols & ~1;
  const int h = frame.rows & ~1;
  if (w == frame.cols && h == frame.rows) return frame;
  return frame(cv::Rect(0, 0, w, h));
}

// A segment's file: named by its first frame's timestamp and its length, which a whole run and
// a shard agree on.
std::string segmentFileName(std::int64_t first_pts, std::int64_t frames) {
  char name[96];
  std::snprintf(name, sizeof name, "segment_%+015lld_%06lld.mkv", static_cast<long long>(first_pts),
                static_cast<long long>(frames));
  return name;
}

// What the stereo pass does with each frame: nothing (a finished segment, or a frame no
// pending segment's filters look back to), smooth its depth only (the flow smoother's warm-up),
// render it without encoding (the temporal hole fill's warm-up), or render and encode it.
enum class FrameRole : char { kSkip, kSmooth, kRender, kEncode };

// Walks back from `first` at most `count` frames, never past the start of its scene.
std::int64_t backWithinScene(const std::vector<DepthCacheEntry>& entries, std::int64_t first,
                             int count) {
  for (int k = 0;
       k < count && first > 0 && !entries[static_cast<std::size_t>(first)].stats.scene_cut; ++k)
    --first;
  return first;
}

std::vector<FrameRole> frameRoles(const std::vector<DepthCacheEntry>& entries,
                                  const std::vector<VideoSegment>& segments,
                                  const std::vector<char>& pending,
                                  const TemporalSettings& temporal) {
  std::vector<FrameRole> roles(entries.size(), FrameRole::kSkip);
  auto raise = [&](std::int64_t t, FrameRole role) {
    FrameRole& r = roles[static_cast<std::size_t>(t)];
    if (static_cast<char>(role) > static_cast<char>(r)) r = role;
  };
  const int smooth_warm = std::max(0, temporal.flow.window) + std::max(0, temporal.depth_every - 1);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (!pending[i]) continue;
    const std::int64_t render_from =
        backWithinScene(entries, segments[i].first, std::max(0, temporal.fill.window));
    std::int64_t smooth_from = backWithinScene(entries, render_from, smooth_warm);
    while (smooth_from > 0 && !entries[static_cast<std::size_t>(smooth_from)].has_depth)
      --smooth_from;
    for (std::int64_t t = smooth_from; t < render_from; ++t) raise(t, FrameRole::kSmooth);
    for (std::int64_t t = render_from; t < segments[i].first; ++t) raise(t, FrameRole::kRender);
    for (std::int64_t t = segments[i].first; t < segments[i].end; ++t) raise(t, FrameRole::kEncode);
  }
  return roles;
}

// The final view with the temporal hole fill: `result`'s synthesised view (and the eye it is)
// replaced by the fill's output.
void applyTemporalFill(TemporalHoleFill& fill, const TemporalSettings& temporal, SynthesisEye eye,
                       RunResult& result) {
  if (temporal.fill.window <= 0) return;
  const cv::Mat view = fill.push(result.synthesized);
  result.synthesized.view = view;
  if (eye == SynthesisEye::kLeft)
    result.left = view;
  else
    result.right = view;
}

void runStereoPass(StereoEngine& engine, const VideoParams& params, const VideoSourceInfo& source,
                   const DepthCache& cache, const std::vector<DepthRange>& ranges,
                   const std::vector<VideoSegment>& segments, const fs::path& segment_dir,
                   std::vector<fs::path>& segment_files, VideoReport& report,
                   PassProgress& progress) {
  const std::vector<DepthCacheEntry>& entries = cache.entries();
  std::vector<char> pending(segments.size(), 0);
  segment_files.clear();
  std::int64_t frames_pending = 0;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    segment_files.push_back(
        segment_dir / segmentFileName(entries[static_cast<std::size_t>(segments[i].first)].pts,
                                      segments[i].end - segments[i].first));
    pending[i] = !params.write_video || params.measure || !fs::exists(segment_files.back());
    if (pending[i])
      frames_pending += segments[i].end - segments[i].first;
    else
      ++report.segments_reused;
  }
  if (frames_pending == 0) return;
  const std::vector<FrameRole> roles = frameRoles(entries, segments, pending, params.temporal);

  StereoPass pass{engine, params, cache, report, progress, std::nullopt};
  if (params.measure) {
    TemporalMetricsSettings settings;
    settings.measure_fused = params.measure_fused;
    pass.metrics.emplace(settings);
  }
  DecodeOptions options;
  options.start_s = params.start_s;
  options.end_s = params.end_s;
  const bool tone_map = toneMapsFrames(params, source);
  options.pixels =
      params.encode.bit_depth > 8 || tone_map ? DecodedPixels::kBgr16 : DecodedPixels::kBgr8;
  VideoDecoder decoder(params.input, options);
  VideoEncodeSettings encode = params.encode;
  if (tone_map) encode.hdr10_passthrough = false;
  // The encoder's time base: the source's, or the constant rate's grid.
  const bool cfr = params.fps_num > 0;
  VideoSourceInfo timing = decoder.info();
  if (cfr) {
    timing.time_base_num = params.fps_den;
    timing.time_base_den = params.fps_num;
  }
  FlowDepthSmoother smoother(params.temporal.flow);
  TemporalHoleFill hole_fill(params.temporal.fill);
  std::unique_ptr<SegmentEncoder> encoder;
  std::size_t segment = 0;
  bool smoother_fresh = true;
  progress.begin(VideoProgress::Pass::kStereo, 0);
  std::int64_t rendered = 0;
  DecodedFrame frame;
  for (std::int64_t t = 0; t < static_cast<std::int64_t>(entries.size()); ++t) {
    checkCancel(params);
    const auto decode_start = Clock::now();
    if (!decoder.read(frame)) {
      throw InputError(params.input.string() + " ended at frame " + std::to_string(t) +
                       " in the stereo pass, " + "but the depth pass read " +
                       std::to_string(entries.size()) + " frames");
    }
    if (tone_map) toneMapFrame(frame, decoder.info(), params.encode.bit_depth);
    report.decode_seconds += secondsSince(decode_start);
    const DepthCacheEntry& entry = entries[static_cast<std::size_t>(t)];
    if (frame.pts != entry.pts) {
      throw InputError(params.input.string() + ": frame " + std::to_string(t) + " has timestamp " +
                       std::to_string(frame.pts) + " in the stereo pass but " +
                       std::to_string(entry.pts) + " in the depth pass (the file changed?)");
    }
    while (segment < segments.size() && t >= segments[segment].end) ++segment;
    if (segment >= segments.size()) break;  // a shard's look-ahead margin: nothing more to render
    const FrameRole role = roles[static_cast<std::size_t>(t)];
    if (role == FrameRole::kSkip) {
      smoother_fresh = true;
      continue;
    }
    const auto temporal_start = Clock::now();
    if (entry.stats.scene_cut || smoother_fresh) {
      smoother.reset();
      hole_fill.reset();
    }
    smoother_fresh = false;
    cv::Mat bgr8 = frame.image;
    if (bgr8.depth() != CV_8U) bgr8.convertTo(bgr8, CV_8U, 1.0 / 257.0);
    cv::Mat depth01;
    if (entry.has_depth)
      depth01 = normalizeDepth(cache.read(t), ranges[static_cast<std::size_t>(t)]);
    const cv::Mat smoothed = smoother.push(bgr8, depth01);
    report.temporal_seconds += secondsSince(temporal_start);
    if (role == FrameRole::kSmooth) continue;  // the smoother's warm-up

    const cv::Mat image01 = toFloat01(frame.image);
    RunResult result = pass.renderFrame(image01, smoothed, t);
    const auto fill_start = Clock::now();
    applyTemporalFill(hole_fill, params.temporal, params.run.synthesis.eye, result);
    report.temporal_seconds += secondsSince(fill_start);
    if (role == FrameRole::kRender) continue;  // the hole fill's warm-up
    if (params.on_frame)
      params.on_frame(VideoRenderedFrame{t, frame.time_s, entry.stats.scene_cut, result});
    if (pass.metrics) {
      pass.metrics->push(fromFloat01(result.left, 8), fromFloat01(result.right, 8),
                         result.left_disparity_px, entry.stats.scene_cut);
    }
    if (params.write_video) {
      const auto encode_start = Clock::now();
      const cv::Mat out = evenSized(fromFloat01(
          composeVideoFrame(result.left, result.right, params.layout), params.encode.bit_depth));
      if (cfr) {
        // The output grid's ticks whose latest source frame is this one (none: dropped).
        const double fps = static_cast<double>(params.fps_num) / params.fps_den;
        auto tick = [&](double time_s) {
          return static_cast<std::int64_t>(std::ceil(time_s * fps - 1e-6));
        };
        const std::int64_t first = tick(frame.time_s);
        // The last frame lasts as long as the frame before it (or 1 / the average rate).
        const double last_duration =
            t > 0 ? frame.time_s - entries[static_cast<std::size_t>(t - 1)].time_s
                  : (timing.average_fps > 0 ? 1.0 / timing.average_fps : 1.0 / fps);
        const std::int64_t next = t + 1 < static_cast<std::int64_t>(entries.size())
                                      ? tick(entries[static_cast<std::size_t>(t + 1)].time_s)
                                      : tick(frame.time_s + last_duration);
        for (std::int64_t k = first; k < next; ++k) {
          if (!encoder) {
            encoder = std::make_unique<SegmentEncoder>(segment_files[segment], out.size(), timing,
                                                       encode);
          }
          encoder->write(out, k);
        }
      } else {
        if (!encoder) {
          encoder =
              std::make_unique<SegmentEncoder>(segment_files[segment], out.size(), timing, encode);
        }
        encoder->write(out, frame.pts);
      }
      if (t + 1 == segments[segment].end && encoder) {
        encoder->finish();
        encoder.reset();
      }
      report.encode_seconds += secondsSince(encode_start);
    }
    report.width = result.left.cols;
    report.height = result.left.rows;
    if (report.engine_description.empty()) report.engine_description = result.engine_description;
    ++rendered;
    ++report.frames_rendered;
    progress.report(rendered, frames_pending);
  }
  if (pass.metrics) report.metrics = pass.metrics->result();
}

// The container asked for, else the output's extension when it names one, else the default.
std::string containerOf(const VideoParams& params) {
  if (!params.encode.container.empty()) return params.encode.container;
  const std::string ext = params.output.extension().string();
  if (ext == ".mp4" || ext == ".mkv" || ext == ".mov") return ext.substr(1);
  return {};
}

void validateRun(const VideoParams& params) {
  const SynthesisParams& s = params.run.synthesis;
  if (s.border == BorderMode::kCrop) {
    throw InputError(
        "--border crop changes the width from frame to frame: use fill or screen for video");
  }
  if (params.run.depth_shaping.clip_low_percent != 0.0 ||
      params.run.depth_shaping.clip_high_percent != 100.0) {
    throw InputError(
        "--depth-clip works per frame and would pump in a video: the range stabiliser (--temporal) "
        "is its video counterpart");
  }
  if (params.run.synthesis.comfort.convergence != ConvergenceMode::kManual ||
      params.run.synthesis.comfort.max_range_percent > 0) {
    throw InputError(
        "auto convergence and the parallax limit work per frame and would pump in a video: give "
        "--convergence and --max-disparity instead (docs/video.md)");
  }
}

}  // namespace

RunResult renderVideoFrameFromDepth(StereoEngine& engine, const RunParams& params,
                                    const cv::Mat& image01, const cv::Mat& depth01,
                                    const std::string& origin) {
  if (image01.empty() || image01.type() != CV_32FC3)
    throw InputError("renderVideoFrameFromDepth: expected a CV_32FC3 frame for " + origin);
  if (depth01.empty() || depth01.type() != CV_32FC1)
    throw InputError("renderVideoFrameFromDepth: expected a CV_32FC1 depth map for " + origin);
  cv::Mat guide_low;
  cv::resize(image01, guide_low, depth01.size(), 0, 0, cv::INTER_AREA);
  cv::Mat full = depth01.size() == image01.size()
                     ? depth01
                     : upsampleDepthEdgeAware(depth01, guide_low, image01);
  full = shapeVideoDepth(full, params.depth_shaping);
  const SynthesisParams& s = params.synthesis;
  const double scale =
      params.depth_conversion.max_disparity_fraction * image01.cols * s.shaping.baseline_scale;
  cv::Mat disparity;
  full.convertTo(disparity, CV_32F, scale, -s.shaping.convergence * scale);
  RunParams run = params;
  run.geometry = DisparityInput{makeSignedDisparityMap(disparity), origin};
  run.engine = EngineChoice::kWeightFree;
  run.synthesis.shaping = DisparityShaping{};
  run.synthesis.comfort = ComfortParams{};
  run.on_progress = nullptr;
  return engine.run(image01, run);
}

const char* toString(HdrHandling hdr) {
  switch (hdr) {
    case HdrHandling::kAuto:
      return "auto";
    case HdrHandling::kPassthrough:
      return "passthrough";
    case HdrHandling::kToneMap:
      return "tonemap";
  }
  return "auto";
}

std::optional<HdrHandling> hdrHandlingFromString(const std::string& text) {
  for (HdrHandling hdr : {HdrHandling::kAuto, HdrHandling::kPassthrough, HdrHandling::kToneMap}) {
    if (text == toString(hdr)) return hdr;
  }
  return std::nullopt;
}

const char* toString(VideoProgress::Pass pass) {
  switch (pass) {
    case VideoProgress::Pass::kDepth:
      return "depth";
    case VideoProgress::Pass::kStereo:
      return "stereo";
    case VideoProgress::Pass::kMux:
      return "mux";
  }
  return "?";
}

RunParams videoRunDefaults() {
  RunParams run;
  run.synthesis.comfort = ComfortParams{};
  run.synthesis.shaping.convergence = 0.5;
  run.synthesis.border = BorderMode::kFill;
  run.depth_conversion.max_disparity_fraction = 0.03;
  return run;
}

void validateVideoParams(const VideoParams& params) {
  std::error_code ec;
  if (params.input.empty()) throw InputError("no input video given");
  if (!fs::exists(params.input, ec))
    throw InputError("the video " + params.input.string() + " does not exist");
  if (!fs::is_regular_file(params.input, ec)) {
    throw InputError(
        "the video " + params.input.string() +
        " is not a regular file (a FIFO or a device cannot be read twice: the converter makes two "
        "passes)");
  }
  if (params.write_video) {
    if (params.output.empty()) throw InputError("no output file given");
    const fs::path folder =
        params.output.has_parent_path() ? params.output.parent_path() : fs::path(".");
    if (!fs::is_directory(folder, ec))
      throw OutputError("the output folder " + folder.string() + " does not exist");
    if (fs::exists(params.output, ec) && !fs::is_regular_file(params.output, ec)) {
      throw OutputError("the output " + params.output.string() +
                        " exists and is not a regular file");
    }
    if (fs::equivalent(params.output, params.input, ec)) {
      throw OutputError("the output " + params.output.string() + " is the input video");
    }
  }
  if (!(params.start_s >= 0.0) || !std::isfinite(params.start_s)) {
    throw InputError("--start must be a time >= 0 s, got " + std::to_string(params.start_s));
  }
  if (params.end_s >= 0.0 && params.end_s <= params.start_s) {
    throw InputError("--end (" + std::to_string(params.end_s) + " s) must be after --start (" +
                     std::to_string(params.start_s) + " s)");
  }
  if (params.segment_max_frames < 1 || params.segment_max_frames > 100000) {
    throw InputError("the segment length must be 1..100000 frames, got " +
                     std::to_string(params.segment_max_frames));
  }
  if (params.temporal.depth_every < 1 || params.temporal.depth_every > 8) {
    throw InputError("--depth-every must be 1..8, got " +
                     std::to_string(params.temporal.depth_every));
  }
  if (params.temporal.depth_every > 1 &&
      params.temporal.flow.window < params.temporal.depth_every - 1) {
    throw InputError("--depth-every " + std::to_string(params.temporal.depth_every) +
                     " carries depth along the flow: it needs --flow-window of at least " +
                     std::to_string(params.temporal.depth_every - 1));
  }
  if (params.depth_cache_short_side < 16 || params.depth_cache_short_side > 4320) {
    throw InputError("the depth cache short side must be 16..4320 px");
  }
  if (params.fps_num < 0 || params.fps_den < 1 || params.fps_num > 1000 * params.fps_den) {
    throw InputError("--fps must be a rate above 0 and up to 1000 frames per second, got " +
                     std::to_string(params.fps_num) + "/" + std::to_string(params.fps_den));
  }
  if (params.encode.bit_depth != 8 && params.encode.bit_depth != 10) {
    throw InputError("--bit-depth must be 8 or 10, got " + std::to_string(params.encode.bit_depth));
  }
  if (params.encode.crf < 0 || params.encode.crf > 63) {
    throw InputError("--crf must be 0..63, got " + std::to_string(params.encode.crf));
  }
  if (params.shard.count < 1 || params.shard.index < 0 ||
      params.shard.index >= params.shard.count) {
    throw InputError("the shard must be K/N with 0 <= K < N, got " +
                     std::to_string(params.shard.index) + "/" + std::to_string(params.shard.count));
  }
  if (!(params.segment_seconds >= 0.5) || params.segment_seconds > 3600.0) {
    throw InputError("the segment grid must be 0.5..3600 s, got " +
                     std::to_string(params.segment_seconds));
  }
  if (params.shard.count > 1) {
    if (params.temporal.range.kind == RangeStabilizer::kIw3Ema) {
      throw InputError(
          "--temporal iw3-ema is recursive from the start of each scene: a shard cannot reproduce "
          "it; "
          "use robust or off with --shard (iw3-ema is the comparison baseline of eval-video)");
    }
    if (params.temporal.depth_every > 1) {
      throw InputError(
          "--depth-every counts frames from the start of each scene, which a shard does not see: "
          "use "
          "--depth-every 1 with --shard");
    }
  }
  validateRun(params);
  StereoEngine::validate(params.run);  // the numbers; each frame's geometry is made per frame
}

namespace {

// Joins the segments into the final file with the source's other streams.
void muxSegments(const VideoParams& params, const std::vector<fs::path>& segment_files,
                 VideoReport& report, PassProgress& progress) {
  checkCancel(params);
  progress.begin(VideoProgress::Pass::kMux, 0);
  progress.report(0, 1);
  const auto mux_start = Clock::now();
  MuxRequest mux;
  mux.source = params.input;
  mux.segments = segment_files;
  mux.output = params.output;
  mux.container = report.container;
  mux.packing = stereoPackingOf(params.layout);
  mux.start_s = params.start_s;
  mux.end_s = params.end_s;
  if (params.fps_num > 0) {
    mux.fps_num = params.fps_num;
    mux.fps_den = params.fps_den;
    // A segment whose frames all fell between the grid's ticks has no file.
    std::vector<fs::path> written;
    std::error_code ec;
    for (const fs::path& file : mux.segments) {
      if (fs::exists(file, ec)) written.push_back(file);
    }
    mux.segments = written;
  }
  const MuxReport muxed = muxStereoVideo(mux);
  report.mux_seconds = secondsSince(mux_start);
  report.streams = muxed.streams;
  for (const std::string& note : muxed.notes) report.notes.push_back(note);
  report.output = params.output;
  progress.report(1, 1);
}

std::string shardMarkerName(int index, int count) {
  return "shard-" + std::to_string(index) + "-of-" + std::to_string(count) + ".json";
}

// The segments of a finished sharded run in `segment_dir` (every shard's marker present and
// every segment it lists on disk), in time order; empty when there is none.
std::vector<fs::path> finishedShardSegments(const fs::path& segment_dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(segment_dir, ec)) {
    const std::string name = entry.path().filename().string();
    int index = 0;
    int count = 0;
    if (std::sscanf(name.c_str(), "shard-%d-of-%d.json", &index, &count) != 2 || count < 2)
      continue;
    std::vector<fs::path> files;
    bool complete = true;
    for (int k = 0; k < count && complete; ++k) {
      std::ifstream in(segment_dir / shardMarkerName(k, count));
      const json marker = json::parse(in, nullptr, false);
      if (marker.is_discarded() || !marker.contains("segments")) {
        complete = false;
        break;
      }
      for (const auto& segment : marker["segments"]) {
        const fs::path file = segment_dir / segment.get<std::string>();
        if (!fs::exists(file, ec)) complete = false;
        files.push_back(file);
      }
    }
    if (complete && !files.empty()) return files;
  }
  return {};
}

// The time range of a shard: the cells of the segment grid it owns.
struct ShardRange {
  double first_s = 0.0;
  double end_s = -1.0;  // < 0: to the end of the range
  bool empty = false;
};

ShardRange shardRangeOf(const VideoParams& params, const VideoSourceInfo& info) {
  const double range_end = params.end_s >= 0 ? params.end_s : info.duration_s;
  if (!(range_end > params.start_s)) {
    throw InputError(params.input.string() +
                     " does not say how long it is: --shard needs a known duration (give --end)");
  }
  const auto cells = std::max<std::int64_t>(
      1, static_cast<std::int64_t>(
             std::ceil((range_end - params.start_s) / params.segment_seconds - 1e-9)));
  const std::int64_t first = cells * params.shard.index / params.shard.count;
  const std::int64_t last = cells * (params.shard.index + 1) / params.shard.count;
  ShardRange range;
  range.empty = first == last;
  range.first_s = params.start_s + static_cast<double>(first) * params.segment_seconds;
  range.end_s = params.shard.index + 1 == params.shard.count
                    ? params.end_s
                    : params.start_s + static_cast<double>(last) * params.segment_seconds;
  return range;
}

}  // namespace

VideoReport convertVideo(StereoEngine& engine, const VideoParams& params) {
  validateVideoParams(params);
  // No writer of this run replaces the video or its maps (an output named like the input).
  ProtectedInputs protect({params.input}, "the input video");
  if (params.map) protect.add(params.map->path);
  if (params.write_video && !params.depth_only) {
    checkReplaceableDestination(params.output, "the video output");
    if (isSameFile(params.output, params.input)) {
      throw OutputError("the output " + params.output.string() + " is the input video itself");
    }
  }
  const auto start = Clock::now();
  VideoReport report;
  PassProgress progress{params, start};
  const VideoSourceInfo info = probeVideo(params.input);
  const bool sharded = params.shard.count > 1;
  if (params.write_video && !sharded)
    report.container = resolveContainer(info, containerOf(params));
  const fs::path work = workFolderOf(params);
  const std::string depth_key = depthKeyOf(engine, params);
  // Segments of a whole run and of every shard of it share one folder.
  const fs::path segment_dir = work / ("segments-" + hexHash(renderKeyOf(params, depth_key)));
  std::error_code ec;
  if (!sharded && params.write_video && !params.depth_only && !params.measure) {
    const std::vector<fs::path> joined = finishedShardSegments(segment_dir);
    if (!joined.empty()) {
      report.joined_shards = true;
      report.segments = static_cast<int>(joined.size());
      report.segments_reused = report.segments;
      muxSegments(params, joined, report, progress);
      if (!params.keep_work_dir) fs::remove_all(work, ec);
      report.seconds = secondsSince(start);
      return report;
    }
  }

  // What this process decodes: the whole range, or a shard's cells with a margin on each side
  // for the temporal filters' windows.
  VideoParams local = params;
  ShardRange shard_range;
  fs::path cache_dir = work / "depth-cache";
  const bool video_model = !params.map && engine.options().depth_family == DepthModelFamily::kVideo;
  if (sharded && video_model && engine.options().video_depth_window == 0) {
    throw InputError(
        "Video Depth Anything's streaming mode remembers every frame of a scene, which a shard "
        "does not "
        "see: use its window mode (--vda-window N) with --shard");
  }
  if (sharded) {
    shard_range = shardRangeOf(params, info);
    if (shard_range.empty) {
      report.notes.push_back("shard " + std::to_string(params.shard.index) + "/" +
                             std::to_string(params.shard.count) +
                             " has no part of the timeline (more shards than " +
                             std::to_string(params.segment_seconds) + " s cells)");
    }
    const double fps = info.average_fps > 0 ? info.average_fps : 30.0;
    const TemporalSettings& t = params.temporal;
    const int back_frames = t.range.robust_back + t.flow.window + t.fill.window +
                            t.scene_cut.min_scene_frames + 4 +
                            (video_model ? engine.options().video_depth_window : 0);
    const int ahead_frames = t.range.robust_ahead + 2;
    local.start_s = std::max(params.start_s, shard_range.first_s - 1.5 * back_frames / fps - 0.5);
    if (shard_range.end_s >= 0) {
      local.end_s = shard_range.end_s + 1.5 * ahead_frames / fps + 0.5;
      if (params.end_s >= 0) local.end_s = std::min(local.end_s, params.end_s);
    }
    cache_dir = work / ("depth-cache-shard-" + std::to_string(params.shard.index) + "-of-" +
                        std::to_string(params.shard.count));
  }
  DepthCache cache(cache_dir, depthKeyOf(engine, local));
  if (!shard_range.empty) runDepthPass(engine, local, info, cache, report, progress);
  const std::vector<DepthCacheEntry>& entries = cache.entries();
  report.frames = static_cast<std::int64_t>(entries.size());
  std::vector<DepthFrameStats> stats;
  stats.reserve(entries.size());
  for (const DepthCacheEntry& entry : entries) {
    stats.push_back(entry.stats);
    if (entry.stats.scene_cut) ++report.scene_cuts;
  }
  if (params.depth_only) {
    report.seconds = secondsSince(start);
    return report;
  }
  const std::vector<DepthRange> ranges = stabilizeDepthRanges(stats, params.temporal.range);
  std::int64_t begin = 0;
  auto end = static_cast<std::int64_t>(entries.size());
  if (sharded) {
    // The frames of the shard's own cells (the margin only feeds the filters).
    begin = end;
    for (std::int64_t t = 0; t < static_cast<std::int64_t>(entries.size()); ++t) {
      const double time = entries[static_cast<std::size_t>(t)].time_s;
      if (begin == end && time >= shard_range.first_s - 1e-6) begin = t;
      if (shard_range.end_s >= 0 && time >= shard_range.end_s - 1e-6) {
        end = t;
        break;
      }
    }
    if (shard_range.empty) begin = end;
    report.frames = end - begin;
  }
  const std::vector<VideoSegment> segments = planVideoSegments(
      entries, begin, end, params.segment_max_frames, params.start_s, params.segment_seconds);
  report.segments = static_cast<int>(segments.size());
  fs::create_directories(segment_dir, ec);
  if (ec)
    throw OutputError("cannot create the segment folder " + segment_dir.string() + ": " +
                      ec.message());
  std::vector<fs::path> segment_files;
  const auto stereo_start = Clock::now();
  if (!segments.empty()) {
    runStereoPass(engine, local, info, cache, ranges, segments, segment_dir, segment_files, report,
                  progress);
  }
  const double stereo_seconds = secondsSince(stereo_start);
  report.fps = stereo_seconds > 0 ? report.frames_rendered / stereo_seconds : 0.0;
  if (!params.map && report.depth_frames_computed > 0) {
    RunParams estimated = params.run;
    estimated.geometry = EstimatedDepth{};
    estimated.engine = EngineChoice::kWeightFree;
    report.engine_description = engine.describe(estimated);
  }
  if (sharded && params.write_video) {
    json marker;
    marker["segments"] = json::array();
    for (const fs::path& file : segment_files)
      marker["segments"].push_back(file.filename().string());
    marker["first_s"] = shard_range.first_s;
    marker["end_s"] = shard_range.end_s;
    const std::string text = marker.dump(1);
    writeBytesAtomically(segment_dir / shardMarkerName(params.shard.index, params.shard.count),
                         std::vector<std::uint8_t>(text.begin(), text.end()));
    report.notes.push_back("shard " + std::to_string(params.shard.index) + "/" +
                           std::to_string(params.shard.count) +
                           " done; the same command without --shard joins the shards into " +
                           params.output.string() + " once every shard is done");
  } else if (params.write_video) {
    muxSegments(params, segment_files, report, progress);
    if (!params.keep_work_dir) fs::remove_all(work, ec);
  }
  report.seconds = secondsSince(start);
  return report;
}

VideoFrameResult renderVideoFrame(StereoEngine& engine, const VideoParams& params, double time_s) {
  if (!(time_s >= 0.0) || !std::isfinite(time_s)) throw InputError("--frame must be a time >= 0 s");
  VideoParams window = params;
  window.write_video = false;
  window.measure = false;
  const VideoSourceInfo info = probeVideo(params.input);
  const double fps = info.average_fps > 0 ? info.average_fps : 30.0;
  // The bounded window the filters look at: the range stabiliser's back and ahead frames, the
  // flow smoother's warm-up.
  const int back = std::max(params.temporal.range.robust_back, params.temporal.range.ema_buffer) +
                   params.temporal.flow.window + params.temporal.fill.window +
                   params.temporal.depth_every;
  const int ahead = std::max(params.temporal.range.robust_ahead, params.temporal.range.ema_buffer);
  window.start_s = std::max(params.start_s, time_s - back / fps);
  window.end_s = time_s + (ahead + 1) / fps;
  if (params.end_s >= 0) window.end_s = std::min(window.end_s, params.end_s);
  window.work_dir = workFolderOf(params) / "frame-preview";
  window.keep_work_dir = true;
  validateVideoParams(window);
  VideoReport report;
  PassProgress progress{window, Clock::now()};
  DepthCache cache(window.work_dir / "depth-cache", depthKeyOf(engine, window));
  runDepthPass(engine, window, info, cache, report, progress);
  const std::vector<DepthCacheEntry>& entries = cache.entries();
  std::int64_t target = -1;
  for (const DepthCacheEntry& entry : entries) {
    if (entry.time_s + 1e-6 >= time_s) {
      target = entry.frame;
      break;
    }
  }
  if (target < 0)
    throw InputError(params.input.string() + " has no frame at " + std::to_string(time_s) + " s");
  std::vector<DepthFrameStats> stats;
  for (const DepthCacheEntry& entry : entries) stats.push_back(entry.stats);
  const std::vector<DepthRange> ranges = stabilizeDepthRanges(stats, window.temporal.range);
  // Decode up to the frame; the filters warm up as for a segment that starts at it.
  const std::vector<FrameRole> roles =
      frameRoles(entries, {VideoSegment{target, target + 1}}, {1}, params.temporal);
  const bool tone_map = toneMapsFrames(params, info);
  DecodeOptions options;
  options.start_s = window.start_s;
  options.end_s = window.end_s;
  options.pixels = tone_map ? DecodedPixels::kBgr16 : DecodedPixels::kBgr8;
  VideoDecoder decoder(params.input, options);
  FlowDepthSmoother smoother(params.temporal.flow);
  TemporalHoleFill hole_fill(params.temporal.fill);
  StereoPass pass{engine, window, cache, report, progress, std::nullopt};
  DecodedFrame frame;
  bool fresh = true;
  for (std::int64_t t = 0; t <= target; ++t) {
    checkCancel(params);
    if (!decoder.read(frame))
      throw InputError(params.input.string() + " ended before " + std::to_string(time_s) + " s");
    if (tone_map) toneMapFrame(frame, decoder.info(), 8);
    const FrameRole role = roles[static_cast<std::size_t>(t)];
    if (role == FrameRole::kSkip) continue;
    const DepthCacheEntry& entry = entries[static_cast<std::size_t>(t)];
    if (fresh || entry.stats.scene_cut) {
      smoother.reset();
      hole_fill.reset();
    }
    fresh = false;
    cv::Mat depth01;
    if (entry.has_depth)
      depth01 = normalizeDepth(cache.read(t), ranges[static_cast<std::size_t>(t)]);
    const cv::Mat smoothed = smoother.push(frame.image, depth01);
    if (role == FrameRole::kSmooth) continue;
    RunResult result = pass.renderFrame(toFloat01(frame.image), smoothed, t);
    applyTemporalFill(hole_fill, params.temporal, params.run.synthesis.eye, result);
    if (t == target) {
      VideoFrameResult out;
      out.result = std::move(result);
      out.frame = t;
      out.time_s = frame.time_s;
      out.scene_cut = entry.stats.scene_cut;
      out.image01 = toFloat01(frame.image);
      out.depth01 = smoothed.clone();
      return out;
    }
  }
  throw InputError(params.input.string() + " has no frame at " + std::to_string(time_s) + " s");
}

std::vector<VideoVariantResult> evaluateVideoVariants(StereoEngine& engine,
                                                      const VideoParams& params,
                                                      const std::vector<VideoVariant>& variants) {
  std::vector<VideoVariantResult> results;
  VideoParams base = params;
  base.write_video = false;
  base.measure = true;
  base.keep_work_dir = true;
  if (base.work_dir.empty()) {
    base.work_dir =
        fs::temp_directory_path() / ("genstereo-eval-video-" + hexHash(fileIdentity(params.input)));
  }
  for (const VideoVariant& variant : variants) {
    VideoParams run = base;
    run.temporal.range = variant.temporal.range;
    run.temporal.flow = variant.temporal.flow;
    run.temporal.fill = variant.temporal.fill;
    const VideoReport report = convertVideo(engine, run);
    VideoVariantResult result;
    result.label = variant.label;
    result.metrics = report.metrics.value_or(TemporalMetrics{});
    result.fps = report.fps;
    results.push_back(result);
  }
  if (params.work_dir.empty() && !params.keep_work_dir) {
    std::error_code ec;
    fs::remove_all(base.work_dir, ec);
  }
  return results;
}

VideoStill readVideoStill(const fs::path& input, double time_s) {
  if (!(time_s >= 0.0) || !std::isfinite(time_s)) throw InputError("a frame time must be >= 0 s");
  const VideoSourceInfo info = probeVideo(input);
  VideoParams params;  // tone-map HDR10 for display, as an SDR output would
  params.input = input;
  const bool tone_map = toneMapsFrames(params, info);
  DecodeOptions options;
  options.pixels = tone_map ? DecodedPixels::kBgr16 : DecodedPixels::kBgr8;
  // Frame numbers count from the first frame's time (a stream may start after 0, e.g. behind
  // an audio encoder's priming).
  double first_time_s = 0.0;
  {
    VideoDecoder first(input, options);
    DecodedFrame frame;
    if (first.read(frame)) first_time_s = frame.time_s;
  }
  const double fps = info.average_fps > 0 ? info.average_fps : 30.0;
  auto numberOf = [&](double t) {
    return static_cast<std::int64_t>(std::llround(std::max(0.0, t - first_time_s) * fps));
  };
  // Past the end: the last frame (decode from a little before the end).
  const double last = info.duration_s > 0 ? info.duration_s : time_s;
  double start = std::min(time_s, last);
  for (int attempt = 0; attempt < 4; ++attempt) {
    options.start_s = start;
    VideoDecoder decoder(input, options);
    DecodedFrame frame;
    DecodedFrame previous;
    bool has_previous = false;
    while (decoder.read(frame)) {
      if (frame.time_s + 1e-6 >= time_s) {
        if (tone_map) toneMapFrame(frame, decoder.info(), 8);
        return VideoStill{frame.image.clone(), frame.time_s, numberOf(frame.time_s)};
      }
      previous = frame;
      previous.image = frame.image.clone();
      has_previous = true;
    }
    if (has_previous) {  // time_s lies past the last frame
      if (tone_map) toneMapFrame(previous, decoder.info(), 8);
      return VideoStill{previous.image, previous.time_s, numberOf(previous.time_s)};
    }
    start = std::max(0.0, start - 2.0);  // nothing decoded from there: look earlier
    if (start == 0.0 && attempt > 0) break;
  }
  throw InputError(input.string() + " has no decodable frame at or before " +
                   std::to_string(time_s) + " s");
}

std::vector<double> findSceneCuts(const fs::path& input, const TemporalSettings& temporal,
                                  const CancelToken& cancel,
                                  const std::function<void(double)>& on_fraction) {
  std::vector<double> cuts;
  if (!temporal.scene_cuts) return cuts;
  const VideoSourceInfo info = probeVideo(input);
  VideoParams params;
  params.input = input;
  const bool tone_map = toneMapsFrames(params, info);
  DecodeOptions options;
  options.pixels = tone_map ? DecodedPixels::kBgr16 : DecodedPixels::kBgr8;
  VideoDecoder decoder(input, options);
  SceneCutDetector detector(temporal.scene_cut);
  DecodedFrame frame;
  std::int64_t n = 0;
  const std::int64_t estimate = std::max<std::int64_t>(info.frame_count_estimate, 1);
  while (decoder.read(frame)) {
    if (cancel.isCancelled()) throw CancelledError();
    if (tone_map) toneMapFrame(frame, decoder.info(), 8);
    if (detector.push(frame.image)) cuts.push_back(frame.time_s);
    ++n;
    if (on_fraction && n % 16 == 0)
      on_fraction(std::min(1.0, static_cast<double>(n) / static_cast<double>(estimate)));
  }
  if (on_fraction) on_fraction(1.0);
  return cuts;
}

}  // namespace genstereo

#include "video_settings.h"

#include "engine_worker.h"

namespace genstereo::ui {

TemporalSettings temporalSettingsOf(bool is_temporal_on) {
  TemporalSettings temporal;
  if (is_temporal_on) return temporal;
  temporal.range.kind = RangeStabilizer::kPerFrame;
  temporal.flow.window = 0;
  temporal.fill.window = 0;
  return temporal;
}

EngineParams videoDefaultParams(const EngineParams& current) {
  const RunParams run = videoRunDefaults();
  EngineParams params = current;
  params.engine = EngineKind::kWeightFree;
  params.map_kind = MapKind::kInverseDepth;
  params.baseline_scale = run.synthesis.shaping.baseline_scale;
  params.convergence = run.synthesis.shaping.convergence;
  params.comfort = run.synthesis.comfort;
  params.border = run.synthesis.border;
  params.max_disparity_fraction = run.depth_conversion.max_disparity_fraction;
  params.depth_shaping = run.depth_shaping;
  params.synthesis = run.synthesis;
  return params;
}

VideoParams videoParamsOf(const EngineParams& params, bool is_temporal_on,
                          const VideoExportSettings& settings, const std::filesystem::path& input,
                          const std::filesystem::path& output,
                          const std::optional<VideoMapSource>& map) {
  VideoParams video;
  video.input = input;
  video.output = output;
  video.map = map;
  RunParams run = videoRunDefaults();
  run.synthesis = params.synthesis;
  run.synthesis.shaping.baseline_scale = params.baseline_scale;
  run.synthesis.shaping.convergence = params.convergence;
  run.synthesis.comfort = videoRunDefaults().synthesis.comfort;  // per-frame comfort pumps
  run.synthesis.border = params.border;
  run.depth_shaping = params.depth_shaping;
  run.depth_conversion.max_disparity_fraction = params.max_disparity_fraction;
  run.depth_conversion.kind =
      params.map_kind == MapKind::kMetricDepth ? DepthKind::kMetric : DepthKind::kInverse;
  video.run = run;
  video.temporal = temporalSettingsOf(is_temporal_on);
  video.layout = settings.layout;
  video.encode = settings.encode;
  video.hdr = settings.hdr;
  video.fps_num = settings.fps_num;
  video.fps_den = settings.fps_den;
  video.start_s = settings.start_s;
  video.end_s = settings.end_s;
  return video;
}

EngineOptions videoEngineOptionsOf(const ModelSettings& models) { return engineOptionsOf(models); }

}  // namespace genstereo::ui

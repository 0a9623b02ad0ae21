#include "video_command_line.h"

#include "command_line_builder.h"

#include <filesystem>

namespace genstereo::ui {

namespace {

QString pathText(const std::filesystem::path& path) {
  return QString::fromStdString(path.string());
}

}  // namespace

QStringList videoCommandArguments(const EngineParams& params, bool is_temporal_on,
                                  const VideoExportSettings& settings,
                                  const VideoCommandInputs& inputs) {
  const VideoParams video =
      videoParamsOf(params, is_temporal_on, settings, inputs.video_path.toStdString(),
                    std::filesystem::path(), inputs.map);
  // The video command's defaults (app/cli_video.cpp: videoRunDefaults and the option defaults).
  const RunParams defaults = videoRunDefaults();
  const TemporalSettings default_temporal;
  const VideoEncodeSettings default_encode;
  const RunParams& run = video.run;
  const SynthesisParams& s = run.synthesis;
  const DepthShaping& d = run.depth_shaping;
  QStringList args = {QStringLiteral("genstereo-cli"), QStringLiteral("video"), inputs.video_path};
  if (inputs.map) {
    if (inputs.map->kind == MapKind::kDisparity) {
      args << QStringLiteral("--disparity") << pathText(inputs.map->path);
    } else {
      args << QStringLiteral("--depth") << pathText(inputs.map->path);
      if (inputs.map->kind == MapKind::kMetricDepth)
        args << QStringLiteral("--depth-kind") << QString::fromLatin1(toString(DepthKind::kMetric));
    }
  } else {
    if (!params.models.folder.isEmpty()) args << QStringLiteral("--models") << params.models.folder;
    if (!params.models.device.isEmpty() && params.models.device != QLatin1String("cpu"))
      args << QStringLiteral("--device") << params.models.device;
    if (!params.models.depth_model_size.isEmpty() &&
        params.models.depth_model_size != QLatin1String("auto"))
      args << QStringLiteral("--depth-model") << params.models.depth_model_size;
  }
  if (settings.start_s > 0.0) args << QStringLiteral("--start") << cliNumber(settings.start_s);
  if (settings.end_s >= 0.0) args << QStringLiteral("--end") << cliNumber(settings.end_s);
  const bool is_depth = !inputs.map || inputs.map->kind != MapKind::kDisparity;
  if (is_depth && run.depth_conversion.max_disparity_fraction !=
                      defaults.depth_conversion.max_disparity_fraction) {
    args << QStringLiteral("--max-disparity")
         << cliNumber(run.depth_conversion.max_disparity_fraction);
  }
  // The screen plane is fixed for video (per-frame comfort pumps): --convergence, never auto;
  // with --baseline-scale given the video command sets no parallax limit, as videoParamsOf.
  args << QStringLiteral("--baseline-scale") << cliNumber(s.shaping.baseline_scale);
  args << QStringLiteral("--convergence") << cliNumber(s.shaping.convergence);
  args << QStringLiteral("--border") << QString::fromLatin1(toString(s.border));
  if (s.eye != defaults.synthesis.eye)
    args << QStringLiteral("--eye") << QString::fromLatin1(toString(s.eye));
  if (s.warp != defaults.synthesis.warp)
    args << QStringLiteral("--warp") << QString::fromLatin1(toString(s.warp));
  if (s.fill != defaults.synthesis.fill)
    args << QStringLiteral("--fill") << QString::fromLatin1(toString(s.fill));
  if (s.feather_px != defaults.synthesis.feather_px)
    args << QStringLiteral("--feather") << cliNumber(s.feather_px);
  if (is_depth) {
    if (d.foreground_scale != defaults.depth_shaping.foreground_scale)
      args << QStringLiteral("--foreground-scale") << cliNumber(d.foreground_scale);
    if (d.edge_dilation_x_px != defaults.depth_shaping.edge_dilation_x_px)
      args << QStringLiteral("--edge-dilation") << QString::number(d.edge_dilation_x_px);
    if (d.clip_low_percent != defaults.depth_shaping.clip_low_percent ||
        d.clip_high_percent != defaults.depth_shaping.clip_high_percent) {
      args << QStringLiteral("--depth-clip")
           << cliNumber(d.clip_low_percent) + QLatin1Char(',') + cliNumber(d.clip_high_percent);
    }
  }
  const TemporalSettings& t = video.temporal;
  if (t.range.kind != default_temporal.range.kind)
    args << QStringLiteral("--temporal") << QString::fromLatin1(toString(t.range.kind));
  if (t.flow.window != default_temporal.flow.window)
    args << QStringLiteral("--flow-window") << QString::number(t.flow.window);
  if (t.fill.window != default_temporal.fill.window)
    args << QStringLiteral("--fill-window") << QString::number(t.fill.window);
  if (video.layout != VideoOutputLayout::kSideBySideFull)
    args << QStringLiteral("--layout") << QString::fromLatin1(toString(video.layout));
  const VideoEncodeSettings& e = video.encode;
  if (e.codec != default_encode.codec)
    args << QStringLiteral("--codec") << QString::fromLatin1(toString(e.codec));
  if (e.crf != default_encode.crf) args << QStringLiteral("--crf") << QString::number(e.crf);
  if (e.preset != default_encode.preset)
    args << QStringLiteral("--preset") << QString::fromStdString(e.preset);
  if (e.bit_depth != default_encode.bit_depth)
    args << QStringLiteral("--bit-depth") << QString::number(e.bit_depth);
  if (video.hdr != HdrHandling::kAuto)
    args << QStringLiteral("--hdr") << QString::fromLatin1(toString(video.hdr));
  if (video.fps_num > 0) {
    args << QStringLiteral("--fps")
         << QStringLiteral("%1/%2").arg(video.fps_num).arg(video.fps_den);
  }
  if (!e.container.empty())
    args << QStringLiteral("--container") << QString::fromStdString(e.container);
  if (inputs.segment_max_frames != VideoParams().segment_max_frames)
    args << QStringLiteral("--segment-frames") << QString::number(inputs.segment_max_frames);
  if (inputs.overwrite) args << QStringLiteral("--overwrite");
  args << QStringLiteral("-o") << inputs.output_dir;
  return args;
}

}  // namespace genstereo::ui

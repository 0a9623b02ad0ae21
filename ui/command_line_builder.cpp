#include "command_line_builder.h"

#include <QRegularExpression>

namespace genstereo::ui {

QString cliNumber(double value) { return QString::number(value, 'g', 15); }

QStringList generateCommandArguments(const EngineParams& params, const CommandLineInputs& inputs) {
  const RunParams defaults;
  const SynthesisParams& s = params.synthesis;
  const DepthShaping& d = params.depth_shaping;
  QStringList args = {QStringLiteral("genstereo-cli"), QStringLiteral("generate"),
                      inputs.image_path};
  const bool is_depth = inputs.map_path.isEmpty() || params.map_kind != MapKind::kDisparity;
  if (inputs.map_path.isEmpty()) {
    args << QStringLiteral("--no-discovery");
  } else if (params.map_kind == MapKind::kDisparity) {
    args << QStringLiteral("--disparity") << inputs.map_path;
  } else {
    args << QStringLiteral("--depth") << inputs.map_path;
    if (params.map_kind == MapKind::kMetricDepth)
      args << QStringLiteral("--depth-kind") << QString::fromLatin1(toString(DepthKind::kMetric));
  }
  if (!inputs.map_path.isEmpty() && params.map_size == MapSizePolicy::kResize) {
    args << QStringLiteral("--resize-maps");
  }
  const bool is_diffusion = params.engine == EngineKind::kDiffusion;
  args << QStringLiteral("--engine")
       << QString::fromLatin1(
              toString(is_diffusion ? EngineChoice::kDiffusion : EngineChoice::kWeightFree));
  if (is_diffusion || inputs.map_path.isEmpty()) {
    args << QStringLiteral("--models") << params.models.folder;
    if (params.models.device != QLatin1String("cpu"))
      args << QStringLiteral("--device") << params.models.device;
  }
  if (inputs.map_path.isEmpty() && params.models.depth_model_size != QLatin1String("auto")) {
    args << QStringLiteral("--depth-model") << params.models.depth_model_size;
  }
  if (is_diffusion) {
    if (params.models.variant != QLatin1String("sd21"))
      args << QStringLiteral("--variant") << params.models.variant;
    if (params.scheduler != SchedulerKind::kDdim)
      args << QStringLiteral("--scheduler") << QString::fromLatin1(toString(params.scheduler));
    args << QStringLiteral("--steps") << QString::number(params.sampling_steps);
    if (params.tiles) {
      args << QStringLiteral("--tiles") << QStringLiteral("--tile-overlap")
           << cliNumber(params.tile_overlap);
      if (params.tile_feather_px > 0)
        args << QStringLiteral("--tile-feather") << QString::number(params.tile_feather_px);
    }
    args << QStringLiteral("--guidance") << cliNumber(params.guidance);
    args << QStringLiteral("--seed") << QString::number(params.seed);
  }
  if (is_depth &&
      params.max_disparity_fraction != defaults.depth_conversion.max_disparity_fraction) {
    args << QStringLiteral("--max-disparity") << cliNumber(params.max_disparity_fraction);
  }
  // The geometry and comfort are always written: generate's defaults differ from the
  // engine's, and --baseline-scale alone would switch the parallax limit off.
  args << QStringLiteral("--baseline-scale") << cliNumber(params.baseline_scale);
  const ComfortParams& c = params.comfort;
  switch (c.convergence) {
    case ConvergenceMode::kManual:
      args << QStringLiteral("--convergence") << cliNumber(params.convergence);
      break;
    case ConvergenceMode::kPercentile:
      args << QStringLiteral("--auto-convergence") << QStringLiteral("--convergence-percentile")
           << cliNumber(c.convergence_percentile);
      break;
    case ConvergenceMode::kPoint:
      args << QStringLiteral("--screen-point")
           << QStringLiteral("%1,%2").arg(c.screen_point_px.x).arg(c.screen_point_px.y);
      break;
  }
  args << QStringLiteral("--parallax-limit") << cliNumber(c.max_range_percent);
  args << QStringLiteral("--border") << QString::fromLatin1(toString(params.border));
  if (s.eye != defaults.synthesis.eye)
    args << QStringLiteral("--eye") << QString::fromLatin1(toString(s.eye));
  if (s.warp != defaults.synthesis.warp)
    args << QStringLiteral("--warp") << QString::fromLatin1(toString(s.warp));
  if (s.fill != defaults.synthesis.fill)
    args << QStringLiteral("--fill") << QString::fromLatin1(toString(s.fill));
  if (s.feather_px != defaults.synthesis.feather_px)
    args << QStringLiteral("--feather") << cliNumber(s.feather_px);
  if (is_depth) {
    if (d.foreground_scale != defaults.depth_shaping.foreground_scale) {
      args << QStringLiteral("--foreground-scale") << cliNumber(d.foreground_scale);
    }
    if (d.edge_dilation_x_px != defaults.depth_shaping.edge_dilation_x_px) {
      args << QStringLiteral("--edge-dilation") << QString::number(d.edge_dilation_x_px);
    }
    if (d.clip_low_percent != defaults.depth_shaping.clip_low_percent ||
        d.clip_high_percent != defaults.depth_shaping.clip_high_percent) {
      args << QStringLiteral("--depth-clip")
           << cliNumber(d.clip_low_percent) + QLatin1Char(',') + cliNumber(d.clip_high_percent);
    }
  }
  args << QStringLiteral("-o") << inputs.output_dir;
  return args;
}

QString shellQuoted(const QString& argument) {
  static const QRegularExpression kPlain(QStringLiteral("^[A-Za-z0-9_@%+=:,./-]+$"));
  if (kPlain.match(argument).hasMatch()) return argument;
  QString quoted = argument;
  quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
  return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString shellCommandLine(const QStringList& arguments) {
  QStringList quoted;
  quoted.reserve(arguments.size());
  for (const QString& argument : arguments) quoted << shellQuoted(argument);
  return quoted.join(QLatin1Char(' '));
}

}  // namespace genstereo::ui

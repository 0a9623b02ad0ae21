#include "presets.h"

#include <QCoreApplication>
#include <QSettings>

namespace genstereo::ui {

namespace {

const QString kGroup = QStringLiteral("presets");

// A stored name read back with the core's parser (the names toString wrote); `fallback` when
// it is absent or unknown.
template <typename Enum>
Enum enumFromName(const QVariant& value, std::optional<Enum> (*parse)(const std::string&),
                  Enum fallback) {
  return parse(value.toString().toStdString()).value_or(fallback);
}

// Settings keys cannot hold '/' or '\\' (they would open subgroups).
QString keyOf(const QString& name) {
  QString key = name;
  key.replace(QLatin1Char('/'), QLatin1Char('_')).replace(QLatin1Char('\\'), QLatin1Char('_'));
  return key;
}

}  // namespace

QList<Preset> builtInPresets() {
  QList<Preset> presets;
  // The official geometry and warp of the paper: the nearest point at 15 % of the width in
  // front of the screen, the farthest on it (manual convergence 0, no parallax limit); the
  // strip at the border filled; whole-pixel warp; no depth shaping.
  Preset paper;
  paper.name = QCoreApplication::translate("Presets", "Paper defaults");
  paper.params.comfort = ComfortParams{};
  paper.params.border = BorderMode::kFill;
  paper.params.synthesis.warp = WarpMode::kInteger;
  paper.is_built_in = true;
  // generate's defaults (docs/comfort.md): the screen plane through the median disparity,
  // the baseline narrowed to at most 3 % of the width of parallax, the border on the screen;
  // outliers clipped, near edges grown against halos.
  Preset comfortable;
  comfortable.name = QCoreApplication::translate("Presets", "Comfortable");
  comfortable.params.comfort = comfortableSettings();
  comfortable.params.border = BorderMode::kScreen;
  comfortable.params.depth_shaping.clip_low_percent = 1.0;
  comfortable.params.depth_shaping.clip_high_percent = 99.0;
  comfortable.params.depth_shaping.edge_dilation_x_px = 2;
  comfortable.params.depth_shaping.edge_dilation_y_px = 2;
  comfortable.is_built_in = true;
  // More pop-out, past the comfort range on purpose (the Comfort group warns): the full
  // baseline without a limit, the screen plane at the 30th percentile (most of the scene in
  // front of it), the near range stretched; the border kept on the screen.
  Preset strong;
  strong.name = QCoreApplication::translate("Presets", "Strong 3D");
  strong.params.baseline_scale = 1.0;
  strong.params.comfort.convergence = ConvergenceMode::kPercentile;
  strong.params.comfort.convergence_percentile = 30.0;
  strong.params.comfort.max_range_percent = 0.0;
  strong.params.border = BorderMode::kScreen;
  strong.params.depth_shaping.foreground_scale = 0.5;
  strong.params.depth_shaping.clip_low_percent = 1.0;
  strong.params.depth_shaping.clip_high_percent = 99.0;
  strong.params.depth_shaping.edge_dilation_x_px = 3;
  strong.params.depth_shaping.edge_dilation_y_px = 3;
  strong.is_built_in = true;
  presets << comfortable << strong << paper;
  return presets;
}

EngineParams withPresetApplied(const EngineParams& current, const EngineParams& preset) {
  return presetFromMap(presetToMap(preset), current);
}

QVariantMap presetToMap(const EngineParams& params) {
  QVariantMap map;
  map[QStringLiteral("baselineScale")] = params.baseline_scale;
  map[QStringLiteral("convergence")] = params.convergence;
  // A picked screen point belongs to its photo: a preset keeps auto convergence instead.
  const ConvergenceMode mode = params.comfort.convergence == ConvergenceMode::kPoint
                                   ? ConvergenceMode::kPercentile
                                   : params.comfort.convergence;
  map[QStringLiteral("convergenceMode")] = QString::fromLatin1(toString(mode));
  map[QStringLiteral("convergencePercentile")] = params.comfort.convergence_percentile;
  map[QStringLiteral("parallaxLimitPercent")] = params.comfort.max_range_percent;
  map[QStringLiteral("border")] = QString::fromLatin1(toString(params.border));
  map[QStringLiteral("maxDisparityFraction")] = params.max_disparity_fraction;
  map[QStringLiteral("eye")] = QString::fromLatin1(toString(params.synthesis.eye));
  map[QStringLiteral("warp")] = QString::fromLatin1(toString(params.synthesis.warp));
  map[QStringLiteral("fill")] = QString::fromLatin1(toString(params.synthesis.fill));
  map[QStringLiteral("featherPx")] = params.synthesis.feather_px;
  map[QStringLiteral("foregroundScale")] = params.depth_shaping.foreground_scale;
  map[QStringLiteral("edgeDilationPx")] = params.depth_shaping.edge_dilation_x_px;
  map[QStringLiteral("clipLowPercent")] = params.depth_shaping.clip_low_percent;
  map[QStringLiteral("clipHighPercent")] = params.depth_shaping.clip_high_percent;
  map[QStringLiteral("scheduler")] = QString::fromLatin1(toString(params.scheduler));
  map[QStringLiteral("tiles")] = params.tiles;
  map[QStringLiteral("tileOverlap")] = params.tile_overlap;
  map[QStringLiteral("tileFeatherPx")] = params.tile_feather_px;
  map[QStringLiteral("samplingSteps")] = params.sampling_steps;
  map[QStringLiteral("guidance")] = params.guidance;
  map[QStringLiteral("seed")] = static_cast<qlonglong>(params.seed);
  return map;
}

EngineParams presetFromMap(const QVariantMap& map, const EngineParams& base) {
  EngineParams params = base;
  const auto number = [&map](const char* key, double fallback) {
    bool is_number = false;
    const double value = map.value(QLatin1String(key)).toDouble(&is_number);
    return is_number ? value : fallback;
  };
  params.baseline_scale = number("baselineScale", base.baseline_scale);
  params.convergence = number("convergence", base.convergence);
  params.max_disparity_fraction = number("maxDisparityFraction", base.max_disparity_fraction);
  ComfortParams& c = params.comfort;
  const ConvergenceMode stored = enumFromName(map.value(QStringLiteral("convergenceMode")),
                                              convergenceModeFromString, c.convergence);
  if (stored != ConvergenceMode::kPoint) c.convergence = stored;  // a point is the photo's
  c.convergence_percentile = number("convergencePercentile", c.convergence_percentile);
  c.max_range_percent = number("parallaxLimitPercent", c.max_range_percent);
  params.border =
      enumFromName(map.value(QStringLiteral("border")), borderModeFromString, params.border);
  SynthesisParams& s = params.synthesis;
  s.eye = enumFromName(map.value(QStringLiteral("eye")), synthesisEyeFromString, s.eye);
  s.warp = enumFromName(map.value(QStringLiteral("warp")), warpModeFromString, s.warp);
  s.fill = enumFromName(map.value(QStringLiteral("fill")), fillMethodFromString, s.fill);
  s.feather_px = number("featherPx", s.feather_px);
  DepthShaping& d = params.depth_shaping;
  d.foreground_scale = number("foregroundScale", d.foreground_scale);
  d.edge_dilation_x_px = static_cast<int>(number("edgeDilationPx", d.edge_dilation_x_px));
  d.edge_dilation_y_px = d.edge_dilation_x_px;
  d.clip_low_percent = number("clipLowPercent", d.clip_low_percent);
  d.clip_high_percent = number("clipHighPercent", d.clip_high_percent);
  params.scheduler = enumFromName(map.value(QStringLiteral("scheduler")), schedulerKindFromString,
                                  params.scheduler);
  if (map.contains(QStringLiteral("tiles")))
    params.tiles = map.value(QStringLiteral("tiles")).toBool();
  params.tile_overlap = number("tileOverlap", params.tile_overlap);
  params.tile_feather_px = static_cast<int>(number("tileFeatherPx", params.tile_feather_px));
  params.sampling_steps = static_cast<int>(number("samplingSteps", params.sampling_steps));
  params.guidance = number("guidance", params.guidance);
  params.seed = static_cast<std::int64_t>(number("seed", static_cast<double>(params.seed)));
  return params;
}

QStringList PresetStore::names() {
  QSettings settings;
  settings.beginGroup(kGroup);
  QStringList names;
  for (const QString& key : settings.childGroups()) {
    names << settings.value(key + QStringLiteral("/name"), key).toString();
  }
  names.sort(Qt::CaseInsensitive);
  return names;
}

std::optional<EngineParams> PresetStore::load(const QString& name) {
  QSettings settings;
  settings.beginGroup(kGroup);
  if (!settings.childGroups().contains(keyOf(name))) return std::nullopt;
  settings.beginGroup(keyOf(name));
  QVariantMap map;
  for (const QString& key : settings.childKeys()) map[key] = settings.value(key);
  return presetFromMap(map);
}

void PresetStore::save(const QString& name, const EngineParams& params) {
  QSettings settings;
  settings.beginGroup(kGroup);
  settings.remove(keyOf(name));
  settings.beginGroup(keyOf(name));
  settings.setValue(QStringLiteral("name"), name);
  const QVariantMap map = presetToMap(params);
  for (auto it = map.cbegin(); it != map.cend(); ++it) settings.setValue(it.key(), it.value());
}

bool PresetStore::remove(const QString& name) {
  QSettings settings;
  settings.beginGroup(kGroup);
  if (!settings.childGroups().contains(keyOf(name))) return false;
  settings.remove(keyOf(name));
  return true;
}

}  // namespace genstereo::ui

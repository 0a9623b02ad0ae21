// Named presets of the controls: a few built in ("Comfortable", "Strong 3D", "Paper
// defaults") and the user's own, kept in QSettings under presets/NAME. A preset holds the
// geometry, comfort (convergence mode, percentile, parallax limit, border), synthesis,
// depth-shaping and diffusion controls; not the engine, the map kind, the models or a picked
// screen point (saved as auto convergence), which belong to the photo and the machine.
#pragma once

#include <optional>

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include "engine_types.h"

namespace genstereo::ui {

struct Preset {
  QString name;  // built in: the translated name; user: as typed
  EngineParams params;
  bool is_built_in = false;
};

// The built-in presets, in menu order.
QList<Preset> builtInPresets();

// `current` with the controls that a preset holds taken from `preset`.
EngineParams withPresetApplied(const EngineParams& current, const EngineParams& preset);

// The controls a preset holds, as stable names and numbers (settings, tests), and back; a
// missing or unknown value keeps the one of `base`.
QVariantMap presetToMap(const EngineParams& params);
EngineParams presetFromMap(const QVariantMap& map, const EngineParams& base = EngineParams());

// The user's presets in QSettings (the application's settings).
class PresetStore {
 public:
  static QStringList names();  // sorted
  static std::optional<EngineParams> load(const QString& name);
  static void save(const QString& name, const EngineParams& params);
  static bool remove(const QString& name);  // false when there was none
};

}  // namespace genstereo::ui

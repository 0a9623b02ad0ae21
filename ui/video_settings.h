// The workbench's settings of a video conversion, and the one rule that turns the window's
// controls into the engine's VideoParams (genstereo/video.h). The frame views, the range
// player, the export dialog, the conversion queue and "Copy as command line" all use it, so
// that what the window shows is what `genstereo-cli video` writes.
#pragma once

#include <filesystem>
#include <optional>

#include <QMetaType>
#include <QString>

#include "engine_types.h"
#include "genstereo/video.h"

namespace genstereo::ui {

// What the export dialog and the queue choose for a video (the CLI's video options).
struct VideoExportSettings {
  VideoOutputLayout layout = VideoOutputLayout::kSideBySideFull;
  VideoEncodeSettings encode;  // codec, quality, preset, bit depth, container ("": auto)
  HdrHandling hdr = HdrHandling::kAuto;
  int fps_num = 0;  // 0: the source's timestamps
  int fps_den = 1;
  double start_s = 0.0;
  double end_s = -1.0;  // < 0: to the end
};

// The temporal stack as the window offers it: the converter's defaults, or everything off
// (each frame's own depth range, no flow smoothing, no temporal fill) for the before/after.
TemporalSettings temporalSettingsOf(bool is_temporal_on);

// The window's controls for a video: the engine's video run defaults (videoRunDefaults: a
// fixed screen plane, no per-frame parallax limit, the border filled) in the controls'
// vocabulary. Opening a video puts the controls there.
EngineParams videoDefaultParams(const EngineParams& current);

// The conversion of `input` to `output` with the window's controls. `map`: per-frame maps
// (none: the engine estimates the depth). The engine field and the proxy box are ignored
// (video runs the weight-free synthesis on the depth of every frame).
VideoParams videoParamsOf(const EngineParams& params, bool is_temporal_on,
                          const VideoExportSettings& settings, const std::filesystem::path& input,
                          const std::filesystem::path& output,
                          const std::optional<VideoMapSource>& map);

// The engine options for a video run: the window's model settings (engineOptionsOf).
EngineOptions videoEngineOptionsOf(const ModelSettings& models);

}  // namespace genstereo::ui

Q_DECLARE_METATYPE(genstereo::ui::VideoExportSettings)

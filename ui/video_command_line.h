// "Copy as command line" for a video of the conversion queue: the `genstereo-cli video` call
// (app/cli_video.cpp) that writes what the queue writes for that video and those settings,
// shell-quoted with shellCommandLine (command_line_builder.h). The flags come from the
// VideoParams of videoParamsOf (video_settings.h), the one rule from the window's controls to
// the converter, compared with the video command's defaults; options at their default are
// left out. tests/ui/conversion_queue_test.cpp runs the command with the real genstereo-cli
// and compares its frames with the queue's.
#pragma once

#include <optional>

#include <QString>
#include <QStringList>

#include "engine_types.h"
#include "video_settings.h"

namespace genstereo::ui {

struct VideoCommandInputs {
  QString video_path;
  std::optional<VideoMapSource> map;  // --disparity / --depth (none: --models estimates depth)
  QString output_dir;                 // -o
  bool overwrite = false;             // --overwrite
  int segment_max_frames = 300;       // --segment-frames (the converter's default: left out)
};

// The arguments, program name first: genstereo-cli video VIDEO [--depth MAP | --disparity MAP]
// ... -o DIR. --baseline-scale, --convergence and --border are always written (the window's
// defaults differ from the video command's).
QStringList videoCommandArguments(const EngineParams& params, bool is_temporal_on,
                                  const VideoExportSettings& settings,
                                  const VideoCommandInputs& inputs);

}  // namespace genstereo::ui

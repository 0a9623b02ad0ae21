// "Copy as command line": the genstereo-cli generate call that makes what the workbench shows
// for the current photo and controls, shell-quoted (POSIX sh). tests/ui/command_line_test.cpp
// parses it back with the CLI's own option definitions (app/cli_common.cpp) and runs it.
#pragma once

#include <QString>
#include <QStringList>

#include "engine_types.h"

namespace genstereo::ui {

struct CommandLineInputs {
  QString image_path;
  QString map_path;    // empty: depth estimated from the photo (--models)
  QString output_dir;  // -o
};

// The arguments, program name first: genstereo-cli generate IMAGE [--disparity MAP | --depth
// MAP --depth-kind K] ... -o DIR. Options at their CLI default are left out, except the
// baseline scale, the screen plane (--convergence, --auto-convergence with
// --convergence-percentile, or --screen-point), --parallax-limit and --border, which are
// always written.
QStringList generateCommandArguments(const EngineParams& params, const CommandLineInputs& inputs);

// One argument quoted for a POSIX shell ('...' when it holds anything but [A-Za-z0-9_@%+=:,./-]).
QString shellQuoted(const QString& argument);
// The arguments quoted and joined by spaces.
// Shortest text that reads back as the same double ("0.15", not "0.149999...").
QString cliNumber(double value);
QString shellCommandLine(const QStringList& arguments);

}  // namespace genstereo::ui

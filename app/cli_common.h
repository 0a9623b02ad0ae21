// Pieces the genstereo-cli commands share: options of the engine (registered once, with their
// defaults printed from the engine's own structs), number validation, progress printing and
// the cancel flag that SIGINT/SIGTERM set.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "genstereo/engine.h"
#include "io/disparity_io.h"

namespace genstereo::cli {

// A finite number in [low, high] (CLI::Range lets NaN through).
CLI::Validator finiteIn(double low, double high);

// The options every command that runs the engine takes.
struct EngineCli {
  EngineOptions engine;
  RunParams run;
  DisparityReadOptions read_options;
  std::string models_dir;
  std::string engine_choice = "auto";
  int edge_dilation_px = 0;
  std::vector<double> depth_clip;  // LOW HIGH
  double disparity_divisor = 0.0;  // 0: unset
  bool resize_maps = false;
  std::int64_t max_pixels = 0;  // 0: GENSTEREO_MAX_PIXELS or the default (io/pixel_budget.h)
  // Comfort (docs/comfort.md); their defaults come from run.synthesis as the command set it
  // before addEngineOptions.
  bool auto_convergence = false;
  std::vector<int> screen_point;  // X Y
  CLI::Option* convergence_option = nullptr;
  CLI::Option* baseline_option = nullptr;
  CLI::Option* limit_option = nullptr;
  CLI::Option* auto_option = nullptr;
};

// Registers the options on `command`. `with_geometry`: eye, baseline, convergence, comfort,
// border, depth conversion and estimation (generate, batch; not eval). The comfort and border
// defaults are those of cli.run.synthesis when called.
void addEngineOptions(CLI::App& command, EngineCli& cli, bool with_geometry);

// Fills cli.engine / cli.run from the parsed strings. Throws CLI::ValidationError.
void finishEngineOptions(EngineCli& cli);

// The process-wide cancel token: SIGINT and SIGTERM cancel it; `cancelSignal()` is the signal
// that did (0 if none), for the exit code 128 + signal.
const CancelToken& processCancelToken();
void installCancelSignalHandlers();
int cancelSignal();

// A RunProgressCallback printing "[ 42%] denoising 21/50, 61 s, ETA 84 s" lines on stderr.
RunProgressCallback stderrProgress(bool quiet);

// A seed: a whole number in [0, 2^64 - 1] written in digits ("-1", "1e3" and larger numbers
// are refused instead of wrapping or saturating).
CLI::Validator seedValidator();

// "-": standard output (the JSON of --json, written through, not renamed over).
bool isStandardOutput(const std::filesystem::path& path);

// Refuses (OutputError) a --json destination that exists and is not a regular file (device,
// FIFO, symbolic link, folder) or is one of `inputs` (compared as files, so another spelling
// or a hard link is caught). "-" passes. `option` names the option in the message.
void checkJsonDestination(const std::filesystem::path& path,
                          const std::vector<std::filesystem::path>& inputs,
                          const std::string& option = "--json");

// Writes `text` to `path` atomically (temporary file + rename, never over a device, FIFO,
// link or a protected input), or to standard output for "-".
void writeTextFile(const std::filesystem::path& path, const std::string& text);

}  // namespace genstereo::cli

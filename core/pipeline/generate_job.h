// One `generate` run, from files to files: read the photo and its disparity or depth (or
// none: the engine estimates depth), run the engine, write the views, the intermediates the
// GUI shows (warped view, occlusion mask, fill, fusion weights, disparity) and the composites.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "genstereo/engine.h"
#include "io/disparity_io.h"
#include "io/stereo_export.h"

namespace genstereo {

struct GenerateJob {
  std::filesystem::path image;
  // One source of geometry: a disparity file, a depth file, or neither (the engine estimates
  // depth from the photo).
  std::optional<std::filesystem::path> disparity;
  std::optional<std::filesystem::path> depth;
  // Reading the map file (MapFile::read_options); an unset divisor comes from meta.json beside
  // the map.
  DisparityReadOptions read_options;
  // Everything the engine takes (its geometry is set from the files above), with progress
  // and cancel.
  RunParams run;
  bool export_depth = false;  // write the depth and disparity used (16-bit PNG, PFM, colour
                              // preview) when they come from depth
  std::vector<ExportFormat> formats = {ExportFormat::kSideBySideFull};
  ExportOptions export_options;
  std::filesystem::path out_dir;
  bool write_intermediates = true;
};

struct GenerateReport {
  std::vector<std::filesystem::path> written;
  double seconds = 0.0;
  // Time per stage: reading the inputs, the engine (depth estimation and synthesis within
  // it; 0 depth with a given map), writing.
  double read_seconds = 0.0;
  double engine_seconds = 0.0;
  double depth_seconds = 0.0;
  double synthesis_seconds = 0.0;
  double write_seconds = 0.0;
  std::string engine_description;
  std::vector<std::string> notes;
  int width = 0;
  int height = 0;
  double occluded_fraction = 0.0;  // of the synthesised view
  // Comfort (RunResult's): the parallax budget, what is outside the comfort range (the
  // English sentences of RunResult::comfort_warnings, describeComfortWarning, as the report
  // prints them, and the map file's RunNoteKind::kMapScaleSuspect note), the baseline scale
  // applied, the disparity on the screen plane, the photo's
  // columns kept.
  ParallaxBudget parallax;
  std::vector<std::string> comfort_warnings;
  double baseline_scale = 1.0;
  double screen_disparity_px = 0.0;
  int crop_left_px = 0;
  int crop_right_px = 0;
};

// The job's geometry for the engine: a MapFile (disparity or depth, with job.read_options), or
// EstimatedDepth when no map is given.
GeometrySource geometryOf(const GenerateJob& job);

// Checks the job (inputs exist, one disparity source, parameters in range, output folder
// usable, no output named like a file the job reads in the output folder) before any work.
// Throws InputError / OutputError.
void validateGenerateJob(const GenerateJob& job);

// Reads the inputs (the map by the engine's reader, engine/map_file.h, while the photo is
// decoded), runs `engine`, writes the outputs (never over a file it reads: OutputError).
// Progress and cancel: job.run.
GenerateReport runGenerateJob(StereoEngine& engine, const GenerateJob& job);

}  // namespace genstereo

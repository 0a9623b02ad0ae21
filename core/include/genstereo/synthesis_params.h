// How the new view is made: the eye, the warp, the fill, the border strip, the baseline and the
// screen plane (manual, auto or a picked point) with the parallax limit, and the views a run
// returns. Part of the engine's vocabulary (RunParams, RunResult); the stages that use them
// live in core/stereo (stereo_synthesis.h, occlusion_fill.h, comfort_shaping.h,
// stereo_border.h).
#pragma once

#include <optional>
#include <string>

#include <opencv2/core.hpp>

namespace genstereo {

struct DisparityShaping {
  double baseline_scale = 1.0;  // multiplies every disparity (a wider or narrower baseline)
  // Zero-parallax (screen) plane as a fraction of the largest disparity: 0 keeps the map as
  // it is (official: the farthest point of a depth map sits at zero disparity, everything
  // else comes out of the screen), 0.5 puts surfaces with half the largest disparity on the
  // screen plane, 1 the nearest point. Values outside [0, 1] are allowed.
  double convergence = 0.0;
};

enum class ConvergenceMode {
  kManual,      // DisparityShaping::convergence (official: 0, nothing behind the screen)
  kPercentile,  // zero parallax at ComfortParams::convergence_percentile of the disparity
  kPoint,       // zero parallax at the pixel ComfortParams::screen_point_px ("click a point")
};
const char* toString(ConvergenceMode mode);  // "manual", "auto", "point"
std::optional<ConvergenceMode> convergenceModeFromString(const std::string& text);

struct ComfortParams {
  ConvergenceMode convergence = ConvergenceMode::kManual;
  // kPercentile: the disparity percentile (0 = farthest, 100 = nearest) put on the screen plane.
  double convergence_percentile = 50.0;
  // kPoint: the pixel (x, y) of the input view put on the screen plane.
  cv::Point screen_point_px{0, 0};
  // The parallax range (99th - 1st percentile of the disparity) is narrowed to at most this
  // percentage of the width by scaling the baseline down (never up); 0 = no limit.
  double max_range_percent = 0.0;
};

enum class FillMethod {
  kNone,        // leave holes black (warp only)
  kNaive,       // copy the nearest valid pixel on the background side of the row
  kTelea,       // OpenCV Telea inpainting of the holes (ignores depth)
  kBackground,  // disparity-guided background fill (ours, default)
};

// "none", "naive", "telea", "background" (the command line's --fill names).
const char* toString(FillMethod method);
// Also accepts "warp-only", kNone's name in presets and batch.json written before 0.2.
std::optional<FillMethod> fillMethodFromString(const std::string& text);

struct FillParams {
  double foreground_margin_px = 1.0;  // a neighbour is foreground if its disparity exceeds the
                                      // background's by more than this
  double reach_factor = 2.0;          // hide foreground up to reach_factor * run width away
  int min_reach_px = 4;               // ... and at least this far
  int guard_window_px = 8;            // 2-D foreground guard: half-size of the window
  double row_weight = 0.5;            // share of the row estimate in the hole colour
  int row_samples = 4;                // background pixels averaged for the row estimate
  double vertical_sigma_px = 2.0;     // smoothing of the hole colour along columns
};

enum class BorderMode { kFill, kCrop, kScreen };
const char* toString(BorderMode mode);  // "fill", "crop", "screen"
std::optional<BorderMode> borderModeFromString(const std::string& text);

// Which view is synthesised from the input photo.
enum class SynthesisEye {
  kRight,  // the photo is the left view; synthesise the right one (as the paper)
  kLeft,   // the photo is the right view; synthesise the left one
  kBoth,   // the photo is the centre; synthesise both with half the disparity each way
};

const char* toString(SynthesisEye eye);  // "right", "left", "both"
std::optional<SynthesisEye> synthesisEyeFromString(const std::string& text);

// How pixels move to the new view.
enum class WarpMode {
  kInteger,   // official GenStereo: whole pixels, rounded disparity (parity mode)
  kSubpixel,  // sub-pixel: exact position, linear interpolation (quality default)
};

const char* toString(WarpMode mode);  // "integer", "subpixel"
std::optional<WarpMode> warpModeFromString(const std::string& text);

struct SynthesisParams {
  DisparityShaping shaping;  // baseline scale and convergence
  // Auto convergence and the parallax limit (neutral by default: the official geometry;
  // comfortableSettings() is what clients offer by default). docs/comfort.md.
  ComfortParams comfort;
  BorderMode border = BorderMode::kFill;  // the strip no input pixel reaches
  SynthesisEye eye = SynthesisEye::kRight;
  WarpMode warp = WarpMode::kSubpixel;
  FillMethod fill = FillMethod::kBackground;
  FillParams fill_params;
  double feather_px = 2.0;  // seam blend width; 0 = hard mask
};

// One synthesised view and every intermediate the GUI shows.
struct SynthesizedView {
  cv::Mat warped;         // CV_32FC3 [0,1], holes black
  cv::Mat valid;          // CV_8UC1 1 = a source pixel landed (0 = occlusion/hole)
  cv::Mat filled;         // CV_32FC3 [0,1], holes filled, no blending
  cv::Mat fusion_weight;  // CV_32FC1 [0,1], share of the warped pixel in the final view
  cv::Mat view;           // CV_32FC3 [0,1], the final view
  cv::Mat disparity_px;   // CV_32FC1, disparity of the new view (holes: background's)
};

}  // namespace genstereo

// Requests and results exchanged between the window and the engine thread.
// Images inside: cv::Mat CV_32FC3 BGR [0, 1] (engine convention) and, for display, QImage
// RGB888 converted once per result in the engine thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <QImage>
#include <QMetaType>
#include <QSize>
#include <QString>
#include <QStringList>

#include <opencv2/core.hpp>

#include "genstereo/engine.h"
#include "genstereo/video.h"
#include "io/map_discovery.h"
#include "stereo/comfort_shaping.h"
#include "stereo/disparity_map.h"
#include "stereo/parallax_budget.h"
#include "stereo/stereo_border.h"

namespace genstereo::ui {

// Which engine synthesises the new view.
enum class EngineKind {
  kWeightFree,  // warp + disparity-guided fill + seam blend (genstereo_core)
  kDiffusion,   // the GenStereo diffusion model (genstereo_nn; needs the weights)
};

// Where the models are and how to run them (the Preferences; read from AppSettings by the
// window for every request).
struct ModelSettings {
  QString folder;                            // the models folder (README.md, "Model weights")
  QString variant = QStringLiteral("sd21");  // GenStereo "sd21" (768 px) or "sd15" (512 px)
  QString device = QStringLiteral("cpu");    // "cpu" or "cuda"
  QString dtype;  // "auto", "float32", "bfloat16", "float16"; empty: the Preferences' choice
  QString depth_model_size = QStringLiteral("auto");  // "auto", "vits", "vitb", "vitl"
};

// The controls of the window, as the engine reads them.
struct EngineParams {
  EngineKind engine = EngineKind::kWeightFree;
  double baseline_scale = 1.0;
  double convergence = 0.0;
  MapKind map_kind = MapKind::kDisparity;  // genstereo::MapKind (io/map_discovery.h)
  double max_disparity_fraction = 0.15;    // depth maps: nearest pixel's disparity / width
  // A map of another size than the photo: refused (the engine's error names both sizes) or
  // resized by the engine (EngineResult::notes says so).
  MapSizePolicy map_size = MapSizePolicy::kRefuse;
  // Comfort (docs/comfort.md): where the screen plane lies (convergence above applies to
  // ConvergenceMode::kManual only), the parallax range limit and the border strip. The
  // workbench starts with generate's comfortable settings, not the engine's neutral ones.
  ComfortParams comfort = comfortableSettings();
  BorderMode border = BorderMode::kScreen;
  // The CLI's other controls, as the engine takes them: eye, warp, fill, feather
  // (synthesis.shaping, .comfort and .border are ignored: the fields above) and depth shaping.
  SynthesisParams synthesis;
  DepthShaping depth_shaping;
  // Diffusion engine settings (the weight-free engine has no use for them).
  SchedulerKind scheduler = SchedulerKind::kDdim;
  int sampling_steps = 50;
  double guidance = 1.5;
  std::int64_t seed = 0;
  // Full resolution in model-size patches (DiffusionSettings::tiles, docs/diffusion.md).
  bool tiles = false;
  double tile_overlap = 0.5;
  int tile_feather_px = 0;  // 0: the official straight seams
  ModelSettings models;
  // Live preview during a drag: run on a proxy of the photo that fits this box (device
  // pixels of the view on screen, see preview_proxy.h); empty: the full resolution.
  QSize proxy_box_px;
  // A video frame: the temporal stack (range stabiliser, flow smoothing, temporal fill) on,
  // or off for the before/after (video_settings.h). Photos ignore it.
  bool is_temporal_on = true;
};

// A frame of a video to show (LoadRequest::video): the frame at or after `time_s`.
struct VideoFrameRequest {
  double time_s = 0.0;
  std::optional<VideoMapSource> map;  // per-frame maps; none: the engine estimates the depth
  // Where the frame renders keep their depth caches (the window's cache folder).
  std::filesystem::path work_dir;
};

// The video an InputData's frame belongs to.
struct VideoFrameInput {
  double time_s = 0.0;  // of the frame shown
  std::int64_t frame_estimate = 0;
  std::shared_ptr<const VideoSourceInfo> source;
  std::optional<VideoMapSource> map;
  std::filesystem::path work_dir;
};

// What to read: a photo and, optionally, its disparity or depth map.
struct LoadRequest {
  QString image_path;
  QString map_path;  // empty: none
  std::optional<double> png_divisor;
  std::optional<VideoFrameRequest> video;  // image_path is a video: read this frame of it
};

// A photo and its map, read by the engine thread.
struct InputData {
  QString image_path;
  QString map_path;  // empty: none
  cv::Mat image;     // CV_32FC3 BGR [0, 1]
  QImage image_qimage;
  // A stereo file (MPO, JPS: io/stereo_file_reader.h): `image` is its left view and this its
  // real right view, the truth that before/after and the pixel inspector compare the generated
  // right view with. Empty for other photos.
  cv::Mat real_right;  // CV_32FC3 BGR [0, 1], the size of `image`
  QImage real_right_qimage;
  std::optional<DisparityMap> map;  // raw values of the file (disparity or depth); none:
                                    // the engine estimates the depth (Depth Anything V2)
  // A frame of the video image_path (image: that frame): its runs render it as the video
  // converter does (renderVideoFrame), with its temporal window.
  std::optional<VideoFrameInput> video;
};

// One synthesis: every intermediate as the engine returns it and as the views show it.
struct EngineResult {
  std::uint64_t request_id = 0;
  double elapsed_ms = 0.0;
  // A proxy result (EngineParams::proxy_box_px): smaller than the photo, shown stretched by
  // display_scale (photo width / proxy width) and never exported.
  bool is_proxy = false;
  double display_scale = 1.0;
  EngineParams params;
  cv::Mat left;                     // CV_32FC3 BGR [0, 1]
  cv::Mat right;                    // CV_32FC3 BGR [0, 1]
  cv::Mat disparity_px;             // CV_32FC1, shaped disparity of the input (left) view
  bool is_depth_estimated = false;  // the photo had no map: its depth was estimated
  QString engine_description;       // the engine's, e.g. "weight-free (sub-pixel warp, ...)"
  QStringList notes;                // the engine's notes (a map resized, ...; English)
  cv::Mat valid;                    // CV_8UC1, right view: 1 = a source pixel landed
  cv::Mat fusion_weight;            // CV_32FC1 [0, 1], right view: share of the warped pixel
  double disparity_min_px = 0.0;
  double disparity_max_px = 0.0;
  double occluded_fraction = 0.0;
  // The parallax budget of the pair as made (in % of the width, so a proxy's stands for the
  // photo's), what is outside the comfort range (empty: comfortable; the Comfort group words
  // it) and the baseline scale applied (the parallax limit may have narrowed it).
  ParallaxBudget parallax;
  std::vector<ComfortWarning> comfort_warnings;
  double applied_baseline_scale = 1.0;
  // The disparity moved to the screen plane (pixels of this result): with disparity_max_px,
  // where auto convergence or a picked point put the plane as a manual convergence value.
  double screen_disparity_px = 0.0;
  // BorderMode::kCrop: the first column of the input kept (pixels of this result); every
  // image below but `input` starts there. 0 otherwise.
  int first_column_px = 0;
  QImage input;
  QImage disparity_color;  // colour-mapped disparity_px (see image_conversion.h)
  QImage warped;
  QImage occlusion_mask;  // white = hole
  QImage fusion_heat;     // heat map of fusion_weight
  QImage filled;          // generated view before fusion
  QImage final_view;      // the final right view
  // A video frame's result (InputData::video): the frame's time in the source and whether it
  // was rendered as the file will hold it (renderVideoFrame; a proxy is rendered from the
  // frame's filtered depth without the temporal fill).
  std::optional<double> video_time_s;
};

using InputDataPtr = std::shared_ptr<const InputData>;
using EngineResultPtr = std::shared_ptr<const EngineResult>;

}  // namespace genstereo::ui

Q_DECLARE_METATYPE(genstereo::ui::LoadRequest)
Q_DECLARE_METATYPE(genstereo::ui::EngineParams)
Q_DECLARE_METATYPE(genstereo::ui::InputDataPtr)
Q_DECLARE_METATYPE(genstereo::ui::EngineResultPtr)

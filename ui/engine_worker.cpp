#include "engine_worker.h"

#include <algorithm>
#include <new>
#include <string>
#include <utility>

#include <QElapsedTimer>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "app_settings.h"
#include "errors.h"
#include "eye_labels.h"
#include "image_conversion.h"
#include "io/disparity_io.h"
#include "io/image_io.h"
#include "video/media_source.h"
#include "video_settings.h"

namespace genstereo::ui {

namespace fs = std::filesystem;

namespace {

fs::path toPath(const QString& path) { return fs::path(path.toStdString()); }

DepthModelSize depthModelSizeOf(const QString& name) {
  return parseDepthModelSize(name.toStdString()).value_or(DepthModelSize::kAuto);
}

// The options the engine is built from (the ones the window sets).
bool isSameEngine(const EngineOptions& a, const EngineOptions& b) {
  return a.models_dir == b.models_dir && a.variant == b.variant && a.device == b.device &&
         a.dtype == b.dtype && a.depth_model == b.depth_model && a.threads == b.threads;
}

// A note of the engine as the window shows it (translated); empty: not shown. The narrowed
// baseline is the Comfort group's readout (applied_baseline_scale), not a banner on almost
// every photo (main_window_test's loadsTheSample).
QString noteText(const RunNote& note) {
  const auto value = [&note](size_t i) { return i < note.values.size() ? note.values[i] : 0.0; };
  switch (note.kind) {
    case RunNoteKind::kMapResized: {
      const QString text = EngineWorker::tr("%1 (%2x%3) was resized to the photo's %4x%5")
                               .arg(QString::fromStdString(note.subject))
                               .arg(qRound(value(0)))
                               .arg(qRound(value(1)))
                               .arg(qRound(value(2)))
                               .arg(qRound(value(3)));
      return value(4) != 0.0
                 ? EngineWorker::tr("%1, its disparities scaled by the width ratio").arg(text)
                 : text;
    }
    case RunNoteKind::kBaselineNarrowed:
      return QString();
    case RunNoteKind::kMapScaleSuspect:
      return EngineWorker::tr(
                 "Disparities of %1 beyond the image width (%2 % of the valid pixels, largest "
                 "%3 px, for a map %4 px wide): those pixels leave the picture; is the map's "
                 "scale right?")
          .arg(QString::fromStdString(note.subject))
          .arg(value(0), 0, 'f', 1)
          .arg(value(1), 0, 'g', 4)
          .arg(qRound(value(2)));
    case RunNoteKind::kSlowBFloat16:
      return EngineWorker::tr(
          "bfloat16 on this CPU (no AVX512-BF16 or AMX-BF16) is emulated and will be slow; the "
          "automatic precision picks float32 here");
  }
  return QString::fromStdString(describeRunNote(note));
}

double elapsedMs(const QElapsedTimer& timer) {
  return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

}  // namespace

EngineOptions engineOptionsOf(const ModelSettings& models) {
  EngineOptions options;
  if (!models.folder.isEmpty()) options.models_dir = toPath(models.folder);
  options.variant =
      variantFromString(models.variant.toStdString()).value_or(GenStereoVariant::kSd21);
  options.device = models.device.isEmpty() ? std::string("cpu") : models.device.toStdString();
  options.depth_model = depthModelSizeOf(models.depth_model_size);
  const QString dtype = models.dtype.isEmpty() ? AppSettings::computeDtype() : models.dtype;
  options.dtype = computeDtypeFromString(dtype.toStdString()).value_or(ComputeDtype::kAuto);
  options.threads = 0;  // every core
  return options;
}

RunParams runParamsOf(const EngineParams& params, const InputData& input) {
  RunParams run;
  run.engine = params.engine == EngineKind::kDiffusion ? EngineChoice::kDiffusion
                                                       : EngineChoice::kWeightFree;
  run.synthesis = params.synthesis;
  run.depth_shaping = params.depth_shaping;
  run.synthesis.shaping.baseline_scale = params.baseline_scale;
  run.synthesis.shaping.convergence = params.convergence;
  run.synthesis.comfort = params.comfort;
  run.synthesis.border = params.border;
  run.depth_conversion.max_disparity_fraction = params.max_disparity_fraction;
  run.map_size = params.map_size;
  run.diffusion.scheduler = params.scheduler;
  run.diffusion.tiles = params.tiles;
  run.diffusion.tile_overlap = params.tile_overlap;
  run.diffusion.tile_feather_px = params.tile_feather_px;
  run.diffusion.steps = params.sampling_steps;
  run.diffusion.guidance_scale = params.guidance;
  run.diffusion.seed = static_cast<std::uint64_t>(params.seed);
  if (!input.map) {
    run.geometry = EstimatedDepth{};  // Depth Anything V2: relative inverse depth
    run.depth_conversion.kind = DepthKind::kInverse;
    return run;
  }
  const std::string origin = "'" + input.map_path.toStdString() + "'";
  if (params.map_kind == MapKind::kDisparity) {
    run.geometry = DisparityInput{*input.map, origin};
  } else {
    run.geometry = DepthInput{*input.map, origin};
    run.depth_conversion.kind =
        params.map_kind == MapKind::kMetricDepth ? DepthKind::kMetric : DepthKind::kInverse;
  }
  return run;
}

QString EngineWorker::stageText(const RunProgress& progress, SynthesisEye eye) {
  switch (progress.stage) {
    case RunStage::kLoadingModels:
      return tr("Loading the models…");
    case RunStage::kEstimatingDepth:
      return tr("Estimating depth…");
    case RunStage::kPreparing:
      return tr("Preparing the disparity");
    case RunStage::kSynthesizing:
      return eyeLabel(EyeLabel::kSynthesizingStage, eye);
    case RunStage::kDenoising:
      if (progress.total > 0 && progress.step >= progress.total) {
        return tr("Decoding the generated view");
      }
      return tr("Denoising step %1 of %2").arg(progress.step + 1).arg(progress.total);
    case RunStage::kDone:
      return tr("Preparing the views");
  }
  return QString();
}

EngineWorker::EngineWorker(std::shared_ptr<const std::atomic<std::uint64_t>> latest_synthesis_id)
    : latest_synthesis_id_(std::move(latest_synthesis_id)) {}

EngineWorker::~EngineWorker() = default;

StereoEngine& EngineWorker::engineFor(const EngineOptions& options) {
  if (engine_ && isSameEngine(engine_->options(), options)) return *engine_;
  engine_.reset();  // free the old models before the new engine loads its own
  engine_ = std::make_unique<StereoEngine>(options);
  return *engine_;
}

void EngineWorker::synthesize(quint64 id, const InputDataPtr& input, const EngineParams& params,
                              const CancelToken& cancel) {
  if (id != latest_synthesis_id_->load()) return;  // a newer request is queued behind this one
  QElapsedTimer timer;
  timer.start();
  emit started(id);
  if (input->video) {
    synthesizeVideoFrame(id, input, params, cancel, timer);
    return;
  }
  try {
    if (cancel.isCancelled()) throw CancelledError();
    StereoEngine& engine = engineFor(engineOptionsOf(params.models));
    // The engine makes the live preview's proxy itself (RunParams::preview_box_px: the photo,
    // its map or its estimated depth at the size of the view) and keeps the depth it estimated
    // for a photo without a map (EngineOptions::depth_cache_photos).
    RunParams run = runParamsOf(params, *input);
    if (!params.proxy_box_px.isEmpty()) {
      run.preview_box_px = cv::Size(params.proxy_box_px.width(), params.proxy_box_px.height());
    }
    run.cancel = cancel;
    run.on_progress = [&](const RunProgress& progress) {
      emit stageReported(id, static_cast<int>(progress.stage), progress.step, progress.total);
      emit progressed(id, progress.fraction, stageText(progress, params.synthesis.eye),
                      elapsedMs(timer));
    };
    RunResult ran = engine.run(input->image, run);
    if (cancel.isCancelled()) throw CancelledError();

    std::shared_ptr<EngineResult> result =
        resultOf(ran, ran.is_preview ? previewImageOf(ran.photo) : input->image_qimage);
    result->request_id = id;
    result->params = params;
    result->is_proxy = ran.is_preview;
    result->display_scale = static_cast<double>(input->image.cols) / std::max(1, ran.photo.cols);
    result->is_depth_estimated = !input->map;
    if (cancel.isCancelled()) throw CancelledError();
    result->elapsed_ms = elapsedMs(timer);
    emit finished(id, result);
  } catch (const CancelledError&) {
    emit cancelled(id);
  } catch (const std::bad_alloc&) {
    emit failed(id, tr("Not enough memory for an image of this size."));
  } catch (const std::exception& error) {
    emit failed(id, QString::fromStdString(error.what()));
  }
}

QImage EngineWorker::previewImageOf(const cv::Mat& photo) {
  // The engine keeps the previews of a photo (the budget's few sizes), so a drag gives the same
  // buffer again: converted once.
  if (photo.data != preview_photo_.data || photo.size() != preview_photo_.size()) {
    preview_photo_ = photo;
    preview_image_ = toQImage(photo);
  }
  return preview_image_;
}

std::shared_ptr<EngineResult> EngineWorker::resultOf(const RunResult& ran,
                                                     const QImage& input_image) {
  auto result = std::make_shared<EngineResult>();
  result->left = ran.left;
  result->right = ran.right;
  result->disparity_px = ran.disparity_px;
  result->engine_description = QString::fromStdString(ran.engine_description);
  for (const RunNote& note : ran.notes) {
    const QString text = noteText(note);
    if (!text.isEmpty()) result->notes << text;
  }
  const SynthesizedView& view = ran.synthesized;
  result->valid = view.valid;
  result->fusion_weight = view.fusion_weight;
  cv::minMaxLoc(ran.disparity_px, &result->disparity_min_px, &result->disparity_max_px);
  result->parallax = ran.parallax;
  result->comfort_warnings = ran.comfort_warnings;
  result->applied_baseline_scale = ran.baseline_scale;
  result->screen_disparity_px = ran.screen_disparity_px;
  result->first_column_px = ran.columns == cv::Range::all() ? 0 : ran.columns.start;
  result->occluded_fraction = 1.0 - static_cast<double>(cv::countNonZero(view.valid)) /
                                        static_cast<double>(view.valid.total());
  result->input = input_image;
  result->disparity_color = colorMapped(ran.disparity_px, result->disparity_min_px,
                                        result->disparity_max_px, ColorMap::kTurbo);
  result->warped = toQImage(view.warped);
  result->occlusion_mask = holesToQImage(view.valid);
  result->fusion_heat = colorMapped(view.fusion_weight, 0.0, 1.0, ColorMap::kInferno);
  result->filled = toQImage(view.filled);
  result->final_view = toQImage(view.view);
  return result;
}

void EngineWorker::synthesizeVideoFrame(quint64 id, const InputDataPtr& input,
                                        const EngineParams& params, const CancelToken& cancel,
                                        const QElapsedTimer& timer) {
  try {
    if (cancel.isCancelled()) throw CancelledError();
    StereoEngine& engine = engineFor(engineOptionsOf(params.models));
    const VideoFrameInput& video = *input->video;
    const fs::path path = toPath(input->image_path);
    VideoParams vp = videoParamsOf(params, params.is_temporal_on, VideoExportSettings{}, path,
                                   fs::path(), video.map);
    vp.work_dir = video.work_dir;
    vp.run.cancel = cancel;
    const std::filesystem::path map_path = video.map ? video.map->path : std::filesystem::path();
    const bool is_kept = video_depth_ && video_depth_->video == input->image_path &&
                         video_depth_->time_s == video.time_s &&
                         video_depth_->is_temporal_on == params.is_temporal_on &&
                         video_depth_->map == map_path;
    const cv::Size proxy_size = proxySizeOf(input->image.size(), params.proxy_box_px);
    const bool is_proxy =
        !params.proxy_box_px.isEmpty() && is_kept && proxy_size.area() < input->image.size().area();
    std::shared_ptr<EngineResult> result;
    if (is_proxy) {
      cv::Mat image01;
      cv::resize(video_depth_->image01, image01, proxy_size, 0, 0, cv::INTER_AREA);
      const RunResult ran =
          renderVideoFrameFromDepth(engine, vp.run, image01, video_depth_->depth01);
      result = resultOf(ran, toQImage(image01));
    } else {
      vp.on_progress = [&](const VideoProgress& progress) {
        const double fraction =
            progress.total > 0 ? static_cast<double>(progress.frame) / progress.total : 0.0;
        const double overall =
            progress.pass == VideoProgress::Pass::kDepth ? 0.8 * fraction : 0.8 + 0.2 * fraction;
        const QString stage = progress.pass == VideoProgress::Pass::kDepth
                                  ? tr("Depth of the frame's temporal window: frame %1 of %2")
                                        .arg(progress.frame)
                                        .arg(progress.total)
                                  : tr("Rendering the frame after its temporal warm-up");
        emit progressed(id, std::min(overall, 0.99), stage, elapsedMs(timer));
      };
      VideoFrameResult frame = renderVideoFrame(engine, vp, video.time_s);
      video_depth_ = VideoFrameDepth{input->image_path, video.time_s,  params.is_temporal_on,
                                     map_path,          frame.image01, frame.depth01};
      result = resultOf(frame.result, input->image_qimage);
    }
    if (cancel.isCancelled()) throw CancelledError();
    result->request_id = id;
    result->params = params;
    result->is_proxy = is_proxy;
    result->display_scale = static_cast<double>(input->image.cols) / std::max(1, result->left.cols);
    result->is_depth_estimated = !video.map;
    result->video_time_s = video.time_s;
    result->elapsed_ms = elapsedMs(timer);
    emit finished(id, result);
  } catch (const CancelledError&) {
    emit cancelled(id);
  } catch (const std::bad_alloc&) {
    emit failed(id, tr("Not enough memory for a frame of this size."));
  } catch (const std::exception& error) {
    emit failed(id, QString::fromStdString(error.what()));
  }
}

}  // namespace genstereo::ui

#include "engine_worker.h"

#include <algorithm>
#include <filesystem>
#include <new>
#include <string>

#include <QElapsedTimer>
#include <QThread>

#include <opencv2/core.hpp>

#include "errors.h"
#include "image_conversion.h"
#include "input_discovery.h"
#include "io/image_io.h"
#include "nn/depth_estimator.h"
// LibTorch names a member `slots`, which Qt defines as a keyword macro.
#pragma push_macro("slots")
#undef slots
#include "nn/diffusion_engine.h"
#pragma pop_macro("slots")
#include "stereo/disparity_preparation.h"
#include "stereo/stereo_synthesis.h"

namespace genstereo::ui {

namespace fs = std::filesystem;

namespace {

constexpr int kSynthesisSteps = 3;

fs::path toPath(const QString& path) { return fs::path(path.toStdString()); }

// The depth checkpoint the settings point at (InputError naming the file expected when absent).
fs::path depthCheckpoint(const ModelSettings& models) {
  const DepthModelSize size =
      parseDepthModelSize(models.depth_model_size.toStdString()).value_or(DepthModelSize::kAuto);
  return findDepthCheckpoint(toPath(models.folder), size);
}

// What the cached depth belongs to: the photo (path and size) and the checkpoint.
QString depthKey(const InputData& input, const fs::path& checkpoint) {
  return QStringLiteral("%1\n%2x%3\n%4")
      .arg(input.image_path)
      .arg(input.image.cols)
      .arg(input.image.rows)
      .arg(QString::fromStdString(checkpoint.string()));
}

void throwIfCancelled(const std::atomic<bool>& cancel) {
  if (cancel.load()) throw CancelledError();
}

}  // namespace

EngineWorker::EngineWorker(std::shared_ptr<const std::atomic<std::uint64_t>> latest_synthesis_id)
    : latest_synthesis_id_(std::move(latest_synthesis_id)) {}

EngineWorker::~EngineWorker() = default;

DiffusionEngine& EngineWorker::diffusionEngine(const ModelSettings& models) {
  const QString key =
      models.folder + QLatin1Char('\n') + models.variant + QLatin1Char('\n') + models.device;
  if (diffusion_ && key == diffusion_key_) return *diffusion_;
  diffusion_.reset();  // free the old models before loading the new ones
  diffusion_key_.clear();
  DiffusionEngineOptions options;
  options.models_dir = toPath(models.folder);
  options.variant = parseVariant(models.variant.toStdString());
  options.device = models.device.toStdString();
  options.threads = QThread::idealThreadCount();
  diffusion_ = std::make_unique<DiffusionEngine>(options);
  diffusion_key_ = key;
  return *diffusion_;
}

bool EngineWorker::needsDepthEstimate(const InputData& input, const ModelSettings& models) const {
  if (input.map) return false;
  try {
    return depth_.empty() || depthKey(input, depthCheckpoint(models)) != depth_key_;
  } catch (const InputError&) {
    return true;  // no checkpoint: estimatedDepth reports it
  }
}

cv::Mat EngineWorker::estimatedDepth(const InputData& input, const ModelSettings& models) {
  const fs::path checkpoint = depthCheckpoint(models);
  const QString checkpoint_text = QString::fromStdString(checkpoint.string());
  const QString key = depthKey(input, checkpoint);
  if (!depth_.empty() && key == depth_key_) return depth_;
  if (!depth_estimator_ || depth_estimator_key_ != checkpoint_text) {
    depth_estimator_.reset();
    depth_estimator_key_.clear();
    DepthModelOptions options;
    options.checkpoint = checkpoint;
    options.size =
        parseDepthModelSize(models.depth_model_size.toStdString()).value_or(DepthModelSize::kAuto);
    options.num_threads = QThread::idealThreadCount();
    depth_estimator_ = std::make_unique<DepthEstimator>(options);
    depth_estimator_key_ = checkpoint_text;
  }
  depth_ = depth_estimator_->estimateDepth(input.image);
  depth_key_ = key;
  return depth_;
}

void EngineWorker::load(quint64 id, const LoadRequest& request) {
  try {
    auto input = std::make_shared<InputData>();
    input->image_path = request.image_path;
    input->map_path = request.map_path;
    input->image = readImage(toPath(request.image_path));
    input->image_qimage = toQImage(input->image);
    if (!request.map_path.isEmpty()) {
      const fs::path map_path = toPath(request.map_path);
      DisparityReadOptions options;
      options.png_divisor =
          request.png_divisor ? request.png_divisor : readPngDivisor(map_path.parent_path());
      DisparityMap map = readDisparity(map_path, options);
      if (map.values.size() != input->image.size()) {
        throw InputError("'" + map_path.string() + "' is " + std::to_string(map.width()) + "x" +
                         std::to_string(map.height()) + " but the image '" +
                         request.image_path.toStdString() + "' is " +
                         std::to_string(input->image.cols) + "x" +
                         std::to_string(input->image.rows) + "; they must have the same size");
      }
      input->map = std::move(map);
    }
    emit loaded(id, input);
  } catch (const std::bad_alloc&) {
    emit loadFailed(id, tr("Not enough memory to read '%1'.").arg(request.image_path));
  } catch (const std::exception& error) {
    emit loadFailed(id, QString::fromStdString(error.what()));
  }
}

void EngineWorker::synthesize(quint64 id, const InputDataPtr& input, const EngineParams& params,
                              const std::shared_ptr<std::atomic<bool>>& cancel) {
  if (id != latest_synthesis_id_->load()) return;  // a newer request is queued behind this one
  QElapsedTimer timer;
  timer.start();
  emit started(id);
  try {
    throwIfCancelled(*cancel);
    const bool is_diffusion = params.engine == EngineKind::kDiffusion;
    const bool is_estimating = needsDepthEstimate(*input, params.models);
    // Weight-free: [estimating depth,] preparing, synthesising, preparing the views. Diffusion:
    // the denoising steps; the stages before them show as step 1.
    const int total = is_diffusion ? std::max(1, params.sampling_steps)
                                   : kSynthesisSteps + (is_estimating ? 1 : 0);
    int step = 0;
    const auto stage = [&](const QString& name) {
      step = is_diffusion ? 1 : step + 1;
      emit progressed(id, step, total, name, static_cast<double>(timer.nsecsElapsed()) / 1e6);
    };

    DisparityMap disparity;
    MapKind map_kind = params.map_kind;
    if (input->map) {
      disparity = *input->map;
    } else {
      if (is_estimating) stage(tr("Estimating depth…"));
      disparity = makeDisparityMap(estimatedDepth(*input, params.models).clone());
      map_kind = MapKind::kInverseDepth;  // Depth Anything: relative inverse depth
      throwIfCancelled(*cancel);
    }
    RightViewSynthesizer synthesizer;
    if (is_diffusion) {
      if (!diffusion_) stage(tr("Loading the diffusion models…"));
      DiffusionEngine& engine = diffusionEngine(params.models);
      throwIfCancelled(*cancel);
      DiffusionParams diffusion;
      diffusion.steps = total;
      diffusion.guidance_scale = params.guidance;
      diffusion.seed = static_cast<std::uint64_t>(params.seed);
      RightViewSynthesizer denoise = engine.synthesizer(
          diffusion,
          [&](const DiffusionProgress& progress) {
            if (progress.step >= progress.total) return;  // decoding follows
            emit progressed(
                id, progress.step + 1, progress.total,
                tr("Denoising step %1 of %2").arg(progress.step + 1).arg(progress.total),
                static_cast<double>(timer.nsecsElapsed()) / 1e6);
          },
          cancel.get());
      synthesizer = [&, denoise](const cv::Mat& left, const cv::Mat& dense_disparity) {
        emit progressed(id, 1, total, tr("Denoising step %1 of %2").arg(1).arg(total),
                        static_cast<double>(timer.nsecsElapsed()) / 1e6);
        return denoise(left, dense_disparity);
      };
    }
    if (!is_diffusion) stage(tr("Preparing the disparity"));
    if (map_kind != MapKind::kDisparity) {
      DepthConversion conversion;
      conversion.kind =
          map_kind == MapKind::kMetricDepth ? DepthKind::kMetric : DepthKind::kInverse;
      conversion.max_disparity_fraction = params.max_disparity_fraction;
      disparity = depthToDisparity(disparity, conversion);
    }
    SynthesisParams synthesis;
    synthesis.shaping.baseline_scale = params.baseline_scale;
    synthesis.shaping.convergence = params.convergence;
    const StereoResult stereo = synthesizeStereo(
        input->image, disparity, synthesis,
        [&](const Progress& progress) {
          if (progress.step == 1 && !is_diffusion) stage(tr("Synthesising the right view"));
        },
        cancel.get(), synthesizer);
    throwIfCancelled(*cancel);
    if (is_diffusion) {
      emit progressed(id, total, total, tr("Preparing the views"),
                      static_cast<double>(timer.nsecsElapsed()) / 1e6);
    } else {
      stage(tr("Preparing the views"));
    }

    auto result = std::make_shared<EngineResult>();
    result->request_id = id;
    result->params = params;
    result->left = stereo.left;
    result->right = stereo.right;
    result->disparity_px = stereo.disparity_px;
    result->is_depth_estimated = !input->map;
    result->valid = stereo.synthesized.valid;
    result->fusion_weight = stereo.synthesized.fusion_weight;
    cv::minMaxLoc(stereo.disparity_px, &result->disparity_min_px, &result->disparity_max_px);
    result->occluded_fraction = 1.0 - static_cast<double>(cv::countNonZero(result->valid)) /
                                          static_cast<double>(result->valid.total());
    result->input = input->image_qimage;
    result->disparity_color = colorMapped(stereo.disparity_px, result->disparity_min_px,
                                          result->disparity_max_px, ColorMap::kTurbo);
    result->warped = toQImage(stereo.synthesized.warped);
    result->occlusion_mask = holesToQImage(stereo.synthesized.valid);
    result->fusion_heat =
        colorMapped(stereo.synthesized.fusion_weight, 0.0, 1.0, ColorMap::kInferno);
    result->filled = toQImage(stereo.synthesized.filled);
    result->final_view = toQImage(stereo.synthesized.view);
    throwIfCancelled(*cancel);
    result->elapsed_ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    emit finished(id, result);
  } catch (const CancelledError&) {
    emit cancelled(id);
  } catch (const std::bad_alloc&) {
    emit failed(id, tr("Not enough memory for an image of this size."));
  } catch (const std::exception& error) {
    emit failed(id, QString::fromStdString(error.what()));
  }
}

}  // namespace genstereo::ui

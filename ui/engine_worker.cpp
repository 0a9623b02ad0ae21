#include "engine_worker.h"

#include <filesystem>
#include <new>
#include <string>

#include <QElapsedTimer>

#include <opencv2/core.hpp>

#include "errors.h"
#include "image_conversion.h"
#include "input_discovery.h"
#include "io/image_io.h"
#include "stereo/disparity_preparation.h"
#include "stereo/stereo_synthesis.h"

namespace genstereo::ui {

namespace fs = std::filesystem;

namespace {

constexpr int kSynthesisSteps = 3;

fs::path toPath(const QString& path) { return fs::path(path.toStdString()); }

void throwIfCancelled(const std::atomic<bool>& cancel) {
  if (cancel.load()) throw CancelledError();
}

}  // namespace

EngineWorker::EngineWorker(std::shared_ptr<const std::atomic<std::uint64_t>> latest_synthesis_id)
    : latest_synthesis_id_(std::move(latest_synthesis_id)) {}

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
    if (params.engine == EngineKind::kDiffusion) {
      throw InputError("the diffusion engine needs GenStereo weights (see README)");
    }
    if (!input->map) throw InputError("no disparity or depth map to synthesise from");
    emit progressed(id, 1, kSynthesisSteps, tr("Preparing the disparity"),
                    static_cast<double>(timer.nsecsElapsed()) / 1e6);
    DisparityMap disparity = *input->map;
    if (params.map_kind != MapKind::kDisparity) {
      DepthConversion conversion;
      conversion.kind =
          params.map_kind == MapKind::kMetricDepth ? DepthKind::kMetric : DepthKind::kInverse;
      conversion.max_disparity_fraction = params.max_disparity_fraction;
      disparity = depthToDisparity(disparity, conversion);
    }
    SynthesisParams synthesis;
    synthesis.shaping.baseline_scale = params.baseline_scale;
    synthesis.shaping.convergence = params.convergence;
    const StereoResult stereo = synthesizeStereo(
        input->image, disparity, synthesis,
        [&](const Progress& progress) {
          if (progress.step == 1) {
            emit progressed(id, 2, kSynthesisSteps, tr("Synthesising the right view"),
                            static_cast<double>(timer.nsecsElapsed()) / 1e6);
          }
        },
        cancel.get());
    throwIfCancelled(*cancel);
    emit progressed(id, 3, kSynthesisSteps, tr("Preparing the views"),
                    static_cast<double>(timer.nsecsElapsed()) / 1e6);

    auto result = std::make_shared<EngineResult>();
    result->request_id = id;
    result->params = params;
    result->left = stereo.left;
    result->right = stereo.right;
    result->disparity_px = stereo.disparity_px;
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

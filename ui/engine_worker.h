// The engine thread's object: reads inputs and runs genstereo::synthesizeStereo with the
// weight-free engine or the diffusion engine (loaded once and kept while the models folder,
// variant and device stay the same). A photo without a map gets its depth from Depth Anything
// V2, estimated once per photo and kept. Lives in the thread EngineController starts; every
// call arrives queued and every answer leaves as a signal.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include <QObject>
#include <QString>

#include <opencv2/core.hpp>

#include "engine_types.h"

namespace genstereo {
class DepthEstimator;
class DiffusionEngine;
}  // namespace genstereo

namespace genstereo::ui {

class EngineWorker : public QObject {
  Q_OBJECT

 public:
  // `latest_synthesis_id`: the newest synthesis the window asked for; older queued requests
  // are dropped without running (newest request wins).
  explicit EngineWorker(std::shared_ptr<const std::atomic<std::uint64_t>> latest_synthesis_id);
  ~EngineWorker() override;

  // Reads the photo and its map (see LoadRequest). Emits loaded or loadFailed.
  void load(quint64 id, const genstereo::ui::LoadRequest& request);

  // Synthesises the right view. Emits started, progressed (step i of N; the diffusion engine:
  // denoising step i of N), then finished, cancelled (`cancel` set, checked between the
  // engine's stages and denoising steps) or failed (also for weights that do not load).
  void synthesize(quint64 id, const genstereo::ui::InputDataPtr& input,
                  const genstereo::ui::EngineParams& params,
                  const std::shared_ptr<std::atomic<bool>>& cancel);

 signals:
  void loaded(quint64 id, genstereo::ui::InputDataPtr input);
  void loadFailed(quint64 id, QString message);
  void started(quint64 id);
  void progressed(quint64 id, int step, int total, QString stage, double elapsed_ms);
  void finished(quint64 id, genstereo::ui::EngineResultPtr result);
  void cancelled(quint64 id);
  void failed(quint64 id, QString message);

 private:
  // The loaded diffusion engine for `models`, loading it when the settings changed.
  genstereo::DiffusionEngine& diffusionEngine(const ModelSettings& models);
  // Whether the depth of `input` still has to be estimated (not in the cache).
  bool needsDepthEstimate(const InputData& input, const ModelSettings& models) const;
  // Relative inverse depth of the photo (CV_32FC1), from the cache or the depth model.
  cv::Mat estimatedDepth(const InputData& input, const ModelSettings& models);

  std::shared_ptr<const std::atomic<std::uint64_t>> latest_synthesis_id_;
  std::unique_ptr<genstereo::DiffusionEngine> diffusion_;
  QString diffusion_key_;  // folder, variant and device of diffusion_
  std::unique_ptr<genstereo::DepthEstimator> depth_estimator_;
  QString depth_estimator_key_;  // checkpoint of depth_estimator_
  QString depth_key_;            // photo, size and checkpoint of depth_
  cv::Mat depth_;
};

}  // namespace genstereo::ui

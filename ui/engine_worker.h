// The engine thread's object, a thin client of genstereo::StereoEngine (genstereo/engine.h):
// reads inputs, turns the window's EngineParams into RunParams, runs the engine and converts
// its RunResult into the views' EngineResult. One engine is kept and rebuilt only when its
// EngineOptions (models folder, variant, device, depth model size, threads) change; the
// engine keeps its models loaded between runs, the depth it estimated for the last photos and
// makes the live preview's proxies (RunParams::preview_box_px). Lives in the thread
// EngineController starts; every call arrives queued and every answer leaves as a signal.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include "engine_types.h"
#include "genstereo/engine.h"
#include "preview_proxy.h"

namespace genstereo::ui {

// The engine options of the window's model settings (threads: every core).
EngineOptions engineOptionsOf(const ModelSettings& models);

// The engine's run parameters for `params` and the photo's map (none: estimate the depth).
RunParams runParamsOf(const EngineParams& params, const InputData& input);

class EngineWorker : public QObject {
  Q_OBJECT

 public:
  // `latest_synthesis_id`: the newest synthesis the window asked for; older queued requests
  // are dropped without running (newest request wins).
  explicit EngineWorker(std::shared_ptr<const std::atomic<std::uint64_t>> latest_synthesis_id);
  ~EngineWorker() override;

  // Runs the engine (on a proxy of the photo when params.proxy_box_px is set and the photo
  // is larger: RunParams::preview_box_px). Emits started, progressed (the engine's fraction of the
  // whole run, 0..1, and its stage), then finished, cancelled (`cancel` set: the engine stops
  // within about a second, model loading included) or failed (the engine's message, e.g. the
  // missing files).
  void synthesize(quint64 id, const genstereo::ui::InputDataPtr& input,
                  const genstereo::ui::EngineParams& params, const genstereo::CancelToken& cancel);

  // What the status bar shows for one progress report of the engine in a run that generates
  // `eye`, e.g. "Denoising step 3 of 50" or "Synthesising the left view" (translated).
  static QString stageText(const RunProgress& progress, SynthesisEye eye);

  // The engine of the last run (nullptr before the first); for tests.
  const StereoEngine* engine() const { return engine_.get(); }

 signals:
  void started(quint64 id);
  void progressed(quint64 id, double fraction, QString stage, double elapsed_ms);
  // The same report as the engine gives it (RunStage as int, steps of the stage), for the
  // controller's per-stage estimate (ProgressEstimate).
  void stageReported(quint64 id, int stage, int step, int total);
  void finished(quint64 id, genstereo::ui::EngineResultPtr result);
  void cancelled(quint64 id);
  void failed(quint64 id, QString message);

 private:
  // The engine for `options`, rebuilt when they differ from the current engine's.
  StereoEngine& engineFor(const EngineOptions& options);
  // A video frame's run: at full resolution as the converter renders it (renderVideoFrame,
  // its temporal window decoded again), or, for a proxy, from the frame's filtered depth kept
  // from its last full run (renderVideoFrameFromDepth, no temporal fill).
  void synthesizeVideoFrame(quint64 id, const InputDataPtr& input, const EngineParams& params,
                            const CancelToken& cancel, const QElapsedTimer& timer);
  // A preview's photo (RunResult::photo) as the input view shows it.
  QImage previewImageOf(const cv::Mat& photo);
  // The views and intermediates of `ran` as the window shows them.
  static std::shared_ptr<EngineResult> resultOf(const RunResult& ran, const QImage& input_image);

  // The last video frame rendered at full resolution: what its proxies are rendered from.
  struct VideoFrameDepth {
    QString video;
    double time_s = 0.0;
    bool is_temporal_on = true;
    std::filesystem::path map;  // the per-frame maps it was rendered from (empty: estimated)
    cv::Mat image01;
    cv::Mat depth01;
  };
  std::optional<VideoFrameDepth> video_depth_;

  std::shared_ptr<const std::atomic<std::uint64_t>> latest_synthesis_id_;
  std::unique_ptr<StereoEngine> engine_;
  // The last preview photo the engine returned (RunResult::photo) and its QImage.
  cv::Mat preview_photo_;
  QImage preview_image_;
};

}  // namespace genstereo::ui

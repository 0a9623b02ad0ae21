// The window's handle on the engine thread: starts the thread, queues requests (newest
// request wins: a newer synthesis cancels the running one), forwards only the answers to the
// newest requests, and measures the progress (elapsed, estimated time left).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include <QObject>
#include <QThread>

#include "engine_types.h"
#include "genstereo/engine.h"

namespace genstereo::ui {

class EngineWorker;

class EngineController : public QObject {
  Q_OBJECT

 public:
  explicit EngineController(QObject* parent = nullptr);
  ~EngineController() override;

  // Reads a photo and its map in the engine thread; answers with loaded or loadFailed.
  void load(const LoadRequest& request);
  // Queues a synthesis and cancels the one running; answers with finished, cancelled or failed.
  void synthesize(const InputDataPtr& input, const EngineParams& params);
  // Cancels the newest synthesis (the engine stops within about a second).
  void cancel();
  bool isBusy() const { return is_busy_; }

 signals:
  void loaded(genstereo::ui::InputDataPtr input);
  void loadFailed(QString message);
  // `fraction` of the run done (0..1, monotonic within a run), the stage now running (e.g.
  // "Denoising step 3 of 50"); eta_ms < 0 when no estimate exists yet.
  void progressed(double fraction, QString stage, double elapsed_ms, double eta_ms);
  void finished(genstereo::ui::EngineResultPtr result);
  void cancelled();
  void failed(QString message);
  void busyChanged(bool is_busy);

 private:
  void setBusy(bool is_busy);
  void onProgressed(quint64 id, double fraction, const QString& stage, double elapsed_ms);

  QThread thread_;
  EngineWorker* worker_ = nullptr;
  std::shared_ptr<std::atomic<std::uint64_t>> latest_synthesis_id_;
  genstereo::CancelToken current_cancel_;  // of the newest synthesis; one per request
  quint64 next_id_ = 0;
  quint64 latest_load_id_ = 0;
  bool is_busy_ = false;
  double last_run_ms_ = -1.0;  // duration of the last finished synthesis, for the estimate
};

}  // namespace genstereo::ui

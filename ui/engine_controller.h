// The window's handle on the engine thread: starts the thread, queues requests (newest
// request wins: a newer synthesis cancels the running one; a live request during a drag
// waits for the running one instead, so that every run finishes and the preview follows the
// slider), forwards only the answers to the newest requests, and measures the progress
// (elapsed and estimated time left stage by stage, ProgressEstimate, updated several times a
// second between the engine's reports, so the timer never freezes inside a step).
// busyChanged is steady during a live drag: a proxy run shorter than kLiveBusyDelayMs never
// shows the busy state, so the status bar's progress does not flash on and off at the
// engine's pace (isBusy() is always exact; a run queued in the finished handler follows
// without an idle signal in between).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include <optional>

#include <QElapsedTimer>
#include <QObject>
#include <QThread>
#include <QTimer>

#include "engine_types.h"
#include "genstereo/engine.h"
#include "progress_estimate.h"
#include "stereo_document.h"

namespace genstereo::ui {

class EngineWorker;

class EngineController : public QObject {
  Q_OBJECT

 public:
  explicit EngineController(QObject* parent = nullptr);
  ~EngineController() override;

  // Reads a photo and its map off the engine thread (InputLoader, stereo_document.h; the window
  // reads through its StereoDocument); answers with loaded or loadFailed.
  void load(const LoadRequest& request);
  // Another photo is open: the progress estimate forgets the last one's durations and a
  // waiting live request is dropped.
  void forgetPhoto();
  // Queues a synthesis and cancels the one running; answers with finished, cancelled or failed.
  void synthesize(const InputDataPtr& input, const EngineParams& params);
  // Live preview during a drag: runs now when the engine is idle; otherwise replaces the
  // waiting live request and runs it when the running one ends (the running one is not
  // cancelled, so results keep arriving at the engine's pace).
  void synthesizeLive(const InputDataPtr& input, const EngineParams& params);
  // Cancels the newest synthesis (the engine stops within about a second).
  void cancel();
  bool isBusy() const { return is_busy_; }

 signals:
  void loaded(genstereo::ui::InputDataPtr input);
  void loadFailed(QString message);
  // `fraction` of the run done (0..1, monotonic within a run: the engine's, moved on between
  // its reports by the estimate), the stage now running (e.g. "Denoising step 3 of 50");
  // eta_ms < 0 when no estimate exists yet. Reported every 200 ms while a run is busy.
  void progressed(double fraction, QString stage, double elapsed_ms, double eta_ms);
  void finished(genstereo::ui::EngineResultPtr result);
  void cancelled();
  void failed(QString message);
  void busyChanged(bool is_busy);

 public:
  static constexpr int kLiveBusyDelayMs = 400;

 private:
  void setBusy(bool is_busy);
  void signalBusy(bool is_busy);
  void onProgressed(quint64 id, double fraction, const QString& stage, double elapsed_ms);
  // Emits progressed with the time elapsed now and the estimate recomputed.
  void reportProgress();
  // A run ended: the next waiting live request starts.
  void startPendingLive();

  QThread thread_;
  InputLoader loader_;
  EngineWorker* worker_ = nullptr;
  std::shared_ptr<std::atomic<std::uint64_t>> latest_synthesis_id_;
  genstereo::CancelToken current_cancel_;  // of the newest synthesis; one per request
  quint64 next_id_ = 0;
  bool is_busy_ = false;
  struct LiveRequest {
    InputDataPtr input;
    EngineParams params;
  };
  std::optional<LiveRequest> pending_live_;
  EngineParams latest_params_;
  QElapsedTimer run_timer_;  // since the newest synthesis was queued
  QTimer progress_tick_;     // re-reports the progress between the engine's reports
  QTimer busy_delay_;        // a live run's busy state, shown if it lasts
  bool is_busy_signalled_ = false;
  bool is_live_run_ = false;
  ProgressEstimate estimate_;
  double fraction_ = 0.0;        // the engine's, of the newest run
  double shown_fraction_ = 0.0;  // what the bar shows (see reportProgress)
  QString stage_;
};

}  // namespace genstereo::ui

#include "engine_controller.h"

#include <algorithm>

#include "engine_worker.h"

namespace genstereo::ui {

namespace {

constexpr int kProgressTickMs = 200;
// The most of the bar an estimate fills (the engine's own report fills the rest).
constexpr double kMaxEstimatedFraction = 0.95;

double elapsedMs(const QElapsedTimer& timer) {
  return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

}  // namespace

EngineController::EngineController(QObject* parent)
    : QObject(parent), latest_synthesis_id_(std::make_shared<std::atomic<std::uint64_t>>(0)) {
  thread_.setObjectName(QStringLiteral("genstereo-engine"));
  worker_ = new EngineWorker(latest_synthesis_id_);
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  progress_tick_.setInterval(kProgressTickMs);
  connect(&progress_tick_, &QTimer::timeout, this, &EngineController::reportProgress);
  busy_delay_.setSingleShot(true);
  busy_delay_.setInterval(kLiveBusyDelayMs);
  connect(&busy_delay_, &QTimer::timeout, this, [this] {
    if (is_busy_) signalBusy(true);
  });
  connect(worker_, &EngineWorker::stageReported, this,
          [this](quint64 id, int stage, int step, int total) {
            if (id != latest_synthesis_id_->load()) return;
            estimate_.report(static_cast<RunStage>(stage), step, total, elapsedMs(run_timer_));
          });

  connect(&loader_, &InputLoader::loaded, this, [this](const InputDataPtr& input) {
    forgetPhoto();
    emit loaded(input);
  });
  connect(&loader_, &InputLoader::loadFailed, this, &EngineController::loadFailed);
  connect(worker_, &EngineWorker::progressed, this, &EngineController::onProgressed);
  connect(worker_, &EngineWorker::finished, this,
          [this](quint64 id, const EngineResultPtr& result) {
            if (id != latest_synthesis_id_->load()) return;
            estimate_.finish(elapsedMs(run_timer_));
            setBusy(false);
            emit finished(result);
            startPendingLive();
          });
  connect(worker_, &EngineWorker::cancelled, this, [this](quint64 id) {
    if (id != latest_synthesis_id_->load()) return;
    setBusy(false);
    emit cancelled();
    startPendingLive();
  });
  connect(worker_, &EngineWorker::failed, this, [this](quint64 id, const QString& message) {
    if (id != latest_synthesis_id_->load()) return;
    pending_live_.reset();  // the same input would fail again
    setBusy(false);
    emit failed(message);
  });
  thread_.start();
}

EngineController::~EngineController() {
  current_cancel_.cancel();
  latest_synthesis_id_->store(0);
  thread_.quit();
  thread_.wait();
}

void EngineController::load(const LoadRequest& request) {
  pending_live_.reset();
  loader_.load(request);
}

void EngineController::forgetPhoto() {
  pending_live_.reset();
  estimate_.forgetPhoto();  // a new photo: the last duration says nothing about it
}

void EngineController::synthesize(const InputDataPtr& input, const EngineParams& params) {
  const quint64 id = ++next_id_;
  pending_live_.reset();
  current_cancel_.cancel();
  current_cancel_ = genstereo::CancelToken();
  latest_synthesis_id_->store(id);
  latest_params_ = params;
  fraction_ = 0.0;
  shown_fraction_ = 0.0;
  stage_.clear();
  estimate_.start(params);
  is_live_run_ = !params.proxy_box_px.isEmpty();
  run_timer_.start();
  EngineWorker* worker = worker_;
  const genstereo::CancelToken cancel = current_cancel_;
  QMetaObject::invokeMethod(
      worker_,
      [worker, id, input, params, cancel] { worker->synthesize(id, input, params, cancel); },
      Qt::QueuedConnection);
  setBusy(true);
}

void EngineController::synthesizeLive(const InputDataPtr& input, const EngineParams& params) {
  if (!is_busy_) {
    synthesize(input, params);
    return;
  }
  pending_live_ = LiveRequest{input, params};
  latest_params_ = params;
}

void EngineController::startPendingLive() {
  if (!pending_live_) return;
  const LiveRequest request = *pending_live_;
  pending_live_.reset();
  synthesize(request.input, request.params);
}

void EngineController::cancel() {
  pending_live_.reset();
  current_cancel_.cancel();
}

void EngineController::setBusy(bool is_busy) {
  if (is_busy_ == is_busy) return;
  is_busy_ = is_busy;
  if (is_busy) {
    progress_tick_.start();
    if (!is_busy_signalled_) {
      if (is_live_run_) {
        busy_delay_.start();
      } else {
        signalBusy(true);
      }
    }
  } else {
    progress_tick_.stop();
    busy_delay_.stop();
    // At once: the Cancel action (Esc) must not outlive the run.
    signalBusy(false);
  }
}

void EngineController::signalBusy(bool is_busy) {
  if (is_busy_signalled_ == is_busy) return;
  is_busy_signalled_ = is_busy;
  emit busyChanged(is_busy);
}

void EngineController::onProgressed(quint64 id, double fraction, const QString& stage, double) {
  if (id != latest_synthesis_id_->load()) return;
  fraction_ = std::max(fraction_, fraction);
  stage_ = stage;
  reportProgress();
}

void EngineController::reportProgress() {
  if (!is_busy_) return;
  const double elapsed_ms = elapsedMs(run_timer_);
  // Each stage from its own measure (ProgressEstimate); none rather than a wrong one.
  const double eta_ms = estimate_.etaMs(elapsed_ms);
  const QString tile_text = estimate_.tileText();
  // The bar moves between the engine's reports too: the share of the estimated whole run
  // elapsed, never behind the engine's fraction, never backwards, below 1 until it ends.
  if (eta_ms >= 0.0) {
    shown_fraction_ = std::max(shown_fraction_,
                               std::min(kMaxEstimatedFraction, elapsed_ms / (elapsed_ms + eta_ms)));
  }
  shown_fraction_ = std::max(shown_fraction_, fraction_);
  const QString stage = !tile_text.isEmpty() ? tile_text
                        : stage_.isEmpty()   ? tr("Waiting for the engine…")
                                             : stage_;
  emit progressed(shown_fraction_, stage, elapsed_ms, eta_ms);
}

}  // namespace genstereo::ui

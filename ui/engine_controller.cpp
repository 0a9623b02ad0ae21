#include "engine_controller.h"

#include <algorithm>

#include "engine_worker.h"

namespace genstereo::ui {

namespace {

constexpr int kProgressTickMs = 200;
// Below this fraction the engine's own estimate says little; the last run's duration is used.
constexpr double kMinFraction = 0.02;
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

  connect(worker_, &EngineWorker::loaded, this, [this](quint64 id, const InputDataPtr& input) {
    if (id != latest_load_id_) return;
    last_run_ms_ = -1.0;  // a new photo: the last duration says nothing about it
    last_proxy_run_ms_ = -1.0;
    emit loaded(input);
  });
  connect(worker_, &EngineWorker::loadFailed, this, [this](quint64 id, const QString& message) {
    if (id == latest_load_id_) emit loadFailed(message);
  });
  connect(worker_, &EngineWorker::progressed, this, &EngineController::onProgressed);
  connect(worker_, &EngineWorker::finished, this,
          [this](quint64 id, const EngineResultPtr& result) {
            if (id != latest_synthesis_id_->load()) return;
            (result->is_proxy ? last_proxy_run_ms_ : last_run_ms_) = result->elapsed_ms;
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
  const quint64 id = ++next_id_;
  latest_load_id_ = id;
  pending_live_.reset();
  EngineWorker* worker = worker_;
  QMetaObject::invokeMethod(
      worker_, [worker, id, request] { worker->load(id, request); }, Qt::QueuedConnection);
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
  } else {
    progress_tick_.stop();
  }
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
  const double last_ms = latest_params_.proxy_box_px.isEmpty() ? last_run_ms_ : last_proxy_run_ms_;
  // The estimate: while the last run of the same kind on this photo is not yet exceeded, its
  // duration minus the time elapsed; otherwise from the engine's fraction once it says
  // something (a few percent done), recomputed with the time elapsed now (a long step raises
  // the estimate instead of freezing it).
  double eta_ms = -1.0;
  if (last_ms > elapsed_ms) {
    eta_ms = last_ms - elapsed_ms;
  } else if (fraction_ >= kMinFraction && elapsed_ms > 0.0) {
    eta_ms = elapsed_ms * (1.0 - fraction_) / fraction_;
  }
  // The bar moves between the engine's reports too: the share of the estimated whole run
  // elapsed, never behind the engine's fraction, never backwards, below 1 until it ends.
  if (eta_ms >= 0.0) {
    shown_fraction_ = std::max(shown_fraction_,
                               std::min(kMaxEstimatedFraction, elapsed_ms / (elapsed_ms + eta_ms)));
  }
  shown_fraction_ = std::max(shown_fraction_, fraction_);
  emit progressed(shown_fraction_, stage_.isEmpty() ? tr("Waiting for the engine…") : stage_,
                  elapsed_ms, eta_ms);
}

}  // namespace genstereo::ui

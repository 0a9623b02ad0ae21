#include "engine_controller.h"

#include <algorithm>

#include "engine_worker.h"

namespace genstereo::ui {

EngineController::EngineController(QObject* parent)
    : QObject(parent), latest_synthesis_id_(std::make_shared<std::atomic<std::uint64_t>>(0)) {
  thread_.setObjectName(QStringLiteral("genstereo-engine"));
  worker_ = new EngineWorker(latest_synthesis_id_);
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);

  connect(worker_, &EngineWorker::loaded, this, [this](quint64 id, const InputDataPtr& input) {
    if (id != latest_load_id_) return;
    last_run_ms_ = -1.0;  // a new photo: the last duration says nothing about it
    emit loaded(input);
  });
  connect(worker_, &EngineWorker::loadFailed, this, [this](quint64 id, const QString& message) {
    if (id == latest_load_id_) emit loadFailed(message);
  });
  connect(worker_, &EngineWorker::progressed, this, &EngineController::onProgressed);
  connect(worker_, &EngineWorker::finished, this,
          [this](quint64 id, const EngineResultPtr& result) {
            if (id != latest_synthesis_id_->load()) return;
            last_run_ms_ = result->elapsed_ms;
            setBusy(false);
            emit finished(result);
          });
  connect(worker_, &EngineWorker::cancelled, this, [this](quint64 id) {
    if (id != latest_synthesis_id_->load()) return;
    setBusy(false);
    emit cancelled();
  });
  connect(worker_, &EngineWorker::failed, this, [this](quint64 id, const QString& message) {
    if (id != latest_synthesis_id_->load()) return;
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
  EngineWorker* worker = worker_;
  QMetaObject::invokeMethod(
      worker_, [worker, id, request] { worker->load(id, request); }, Qt::QueuedConnection);
}

void EngineController::synthesize(const InputDataPtr& input, const EngineParams& params) {
  const quint64 id = ++next_id_;
  current_cancel_.cancel();
  current_cancel_ = genstereo::CancelToken();
  latest_synthesis_id_->store(id);
  EngineWorker* worker = worker_;
  const genstereo::CancelToken cancel = current_cancel_;
  QMetaObject::invokeMethod(
      worker_,
      [worker, id, input, params, cancel] { worker->synthesize(id, input, params, cancel); },
      Qt::QueuedConnection);
  setBusy(true);
}

void EngineController::cancel() { current_cancel_.cancel(); }

void EngineController::setBusy(bool is_busy) {
  if (is_busy_ == is_busy) return;
  is_busy_ = is_busy;
  emit busyChanged(is_busy);
}

void EngineController::onProgressed(quint64 id, double fraction, const QString& stage,
                                    double elapsed_ms) {
  if (id != latest_synthesis_id_->load()) return;
  // From the engine's fraction once it says something (a few percent done); before that, from
  // the last run on this photo.
  constexpr double kMinFraction = 0.02;
  double eta_ms = -1.0;
  if (fraction >= kMinFraction && elapsed_ms > 0.0) {
    eta_ms = elapsed_ms * (1.0 - fraction) / fraction;
  } else if (last_run_ms_ > 0.0) {
    eta_ms = std::max(0.0, last_run_ms_ - elapsed_ms);
  }
  emit progressed(fraction, stage, elapsed_ms, eta_ms);
}

}  // namespace genstereo::ui

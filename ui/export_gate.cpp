#include "export_gate.h"

namespace genstereo::ui {

void ExportGate::photoChanged() {
  ++revision_;
  has_full_result_ = false;
  is_full_run_queued_ = false;
  pending_.reset();
}

void ExportGate::fullRunStarted() {
  run_revision_ = revision_;
  is_full_run_queued_ = true;
}

void ExportGate::resultShown(const EngineResult& result) {
  is_proxy_shown_ = result.is_proxy;
  if (result.is_proxy) return;
  has_full_result_ = true;
  shown_revision_ = run_revision_;
  is_full_run_queued_ = false;
}

bool ExportGate::isResultCurrent() const {
  return has_full_result_ && !is_proxy_shown_ && shown_revision_ == revision_;
}

std::optional<ExportRequest> ExportGate::takeReady() {
  if (!pending_ || !isResultCurrent()) return std::nullopt;
  std::optional<ExportRequest> ready = pending_;
  pending_.reset();
  return ready;
}

}  // namespace genstereo::ui

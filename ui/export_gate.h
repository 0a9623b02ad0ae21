// Export writes the result that matches the controls: the window counts every change of the
// controls (a revision), notes the revision each full-resolution run was started with, and
// holds an export until the result on screen is the full-resolution run of the current
// revision (starting that run when none is on its way). Live-preview proxies never match.
#pragma once

#include <cstdint>
#include <optional>

#include "engine_types.h"
#include "stereo_exporter.h"

namespace genstereo::ui {

class ExportGate {
 public:
  // A control that changes the result moved (or the model settings changed).
  void controlsChanged() { ++revision_; }
  // A new photo: nothing shown matches, no export waits.
  void photoChanged();
  // A full-resolution run for the current controls was queued (it replaces any other).
  void fullRunStarted();
  // The newest run ended without a result (cancelled or failed).
  void runEnded() { is_full_run_queued_ = false; }
  // A result is on screen.
  void resultShown(const EngineResult& result);

  // The result on screen is the full resolution of the current controls.
  bool isResultCurrent() const;
  // A full-resolution run for the current controls is queued or running.
  bool isMatchingRunQueued() const { return is_full_run_queued_ && run_revision_ == revision_; }

  // An export waits for the matching result.
  void hold(const ExportRequest& request) { pending_ = request; }
  bool isHolding() const { return pending_.has_value(); }
  // The waiting export, once the result on screen matches (then it no longer waits).
  std::optional<ExportRequest> takeReady();
  void drop() { pending_.reset(); }

 private:
  std::uint64_t revision_ = 0;
  std::uint64_t run_revision_ = 0;    // of the newest full-resolution run queued
  std::uint64_t shown_revision_ = 0;  // of the full-resolution result on screen
  bool is_full_run_queued_ = false;
  bool has_full_result_ = false;
  bool is_proxy_shown_ = false;
  std::optional<ExportRequest> pending_;
};

}  // namespace genstereo::ui

// Progress and cancel, the engine's vocabulary for every long call: one progress type for a
// run and for jobs over many items (batch, eval), and one cancel token. No OpenCV, no
// LibTorch: any header of the engine and any client may include it.
//
//   genstereo::CancelToken cancel;                 // copies share one flag
//   params.cancel = cancel;                        // another thread: cancel.cancel()
//   params.on_progress = [](const genstereo::RunProgress& p) { ... p.fraction ... };
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace genstereo {

// A cancel flag shared between the caller and a run (copies share the flag). Long calls take
// one (default: never cancelled) and throw CancelledError soon after it is cancelled.
class CancelToken {
 public:
  CancelToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
  void cancel() const { flag_->store(true); }
  void reset() const { flag_->store(false); }
  bool isCancelled() const { return flag_->load(); }
  // For hot loops and signal handlers: the flag itself (lives as long as a copy of the token).
  const std::atomic<bool>* flag() const { return flag_.get(); }

 private:
  std::shared_ptr<std::atomic<bool>> flag_;
};

enum class RunStage {
  kLoadingModels,
  kEstimatingDepth,
  kPreparing,
  kSynthesizing,
  kDenoising,
  kDone
};
const char* toString(RunStage stage);  // "loading models", "estimating depth", ...

// Progress of one run (StereoEngine::run) or of a job over many items (runBatch,
// evaluateDataset). A job reports once per item: `item` of `items`, `item_id` naming it, stage
// kDone after the item (kPreparing before it, when reported), `fraction` the job's share done.
struct RunProgress {
  RunStage stage = RunStage::kPreparing;
  int step = 0;           // within the stage (denoising: steps done)
  int total = 0;          // steps of the stage (0: not counted)
  double fraction = 0.0;  // of the whole run or job, 0..1, monotonic
  double elapsed_s = 0.0;
  // Jobs over many items; 0, 0, "" in a single run.
  int item = 0;                   // 1-based: the item this report is about
  int items = 0;                  // items of the job (of the shard, for a sharded batch)
  std::string item_id;            // the photo's id (batch) or the pair's name (eval)
  double items_per_second = 0.0;  // items computed per second so far (skipped ones excluded)
  double eta_s = -1.0;            // time left; < 0 while unknown
};
using RunProgressCallback = std::function<void(const RunProgress&)>;

}  // namespace genstereo

// Writes a SET of output files all-or-nothing (issue 14, class 10): a failed or cancelled
// `generate` leaves neither a partial set nor a mix of old and new files.
//
// While an OutputTransaction is open on a thread, every writeFileAtomically() call of that
// thread (writeImage, writeDisparity, exportStereo...) only stages its file: the temporary
// (".NAME.genstereo-tmp-PID-N.ext", see atomic_write.h) is written and fsynced, the
// destination is not touched. commit() checks that every destination may be replaced, keeps
// each existing destination's content under a backup name (".NAME.genstereo-old-PID-N.ext",
// a hard link), renames each temporary over its destination (one atomic rename per file: a
// destination is never missing, even after a kill or a power loss), fsyncs the folders and
// deletes the backups; if a step fails, the files already replaced get their old content back.
// Destroying an uncommitted transaction (an exception, a CancelledError) removes the temporaries.
// A transaction opened while another one is open on the same thread joins it: the outer
// one commits.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <vector>

#include "genstereo/progress.h"

namespace genstereo {

class OutputTransaction {
 public:
  // `cancel` is checked by commit(): a set cancelled before it is committed is rolled back and
  // CancelledError thrown. Once the renames have started the commit finishes.
  explicit OutputTransaction(CancelToken cancel = CancelToken());
  ~OutputTransaction();
  OutputTransaction(const OutputTransaction&) = delete;
  OutputTransaction& operator=(const OutputTransaction&) = delete;

  // Publishes the staged set. Throws OutputError (after restoring the old set) when a rename
  // fails, CancelledError when cancelled. No effect in a joined transaction.
  void commit();
  // Removes the staged temporaries; the destinations keep their old content.
  void rollback() noexcept;

  // Destinations staged so far, in order.
  std::vector<std::filesystem::path> stagedDestinations() const;

  // The transaction open on this thread (the outermost), or null.
  static OutputTransaction* current();

  // Lets another thread (a parallel writer) stage into `transaction` while the scope lives;
  // the transaction must outlive the scope and is committed by its own thread.
  class ThreadScope {
   public:
    explicit ThreadScope(OutputTransaction& transaction);
    ~ThreadScope();
    ThreadScope(const ThreadScope&) = delete;
    ThreadScope& operator=(const ThreadScope&) = delete;

   private:
    OutputTransaction* previous_ = nullptr;
  };
  // Called by writeFileAtomically: `temp` (complete and fsynced) becomes `destination` at commit.
  void stage(const std::filesystem::path& temp, const std::filesystem::path& destination);

 private:
  struct Staged {
    std::filesystem::path temp;
    std::filesystem::path destination;
  };
  CancelToken cancel_;
  std::mutex mutex_;  // stage() from ThreadScope threads
  bool is_joined_ = false;
  bool is_done_ = false;
  std::vector<Staged> staged_;
};

}  // namespace genstereo

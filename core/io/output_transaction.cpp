#include "io/output_transaction.h"

#include <set>
#include <string>
#include <system_error>
#include <utility>

#include <unistd.h>

#include "errors.h"
#include "io/atomic_write.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

thread_local OutputTransaction* t_current = nullptr;

void removeQuietly(const fs::path& path) {
  std::error_code ignored;
  fs::remove(path, ignored);
}

fs::path folderOf(const fs::path& path) {
  return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

}  // namespace

OutputTransaction::OutputTransaction(CancelToken cancel) : cancel_(std::move(cancel)) {
  if (t_current != nullptr) {
    is_joined_ = true;
  } else {
    t_current = this;
  }
}

OutputTransaction::~OutputTransaction() {
  if (is_joined_) return;
  if (!is_done_) rollback();
  t_current = nullptr;
}

OutputTransaction* OutputTransaction::current() { return t_current; }

OutputTransaction::ThreadScope::ThreadScope(OutputTransaction& transaction) : previous_(t_current) {
  t_current = &transaction;
}

OutputTransaction::ThreadScope::~ThreadScope() { t_current = previous_; }

void OutputTransaction::stage(const fs::path& temp, const fs::path& destination) {
  const std::lock_guard<std::mutex> lock(mutex_);
  for (Staged& staged : staged_) {
    if (staged.destination == destination) {  // written twice: the last version wins
      removeQuietly(staged.temp);
      staged.temp = temp;
      return;
    }
  }
  staged_.push_back({temp, destination});
}

std::vector<fs::path> OutputTransaction::stagedDestinations() const {
  std::vector<fs::path> destinations;
  for (const Staged& staged : staged_) destinations.push_back(staged.destination);
  return destinations;
}

void OutputTransaction::rollback() noexcept {
  if (is_joined_) return;
  for (const Staged& staged : staged_) removeQuietly(staged.temp);
  staged_.clear();
  is_done_ = true;
}

void OutputTransaction::commit() {
  if (is_joined_) return;
  if (is_done_) throw OutputError("output transaction committed twice");
  if (cancel_.isCancelled()) {
    rollback();
    throw CancelledError();
  }
  // 1. Every destination may be replaced (not a device, FIFO, link or folder, not an input of
  //    the run) before any is touched.
  for (const Staged& staged : staged_) {
    try {
      checkReplaceableDestination(staged.destination);
    } catch (...) {
      rollback();
      throw;
    }
  }
  // 2. Each new file is renamed over its old one: every rename is atomic, so at every moment
  //    each destination holds its old or its new content (a kill, an OOM or a power loss in
  //    between never leaves a destination missing). The old content is kept under a backup
  //    name (a hard link, or a copy where the file system has none) until the set is in
  //    place, so that a failed rename can put the previous files back.
  std::vector<fs::path> backups(staged_.size());
  std::vector<bool> existed(staged_.size(), false);
  const auto restore = [&](std::size_t renamed_count) {
    for (std::size_t i = 0; i < renamed_count; ++i) {
      std::error_code ignored;
      if (!backups[i].empty())
        fs::rename(backups[i], staged_[i].destination, ignored);
      else if (!existed[i])
        removeQuietly(staged_[i].destination);
    }
    for (std::size_t i = renamed_count; i < staged_.size(); ++i) {
      if (!backups[i].empty()) removeQuietly(backups[i]);
    }
    rollback();
  };
  for (std::size_t i = 0; i < staged_.size(); ++i) {
    // restore() clears staged_: keep the name for the message.
    const std::string destination = staged_[i].destination.string();
    std::error_code ec;
    existed[i] = fs::exists(fs::symlink_status(staged_[i].destination, ec));
    if (existed[i]) {
      const fs::path backup = temporaryPathFor(staged_[i].destination, "old");
      if (::link(staged_[i].destination.c_str(), backup.c_str()) != 0) {
        std::error_code copy_ec;
        fs::copy_file(staged_[i].destination, backup, copy_ec);
        if (copy_ec) {
          removeQuietly(backup);
          restore(i);
          throw OutputError("cannot replace '" + destination +
                            "': cannot keep its previous content (" + copy_ec.message() +
                            "; the previous files were kept)");
        }
      }
      backups[i] = backup;
    }
    fs::rename(staged_[i].temp, staged_[i].destination, ec);
    if (ec) {
      const std::string reason = ec.message();
      restore(i);
      throw OutputError("cannot write '" + destination + "': " + reason +
                        " (the previous files were kept)");
    }
  }
  // 3. Make the renames durable, then drop the old content.
  std::set<fs::path> folders;
  for (const Staged& staged : staged_) folders.insert(folderOf(staged.destination));
  for (const fs::path& folder : folders) syncPath(folder);
  for (const fs::path& backup : backups) {
    if (!backup.empty()) removeQuietly(backup);
  }
  staged_.clear();
  is_done_ = true;
}

}  // namespace genstereo

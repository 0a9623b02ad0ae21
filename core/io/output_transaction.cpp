#include "io/output_transaction.h"

#include <set>
#include <string>
#include <system_error>

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

fs::path folderOf(const fs::path& path) { return path.has_parent_path() ? path.parent_path() : fs::path("."); }

}  // namespace

OutputTransaction::OutputTransaction(const std::atomic<bool>* cancel) : cancel_(cancel) {
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
  if (cancel_ != nullptr && cancel_->load()) {
    rollback();
    throw CancelledError();
  }
  std::error_code ec;
  // 1. Move the existing destinations aside.
  std::vector<fs::path> backups(staged_.size());
  const auto restore = [&](std::size_t renamed_count) {
    for (std::size_t i = 0; i < renamed_count; ++i) removeQuietly(staged_[i].destination);
    for (std::size_t i = 0; i < staged_.size(); ++i) {
      std::error_code ignored;
      if (!backups[i].empty()) fs::rename(backups[i], staged_[i].destination, ignored);
    }
    rollback();
  };
  for (std::size_t i = 0; i < staged_.size(); ++i) {
    // restore() clears staged_: keep the name for the message.
    const std::string destination = staged_[i].destination.string();
    const fs::file_status status = fs::symlink_status(staged_[i].destination, ec);
    if (!fs::exists(status)) continue;
    if (fs::is_directory(status)) {
      restore(0);
      throw OutputError("cannot write '" + destination + "': a folder of that name exists");
    }
    const fs::path backup = temporaryPathFor(staged_[i].destination, "old");
    fs::rename(staged_[i].destination, backup, ec);
    if (ec) {
      const std::string reason = ec.message();
      restore(0);
      throw OutputError("cannot replace '" + destination + "': " + reason +
                        " (nothing was written)");
    }
    backups[i] = backup;
  }
  // 2. Put the new files in place.
  for (std::size_t i = 0; i < staged_.size(); ++i) {
    fs::rename(staged_[i].temp, staged_[i].destination, ec);
    if (ec) {
      const std::string reason = ec.message();
      const std::string destination = staged_[i].destination.string();
      restore(i);
      throw OutputError("cannot write '" + destination + "': " + reason +
                        " (the previous files were kept)");
    }
  }
  // 3. Make the renames durable, then drop the old files.
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

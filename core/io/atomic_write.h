// Atomic file output: everything is written to a temporary file in the destination folder
// and renamed over the destination only when complete, so a reader (or a crash) never sees
// a half-written file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace genstereo {

// Temporaries are named ".NAME.tmp-PID-N.EXT" (PID of the writing process, N a counter) in the
// destination folder; the file is fsynced before the rename and the folder after it, so that
// a power loss leaves either the old or the new file, never an empty or partial one.
// Inside an OutputTransaction (output_transaction.h) the file is only staged: the rename
// happens when the transaction commits.

// Calls write_temp(temp_path) to produce the file, then renames temp_path to `destination`.
// write_temp must create temp_path (it may throw; the temporary is then removed).
// Throws OutputError naming `destination` when the folder is missing or not writable,
// when write_temp did not create the file, or when the rename fails.
void writeFileAtomically(const std::filesystem::path& destination,
                         const std::function<void(const std::filesystem::path& temp_path)>& write_temp);

// Writes `bytes` to `destination` atomically (see writeFileAtomically).
void writeBytesAtomically(const std::filesystem::path& destination,
                          const std::vector<std::uint8_t>& bytes);

// A fresh temporary name for `destination` of the given kind ("tmp" or "old"), in its folder.
std::filesystem::path temporaryPathFor(const std::filesystem::path& destination, const char* kind = "tmp");

// True when `file_name` has our temporary naming (".NAME.tmp-PID-N[.EXT]" or ".NAME.old-...");
// sets `pid` to the writer's process id.
bool isOwnTemporaryName(const std::string& file_name, long* pid = nullptr);

// Removes, in `folder` (not recursive), the temporaries of our naming that a killed run left:
// files whose writer process is no longer running and that are older than this process. Other
// files, and temporaries of running processes (another shard writing now), are never touched.
// Returns the removed paths. Errors are ignored (the sweep is best effort).
std::vector<std::filesystem::path> sweepStaleTemporaries(const std::filesystem::path& folder);

// fsync of a file or folder; throws OutputError naming `path` on failure.
void syncPath(const std::filesystem::path& path);

// Many files, one sync: while a DeferredSync is alive on this thread, atomic writes skip their
// per-file and per-folder fsyncs (two per file) and note their folder; flush() then syncs the
// file system(s) once (syncfs). Use it where a later marker file says "complete" (a batch
// item's meta JSON): flush() before writing the marker keeps the guarantee that a marked item
// survives a power loss, at a fraction of the cost. Without flush() nothing is synced.
class DeferredSync {
 public:
  DeferredSync();
  ~DeferredSync();
  DeferredSync(const DeferredSync&) = delete;
  DeferredSync& operator=(const DeferredSync&) = delete;
  // Syncs the file systems of the folders written to; throws OutputError on failure.
  void flush();
  void noteFolder(const std::filesystem::path& folder);
  static DeferredSync* current();

 private:
  std::vector<std::filesystem::path> folders_;
  DeferredSync* previous_ = nullptr;
};

// Reads a whole file. Throws InputError naming the file when it is missing or unreadable.
std::vector<std::uint8_t> readFileBytes(const std::filesystem::path& path);

}  // namespace genstereo

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

// Temporaries are named ".NAME.genstereo-tmp-PID-N.EXT" (PID of the writing process, N a
// counter) in the destination folder; the file is fsynced before the rename and the folder after
// it, so that a power loss leaves either the old or the new file, never an empty or partial one.
// Inside an OutputTransaction (output_transaction.h) the file is only staged: the rename
// happens when the transaction commits.

// Calls write_temp(temp_path) to produce the file, then renames temp_path to `destination`.
// write_temp must create temp_path (it may throw; the temporary is then removed).
// Throws OutputError naming `destination` when the folder is missing or not writable, when
// `destination` exists and is not a regular file (a device, FIFO, socket, symbolic link or
// folder: a rename would replace the node itself), when it is a file the running job read
// (ProtectedInputs), when write_temp did not create the file, or when the rename fails.
void writeFileAtomically(
    const std::filesystem::path& destination,
    const std::function<void(const std::filesystem::path& temp_path)>& write_temp);

// Writes `bytes` to `destination` atomically (see writeFileAtomically).
void writeBytesAtomically(const std::filesystem::path& destination,
                          const std::vector<std::uint8_t>& bytes);

// A fresh temporary name for `destination` of the given kind ("tmp" or "old"), in its folder:
// ".NAME.genstereo-KIND-PID-N.EXT".
std::filesystem::path temporaryPathFor(const std::filesystem::path& destination,
                                       const char* kind = "tmp");

// What a name of our temporary naming says.
struct TemporaryName {
  bool is_backup = false;        // ".genstereo-old-": a destination's previous content (commit)
  long pid = 0;                  // the writer's process id
  std::string destination_name;  // "NAME.EXT", the file it stands for
};

// True when `file_name` has our temporary naming (".NAME.genstereo-tmp-PID-N[.EXT]" or
// ".NAME.genstereo-old-PID-N[.EXT]"); fills `name` when given. Hidden files of other
// programs (".X.tmp-PID-N.EXT" included) are not ours.
bool isOwnTemporaryName(const std::string& file_name, TemporaryName* name = nullptr);

// Cleans, in `folder` (not recursive), what a killed run left: temporaries of our naming whose
// writer process is no longer running and that are older than this process are removed; a
// backup (".genstereo-old-") whose destination is missing is restored to it (a commit killed
// between moving the old file aside and putting the new one in place), otherwise removed.
// Other files, and temporaries of running processes (another shard writing now), are never
// touched. Returns the removed paths. Errors are ignored (the sweep is best effort).
std::vector<std::filesystem::path> sweepStaleTemporaries(const std::filesystem::path& folder);

// Refuses (OutputError naming it) to replace `destination` when it exists and is not a regular
// file (device, FIFO, socket, symbolic link, folder) or is protected by a ProtectedInputs of
// this process. `what` names the destination in the message ("--json" ...; "" for none).
// writeFileAtomically and OutputTransaction::commit call it; callers may call it first to
// fail before any work.
void checkReplaceableDestination(const std::filesystem::path& destination,
                                 const std::string& what = "");

// The files a running job has read (photo, maps, meta.json, manifest, dataset files): while
// the object lives, no atomic writer of this process replaces them (compared by device and
// inode, so another spelling of the same file or a hard link is caught). Files that do not
// exist are ignored. Thread-safe; any number may be alive at once.
class ProtectedInputs {
 public:
  explicit ProtectedInputs(const std::vector<std::filesystem::path>& files,
                           std::string role = "an input");
  ~ProtectedInputs();
  ProtectedInputs(const ProtectedInputs&) = delete;
  ProtectedInputs& operator=(const ProtectedInputs&) = delete;
  void add(const std::filesystem::path& file);

 private:
  std::string role_;
  std::vector<std::uint64_t> ids_;  // registry entries of this object
};

// True when `a` and `b` name the same file: the same device and inode when both exist, else
// the same absolute, lexically normal path.
bool isSameFile(const std::filesystem::path& a, const std::filesystem::path& b);

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

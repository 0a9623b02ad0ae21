// The workbench's conversion queue (the GUI's batch): videos, photos and the videos and photos
// of folders, each with the settings of the window when it was added, converted one at a time
// on the queue's own thread with its own StereoEngine (the window's engine thread stays free
// for the views).
//
//   videos  convertVideo (genstereo/video.h) with videoParamsOf (video_settings.h), written as
//           the CLI's `video` names them: videoOutputPath(input, folder, layout, container);
//   photos  runGenerateJob (pipeline/generate_job.h) as `generate --format F --no-intermediates`
//           does, F the photo format of the layout (sbs, sbs-half, tb, tb-half, cross,
//           anaglyph; vr180: sbs); the map beside the photo by the one rule (findMapOfPhoto).
//
// Pause cancels the running conversion (CancelToken) and keeps its work folder
// (OUTPUT_FOLDER/.OUTPUT_NAME.genstereo/: the depth cache and the finished segments); Resume
// runs it again, and the converter resumes from the finished segments, with the frames of an
// uninterrupted run. Cancel stops the item and removes its work folder. An item's error is its
// own: the queue goes on with the next. A paused item waits for Resume; the queue runs the
// other waiting items meanwhile.
//
// The queue is saved (JSON) at every change of an item's state; a new queue reads it back, so
// a queue survives closing the application: the item that was running when it closed is
// waiting again and resumes from its segments, paused items stay paused.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>

#include "engine_types.h"
#include "genstereo/engine.h"
#include "io/stereo_export.h"
#include "video_settings.h"

namespace genstereo::ui {

// The window's settings an item keeps from the moment it is added.
struct QueueItemSettings {
  EngineParams params;        // the controls (models and temporal on/off included)
  VideoExportSettings video;  // layout (photos too), encoding, range
  QString output_folder;      // empty: the input's folder
  bool overwrite = false;     // false: an item whose output exists is skipped
};

enum class QueueItemKind { kVideo, kPhoto };

enum class QueueItemState { kWaiting, kRunning, kPaused, kDone, kSkipped, kFailed, kCancelled };

// The stable name ("waiting", "running", ...; the saved queue's) and the translated label.
const char* toString(QueueItemState state);
QString queueItemStateLabel(QueueItemState state);

// Where an item is within its conversion.
enum class QueueStage { kNone, kDepth, kStereo, kMux, kPhoto };

struct QueueItem {
  std::uint64_t id = 0;
  QueueItemKind kind = QueueItemKind::kVideo;
  QString input;
  std::optional<VideoMapSource> map;  // videos: per-frame maps (none: depth estimated);
                                      // photos: its map (found beside it when added)
  QueueItemSettings settings;
  QueueItemState state = QueueItemState::kWaiting;
  QString output;   // the file written (known once the item has started)
  QString message;  // the error of a failed item; what a done or skipped one did
  // Progress of the running (or last) run.
  QueueStage stage = QueueStage::kNone;
  std::int64_t frame = 0;  // done in this pass (photos: percent)
  std::int64_t total = 0;
  double fps = 0.0;     // measured over this pass
  double eta_s = -1.0;  // of this pass, from its measured speed; < 0 unknown
  // The last finished video run.
  int segments = 0;
  int segments_reused = 0;
};

class ConversionQueueRunner;

class ConversionQueue : public QObject {
  Q_OBJECT

 public:
  struct Options {
    // The saved queue; empty: AppLocalDataLocation/conversion_queue.json.
    QString state_file;
    // Run waiting items (those read back included) without being asked.
    bool is_autostart = true;
    // VideoParams::segment_max_frames (a pause loses at most one segment).
    int segment_max_frames = 300;
    // Called on the queue's thread with each progress report of a video (tests slow a run
    // down with it so that a pause lands mid-run).
    std::function<void(const VideoProgress&)> on_worker_progress;
  };

  explicit ConversionQueue(QObject* parent = nullptr);
  explicit ConversionQueue(Options options, QObject* parent = nullptr);
  // Cancels the running item (saved as waiting: the next queue resumes it) and waits for the
  // thread.
  ~ConversionQueue() override;

  // Adds files and folders (a folder: its videos and photos, name order; maps and sidecars of
  // photos are not items) with `settings`. Returns the ids added; `rejected` receives a line
  // per path that is neither a video nor a photo nor a folder holding some.
  std::vector<std::uint64_t> addPaths(const QStringList& paths, const QueueItemSettings& settings,
                                      QStringList* rejected = nullptr);
  // One video with its per-frame maps (none: depth estimated), or one photo with its map
  // (none: found beside it, else estimated).
  std::uint64_t addVideo(const QString& video, const QueueItemSettings& settings,
                         const std::optional<VideoMapSource>& map = std::nullopt);
  std::uint64_t addPhoto(const QString& photo, const QueueItemSettings& settings,
                         const std::optional<VideoMapSource>& map = std::nullopt);

  // Running: stops it, keeps its work folder, Paused. Waiting: Paused (held).
  void pause(std::uint64_t id);
  // Paused, failed or cancelled: waiting again (a video resumes from its finished segments).
  void resume(std::uint64_t id);
  // Stops it (running) or drops it (waiting, paused): Cancelled, its work folder removed.
  void cancel(std::uint64_t id);
  // Takes it off the list (a running one is cancelled first; a paused one's work folder goes).
  void remove(std::uint64_t id);
  // Starts the next waiting item when none runs (Options::is_autostart does it by itself).
  void start();

  const std::vector<QueueItem>& items() const { return items_; }
  const QueueItem* item(std::uint64_t id) const;
  int rowOf(std::uint64_t id) const;  // -1: none
  bool isBusy() const { return running_id_ != 0; }
  QString stateFile() const { return options_.state_file; }
  int segmentMaxFrames() const { return options_.segment_max_frames; }

  // "Copy as command line": genstereo-cli video ... (video_command_line.h) or genstereo-cli
  // generate ... --format F --no-intermediates (command_line_builder.h), shell-quoted.
  QString commandLineOf(std::uint64_t id) const;
  // The folder the item writes into.
  QString outputFolderOf(std::uint64_t id) const;

 signals:
  void itemAdded(std::uint64_t id);
  void itemChanged(std::uint64_t id);  // state, progress, output or message
  void itemAboutToBeRemoved(std::uint64_t id);
  void itemRemoved(std::uint64_t id);
  void idle();  // nothing waiting or running any more

 private:
  enum class StopAction { kNone, kPause, kCancel, kRemove, kShutdown };

  void onStarted(std::uint64_t id, QString output);
  void onProgressed(std::uint64_t id, int stage, qint64 frame, qint64 total, double fps,
                    double eta_s);
  void onFinished(std::uint64_t id, QString message, int segments, int segments_reused);
  void onSkipped(std::uint64_t id, QString message);
  void onFailed(std::uint64_t id, QString message);
  void onStopped(std::uint64_t id);

  QueueItem* mutableItem(std::uint64_t id);
  std::uint64_t addItem(QueueItem item);
  void setState(QueueItem& item, QueueItemState state, const QString& message = QString());
  void removeWorkFolderOf(const QueueItem& item);
  void runNext();
  void save() const;
  void load();

  Options options_;
  std::vector<QueueItem> items_;
  std::uint64_t next_id_ = 1;
  std::uint64_t running_id_ = 0;
  bool is_started_ = true;
  StopAction stop_action_ = StopAction::kNone;
  CancelToken cancel_;
  QThread thread_;
  ConversionQueueRunner* runner_ = nullptr;  // lives in thread_
};

// The photo format of a video layout (vr180: full side-by-side).
ExportFormat photoFormatOf(VideoOutputLayout layout);

// The work folder of a video conversion writing `output` (the converter's default:
// OUTPUT_FOLDER/.OUTPUT_NAME.genstereo).
std::filesystem::path videoWorkFolderOf(const std::filesystem::path& output);

}  // namespace genstereo::ui

// The workbench's document: the photo (or video frame) open with its map and, for a stereo file
// (MPO, JPS), its real right view (InputData), the kind of map the window reads it as, the open
// video with its per-frame maps, and the last result shown. The window and its views read it; the
// window decides what becomes current (setInput, setResult) and the document says so (inputChanged,
// resultChanged).
//
// Files are read off the engine thread (InputLoader: a thread of the global pool), so a long
// run never delays opening the next photo: the window cancels or replaces the run when the
// photo arrives.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <optional>
#include <utility>

#include "engine_types.h"

namespace genstereo::ui {

// Reads what `request` names: the photo (the left view of an MPO or JPS file, its right view
// as InputData::real_right) and its map (meta.json beside it, the request's PNG divisor), or
// the frame of a video (LoadRequest::video). Throws the core's errors (the file named) and
// std::bad_alloc.
InputDataPtr readInput(const LoadRequest& request);

// Reads inputs one at a time in a pool thread, the newest request first: a request made while
// one is read waits, and replaces any request waiting before it (a timeline drag reads the
// frames it stops at, not every one it passed). Only the answer to the newest request is sent.
class InputLoader : public QObject {
  Q_OBJECT

 public:
  explicit InputLoader(QObject* parent = nullptr);
  ~InputLoader() override;

  void load(const LoadRequest& request);
  bool isLoading() const { return watcher_.isRunning() || pending_.has_value(); }

 signals:
  void loaded(genstereo::ui::InputDataPtr input);
  void loadFailed(QString message);

 private:
  struct Outcome {
    InputDataPtr input;
    QString error;
  };
  void start(const LoadRequest& request);
  void onFinished();

  QFutureWatcher<Outcome> watcher_;
  std::optional<LoadRequest> pending_;
  quint64 next_id_ = 0;
  quint64 running_id_ = 0;
};

class StereoDocument : public QObject {
  Q_OBJECT

 public:
  explicit StereoDocument(QObject* parent = nullptr);

  // Reads a photo and its map, or a video frame, off the engine thread: loaded (not yet the
  // current input: the window makes it so with setInput) or loadFailed.
  void load(const LoadRequest& request);
  bool isLoading() const { return loader_.isLoading(); }

  // The photo or video frame open (nullptr: none).
  InputDataPtr input() const { return input_; }
  void setInput(const InputDataPtr& input);
  // The result shown (nullptr: none yet for the input).
  EngineResultPtr result() const { return result_; }
  void setResult(const EngineResultPtr& result);
  void clearResult() { setResult(nullptr); }
  // How the map of the photo being opened is read (found beside it, or guessed from its name).
  MapKind pendingMapKind() const { return pending_map_kind_; }
  void setPendingMapKind(MapKind kind) { pending_map_kind_ = kind; }
  // The open video (empty: a photo is open; input() is then the frame shown) and its per-frame
  // maps (none: the depth model estimates each frame's depth).
  QString videoPath() const { return video_path_; }
  void setVideoPath(const QString& path) { video_path_ = path; }
  const std::optional<VideoMapSource>& videoMaps() const { return video_maps_; }
  void setVideoMaps(std::optional<VideoMapSource> maps) { video_maps_ = std::move(maps); }

 signals:
  void loaded(genstereo::ui::InputDataPtr input);
  void loadFailed(QString message);
  void inputChanged();
  void resultChanged();

 private:
  InputLoader loader_;
  InputDataPtr input_;
  EngineResultPtr result_;
  MapKind pending_map_kind_ = MapKind::kDisparity;
  QString video_path_;
  std::optional<VideoMapSource> video_maps_;
};

}  // namespace genstereo::ui

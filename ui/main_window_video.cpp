// The video side of the workbench window: the timeline, seeking, the scene cut scan, the
// range player. A video frame is an InputData with `video` set: the engine thread renders it
// as the converter does (engine_worker.cpp), and every view shows it as it shows a photo.
#include <algorithm>
#include <cmath>

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QStatusBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "app_settings.h"
#include "command_line_builder.h"
#include "controls_panel.h"
#include "conversion_queue_dock.h"
#include "engine_controller.h"
#include "engine_worker.h"
#include "errors.h"
#include "inspection_panel.h"
#include "io/map_discovery.h"
#include "main_window.h"
#include "stereo_preview.h"
#include "video/media_source.h"
#include "video_command_line.h"
#include "video_export_dialog.h"
#include "video_range_player.h"
#include "video_timeline.h"

namespace genstereo::ui {

namespace fs = std::filesystem;

void MainWindow::createVideoTimeline() {
  timeline_ = new VideoTimeline(centralWidget());
  if (auto* layout = qobject_cast<QVBoxLayout*>(centralWidget()->layout())) {
    layout->addWidget(timeline_);
  }
  timeline_->hide();
  connect(timeline_, &VideoTimeline::seekRequested, this,
          [this](double time_s, bool is_final) { seekVideo(time_s, is_final); });
  connect(timeline_, &VideoTimeline::temporalToggled, this, [this](bool) {
    if (document_->input() && document_->input()->video) generate();
  });
  connect(timeline_, &VideoTimeline::playRequested, this,
          [this](double from_s) { playVideoRange(from_s); });
  connect(timeline_, &VideoTimeline::stepRequested, this, &MainWindow::stepToCut);
  connect(&cut_watcher_, &QFutureWatcher<std::vector<double>>::finished, this, [this] {
    try {
      video_cuts_ = cut_watcher_.result();
      timeline_->setCuts(video_cuts_, true);
    } catch (const std::exception&) {
      timeline_->setCuts(video_cuts_, false);  // cancelled or unreadable: the cuts found so far
    }
    emit videoCutsFound();
  });
}

namespace {

// The cache folder of the frame renders of `video` (one per video path).
fs::path videoWorkFolderOf(const QString& video) {
  const QString cache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
  const QByteArray key =
      QCryptographicHash::hash(video.toUtf8(), QCryptographicHash::Sha1).toHex().left(16);
  return fs::path(
      (cache + QStringLiteral("/video-frames/") + QString::fromLatin1(key)).toStdString());
}

}  // namespace

fs::path MainWindow::videoWorkFolder() const { return videoWorkFolderOf(document_->videoPath()); }

void MainWindow::openVideo(const QString& path, const QString& map_path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  if (absolute != document_->videoPath()) document_->setVideoMaps(std::nullopt);
  if (!map_path.isEmpty()) {
    document_->setVideoMaps(
        VideoMapSource{fs::path(QFileInfo(map_path).absoluteFilePath().toStdString()),
                       guessMapKind(map_path.toStdString())});
  }
  LoadRequest request;
  request.image_path = absolute;
  VideoFrameRequest frame;
  frame.time_s = 0.0;
  frame.map = document_->videoMaps();
  request.video = frame;
  is_seek_final_ = true;
  statusBar()->showMessage(tr("Reading %1…").arg(QDir::toNativeSeparators(absolute)));
  request.video->work_dir = videoWorkFolderOf(absolute);
  document_->load(request);
}

void MainWindow::seekVideo(double time_s, bool is_final) {
  if (document_->videoPath().isEmpty()) return;
  LoadRequest request;
  request.image_path = document_->videoPath();
  VideoFrameRequest frame;
  frame.time_s = std::max(0.0, time_s);
  frame.map = document_->videoMaps();
  frame.work_dir = videoWorkFolder();
  request.video = frame;
  is_seek_final_ = is_final;
  if (is_final) controller_->cancel();  // the frame left behind needs no render
  document_->load(request);
}

void MainWindow::setVideoMaps(const QString& path, MapKind kind) {
  if (document_->videoPath().isEmpty()) return;
  if (path.isEmpty()) {
    document_->setVideoMaps(std::nullopt);
  } else {
    document_->setVideoMaps(VideoMapSource{fs::path(path.toStdString()), kind});
  }
  seekVideo(
      document_->input() && document_->input()->video ? document_->input()->video->time_s : 0.0,
      true);
}

void MainWindow::onVideoFrameLoaded(const InputDataPtr& input) {
  const bool is_new_video = input->image_path != document_->videoPath();
  document_->setInput(input);
  document_->clearResult();
  export_gate_.photoChanged();
  const VideoFrameInput& video = *input->video;
  if (is_new_video) {
    document_->setVideoPath(input->image_path);
    video_cuts_.clear();
    AppSettings::addRecentFile(input->image_path);
    setWindowTitle(tr("%1 — GenStereo").arg(QFileInfo(input->image_path).fileName()));
    timeline_->setVideo(video.source->duration_s, video.source->average_fps);
    timeline_->setTemporalOn(true);
    timeline_->show();
    // The video defaults (a fixed screen plane, no per-frame parallax limit): what
    // `genstereo-cli video` does without options.
    controls_->setParams(videoDefaultParams(controls_->params()));
    debounce_.stop();
    startCutScan();
    open_map_action_->setEnabled(true);
  }
  timeline_->setCurrentFrame(video.time_s, video.frame_estimate);
  export_action_->setEnabled(true);  // a conversion needs no result on screen
  wiggle_action_->setEnabled(false);
  if (!canSynthesize()) {
    showBanner(
        tr("This video has no per-frame maps and no depth model was found: install one "
           "with Models… (Depth Anything V2 Small is enough), or open a folder of "
           "per-frame maps with Open Map."));
    inspection_->showInputOnly(input->image_qimage, tr("No depth for this video yet."));
    emit inputLoaded();
    return;
  }
  banner_->hide();
  generate_action_->setEnabled(true);
  const QString where =
      tr("frame %1 at %2").arg(video.frame_estimate).arg(VideoTimeline::formatTime(video.time_s));
  if (is_seek_final_) {
    inspection_->showInputOnly(input->image_qimage,
                               tr("Rendering %1 with its temporal window…").arg(where));
    generate();
  } else {
    inspection_->showInputOnly(input->image_qimage,
                               tr("%1: release the scrubber to render it.").arg(where));
  }
  emit inputLoaded();
}

void MainWindow::closeVideo() {
  cut_cancel_.cancel();
  cut_watcher_.waitForFinished();
  if (range_player_ != nullptr) range_player_->stop();
  document_->setVideoPath(QString());
  document_->setVideoMaps(std::nullopt);
  video_cuts_.clear();
  timeline_->hide();
}

void MainWindow::startCutScan() {
  cut_cancel_.cancel();
  cut_watcher_.waitForFinished();
  cut_cancel_ = CancelToken();
  const fs::path path(document_->videoPath().toStdString());
  const CancelToken cancel = cut_cancel_;
  const TemporalSettings temporal = temporalSettingsOf(true);
  QPointer<VideoTimeline> timeline = timeline_;
  timeline_->setScanProgress(0.0);
  cut_watcher_.setFuture(QtConcurrent::run([path, cancel, temporal, timeline] {
    return findSceneCuts(path, temporal, cancel, [timeline](double fraction) {
      if (!timeline) return;
      QMetaObject::invokeMethod(
          timeline,
          [timeline, fraction] {
            if (timeline) timeline->setScanProgress(fraction);
          },
          Qt::QueuedConnection);
    });
  }));
}

void MainWindow::stepToCut(int direction) {
  if (!document_->input() || !document_->input()->video) return;
  const double now = document_->input()->video->time_s;
  double target = -1.0;
  if (direction > 0) {
    for (double cut : video_cuts_) {
      if (cut > now + 1e-3) {
        target = cut;
        break;
      }
    }
  } else {
    for (auto it = video_cuts_.rbegin(); it != video_cuts_.rend(); ++it) {
      if (*it < now - 1e-3) {
        target = *it;
        break;
      }
    }
    if (target < 0 && now > 0) target = 0.0;
  }
  if (target >= 0) {
    timeline_->setCurrentFrame(target, -1);
    seekVideo(target, true);
  }
}

VideoParams MainWindow::currentVideoParams(const VideoExportSettings& settings,
                                           const fs::path& output) const {
  return videoParamsOf(currentParams(), timeline_->isTemporalOn(), settings,
                       fs::path(document_->videoPath().toStdString()), output,
                       document_->videoMaps());
}

void MainWindow::playVideoRange(double from_s, double seconds) {
  if (document_->videoPath().isEmpty()) return;
  if (range_player_ == nullptr) {
    range_player_ = new VideoRangePlayer(this);
    connect(range_player_, &VideoRangePlayer::finishedRendering, this, [this](bool is_ok) {
      if (is_ok && range_player_->metrics()) {
        timeline_->setMetricsText(describeRangeMetrics(*range_player_->metrics()));
      }
    });
  }
  VideoExportSettings settings;
  settings.start_s = std::max(0.0, from_s);
  settings.end_s = from_s + std::clamp(seconds, 0.5, 10.0);
  VideoParams params = currentVideoParams(settings, fs::path());
  params.work_dir = videoWorkFolder() / "range";
  range_player_->start(params, engineOptionsOf(currentParams().models));
  range_player_->show();
  range_player_->raise();
}

void MainWindow::createQueueDock(QMenu* view_menu) {
  queue_dock_ = new ConversionQueueDock(
      [this] {
        return QueueItemSettings{currentParams(), video_export_settings_,
                                 AppSettings::lastExportFolder(), false};
      },
      this);
  addDockWidget(Qt::BottomDockWidgetArea, queue_dock_);
  // Shown when something is queued (or was left waiting by the last session).
  queue_dock_->setVisible(!queue_dock_->queue()->items().empty());
  QAction* toggle = queue_dock_->toggleViewAction();
  toggle->setText(tr("&Conversion Queue"));
  toggle->setShortcut(QKeySequence(tr("Ctrl+Shift+Q")));
  view_menu->addAction(toggle);
}

std::uint64_t MainWindow::queueCurrentVideo(const VideoExportSettings& settings,
                                            const QString& folder) {
  if (document_->videoPath().isEmpty()) return 0;
  video_export_settings_ = settings;
  QueueItemSettings item{currentParams(), settings, folder, false};
  const std::uint64_t id =
      queue_dock_->queue()->addVideo(document_->videoPath(), item, document_->videoMaps());
  queue_dock_->show();
  queue_dock_->raise();
  statusBar()->showMessage(
      tr("%1 added to the conversion queue.").arg(QFileInfo(document_->videoPath()).fileName()),
      5000);
  return id;
}

void MainWindow::chooseVideoExport() {
  if (!document_->input() || !document_->input()->video) return;
  QString folder = AppSettings::lastExportFolder();
  if (folder.isEmpty()) folder = QFileInfo(document_->videoPath()).absolutePath();
  VideoExportDialog dialog(*document_->input()->video->source, video_export_settings_, folder,
                           this);
  if (dialog.exec() != QDialog::Accepted) return;
  AppSettings::setLastExportFolder(dialog.folder());
  queueCurrentVideo(dialog.settings(), dialog.folder());
}

QString MainWindow::videoCommandLine() const {
  VideoCommandInputs inputs;
  inputs.video_path = QDir::toNativeSeparators(document_->videoPath());
  inputs.map = document_->videoMaps();
  // The video's folder, as for photos (the status message names it).
  inputs.output_dir = QDir::toNativeSeparators(QFileInfo(document_->videoPath()).absolutePath());
  return shellCommandLine(videoCommandArguments(currentParams(), timeline_->isTemporalOn(),
                                                video_export_settings_, inputs));
}

}  // namespace genstereo::ui

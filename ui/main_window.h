// The GenStereo workbench window: menus and shortcuts, the inspection views, the stereo
// previews, the 3D view, the controls, the engine thread's progress, export and errors.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include <QFutureWatcher>
#include <QLabel>
#include <QMainWindow>
#include <QMenu>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QStringList>
#include <QTabWidget>
#include <QTimer>

#include "engine_types.h"
#include "export_gate.h"
#include "full_screen_preview.h"
#include "model_weights.h"
#include "preview_proxy.h"
#include "stereo_document.h"
#include "stereo_exporter.h"
#include "video_settings.h"
#include "wiggle_export_dialog.h"

namespace genstereo::ui {

class BeforeAfterView;
class ControlsPanel;
class WiggleExporter;
class EngineController;
class InspectionPanel;
class Scene3DView;
class StereoPreview;
class ConversionQueueDock;
class VideoRangePlayer;
class VideoTimeline;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  enum Tab { kInspectTab, kPreviewTab, k3DTab, kCompareTab };

  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Opens a photo. Without `map_path` a disparity or depth map beside it is looked for
  // (io/map_discovery.h); without any map the photo is shown with a message.
  void openImage(const QString& image_path, const QString& map_path = QString());
  // Opens a disparity or depth map for the current photo.
  void openMap(const QString& map_path);
  void openSample();
  // Runs the engine now on the current photo and controls (full resolution).
  void generate();
  // Live preview during a drag: the engine on a proxy no larger than the view on screen
  // (preview_proxy.h), one run after the other while the slider moves.
  void generateLive();
  void cancelRun();
  // Writes the result that matches the controls as requested, off the UI thread: at once when
  // it is on screen, otherwise after the full-resolution run for the controls (started when
  // none is on its way; progress and Cancel in the status bar). Replaces existing files
  // (chooseExport asks first).
  void exportCurrent(const ExportRequest& request);
  // An export waits for the result of the current controls.
  bool isExportWaiting() const { return export_gate_.isHolding(); }
  void showTab(Tab tab);
  // Swap eyes: the previews and every export use the views exchanged.
  void setEyesSwapped(bool is_swapped);
  bool areEyesSwapped() const;
  // The current result as previewed and exported (eyes swapped or not); nullptr when none.
  EngineResultPtr displayedResult() const;
  // Writes the wiggle (left/right alternating) of the displayed result, off the UI thread.
  void exportWiggle(const WiggleExportRequest& request);
  // The genstereo-cli generate call for the current photo and controls (empty: no photo);
  // copyCommandLine() puts it on the clipboard.
  QString commandLine() const;
  void copyCommandLine();
  // F11: the full-screen preview on or off; nullptr when it is not shown.
  void toggleFullScreenPreview();
  FullScreenPreview* fullScreenPreview() const { return full_screen_; }
  // B: the Before/after tab, or there the other picture.
  void toggleBeforeAfter();
  BeforeAfterView* beforeAfter() const { return before_after_; }

  // The bundled sample (resources/sample/left.png), or an empty string when not found.
  static QString sampleImagePath();

  // Video (main_window_video.cpp). Opens a video: the timeline with its scene cuts, the
  // controls at the video defaults, the first frame rendered as the converter renders it.
  // openImage() of a video file comes here. `map_path`: per-frame maps (see setVideoMaps).
  void openVideo(const QString& path, const QString& map_path = QString());
  bool isVideoOpen() const { return !document_->videoPath().isEmpty(); }
  QString videoPath() const { return document_->videoPath(); }
  // Shows the frame at `time_s`; renders it when `is_final` (a drag shows the frame only).
  void seekVideo(double time_s, bool is_final = true);
  // Per-frame maps for the open video (a folder of maps, or a 16-bit grey video); an empty
  // path: none (the depth model estimates it).
  void setVideoMaps(const QString& path, MapKind kind = MapKind::kInverseDepth);
  // The scene cuts found in the open video (seconds), complete once videoCutsFound was sent.
  const std::vector<double>& videoSceneCuts() const { return video_cuts_; }
  // Plays a few seconds from `from_s`, rendered ahead (video_range_player.h).
  void playVideoRange(double from_s, double seconds = 3.0);
  VideoTimeline* videoTimeline() const { return timeline_; }
  // The conversion queue (View > Conversion queue): videos, photos and folders converted one
  // after the other with pause, resume (also after a restart) and cancel.
  ConversionQueueDock* queueDock() const { return queue_dock_; }
  // Adds the open video with the window's controls and `settings` to the queue, into
  // `folder`, and shows the queue. Returns the item's id (0: no video open).
  std::uint64_t queueCurrentVideo(const VideoExportSettings& settings, const QString& folder);
  VideoRangePlayer* rangePlayer() const { return range_player_; }
  // The engine's parameters of a conversion of the open video with the window's controls.
  VideoParams currentVideoParams(const VideoExportSettings& settings,
                                 const std::filesystem::path& output) const;
  // Where the frame renders of the open video keep their depth caches.
  std::filesystem::path videoWorkFolder() const;

  ControlsPanel* controls() const { return controls_; }
  InspectionPanel* inspection() const { return inspection_; }
  StereoPreview* preview() const { return preview_; }
  // The 3D view, created on first use; nullptr where Qt3D cannot render.
  Scene3DView* scene3D();
  EngineResultPtr currentResult() const { return document_->result(); }
  InputDataPtr currentInput() const { return document_->input(); }
  // The document: the photo open, its map and the result shown; reads photos off the engine
  // thread.
  StereoDocument* document() const { return document_; }
  bool isBusy() const;
  QPushButton* cancelButton() const { return cancel_button_; }
  QString pixelInspectorText() const { return inspector_label_->text(); }
  QString bannerText() const { return banner_->isVisible() ? banner_->text() : QString(); }
  // The state of the model weights, as last checked (start, Preferences, each photo).
  const WeightsStatus& weightsStatus() const { return weights_; }
  // Checks the models folder of the settings again and updates the engine list.
  void refreshWeights();

 signals:
  void inputLoaded();
  void resultShown();
  void runCancelled();
  void exportFinished(QStringList paths);
  void wiggleExported(QString path);
  // An error dialog (non-modal, object name "errorDialog") is on screen with this message.
  void errorShown(QString message);
  // The scene cut scan of the open video has ended.
  void videoCutsFound();

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

 private:
  struct ExportOutcome {
    QStringList paths;
    QString error;
  };

  // Writes `request` from the current result, off the UI thread.
  void startExport(const ExportRequest& request);
  void createActions();
  void createDock();
  void createStatusBar();
  void rebuildRecentMenu();
  void chooseImage();
  void chooseMap();
  void chooseExport();
  void showPreferences();
  void showAbout();
  void showError(const QString& message);
  void showBanner(const QString& text);
  void onLoaded(const InputDataPtr& input);
  void onResult(const EngineResultPtr& result);
  void onProgress(double fraction, const QString& stage, double elapsed_ms, double eta_ms);
  void onBusyChanged(bool is_busy);
  void onParamsChanged();
  // The controls and the model settings, as the engine reads them.
  EngineParams currentParams() const;
  // A photo can be synthesised: it has a map, or a depth checkpoint is there to estimate one.
  bool canSynthesize() const;
  // Banner, messages and actions for the current photo without a map.
  void showMaplessPhoto();
  // The picked screen point (ConvergenceMode::kPoint) marked in the views that show the
  // photo's geometry (input, disparity, stereo preview); no marker otherwise.
  void updateScreenPointMarkers();
  void onPixelHovered(QPoint pixel);
  void onTabChanged(int index);
  void zoomCurrent(double factor);
  void fitCurrent();
  void chooseWiggleExport();
  void updateBeforeAfter();
  // Video (main_window_video.cpp).
  void createVideoTimeline();
  void createQueueDock(QMenu* view_menu);
  // The genstereo-cli video call for the open video and the window's controls.
  QString videoCommandLine() const;
  void chooseVideoExport();
  void onVideoFrameLoaded(const InputDataPtr& input);
  void closeVideo();
  void startCutScan();
  void stepToCut(int direction);

  EngineController* controller_ = nullptr;
  ControlsPanel* controls_ = nullptr;
  InspectionPanel* inspection_ = nullptr;
  StereoPreview* preview_ = nullptr;
  Scene3DView* scene_3d_ = nullptr;
  QWidget* scene_3d_page_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  QLabel* banner_ = nullptr;
  QLabel* inspector_label_ = nullptr;
  QLabel* progress_label_ = nullptr;
  QProgressBar* progress_bar_ = nullptr;
  QPushButton* cancel_button_ = nullptr;
  QLabel* timing_label_ = nullptr;
  QMenu* recent_menu_ = nullptr;
  QAction* export_action_ = nullptr;
  QAction* open_map_action_ = nullptr;
  QAction* generate_action_ = nullptr;
  QAction* cancel_action_ = nullptr;
  QAction* wiggle_action_ = nullptr;
  QAction* swap_eyes_action_ = nullptr;
  BeforeAfterView* before_after_ = nullptr;
  QPointer<FullScreenPreview> full_screen_;
  WiggleExporter* wiggle_exporter_ = nullptr;
  QTimer debounce_;
  QFutureWatcher<ExportOutcome> export_watcher_;
  ExportGate export_gate_;
  ProxyBudget proxy_budget_;

  // The photo or video frame open, its map kind and the result shown (stereo_document.h).
  StereoDocument* document_ = nullptr;
  WeightsStatus weights_;
  EngineKind last_engine_ = EngineKind::kWeightFree;

  // The open video (empty path: a photo is open).
  VideoTimeline* timeline_ = nullptr;
  ConversionQueueDock* queue_dock_ = nullptr;
  VideoExportSettings video_export_settings_;
  VideoRangePlayer* range_player_ = nullptr;
  bool is_seek_final_ = true;
  std::vector<double> video_cuts_;
  QFutureWatcher<std::vector<double>> cut_watcher_;
  CancelToken cut_cancel_;
};

}  // namespace genstereo::ui

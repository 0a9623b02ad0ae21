#include "main_window.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <optional>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QGuiApplication>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QSlider>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "app_settings.h"
#include "before_after_view.h"
#include "comfort_controls.h"
#include "command_line_builder.h"
#include "controls_panel.h"
#include "engine_controller.h"
#include "export_dialog.h"
#include "export_overwrite.h"
#include "eye_labels.h"
#include "eye_swap.h"
#include "full_screen_preview.h"
#include "image_view.h"
#include "inspection_panel.h"
#include "io/map_discovery.h"
#include "memory_release.h"
#include "models_dialog.h"
#include "number_format.h"
#include "preferences_dialog.h"
#include "preview_proxy.h"
#include "scene_3d_view.h"
#include "stereo_preview.h"
#include "video/media_source.h"
#include "video_range_player.h"
#include "video_timeline.h"
#include "wiggle_exporter.h"

namespace genstereo::ui {

namespace {

constexpr int kDebounceMs = 150;
constexpr int kProgressRange = 1000;  // the progress bar's steps for the engine's fraction

const QString kImageFilter =
    QStringLiteral("*.png *.jpg *.jpeg *.tif *.tiff *.webp *.bmp *.mpo *.jps");
const QString kVideoFilter = QStringLiteral(
    "*.mp4 *.mkv *.mov *.webm *.avi *.m4v *.ts *.mts *.m2ts *.wmv *.flv *.mpg *.mpeg");
const QString kMapFilter = QStringLiteral("*.pfm *.png *.tif *.tiff *.npy");

bool looksLikeMap(const QFileInfo& file) {
  const QString name = file.fileName().toLower();
  const QString suffix = file.suffix().toLower();
  return suffix == QLatin1String("pfm") || suffix == QLatin1String("npy") ||
         name.contains(QLatin1String("disp")) || name.contains(QLatin1String("depth"));
}

QString formatSeconds(double ms) { return formatDecimal(ms / 1000.0, ms < 10000.0 ? 2 : 1); }

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("GenStereo"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/genstereo.svg")));
  setAcceptDrops(true);
  document_ = new StereoDocument(this);
  controller_ = new EngineController(this);

  auto* central = new QWidget(this);
  auto* central_layout = new QVBoxLayout(central);
  central_layout->setContentsMargins(0, 0, 0, 0);
  banner_ = new QLabel(central);
  banner_->setObjectName(QStringLiteral("banner"));
  banner_->setWordWrap(true);
  banner_->setMargin(8);
  banner_->setStyleSheet(
      QStringLiteral("QLabel#banner { background: #fff4ce; color: #4a3b00; "
                     "border-bottom: 1px solid #e0c060; }"));
  banner_->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
  connect(banner_, &QLabel::linkActivated, this, [this](const QString& link) {
    if (link == QLatin1String("genstereo:open-map")) {
      chooseMap();
    } else if (link == QLatin1String("genstereo:download-depth")) {
      ModelsDialog dialog(AppSettings::modelsFolder(), this);
      dialog.show();
      dialog.download(QStringLiteral("depth-small"));
      dialog.exec();
      refreshWeights();
      if (document_->input() && !document_->input()->map) showMaplessPhoto();
    }
  });
  banner_->hide();
  central_layout->addWidget(banner_);
  tabs_ = new QTabWidget(central);
  inspection_ = new InspectionPanel(tabs_);
  preview_ = new StereoPreview(tabs_);
  scene_3d_page_ = new QWidget(tabs_);
  new QVBoxLayout(scene_3d_page_);
  tabs_->addTab(inspection_, tr("&Inspect"));
  tabs_->addTab(preview_, tr("Stereo &preview"));
  tabs_->addTab(scene_3d_page_, tr("&3D"));
  before_after_ = new BeforeAfterView(tabs_);
  tabs_->addTab(before_after_, tr("&Before/after"));
  central_layout->addWidget(tabs_, 1);
  setCentralWidget(central);
  createVideoTimeline();

  createDock();
  createActions();
  createStatusBar();
  refreshWeights();
  if (!AppSettings::isFirstStartHintShown()) {
    // One hint, once: in the banner instead of the empty input view.
    AppSettings::setFirstStartHintShown();
    inspection_->showInputOnly(QImage(), QString());
    showBanner(
        tr("<b>Welcome to GenStereo.</b> Open a photo or a video with File > Open… (Ctrl+O) "
           "or drop it onto the window; Help > Open Sample (Ctrl+Shift+O) shows a "
           "photo with its disparity map."));
  }

  debounce_.setSingleShot(true);
  debounce_.setInterval(kDebounceMs);
  connect(&debounce_, &QTimer::timeout, this, &MainWindow::generate);
  connect(controls_, &ControlsPanel::paramsChanged, this, &MainWindow::onParamsChanged);
  for (QSlider* slider : controls_->findChildren<QSlider*>()) {
    // The drag ends: the full resolution (the proxy only stood in while the slider moved).
    connect(slider, &QSlider::sliderReleased, this, [this] {
      if (controls_->isLivePreview() && canSynthesize()) generate();
    });
  }
  connect(inspection_, &InspectionPanel::pixelHovered, this, &MainWindow::onPixelHovered);
  ComfortControls* comfort = controls_->comfortControls();
  connect(comfort->pickButton(), &QPushButton::toggled, this, [this](bool is_on) {
    inspection_->setPickArmed(is_on);
    preview_->setPickArmed(is_on);
    if (!is_on) return;
    if (tabs_->currentIndex() != kInspectTab && tabs_->currentIndex() != kPreviewTab) {
      showTab(kInspectTab);
    }
    statusBar()->showMessage(
        tr("Click the point of the photo to put on the screen plane (Input or Disparity view, "
           "or the stereo preview)."));
  });
  const auto pick = [this, comfort](QPoint pixel) {
    comfort->setScreenPoint(cv::Point(pixel.x(), pixel.y()));  // unchecks the pick button
    statusBar()->showMessage(
        tr("Screen plane at pixel (%1, %2) of the photo.").arg(pixel.x()).arg(pixel.y()), 5000);
  };
  connect(inspection_, &InspectionPanel::pixelPicked, this, pick);
  connect(preview_, &StereoPreview::pixelPicked, this, pick);
  connect(tabs_, &QTabWidget::currentChanged, this, &MainWindow::onTabChanged);

  // The document reads photos off the engine thread; a new one resets the run's estimate.
  connect(document_, &StereoDocument::loaded, controller_, &EngineController::forgetPhoto);
  connect(document_, &StereoDocument::loaded, this, &MainWindow::onLoaded);
  connect(document_, &StereoDocument::loadFailed, this, &MainWindow::showError);
  connect(controller_, &EngineController::finished, this, &MainWindow::onResult);
  connect(controller_, &EngineController::failed, this, [this](const QString& message) {
    export_gate_.runEnded();
    if (export_gate_.isHolding()) {
      export_gate_.drop();
      statusBar()->showMessage(tr("Export cancelled: the run failed."), 8000);
    }
    showError(message);
  });
  connect(controller_, &EngineController::progressed, this, &MainWindow::onProgress);
  connect(controller_, &EngineController::busyChanged, this, &MainWindow::onBusyChanged);
  connect(controller_, &EngineController::cancelled, this, [this] {
    export_gate_.runEnded();
    if (!controller_->isBusy() && export_gate_.isHolding()) {
      export_gate_.drop();
      statusBar()->showMessage(tr("Export cancelled; nothing was written."), 8000);
      emit runCancelled();
      return;
    }
    statusBar()->showMessage(
        document_->result() ? tr("Cancelled; the last result stays in place.") : tr("Cancelled."),
        5000);
    emit runCancelled();
  });
  connect(&export_watcher_, &QFutureWatcher<ExportOutcome>::finished, this, [this] {
    const ExportOutcome outcome = export_watcher_.result();
    export_action_->setEnabled(document_->result() != nullptr);
    if (!outcome.error.isEmpty()) {
      showError(outcome.error);
      return;
    }
    statusBar()->showMessage(
        tr("Exported %n file(s).", nullptr, static_cast<int>(outcome.paths.size())), 8000);
    emit exportFinished(outcome.paths);
  });
  wiggle_exporter_ = new WiggleExporter(this);
  connect(wiggle_exporter_, &WiggleExporter::finished, this, [this](const QString& path) {
    wiggle_action_->setEnabled(document_->result() != nullptr);
    statusBar()->showMessage(tr("Wiggle written to %1.").arg(QDir::toNativeSeparators(path)), 8000);
    emit wiggleExported(path);
  });
  connect(wiggle_exporter_, &WiggleExporter::failed, this, [this](const QString& message) {
    wiggle_action_->setEnabled(document_->result() != nullptr);
    showError(message);
  });
  connect(preview_, &StereoPreview::previewUpdated, this, [this] {
    if (full_screen_) full_screen_->setAfterImage(preview_->currentImage());
  });
  resize(1280, 860);
}

MainWindow::~MainWindow() { export_watcher_.waitForFinished(); }

void MainWindow::createDock() {
  auto* dock = new QDockWidget(tr("Controls"), this);
  dock->setObjectName(QStringLiteral("controlsDock"));
  dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  auto* content = new QWidget(dock);
  auto* layout = new QVBoxLayout(content);
  layout->setContentsMargins(0, 0, 0, 0);
  controls_ = new ControlsPanel(content);
  layout->addWidget(controls_);
  auto* inspector_group = new QGroupBox(tr("Pixel inspector"), content);
  auto* inspector_layout = new QVBoxLayout(inspector_group);
  inspector_label_ = new QLabel(tr("Point at an inspection view."), inspector_group);
  inspector_label_->setObjectName(QStringLiteral("pixelInspector"));
  inspector_label_->setTextFormat(Qt::PlainText);
  inspector_label_->setMinimumHeight(inspector_label_->fontMetrics().height() * 5);
  inspector_label_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  inspector_layout->addWidget(inspector_label_);
  layout->addWidget(inspector_group);
  layout->addStretch(1);
  auto* scroll = new QScrollArea(dock);
  scroll->setWidget(content);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setMinimumWidth(content->sizeHint().width() + 20);
  dock->setWidget(scroll);
  addDockWidget(Qt::RightDockWidgetArea, dock);
  resizeDocks({dock}, {scroll->minimumWidth()}, Qt::Horizontal);
}

void MainWindow::createActions() {
  const auto icon = [](const char* name) {
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name)));
  };

  QMenu* file_menu = menuBar()->addMenu(tr("&File"));
  QAction* open_action =
      file_menu->addAction(icon("open"), tr("&Open…"), this, &MainWindow::chooseImage);
  open_action->setShortcut(QKeySequence::Open);
  open_map_action_ = file_menu->addAction(icon("open-map"), tr("Open &Disparity/Depth…"), this,
                                          &MainWindow::chooseMap);
  open_map_action_->setShortcut(QKeySequence(tr("Ctrl+D")));
  open_map_action_->setEnabled(false);
  recent_menu_ = file_menu->addMenu(tr("Open &Recent"));
  connect(recent_menu_, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
  file_menu->addSeparator();
  export_action_ =
      file_menu->addAction(icon("export"), tr("&Export…"), this, &MainWindow::chooseExport);
  export_action_->setShortcut(QKeySequence(tr("Ctrl+E")));
  export_action_->setEnabled(false);
  wiggle_action_ =
      file_menu->addAction(tr("Export &Wiggle…"), this, &MainWindow::chooseWiggleExport);
  wiggle_action_->setObjectName(QStringLiteral("wiggleAction"));
  wiggle_action_->setShortcut(QKeySequence(tr("Ctrl+Shift+E")));
  wiggle_action_->setEnabled(false);
  file_menu->addSeparator();
  QAction* preferences_action = file_menu->addAction(icon("preferences"), tr("&Preferences…"), this,
                                                     &MainWindow::showPreferences);
  preferences_action->setShortcut(QKeySequence(tr("Ctrl+,")));
  QAction* models_action = file_menu->addAction(tr("&Models…"), this, [this] {
    ModelsDialog dialog(AppSettings::modelsFolder(), this);
    dialog.exec();
    refreshWeights();
    if (document_->input() && !document_->input()->map) showMaplessPhoto();
  });
  models_action->setObjectName(QStringLiteral("modelsAction"));
  file_menu->addSeparator();
  QAction* quit_action = file_menu->addAction(tr("&Quit"), this, &QWidget::close);
  quit_action->setShortcut(QKeySequence::Quit);

  QMenu* engine_menu = menuBar()->addMenu(tr("E&ngine"));
  generate_action_ =
      engine_menu->addAction(icon("generate"), tr("&Generate"), this, &MainWindow::generate);
  generate_action_->setShortcut(QKeySequence(Qt::Key_F5));
  generate_action_->setEnabled(false);
  cancel_action_ =
      engine_menu->addAction(icon("cancel"), tr("&Cancel"), this, &MainWindow::cancelRun);
  cancel_action_->setShortcut(QKeySequence(Qt::Key_Escape));
  cancel_action_->setEnabled(false);
  engine_menu->addSeparator();
  QAction* copy_command =
      engine_menu->addAction(tr("Copy as Command &Line"), this, &MainWindow::copyCommandLine);
  copy_command->setObjectName(QStringLiteral("copyCommandLineAction"));
  copy_command->setShortcut(QKeySequence(tr("Ctrl+Shift+C")));
  copy_command->setStatusTip(
      tr("The genstereo-cli generate call for this photo and these controls."));

  QMenu* view_menu = menuBar()->addMenu(tr("&View"));
  const std::array<QString, 3> tab_names = {tr("&Inspection Views"), tr("Stereo &Preview"),
                                            tr("&3D View")};
  for (int i = 0; i < 3; ++i) {
    QAction* action =
        view_menu->addAction(tab_names[i], this, [this, i] { showTab(static_cast<Tab>(i)); });
    action->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
  }
  QAction* compare_tab =
      view_menu->addAction(tr("&Before/After"), this, [this] { showTab(kCompareTab); });
  compare_tab->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_4));
  view_menu->addSeparator();
  QAction* toggle_before_after =
      view_menu->addAction(tr("Toggle Before/After"), this, &MainWindow::toggleBeforeAfter);
  toggle_before_after->setShortcut(QKeySequence(Qt::Key_B));
  QAction* full_screen =
      view_menu->addAction(tr("F&ull-Screen Preview"), this, &MainWindow::toggleFullScreenPreview);
  full_screen->setShortcut(QKeySequence(Qt::Key_F11));
  swap_eyes_action_ = view_menu->addAction(tr("&Swap Eyes"));
  swap_eyes_action_->setObjectName(QStringLiteral("swapEyesAction"));
  swap_eyes_action_->setCheckable(true);
  swap_eyes_action_->setShortcut(QKeySequence(tr("Ctrl+Shift+X")));
  swap_eyes_action_->setStatusTip(
      tr("Exchange the left and right views in the previews and exports."));
  connect(swap_eyes_action_, &QAction::toggled, this, &MainWindow::setEyesSwapped);
  view_menu->addSeparator();
  QAction* zoom_in =
      view_menu->addAction(icon("zoom-in"), tr("Zoom &In"), this, [this] { zoomCurrent(1.25); });
  zoom_in->setShortcuts({QKeySequence::ZoomIn, QKeySequence(tr("Ctrl+="))});
  QAction* zoom_out =
      view_menu->addAction(icon("zoom-out"), tr("Zoom &Out"), this, [this] { zoomCurrent(0.8); });
  zoom_out->setShortcut(QKeySequence::ZoomOut);
  QAction* fit =
      view_menu->addAction(icon("zoom-fit"), tr("&Fit in Window"), this, &MainWindow::fitCurrent);
  fit->setShortcut(QKeySequence(tr("Ctrl+0")));
  view_menu->addSeparator();
  createQueueDock(view_menu);

  QMenu* help_menu = menuBar()->addMenu(tr("&Help"));
  QAction* sample_action =
      help_menu->addAction(icon("sample"), tr("Open &Sample"), this, &MainWindow::openSample);
  sample_action->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
  help_menu->addAction(tr("&About GenStereo"), this, &MainWindow::showAbout);

  QToolBar* toolbar = addToolBar(tr("Main"));
  toolbar->setObjectName(QStringLiteral("mainToolBar"));
  toolbar->setIconSize(QSize(22, 22));
  toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  toolbar->addAction(open_action);
  toolbar->addAction(open_map_action_);
  toolbar->addAction(sample_action);
  toolbar->addAction(export_action_);
  toolbar->addSeparator();
  toolbar->addAction(generate_action_);
  toolbar->addAction(cancel_action_);
  toolbar->addSeparator();
  toolbar->addAction(zoom_in);
  toolbar->addAction(zoom_out);
  toolbar->addAction(fit);
  for (QAction* action : {zoom_in, zoom_out, fit}) {
    if (QWidget* button = toolbar->widgetForAction(action)) {
      qobject_cast<QToolButton*>(button)->setToolButtonStyle(Qt::ToolButtonIconOnly);
    }
  }
}

void MainWindow::createStatusBar() {
  progress_label_ = new QLabel(this);
  progress_label_->setObjectName(QStringLiteral("progressLabel"));
  progress_bar_ = new QProgressBar(this);
  progress_bar_->setMaximumWidth(160);
  progress_bar_->setTextVisible(false);
  cancel_button_ = new QPushButton(QIcon(QStringLiteral(":/icons/cancel.svg")), tr("Cancel"), this);
  cancel_button_->setObjectName(QStringLiteral("cancelButton"));
  cancel_button_->setToolTip(tr("Stop the run after the current step (Esc)"));
  connect(cancel_button_, &QPushButton::clicked, this, &MainWindow::cancelRun);
  timing_label_ = new QLabel(this);
  timing_label_->setObjectName(QStringLiteral("timingLabel"));
  statusBar()->addPermanentWidget(progress_label_);
  statusBar()->addPermanentWidget(progress_bar_);
  statusBar()->addPermanentWidget(cancel_button_);
  statusBar()->addPermanentWidget(timing_label_);
  onBusyChanged(false);
  statusBar()->showMessage(tr("Ready."));  // the hint is in the input view or the banner
}

QString MainWindow::sampleImagePath() {
  QStringList candidates = {QDir(QCoreApplication::applicationDirPath())
                                .filePath(QStringLiteral("../share/genstereo/sample/left.png")),
                            QStandardPaths::locate(QStandardPaths::GenericDataLocation,
                                                   QStringLiteral("genstereo/sample/left.png")),
                            QStringLiteral(GENSTEREO_SOURCE_SAMPLE_DIR "/left.png")};
  for (const QString& candidate : candidates) {
    if (!candidate.isEmpty() && QFileInfo::exists(candidate))
      return QFileInfo(candidate).absoluteFilePath();
  }
  return QString();
}

void MainWindow::openSample() {
  const QString path = sampleImagePath();
  if (path.isEmpty()) {
    showError(tr("The bundled sample (share/genstereo/sample/left.png) is not installed."));
    return;
  }
  openImage(path);
}

void MainWindow::openImage(const QString& image_path, const QString& map_path) {
  if (hasVideoExtension(std::filesystem::path(image_path.toStdString()))) {
    openVideo(image_path, map_path);
    return;
  }
  LoadRequest request;
  request.image_path = QFileInfo(image_path).absoluteFilePath();
  request.map_path = map_path;
  document_->setPendingMapKind(guessMapKind(map_path.toStdString()));
  if (map_path.isEmpty()) {
    try {
      // The one rule of the core (io/map_discovery.h), with meta.json's divisor.
      if (auto map = findMapOfPhoto(std::filesystem::path(request.image_path.toStdString()))) {
        request.map_path = QString::fromStdString(map->path.string());
        request.png_divisor = map->read_options.png_divisor;
        document_->setPendingMapKind(map->kind);
      }
    } catch (const std::exception& error) {  // a meta.json that does not parse
      showError(QString::fromStdString(error.what()));
      return;
    }
  }
  statusBar()->showMessage(tr("Reading %1…").arg(QDir::toNativeSeparators(request.image_path)));
  document_->load(request);
}

void MainWindow::openMap(const QString& map_path) {
  if (isVideoOpen()) {
    setVideoMaps(map_path, guessMapKind(map_path.toStdString()));
    return;
  }
  if (!document_->input()) {
    showError(tr("Open a photo first, then its disparity or depth map."));
    return;
  }
  openImage(document_->input()->image_path, map_path);
}

void MainWindow::chooseImage() {
  const QString start = document_->input()
                            ? QFileInfo(document_->input()->image_path).absolutePath()
                            : QDir::homePath();
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open Photo or Video"), start,
      tr("Images and videos (%1 %2);;Images (%1);;Videos (%2);;All files (*)")
          .arg(kImageFilter, kVideoFilter));
  if (!path.isEmpty()) openImage(path);
}

void MainWindow::chooseMap() {
  if (!document_->input()) return;
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open Disparity or Depth Map"),
      QFileInfo(document_->input()->image_path).absolutePath(),
      tr("Disparity or depth maps (%1);;All files (*)").arg(kMapFilter));
  if (!path.isEmpty()) openMap(path);
}

void MainWindow::rebuildRecentMenu() {
  recent_menu_->clear();
  const QStringList files = AppSettings::recentFiles();
  for (int i = 0; i < files.size(); ++i) {
    const QString& path = files[i];
    QAction* action =
        recent_menu_->addAction(tr("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()), this,
                                [this, path] { openImage(path); });
    action->setToolTip(QDir::toNativeSeparators(path));
    action->setStatusTip(QDir::toNativeSeparators(path));
  }
  if (files.isEmpty()) recent_menu_->addAction(tr("No recent photos"))->setEnabled(false);
  recent_menu_->addSeparator();
  recent_menu_->addAction(tr("&Clear List"), this, [] { AppSettings::clearRecentFiles(); })
      ->setEnabled(!files.isEmpty());
}

void MainWindow::onLoaded(const InputDataPtr& input) {
  if (input->video) {
    onVideoFrameLoaded(input);
    return;
  }
  if (isVideoOpen()) closeVideo();
  const bool is_new_photo =
      !document_->input() || document_->input()->image_path != input->image_path;
  document_->setInput(input);
  controls_->comfortControls()->clearBudget();
  if (is_new_photo) {
    // A screen point picked on another photo means nothing here: auto convergence again.
    ComfortParams comfort = controls_->params().comfort;
    if (comfort.convergence == ConvergenceMode::kPoint) {
      comfort.convergence = ConvergenceMode::kPercentile;
      controls_->comfortControls()->setSettings(comfort, controls_->params().border);
    }
  }
  updateScreenPointMarkers();
  document_->clearResult();
  export_gate_.photoChanged();
  AppSettings::addRecentFile(input->image_path);
  setWindowTitle(tr("%1 — GenStereo").arg(QFileInfo(input->image_path).fileName()));
  open_map_action_->setEnabled(true);
  export_action_->setEnabled(false);
  wiggle_action_->setEnabled(false);
  preview_->setResult(nullptr);
  before_after_->clear();
  timing_label_->clear();                        // the last photo's "Last run …"
  if (scene_3d_ != nullptr) scene_3d_->clear();  // not the last photo's scene
  // A stereo file's right view.
  before_after_->setTruthImage(input->real_right_qimage);
  const QString size = tr("%1 × %2").arg(input->image.cols).arg(input->image.rows);
  if (!input->map) {
    refreshWeights();
    showMaplessPhoto();
  } else {
    banner_->hide();
    controls_->setMapKind(document_->pendingMapKind());
    generate_action_->setEnabled(true);
    statusBar()->showMessage(tr("%1 (%2) with %3.")
                                 .arg(QFileInfo(input->image_path).fileName(), size,
                                      QFileInfo(input->map_path).fileName()));
    if (controls_->params().engine == EngineKind::kDiffusion) {
      inspection_->showInputOnly(input->image_qimage, tr("Press Generate (F5) to run the "
                                                         "diffusion engine."));
      // Before minutes of denoising: a weight-free preview (a proxy of a large photo) shows
      // the disparity, the parallax and the comfort check. It is not the controls' result,
      // so an export still waits for the diffusion run (ExportGate).
      EngineParams preview = currentParams();
      preview.engine = EngineKind::kWeightFree;
      preview.proxy_box_px = proxy_budget_.boxFor(viewBoxPx(*tabs_->currentWidget()));
      controller_->synthesize(document_->input(), preview);
    } else {
      inspection_->showInputOnly(input->image_qimage, tr("Generating…"));
      generate();
    }
  }
  releaseFreedMemory();  // the last photo's pictures, dropped above
  emit inputLoaded();
}

void MainWindow::showMaplessPhoto() {
  const QString name = QFileInfo(document_->input()->image_path).fileName();
  const QString size =
      tr("%1 × %2").arg(document_->input()->image.cols).arg(document_->input()->image.rows);
  if (weights_.is_depth_found) {
    banner_->hide();
    controls_->setMapKind(MapKind::kInverseDepth);
    generate_action_->setEnabled(true);
    statusBar()->showMessage(tr("%1 (%2) without a map: its depth is estimated with %3.")
                                 .arg(name, size, QFileInfo(weights_.depth_checkpoint).fileName()));
    if (controls_->params().engine == EngineKind::kDiffusion) {
      inspection_->showInputOnly(document_->input()->image_qimage,
                                 tr("Press Generate (F5) to run the "
                                    "diffusion engine."));
    } else {
      inspection_->showInputOnly(document_->input()->image_qimage, tr("Estimating depth…"));
      generate();
    }
    return;
  }
  generate_action_->setEnabled(false);
  // One panel with the two ways on, not the same message in every view.
  showBanner(tr("<b>No disparity or depth map.</b> "
                "<a href=\"genstereo:download-depth\">Estimate depth: download Depth Anything V2 "
                "Small (Apache-2.0, ~100 MB)</a> &nbsp;·&nbsp; "
                "<a href=\"genstereo:open-map\">or open a disparity/depth map</a>"
                "<br><small>%1</small>")
                 .arg(weights_.depth_expected.toHtmlEscaped()));
  inspection_->showInputOnly(document_->input()->image_qimage,
                             tr("No map yet: see the bar above."));
  statusBar()->showMessage(tr("%1 (%2) opened without a map.").arg(name, size));
}

void MainWindow::refreshWeights() {
  weights_ = checkModelWeights(AppSettings::modelsFolder());
  controls_->setDiffusionAvailable(weights_.is_diffusion_found, weights_.diffusionReason(),
                                   tr("GenStereo %1").arg(variantLabel(weights_.variant)));
}

bool MainWindow::canSynthesize() const {
  return document_->input() && (document_->input()->map || weights_.is_depth_found ||
                                (document_->input()->video && document_->input()->video->map));
}

EngineParams MainWindow::currentParams() const {
  EngineParams params = controls_->params();
  params.models.folder = AppSettings::modelsFolder();
  params.models.variant = AppSettings::diffusionVariant();
  params.models.device = AppSettings::device();
  params.models.depth_model_size = AppSettings::depthModelSize();
  // A map of another size than the photo is resized by the engine, which notes it (onResult).
  params.map_size = MapSizePolicy::kResize;
  params.is_temporal_on = timeline_ == nullptr || timeline_->isTemporalOn();
  return params;
}

void MainWindow::generate() {
  debounce_.stop();
  if (!canSynthesize()) return;
  controller_->synthesize(document_->input(), currentParams());
  export_gate_.fullRunStarted();
}

void MainWindow::generateLive() {
  debounce_.stop();
  if (!canSynthesize()) return;
  EngineParams params = currentParams();
  params.proxy_box_px = proxy_budget_.boxFor(viewBoxPx(*tabs_->currentWidget()));
  controller_->synthesizeLive(document_->input(), params);
}

void MainWindow::cancelRun() {
  debounce_.stop();
  controller_->cancel();
}

bool MainWindow::isBusy() const { return controller_->isBusy(); }

void MainWindow::updateScreenPointMarkers() {
  const ComfortParams comfort = controls_->params().comfort;
  std::optional<QPoint> point;
  if (document_->input() && comfort.convergence == ConvergenceMode::kPoint) {
    point = QPoint(comfort.screen_point_px.x, comfort.screen_point_px.y);
  }
  inspection_->setScreenPoint(point);
  preview_->setScreenPoint(point);
}

void MainWindow::onParamsChanged() {
  export_gate_.controlsChanged();
  updateScreenPointMarkers();
  const EngineKind engine = controls_->params().engine;
  if (engine != last_engine_) {
    last_engine_ = engine;
    if (engine == EngineKind::kDiffusion) {
      debounce_.stop();
      statusBar()->showMessage(
          tr("Diffusion engine: live preview is paused (a run takes minutes on a CPU); press "
             "Generate (F5) to run it."));
    }
  }
  if (!canSynthesize() || !controls_->isLivePreview()) return;
  if (isSliderDragged(*controls_)) {
    generateLive();  // no debounce: the engine's pace sets the rate
  } else {
    debounce_.start();
  }
}

void MainWindow::onResult(const EngineResultPtr& result) {
  document_->setResult(result);
  export_gate_.resultShown(*result);
  controls_->showResult(*result);  // the budget, the baseline in effect, the auto convergence
  if (result->is_proxy) {
    proxy_budget_.onProxyRun(result->elapsed_ms);
    // A live preview while a slider moves: the views follow; the banner, the 3D scene and
    // the last run's figures wait for the full resolution.
    inspection_->showResult(result);
    preview_->setResult(result);
    timing_label_->setText(tr("Live preview %1 × %2 · %3 s")
                               .arg(result->left.cols)
                               .arg(result->left.rows)
                               .arg(formatSeconds(result->elapsed_ms)));
    emit resultShown();
    return;
  }
  if (result->notes.isEmpty()) {
    banner_->hide();
  } else {
    showBanner(tr("Note: %1").arg(result->notes.join(QLatin1Char('\n'))));
  }
  inspection_->showResult(result);
  preview_->setResult(displayedResult());
  updateBeforeAfter();
  if (scene_3d_ != nullptr) scene_3d_->setResult(result);
  export_action_->setEnabled(!export_watcher_.isRunning());
  wiggle_action_->setEnabled(!wiggle_exporter_->isRunning());
  timing_label_->setText(tr("Last run %1 s · %2 × %3 · %4 % occluded")
                             .arg(formatSeconds(result->elapsed_ms))
                             .arg(result->left.cols)
                             .arg(result->left.rows)
                             .arg(formatDecimal(result->occluded_fraction * 100.0, 1)));
  const SynthesisEye eye = result->params.synthesis.eye;
  statusBar()->showMessage(
      eyeLabel(result->is_depth_estimated ? EyeLabel::kGeneratedEstimated : EyeLabel::kGenerated,
               eye)
          .arg(formatSeconds(result->elapsed_ms)),
      5000);
  emit resultShown();
  if (const std::optional<ExportRequest> ready = export_gate_.takeReady()) startExport(*ready);
}

void MainWindow::onProgress(double fraction, const QString& stage, double elapsed_ms,
                            double eta_ms) {
  progress_bar_->setRange(0, kProgressRange);
  progress_bar_->setValue(qRound(std::clamp(fraction, 0.0, 1.0) * kProgressRange));
  QString text = tr("%1 · %2 s").arg(stage, formatSeconds(elapsed_ms));
  if (eta_ms >= 0.0) text += tr(" · about %1 s left").arg(formatSeconds(eta_ms));
  if (export_gate_.isHolding()) text = tr("Export waits for: %1").arg(text);
  progress_label_->setText(text);
}

void MainWindow::onBusyChanged(bool is_busy) {
  // One text at a time at the right of the status bar: the run's progress or the last run's
  // figures, never both running into each other.
  timing_label_->setVisible(!is_busy);
  progress_label_->setVisible(is_busy);
  progress_bar_->setVisible(is_busy);
  cancel_button_->setVisible(is_busy);
  cancel_button_->setEnabled(is_busy);
  cancel_action_->setEnabled(is_busy);
  if (is_busy) {
    progress_bar_->setRange(0, 0);
    progress_label_->setText(tr("Waiting for the engine…"));
  }
}

void MainWindow::onPixelHovered(QPoint pixel) {
  if (pixel.x() < 0 || !document_->input()) {
    inspector_label_->setText(tr("Point at an inspection view."));
    return;
  }
  const cv::Vec3f bgr = document_->input()->image.at<cv::Vec3f>(pixel.y(), pixel.x());
  QString text = tr("Pixel x %1, y %2\nColour (0–255): %3, %4, %5")
                     .arg(pixel.x())
                     .arg(pixel.y())
                     .arg(qRound(bgr[2] * 255.0f))
                     .arg(qRound(bgr[1] * 255.0f))
                     .arg(qRound(bgr[0] * 255.0f));
  if (document_->result() &&
      document_->result()->disparity_px.size() == document_->input()->image.size()) {
    const float disparity = document_->result()->disparity_px.at<float>(pixel.y(), pixel.x());
    const bool is_visible = document_->result()->valid.at<uchar>(pixel.y(), pixel.x()) != 0;
    const float weight = document_->result()->fusion_weight.at<float>(pixel.y(), pixel.x());
    const SynthesisEye eye = document_->result()->params.synthesis.eye;
    text += eyeLabel(EyeLabel::kInspectorDisparity, eye).arg(formatDecimal(disparity, 2));
    text += eyeLabel(is_visible ? EyeLabel::kInspectorWarped : EyeLabel::kInspectorHole, eye);
    text += eyeLabel(EyeLabel::kInspectorFusion, eye).arg(formatDecimal(weight, 3));
  }
  if (!document_->input()->real_right.empty()) {  // a stereo file: its right view, the truth
    const cv::Vec3f truth = document_->input()->real_right.at<cv::Vec3f>(pixel.y(), pixel.x());
    text += tr("\nReal right view (0–255): %1, %2, %3")
                .arg(qRound(truth[2] * 255.0f))
                .arg(qRound(truth[1] * 255.0f))
                .arg(qRound(truth[0] * 255.0f));
  }
  inspector_label_->setText(text);
}

void MainWindow::chooseExport() {
  if (isVideoOpen()) {
    chooseVideoExport();
    return;
  }
  if (!document_->result() || export_watcher_.isRunning()) return;
  ExportDialog dialog(AppSettings::lastExportFolder(),
                      QFileInfo(document_->input()->image_path).completeBaseName(),
                      AppSettings::defaultExportFormat(), this);
  if (dialog.exec() != QDialog::Accepted) return;
  const ExportRequest request = dialog.request();
  AppSettings::setLastExportFolder(request.folder);
  if (!confirmOverwrite(this, request)) return;
  exportCurrent(request);
}

void MainWindow::exportCurrent(const ExportRequest& request) {
  if (!document_->input()) return;
  if (export_gate_.isResultCurrent()) {
    startExport(request);
    return;
  }
  // The result on screen is a live proxy, or older than the controls: export the run of the
  // controls as they are, at full resolution.
  export_gate_.hold(request);
  if (!export_gate_.isMatchingRunQueued()) generate();
  statusBar()->clearMessage();  // the progress says "Export waits for: …"
  if (controller_->isBusy()) {
    progress_label_->setText(tr("Export waits for: %1").arg(tr("Waiting for the engine…")));
  }
}

void MainWindow::startExport(const ExportRequest& request) {
  if (!document_->result() || export_watcher_.isRunning()) return;
  export_action_->setEnabled(false);
  statusBar()->showMessage(tr("Exporting to %1…").arg(QDir::toNativeSeparators(request.folder)));
  const EngineResultPtr result = displayedResult();
  export_watcher_.setFuture(QtConcurrent::run([result, request] {
    ExportOutcome outcome;
    try {
      for (const std::filesystem::path& path :
           exportResult(result->left, result->right, result->disparity_px, request)) {
        outcome.paths << QString::fromStdString(path.string());
      }
    } catch (const std::exception& error) {
      outcome.error = QString::fromStdString(error.what());
    }
    return outcome;
  }));
}

void MainWindow::showPreferences() {
  PreferencesDialog dialog(this);
  if (dialog.exec() != QDialog::Accepted) return;
  const bool is_language_changed = dialog.save();
  export_gate_.controlsChanged();  // the model settings may have changed
  refreshWeights();
  if (document_->input() && !document_->input()->map) showMaplessPhoto();
  if (is_language_changed) {
    QMessageBox::information(this, tr("Preferences"),
                             tr("The new language applies when GenStereo starts again."));
  }
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About GenStereo"),
                     tr("<h3>GenStereo %1</h3><p>Turns one photo into a stereo pair: the photo is "
                        "warped by its disparity, the holes are filled from the background and "
                        "blended into the right view (weight-free engine), or generated by the "
                        "GenStereo diffusion model (diffusion engine). Photos without a map get "
                        "their depth from Depth Anything V2.</p><p>Based on "
                        "<i>Towards Open-World Generation of Stereo Images and Unsupervised "
                        "Matching</i> (ICCV 2025).</p>")
                         .arg(QStringLiteral(GENSTEREO_VERSION)));
}

void MainWindow::showError(const QString& message) {
  auto* box =
      new QMessageBox(QMessageBox::Critical, tr("GenStereo"), message, QMessageBox::Ok, this);
  box->setObjectName(QStringLiteral("errorDialog"));
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setWindowModality(Qt::NonModal);
  box->show();
  statusBar()->showMessage(tr("Error: %1").arg(message), 8000);
  emit errorShown(message);
}

void MainWindow::showBanner(const QString& text) {
  banner_->setText(text);
  banner_->show();
}

void MainWindow::showTab(Tab tab) { tabs_->setCurrentIndex(tab); }

Scene3DView* MainWindow::scene3D() {
  if (scene_3d_ == nullptr && Scene3DView::canRender3D()) {
    scene_3d_ = new Scene3DView(scene_3d_page_);
    scene_3d_page_->layout()->addWidget(scene_3d_);
    if (document_->result()) scene_3d_->setResult(document_->result());
  }
  return scene_3d_;
}

void MainWindow::onTabChanged(int index) {
  if (index != k3DTab || scene_3d_ != nullptr || !scene_3d_page_->layout()->isEmpty()) return;
  if (scene3D() == nullptr) {
    auto* label = new QLabel(tr("The 3D view needs an OpenGL display; it is not available on this "
                                "platform (%1).")
                                 .arg(QGuiApplication::platformName()),
                             scene_3d_page_);
    label->setAlignment(Qt::AlignCenter);
    scene_3d_page_->layout()->addWidget(label);
  }
}

void MainWindow::zoomCurrent(double factor) {
  if (tabs_->currentIndex() == kInspectTab)
    inspection_->view(InspectionPanel::kInput)->zoomBy(factor);
  if (tabs_->currentIndex() == kPreviewTab) preview_->view()->zoomBy(factor);
}

void MainWindow::fitCurrent() {
  if (tabs_->currentIndex() == kInspectTab) inspection_->sync()->fit();
  if (tabs_->currentIndex() == kPreviewTab) preview_->view()->sync()->fit();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  QString image;
  QString map;
  for (const QUrl& url : event->mimeData()->urls()) {
    if (!url.isLocalFile()) continue;
    const QFileInfo file(url.toLocalFile());
    if (looksLikeMap(file)) {
      map = file.absoluteFilePath();
    } else {
      image = file.absoluteFilePath();
    }
  }
  if (!image.isEmpty()) {
    openImage(image, map);
  } else if (!map.isEmpty()) {
    openMap(map);
  } else {
    return;
  }
  event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent* event) {
  controller_->cancel();
  cut_cancel_.cancel();
  if (range_player_ != nullptr) range_player_->stop();
  event->accept();
}

void MainWindow::setEyesSwapped(bool is_swapped) {
  if (swap_eyes_action_->isChecked() != is_swapped) {
    swap_eyes_action_->setChecked(is_swapped);  // comes back here through toggled
    return;
  }
  preview_->setResult(displayedResult());
  preview_->setEyesSwapped(is_swapped);
  statusBar()->showMessage(is_swapped ? tr("Eyes swapped: previews and exports show the right view "
                                           "to the left eye.")
                                      : tr("Eyes as generated."),
                           5000);
}

bool MainWindow::areEyesSwapped() const { return swap_eyes_action_->isChecked(); }

EngineResultPtr MainWindow::displayedResult() const {
  return areEyesSwapped() ? withEyesSwapped(document_->result()) : document_->result();
}

void MainWindow::updateBeforeAfter() {
  if (!document_->result()) return;
  before_after_->setImages(
      document_->result()->input, document_->result()->final_view,
      eyeLabel(EyeLabel::kAfterCaption, document_->result()->params.synthesis.eye));
  // A stereo file's right view, cut as the result is (BorderMode::kCrop).
  const QImage truth = document_->input() ? document_->input()->real_right_qimage : QImage();
  before_after_->setTruthImage(truth.size() == document_->result()->final_view.size() ||
                                       truth.isNull()
                                   ? truth
                                   : truth.copy(document_->result()->first_column_px, 0,
                                                document_->result()->final_view.width(),
                                                document_->result()->final_view.height()));
}

void MainWindow::toggleBeforeAfter() {
  if (full_screen_) {
    full_screen_->comparison()->toggle();
    return;
  }
  if (tabs_->currentIndex() != kCompareTab) {
    showTab(kCompareTab);
    return;
  }
  before_after_->toggle();
}

void MainWindow::toggleFullScreenPreview() {
  if (full_screen_) {
    full_screen_->close();
    return;
  }
  full_screen_ = new FullScreenPreview(this);
  const QImage before = document_->input() ? document_->input()->image_qimage : QImage();
  // The preview's picture; until the preview has composed one, the generated view.
  QImage after = preview_->currentImage();
  if (after.isNull() && document_->result()) after = document_->result()->final_view;
  full_screen_->setImages(before, after.isNull() ? before : after);
  full_screen_->showAsOutput(screen());  // a second screen (TV, projector) when present
  full_screen_->activateWindow();
}

QString MainWindow::commandLine() const {
  if (!document_->input()) return QString();
  if (isVideoOpen()) return videoCommandLine();
  EngineParams params = controls_->params();
  params.models.folder = AppSettings::modelsFolder();
  params.models.variant = AppSettings::diffusionVariant();
  params.models.device = AppSettings::device();
  params.models.depth_model_size = AppSettings::depthModelSize();
  params.map_size = MapSizePolicy::kResize;  // as generate()
  CommandLineInputs inputs;
  inputs.image_path = QDir::toNativeSeparators(document_->input()->image_path);
  inputs.map_path = QDir::toNativeSeparators(document_->input()->map_path);
  // The photo's folder, as generate's own habit, not the last export folder of another photo
  // (the status message names it).
  inputs.output_dir =
      QDir::toNativeSeparators(QFileInfo(document_->input()->image_path).absolutePath());
  return shellCommandLine(generateCommandArguments(params, inputs));
}

void MainWindow::copyCommandLine() {
  const QString text = commandLine();
  if (text.isEmpty()) {
    statusBar()->showMessage(tr("Open a photo first."), 5000);
    return;
  }
  QGuiApplication::clipboard()->setText(text);
  statusBar()->showMessage(
      tr("Copied; it writes into the photo's folder %1 (edit -o to change): %2")
          .arg(QDir::toNativeSeparators(QFileInfo(document_->input()->image_path).absolutePath()),
               text),
      8000);
}

void MainWindow::chooseWiggleExport() {
  if (!document_->result() || wiggle_exporter_->isRunning()) return;
  const QString folder = AppSettings::lastExportFolder().isEmpty()
                             ? QFileInfo(document_->input()->image_path).absolutePath()
                             : AppSettings::lastExportFolder();
  const QString path = QDir(folder).filePath(
      QFileInfo(document_->input()->image_path).completeBaseName() + QStringLiteral("_wiggle.gif"));
  WiggleExportDialog dialog(QDir::toNativeSeparators(path), preview_->wiggleMs(), this);
  if (dialog.exec() != QDialog::Accepted) return;
  const WiggleExportRequest request = dialog.request();
  AppSettings::setLastExportFolder(QFileInfo(request.path).absolutePath());
  exportWiggle(request);
}

void MainWindow::exportWiggle(const WiggleExportRequest& request) {
  if (!wiggle_exporter_->start(displayedResult(), request)) return;
  wiggle_action_->setEnabled(false);
  statusBar()->showMessage(
      tr("Writing the wiggle to %1…").arg(QDir::toNativeSeparators(request.path)));
}

}  // namespace genstereo::ui

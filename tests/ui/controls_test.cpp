// The CLI's controls in the workbench (eye, warp, fill, feather, depth shaping) with the
// engine's defaults, presets, swap eyes, the full-screen preview, before/after, "copy as
// command line" and the wiggle export (offscreen).
#include <QtTest>

#include <QClipboard>
#include <QGuiApplication>
#include <QStatusBar>

#include <opencv2/imgcodecs.hpp>

#include "app_settings.h"
#include "before_after_view.h"
#include "comfort_controls.h"
#include "controls_panel.h"
#include "engine_worker.h"
#include "full_screen_preview.h"
#include "image_view.h"
#include "inspection_panel.h"
#include "main_window.h"
#include "presets.h"
#include "stereo_exporter.h"
#include "ui_test_support.h"
#include "wiggle_export_dialog.h"

using namespace genstereo;
using namespace genstereo::ui;
using genstereo::ui::test::openAndWait;

namespace {

// Changes a control and waits for the live preview's result.
template <typename Change>
bool changeAndWait(MainWindow& window, Change change) {
  QSignalSpy shown(&window, &MainWindow::resultShown);
  change();
  return shown.wait(60000);
}

cv::Mat asBgr8(const cv::Mat& bgr01) {
  cv::Mat bgr8;
  bgr01.convertTo(bgr8, CV_8UC3, 255.0);
  return bgr8;
}

}  // namespace

class ControlsTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir settings_dir_;
  QTemporaryDir data_dir_;

 private slots:
  void initTestCase() { test::initTestApplication(settings_dir_); }

  // The panel starts at the engine's (and so the CLI's) defaults.
  void defaultsAreTheEngines() {
    ControlsPanel panel;
    InputData input;
    input.map = DisparityMap();
    const RunParams run = runParamsOf(panel.params(), input);
    const RunParams defaults;
    QCOMPARE(run.synthesis.eye, defaults.synthesis.eye);
    QCOMPARE(run.synthesis.warp, defaults.synthesis.warp);
    QCOMPARE(run.synthesis.fill, defaults.synthesis.fill);
    QCOMPARE(run.synthesis.feather_px, defaults.synthesis.feather_px);
    QCOMPARE(run.synthesis.shaping.baseline_scale, defaults.synthesis.shaping.baseline_scale);
    QCOMPARE(run.synthesis.shaping.convergence, defaults.synthesis.shaping.convergence);
    QCOMPARE(run.depth_shaping.foreground_scale, defaults.depth_shaping.foreground_scale);
    QCOMPARE(run.depth_shaping.edge_dilation_x_px, defaults.depth_shaping.edge_dilation_x_px);
    QCOMPARE(run.depth_shaping.edge_dilation_y_px, defaults.depth_shaping.edge_dilation_y_px);
    QCOMPARE(run.depth_shaping.clip_low_percent, defaults.depth_shaping.clip_low_percent);
    QCOMPARE(run.depth_shaping.clip_high_percent, defaults.depth_shaping.clip_high_percent);
    QCOMPARE(run.depth_conversion.max_disparity_fraction,
             defaults.depth_conversion.max_disparity_fraction);
    // Comfort: generate's comfortable settings, not the engine's neutral ones (docs/comfort.md).
    QCOMPARE(run.synthesis.comfort.convergence, ConvergenceMode::kPercentile);
    QCOMPARE(run.synthesis.comfort.convergence_percentile, 50.0);
    QCOMPARE(run.synthesis.comfort.max_range_percent, kComfortableRangePercent);
    QCOMPARE(run.synthesis.border, BorderMode::kScreen);
    QVERIFY(!panel.convergenceSlider()->isEnabled());  // auto convergence sets the plane
    // Depth shaping only applies to depth: disabled for a disparity map.
    QVERIFY(!panel.depthGroup()->isEnabled());
    panel.setMapKind(MapKind::kInverseDepth);
    QVERIFY(panel.depthGroup()->isEnabled());
  }

  // LOW < HIGH as the CLI demands: the boxes cannot cross.
  void clipPercentilesStayOrdered() {
    ControlsPanel panel;
    panel.clipLowBox()->setValue(60.0);
    panel.clipHighBox()->setValue(40.0);
    QVERIFY(panel.params().depth_shaping.clip_high_percent > 60.0);
    panel.clipHighBox()->setValue(70.0);
    panel.clipLowBox()->setValue(90.0);
    QVERIFY(panel.params().depth_shaping.clip_low_percent < 70.0);
    // Any valid pair can be set at once (a preset).
    EngineParams params;
    params.depth_shaping.clip_low_percent = 95.0;
    params.depth_shaping.clip_high_percent = 99.5;
    panel.setParams(params);
    QCOMPARE(panel.params().depth_shaping.clip_low_percent, 95.0);
    QCOMPARE(panel.params().depth_shaping.clip_high_percent, 99.5);
  }

  // Eye, fill and depth shaping reach the engine and change its result.
  void newControlsReachTheEngine() {
    AppSettings::setModelsFolder(data_dir_.filePath(QStringLiteral("no-models")));
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, test::sampleImage()));
    const EngineResultPtr first = window.currentResult();
    QCOMPARE(asBgr8(first->left).size(), asBgr8(window.currentInput()->image).size());
    QCOMPARE(cv::norm(asBgr8(first->left), asBgr8(window.currentInput()->image), cv::NORM_INF),
             0.0);

    ControlsPanel* controls = window.controls();
    QVERIFY(changeAndWait(window, [&] {
      controls->eyeBox()->setCurrentIndex(
          controls->eyeBox()->findData(static_cast<int>(SynthesisEye::kBoth)));
    }));
    EngineResultPtr both = window.currentResult();
    QCOMPARE(both->params.synthesis.eye, SynthesisEye::kBoth);
    QVERIFY(cv::norm(asBgr8(both->left), asBgr8(window.currentInput()->image), cv::NORM_INF) > 0.0);

    QVERIFY(changeAndWait(window, [&] {
      controls->fillBox()->setCurrentIndex(
          controls->fillBox()->findData(static_cast<int>(FillMethod::kNone)));
    }));
    const EngineResultPtr unfilled = window.currentResult();
    QCOMPARE(unfilled->params.synthesis.fill, FillMethod::kNone);
    QVERIFY(unfilled->occluded_fraction > 0.0);

    // The sample's map read as depth: edge dilation changes the disparity used.
    QVERIFY(changeAndWait(window, [&] {
      controls->setParams(EngineParams());
      emit controls->paramsChanged();
    }));
    QVERIFY(changeAndWait(window, [&] {
      QComboBox* map_box = controls->mapKindBox();
      map_box->setCurrentIndex(map_box->findData(static_cast<int>(MapKind::kInverseDepth)));
    }));
    const EngineResultPtr depth = window.currentResult();
    QCOMPARE(depth->params.map_kind, MapKind::kInverseDepth);
    QVERIFY(controls->depthGroup()->isEnabled());
    QVERIFY(changeAndWait(window, [&] { controls->edgeDilationBox()->setValue(6); }));
    const EngineResultPtr dilated = window.currentResult();
    QCOMPARE(dilated->params.depth_shaping.edge_dilation_x_px, 6);
    QVERIFY(cv::norm(dilated->disparity_px, depth->disparity_px, cv::NORM_INF) > 1.0);
  }

  // The sampler and tiled generation (issue 15) reach the engine's diffusion settings and a
  // saved preset keeps them.
  // Every label that names a view says the eye(s) the run generated: the status bar, the
  // progress stage, the inspection titles, the pixel inspector and the before/after caption.
  void labelsNameTheGeneratedEye() {
    struct Expected {
      SynthesisEye eye;
      QString status;
      QString stage;
      QString input_title;
      QString final_title;
      QString inspector_disparity;
      QString inspector_mask;
      QString caption;
    };
    const QList<Expected> cases = {
        {SynthesisEye::kLeft, QStringLiteral("Left view generated in "),
         QStringLiteral("Synthesising the left view"), QStringLiteral("Input (right view)"),
         QStringLiteral("Final left view"), QStringLiteral("Disparity (right view)"),
         QStringLiteral("Mask (left view)"), QStringLiteral("the generated left view")},
        {SynthesisEye::kBoth, QStringLiteral("Left and right views generated in "),
         QStringLiteral("Synthesising the left and right views"),
         QStringLiteral("Input (centre view)"),
         QStringLiteral("Final right view (the left one: stereo preview)"),
         QStringLiteral("Disparity (centre view)"), QStringLiteral("Mask (right view)"),
         QStringLiteral("the generated right view (of both)")},
        {SynthesisEye::kRight, QStringLiteral("Right view generated in "),
         QStringLiteral("Synthesising the right view"), QStringLiteral("Input (left view)"),
         QStringLiteral("Final right view"), QStringLiteral("Disparity (left view)"),
         QStringLiteral("Mask (right view)"), QStringLiteral("the generated right view")},
    };
    AppSettings::setModelsFolder(data_dir_.filePath(QStringLiteral("no-models")));
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(openAndWait(window, test::sampleImage()));
    ControlsPanel* controls = window.controls();
    InspectionPanel* inspection = window.inspection();
    ImageView* disparity_view = inspection->view(InspectionPanel::kDisparity);
    int move_px = 0;  // a new position for each case: the inspector follows moves only
    for (const Expected& expected : cases) {
      QVERIFY(changeAndWait(window, [&] {
        controls->eyeBox()->setCurrentIndex(
            controls->eyeBox()->findData(static_cast<int>(expected.eye)));
      }));
      QCOMPARE(window.currentResult()->params.synthesis.eye, expected.eye);
      const QString status = window.statusBar()->currentMessage();
      QVERIFY2(status.startsWith(expected.status), qPrintable(status));
      RunProgress synthesizing;
      synthesizing.stage = RunStage::kSynthesizing;
      QCOMPARE(EngineWorker::stageText(synthesizing, expected.eye), expected.stage);
      QCOMPARE(inspection->title(InspectionPanel::kInput), expected.input_title);
      QCOMPARE(inspection->title(InspectionPanel::kFinal), expected.final_title);
      window.showTab(MainWindow::kInspectTab);
      move_px += 3;
      QTest::mouseMove(disparity_view, disparity_view->rect().center() + QPoint(move_px, 0));
      QTRY_VERIFY2(window.pixelInspectorText().contains(expected.inspector_disparity),
                   qPrintable(window.pixelInspectorText()));
      QVERIFY2(window.pixelInspectorText().contains(expected.inspector_mask),
               qPrintable(window.pixelInspectorText()));
      window.showTab(MainWindow::kCompareTab);
      QVERIFY2(window.beforeAfter()->caption().contains(expected.caption),
               qPrintable(window.beforeAfter()->caption()));
    }
  }

  void diffusionSamplerAndTilesReachTheEngine() {
    ControlsPanel panel;
    InputData input;
    input.map = DisparityMap();
    RunParams run = runParamsOf(panel.params(), input);
    QCOMPARE(run.diffusion.scheduler, SchedulerKind::kDdim);
    QVERIFY(!run.diffusion.tiles);
    // (The Diffusion group itself is disabled while the weight-free engine is chosen: check the
    // box's own state.)
    const auto isOwnEnabled = [](QWidget* widget) {
      return !widget->testAttribute(Qt::WA_ForceDisabled);
    };
    QVERIFY(!isOwnEnabled(panel.findChild<QDoubleSpinBox*>(QStringLiteral("tileOverlapBox"))));
    auto* feather = panel.findChild<QSpinBox*>(QStringLiteral("tileFeatherBox"));
    QVERIFY(feather != nullptr);
    QVERIFY(!isOwnEnabled(feather));
    QCOMPARE(run.diffusion.tile_feather_px, 0);  // the official seams by default
    auto* scheduler = panel.findChild<QComboBox*>(QStringLiteral("schedulerBox"));
    scheduler->setCurrentIndex(
        scheduler->findData(static_cast<int>(SchedulerKind::kDpmSolverMultistep)));
    panel.findChild<QCheckBox*>(QStringLiteral("tilesBox"))->setChecked(true);
    auto* overlap = panel.findChild<QDoubleSpinBox*>(QStringLiteral("tileOverlapBox"));
    QVERIFY(isOwnEnabled(overlap));
    overlap->setValue(0.3);
    QVERIFY(isOwnEnabled(feather));
    feather->setValue(32);
    run = runParamsOf(panel.params(), input);
    QCOMPARE(run.diffusion.scheduler, SchedulerKind::kDpmSolverMultistep);
    QVERIFY(run.diffusion.tiles);
    QCOMPARE(run.diffusion.tile_overlap, 0.3);
    QCOMPARE(run.diffusion.tile_feather_px, 32);
    const EngineParams restored = presetFromMap(presetToMap(panel.params()), EngineParams());
    QCOMPARE(restored.scheduler, SchedulerKind::kDpmSolverMultistep);
    QVERIFY(restored.tiles);
    QCOMPARE(restored.tile_overlap, 0.3);
    QCOMPARE(restored.tile_feather_px, 32);
  }

  void presetsSaveLoadDelete() {
    ControlsPanel panel;
    PresetBar* bar = panel.presets();
    QVERIFY(bar->presetNames().contains(QStringLiteral("Comfortable")));
    QVERIFY(bar->presetNames().contains(QStringLiteral("Strong 3D")));
    QVERIFY(bar->presetNames().contains(QStringLiteral("Paper defaults")));
    QSignalSpy changed(&panel, &ControlsPanel::paramsChanged);
    QVERIFY(bar->applyPreset(QStringLiteral("Comfortable")));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(panel.params().baseline_scale, 1.0);  // narrowed by the limit
    QCOMPARE(panel.params().comfort.convergence, ConvergenceMode::kPercentile);
    QCOMPARE(panel.params().comfort.convergence_percentile, 50.0);
    QCOMPARE(panel.params().comfort.max_range_percent, kComfortableRangePercent);
    QCOMPARE(panel.params().border, BorderMode::kScreen);
    QCOMPARE(panel.params().depth_shaping.clip_low_percent, 1.0);
    QCOMPARE(panel.params().depth_shaping.edge_dilation_x_px, 2);
    // Chosen in the list, then a control changed by hand: the list no longer names it.
    bar->presetBox()->setCurrentIndex(bar->presetBox()->findText(QStringLiteral("Comfortable")));
    panel.baselineSlider()->setValue(150);
    QCOMPARE(bar->presetBox()->currentIndex(), 0);
    QVERIFY(bar->applyPreset(QStringLiteral("Strong 3D")));
    QCOMPARE(panel.params().comfort.convergence, ConvergenceMode::kPercentile);
    QCOMPARE(panel.params().comfort.convergence_percentile, 30.0);
    QCOMPARE(panel.params().comfort.max_range_percent, 0.0);
    QCOMPARE(panel.params().border, BorderMode::kScreen);
    QVERIFY(bar->applyPreset(QStringLiteral("Paper defaults")));
    QCOMPARE(panel.params().synthesis.warp, WarpMode::kInteger);
    QCOMPARE(panel.params().baseline_scale, 1.0);
    QCOMPARE(panel.params().depth_shaping.clip_low_percent, 0.0);
    // The official geometry: manual convergence 0, no limit, the strip filled.
    QCOMPARE(panel.params().comfort.convergence, ConvergenceMode::kManual);
    QCOMPARE(panel.params().convergence, 0.0);
    QCOMPARE(panel.params().comfort.max_range_percent, 0.0);
    QCOMPARE(panel.params().border, BorderMode::kFill);
    QVERIFY(panel.convergenceSlider()->isEnabled());

    // The user's own: every control the preset holds comes back.
    EngineParams mine;
    mine.baseline_scale = 1.7;
    mine.convergence = 0.25;
    mine.synthesis.eye = SynthesisEye::kLeft;
    mine.synthesis.fill = FillMethod::kTelea;
    mine.synthesis.feather_px = 4.5;
    mine.depth_shaping.foreground_scale = -1.2;
    mine.depth_shaping.edge_dilation_x_px = mine.depth_shaping.edge_dilation_y_px = 5;
    mine.depth_shaping.clip_low_percent = 2.0;
    mine.depth_shaping.clip_high_percent = 97.5;
    mine.max_disparity_fraction = 0.1;
    mine.comfort.convergence = ConvergenceMode::kManual;
    mine.comfort.max_range_percent = 4.5;
    mine.border = BorderMode::kCrop;
    panel.setParams(mine);
    QVERIFY(bar->savePreset(QStringLiteral("Night/portrait")));
    QVERIFY(!bar->savePreset(QStringLiteral("comfortable")));  // a built-in name
    QVERIFY(bar->presetNames().contains(QStringLiteral("Night/portrait")));
    panel.setParams(EngineParams());
    QVERIFY(bar->applyPreset(QStringLiteral("Night/portrait")));
    QCOMPARE(presetToMap(panel.params()), presetToMap(mine));
    {
      ControlsPanel other;  // kept in the settings
      QVERIFY(other.presets()->presetNames().contains(QStringLiteral("Night/portrait")));
    }
    QVERIFY(bar->deletePreset(QStringLiteral("Night/portrait")));
    QVERIFY(!bar->presetNames().contains(QStringLiteral("Night/portrait")));
    QVERIFY(!bar->applyPreset(QStringLiteral("Night/portrait")));
    QVERIFY(!bar->deletePreset(QStringLiteral("Comfortable")));

    // A picked screen point belongs to its photo: a preset keeps auto convergence instead.
    EngineParams picked;
    picked.comfort.convergence = ConvergenceMode::kPoint;
    picked.comfort.screen_point_px = cv::Point(10, 20);
    QCOMPARE(presetFromMap(presetToMap(picked)).comfort.convergence, ConvergenceMode::kPercentile);
  }

  // The comfort group reaches the engine: every convergence mode, the limit, the border; the
  // convergence slider only applies to manual convergence; moving the baseline by hand turns
  // the limit off, as --baseline-scale does in generate.
  void comfortControlsReachTheEngine() {
    ControlsPanel panel;
    ComfortControls* comfort = panel.comfortControls();
    QSignalSpy changed(&panel, &ControlsPanel::paramsChanged);
    InputData input;
    input.map = DisparityMap();
    comfort->percentileBox()->setValue(35);
    comfort->limitBox()->setValue(2.5);
    comfort->borderBox()->setCurrentIndex(
        comfort->borderBox()->findData(static_cast<int>(BorderMode::kCrop)));
    QCOMPARE(changed.count(), 3);
    RunParams run = runParamsOf(panel.params(), input);
    QCOMPARE(run.synthesis.comfort.convergence, ConvergenceMode::kPercentile);
    QCOMPARE(run.synthesis.comfort.convergence_percentile, 35.0);
    QCOMPARE(run.synthesis.comfort.max_range_percent, 2.5);
    QCOMPARE(run.synthesis.border, BorderMode::kCrop);
    comfort->setScreenPoint(cv::Point(30, 40));
    run = runParamsOf(panel.params(), input);
    QCOMPARE(run.synthesis.comfort.convergence, ConvergenceMode::kPoint);
    QCOMPARE(run.synthesis.comfort.screen_point_px, cv::Point(30, 40));
    QVERIFY(!panel.convergenceSlider()->isEnabled());
    comfort->autoConvergenceBox()->setChecked(true);  // from the point back to auto, then manual
    QVERIFY(!panel.convergenceSlider()->isEnabled());
    comfort->autoConvergenceBox()->setChecked(false);
    QVERIFY(panel.convergenceSlider()->isEnabled());
    panel.convergenceSlider()->setValue(40);
    run = runParamsOf(panel.params(), input);
    QCOMPARE(run.synthesis.comfort.convergence, ConvergenceMode::kManual);
    QCOMPARE(run.synthesis.shaping.convergence, 0.4);
    panel.baselineSlider()->setValue(150);
    QCOMPARE(panel.params().comfort.max_range_percent, 0.0);
    QCOMPARE(comfort->limitBox()->value(), 0.0);
    comfort->limitBox()->setValue(3.0);  // and back on by hand: kept with the baseline
    QCOMPARE(panel.params().comfort.max_range_percent, 3.0);
    QCOMPARE(panel.params().baseline_scale, 1.5);
  }

  // Swap eyes: previews and every export use the exchanged views.
  void swapEyesReachesTheExports() {
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, test::sampleImage()));
    const EngineResultPtr result = window.currentResult();
    window.setEyesSwapped(true);
    QVERIFY(window.areEyesSwapped());
    QCOMPARE(cv::norm(window.displayedResult()->left, result->right, cv::NORM_INF), 0.0);
    QCOMPARE(cv::norm(window.displayedResult()->right, result->left, cv::NORM_INF), 0.0);

    QTemporaryDir out;
    ExportRequest request;
    request.folder = out.path();
    request.base_name = QStringLiteral("swapped");
    request.formats = {QStringLiteral("sbs")};
    QSignalSpy exported(&window, &MainWindow::exportFinished);
    window.exportCurrent(request);
    QVERIFY(exported.wait(30000));
    const QStringList paths = exported.first().first().toStringList();
    QCOMPARE(paths.size(), 1);
    const cv::Mat sbs = cv::imread(paths.first().toStdString(), cv::IMREAD_COLOR);
    const int width = result->left.cols;
    QCOMPARE(sbs.cols, 2 * width);
    QVERIFY(cv::norm(sbs(cv::Rect(0, 0, width, sbs.rows)), asBgr8(result->right), cv::NORM_INF) <=
            1.0);

    QSignalSpy wiggled(&window, &MainWindow::wiggleExported);
    WiggleExportRequest wiggle;
    wiggle.path = out.filePath(QStringLiteral("swapped_wiggle.png"));
    wiggle.options.format = AnimationFormat::kApng;
    window.exportWiggle(wiggle);
    QVERIFY(wiggled.wait(30000));
    const cv::Mat first_frame = cv::imread(wiggle.path.toStdString(), cv::IMREAD_COLOR);
    QCOMPARE(cv::norm(first_frame, asBgr8(result->right), cv::NORM_INF), 0.0);
    window.setEyesSwapped(false);
    QCOMPARE(cv::norm(window.displayedResult()->left, result->left, cv::NORM_INF), 0.0);
  }

  void wiggleExportWritesAGif() {
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, test::sampleImage()));
    QTemporaryDir out;
    QSignalSpy wiggled(&window, &MainWindow::wiggleExported);
    WiggleExportRequest request;
    request.path = out.filePath(QStringLiteral("wiggle.gif"));
    request.options.format = AnimationFormat::kGif;
    request.options.frame_ms = 200;
    window.exportWiggle(request);
    QVERIFY(wiggled.wait(30000));
    QFile file(request.path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.read(6), QByteArray("GIF89a"));
    QCOMPARE(QDir(out.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);  // no temporary

    // The dialog: the extension follows the format, the frame time is kept.
    WiggleExportDialog dialog(out.filePath(QStringLiteral("photo_wiggle.gif")), 150);
    QCOMPARE(dialog.request().options.format, AnimationFormat::kGif);
    dialog.setFormat(AnimationFormat::kApng);
    QCOMPARE(dialog.request().path, out.filePath(QStringLiteral("photo_wiggle.png")));
    dialog.setFrameMs(90);
    QCOMPARE(dialog.request().options.frame_ms, 90);
    dialog.setFrameMs(1);
    QCOMPARE(dialog.request().options.frame_ms, kMinFrameMs);
  }

  void fullScreenPreviewAndBeforeAfter() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(openAndWait(window, test::sampleImage()));
    const EngineResultPtr result = window.currentResult();

    // B: the Before/after tab first, then the other picture.
    window.toggleBeforeAfter();
    BeforeAfterView* compare = window.beforeAfter();
    QVERIFY(compare->isVisible());
    QVERIFY(!compare->isShowingBefore());
    QCOMPARE(compare->currentImage(), result->final_view);
    QTest::keyClick(&window, Qt::Key_B);
    QVERIFY(compare->isShowingBefore());
    QCOMPARE(compare->currentImage(), result->input);
    QVERIFY(compare->caption().contains(QStringLiteral("Before")));
    window.toggleBeforeAfter();
    QCOMPARE(compare->currentImage(), result->final_view);

    // F11: the preview's picture on the whole screen; B shows the photo; Esc leaves.
    window.showTab(MainWindow::kPreviewTab);
    QTest::keyClick(&window, Qt::Key_F11);
    FullScreenPreview* full = window.fullScreenPreview();
    QVERIFY(full != nullptr);
    QVERIFY(full->isFullScreen());
    QVERIFY(!full->comparison()->currentImage().isNull());
    QTest::keyClick(full, Qt::Key_B);
    QVERIFY(full->comparison()->isShowingBefore());
    QCOMPARE(full->comparison()->currentImage(), window.currentInput()->image_qimage);
    QTest::keyClick(full, Qt::Key_Escape);
    QTRY_VERIFY(window.fullScreenPreview() == nullptr);
    // F11 again opens it, F11 in it leaves.
    window.toggleFullScreenPreview();
    QVERIFY(window.fullScreenPreview() != nullptr);
    QTest::keyClick(window.fullScreenPreview(), Qt::Key_F11);
    QTRY_VERIFY(window.fullScreenPreview() == nullptr);
  }

  void copyAsCommandLine() {
    MainWindow window;
    window.show();
    QVERIFY(window.commandLine().isEmpty());
    QVERIFY(openAndWait(window, test::sampleImage()));
    window.copyCommandLine();
    const QString text = QGuiApplication::clipboard()->text();
    QCOMPARE(text, window.commandLine());
    QVERIFY2(text.startsWith(QStringLiteral("genstereo-cli generate ")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("--disparity ")) &&
                 text.contains(QStringLiteral("disp_left.png")),
             qPrintable(text));
    QVERIFY2(text.contains(
                 QStringLiteral("--baseline-scale 1 --auto-convergence --convergence-percentile 50 "
                                "--parallax-limit 3 --border screen")),
             qPrintable(text));
  }
};

QTEST_MAIN(ControlsTest)
#include "controls_test.moc"

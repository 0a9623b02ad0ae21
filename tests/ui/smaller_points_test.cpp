// The smaller points of issue 23 (point 9): the feather only where it acts, DPM-Solver++'s own
// step count, a lasting swap-eyes badge, the wiggle export at the preview's interval, "No" to
// the overwrite question said aloud, and "Copy as command line" writing beside the photo
// (offscreen).
#include <QtTest>

#include <QAction>
#include <QFileInfo>
#include <QMainWindow>
#include <QMessageBox>
#include <QSpinBox>
#include <QStatusBar>

#include "app_settings.h"
#include "before_after_view.h"
#include "comfort_controls.h"
#include "controls_panel.h"
#include "export_overwrite.h"
#include "full_screen_preview.h"
#include "main_window.h"
#include "stereo_preview.h"
#include "ui_test_support.h"
#include "wiggle_export_dialog.h"
#include "window_fit.h"

using namespace genstereo;
using namespace genstereo::ui;
using genstereo::ui::test::openAndWait;

class SmallerPointsTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir settings_dir_;

 private slots:
  void initTestCase() { test::initTestApplication(settings_dir_); }

  void featherOnlyForTheBackgroundFill() {
    ControlsPanel panel;
    QComboBox* fill = panel.fillBox();
    QVERIFY(panel.featherBox()->isEnabled());  // Background, the default
    QSignalSpy changed(&panel, &ControlsPanel::paramsChanged);
    for (FillMethod method : {FillMethod::kNaive, FillMethod::kTelea, FillMethod::kNone}) {
      fill->setCurrentIndex(fill->findData(static_cast<int>(method)));
      QVERIFY(!panel.featherBox()->isEnabled());
      QVERIFY2(panel.featherBox()->toolTip().contains(QStringLiteral("Background fill only")),
               qPrintable(panel.featherBox()->toolTip()));
    }
    fill->setCurrentIndex(fill->findData(static_cast<int>(FillMethod::kBackground)));
    QVERIFY(panel.featherBox()->isEnabled());
    QCOMPARE(changed.count(), 4);
  }

  void dpmSolverProposes25Steps() {
    ControlsPanel panel;
    QCOMPARE(panel.params().sampling_steps, 50);
    auto* scheduler = panel.findChild<QComboBox*>(QStringLiteral("schedulerBox"));
    scheduler->setCurrentIndex(
        scheduler->findData(static_cast<int>(SchedulerKind::kDpmSolverMultistep)));
    QCOMPARE(panel.params().sampling_steps, 25);
    scheduler->setCurrentIndex(
        scheduler->findData(static_cast<int>(SchedulerKind::kDpmSolverMultistepKarras)));
    QCOMPARE(panel.params().sampling_steps, 25);
    scheduler->setCurrentIndex(scheduler->findData(static_cast<int>(SchedulerKind::kDdim)));
    QCOMPARE(panel.params().sampling_steps, 50);
    // A count the user chose stays.
    EngineParams params = panel.params();
    params.sampling_steps = 30;
    panel.setParams(params);
    scheduler->setCurrentIndex(
        scheduler->findData(static_cast<int>(SchedulerKind::kDpmSolverMultistep)));
    QCOMPARE(panel.params().sampling_steps, 30);
  }

  void swapEyesBadgeLasts() {
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, test::sampleImage()));
    QLabel* badge = window.preview()->eyesSwappedBadge();
    QVERIFY(!badge->isVisibleTo(window.preview()));
    window.setEyesSwapped(true);
    QVERIFY(badge->isVisibleTo(window.preview()));
    QTest::qWait(100);
    QVERIFY(badge->isVisibleTo(window.preview()));  // not a 5 s status message
    window.setEyesSwapped(false);
    QVERIFY(!badge->isVisibleTo(window.preview()));
  }

  // The wiggle export starts at the preview's frame time; the command line writes beside the
  // photo even after an export into another folder.
  void wiggleIntervalAndCommandLineFolder() {
    QTemporaryDir elsewhere;
    AppSettings::setLastExportFolder(elsewhere.path());
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, test::sampleImage()));
    window.preview()->findChild<QSpinBox*>()->setValue(220);
    QCOMPARE(window.preview()->wiggleMs(), 220);
    int dialog_frame_ms = -1;
    QTimer::singleShot(0, [&] {
      for (QWidget* widget : QApplication::topLevelWidgets()) {
        if (auto* dialog = qobject_cast<WiggleExportDialog*>(widget)) {
          dialog_frame_ms = dialog->request().options.frame_ms;
          dialog->reject();
        }
      }
    });
    window.findChild<QAction*>(QStringLiteral("wiggleAction"))->trigger();
    QCOMPARE(dialog_frame_ms, 220);

    const QString command = window.commandLine();
    const QString photo_folder =
        QDir::toNativeSeparators(QFileInfo(test::sampleImage()).absolutePath());
    QVERIFY2(command.contains(photo_folder), qPrintable(command));
    QVERIFY2(!command.contains(QDir::toNativeSeparators(elsewhere.path())), qPrintable(command));
  }

  // Point 8: the first size fits the screen; the minimum width fits 1366 x 768 at 150 %
  // (1366 / 1.5 = 910 logical pixels) and the controls' dock.
  void firstSizeFitsTheScreen() {
    MainWindow window;
    const QRect available = window.screen()->availableGeometry();
    fitToAvailableScreen(window);
    QVERIFY2(window.width() <= available.width() && window.height() <= available.height(),
             qPrintable(QStringLiteral("%1 x %2 on %3 x %4")
                            .arg(window.width())
                            .arg(window.height())
                            .arg(available.width())
                            .arg(available.height())));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY2(window.minimumSizeHint().width() <= 910,
             qPrintable(QString::number(window.minimumSizeHint().width())));
  }

  // Point 7: F11 as an output for a 3D TV: black, the caption hides by itself and comes back
  // with the mouse, the window's screen only when there is no other, Esc leaves.
  void fullScreenIsAnOutput() {
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, test::sampleImage()));
    window.showTab(MainWindow::kPreviewTab);
    window.preview()->setMode(StereoPreview::kSideBySideHalf);
    window.toggleFullScreenPreview();
    FullScreenPreview* full = window.fullScreenPreview();
    QVERIFY(full != nullptr);
    QVERIFY(full->isFullScreen());
    QCOMPARE(full->screen(), FullScreenPreview::outputScreen(window.screen()));
    if (QGuiApplication::screens().size() == 1) QCOMPARE(full->screen(), window.screen());
    QCOMPARE(full->comparison()->view()->palette().color(QPalette::Dark), QColor(Qt::black));
    QVERIFY(full->isCaptionVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!full->isCaptionVisible(), FullScreenPreview::kCaptionShowMs + 2000);
    QCOMPARE(full->comparison()->view()->cursor().shape(), Qt::BlankCursor);
    QMouseEvent move(QEvent::MouseMove, QPointF(10, 10), QPointF(10, 10), Qt::NoButton,
                     Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(full->comparison()->view(), &move);
    QVERIFY(full->isCaptionVisible());
    QTest::keyClick(full, Qt::Key_Escape);
    QTRY_VERIFY(window.fullScreenPreview() == nullptr);
  }

  // Point 5: with the diffusion engine chosen, a new photo still shows its disparity, the
  // parallax and the comfort check (a weight-free preview), and not the last photo's run.
  void diffusionPhotoIsPreviewedBeforeTheRun() {
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, test::sampleImage()));
    auto* timing = window.findChild<QLabel*>(QStringLiteral("timingLabel"));
    QVERIFY(timing->text().contains(QStringLiteral("Last run")));
    window.controls()->setDiffusionAvailable(true, QString(), QStringLiteral("test"));
    window.controls()->engineBox()->setCurrentIndex(1);
    QCOMPARE(window.controls()->params().engine, EngineKind::kDiffusion);
    QSignalSpy shown(&window, &MainWindow::resultShown);
    QSignalSpy loaded(&window, &MainWindow::inputLoaded);
    window.openImage(test::sampleImage(), test::sampleDisparity());
    QVERIFY(loaded.wait(20000));
    QVERIFY(!timing->text().contains(QStringLiteral("Last run")));  // cleared at once
    QVERIFY(shown.wait(20000));
    const EngineResultPtr preview = window.currentResult();
    QCOMPARE(preview->params.engine, EngineKind::kWeightFree);
    QVERIFY(!preview->disparity_px.empty());
    auto* budget = window.controls()->comfortControls()->budgetLabel();
    QVERIFY2(!budget->text().contains(QStringLiteral("not measured")), qPrintable(budget->text()));
    QCOMPARE(window.controls()->params().engine, EngineKind::kDiffusion);  // still chosen
  }

  // Point 10: the passive-3D and DLP layouts and one eye alone in the preview.
  void previewHasPassiveLayoutsAndOneEye() {
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, test::sampleImage()));
    window.showTab(MainWindow::kPreviewTab);
    StereoPreview* preview = window.preview();
    const EngineResultPtr result = window.currentResult();
    const QSize view(result->left.cols, result->left.rows);
    const QList<QPair<StereoPreview::Mode, QSize>> modes = {
        {StereoPreview::kTopBottomHalf, view},     {StereoPreview::kRowInterleaved, view},
        {StereoPreview::kColumnInterleaved, view}, {StereoPreview::kCheckerboard, view},
        {StereoPreview::kLeftEyeOnly, view},       {StereoPreview::kRightEyeOnly, view}};
    for (const auto& [mode, size] : modes) {
      QSignalSpy updated(preview, &StereoPreview::previewUpdated);
      preview->setMode(mode);
      QVERIFY(updated.wait(10000));
      QCOMPARE(preview->currentImage().size(), size);
    }
    QCOMPARE(preview->currentImage(),
             result->final_view.convertToFormat(preview->currentImage().format()));  // right eye
  }

  // Point 3: the progress text and the last run's figures never share the status bar.
  void statusBarShowsOneRunText() {
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, test::sampleImage()));
    auto* timing = window.findChild<QLabel*>(QStringLiteral("timingLabel"));
    auto* progress = window.findChild<QLabel*>(QStringLiteral("progressLabel"));
    QVERIFY(timing->isVisibleTo(&window));
    QVERIFY(!progress->isVisibleTo(&window));
    QSignalSpy shown(&window, &MainWindow::resultShown);
    window.generate();
    QVERIFY(progress->isVisibleTo(&window));
    QVERIFY(!timing->isVisibleTo(&window));
    QVERIFY(shown.wait(20000));
    QTRY_VERIFY(timing->isVisibleTo(&window) && !progress->isVisibleTo(&window));
  }

  void noToOverwriteSaysNothingWasWritten() {
    QTemporaryDir out;
    QFile existing(QDir(out.path()).filePath(QStringLiteral("cones_R.png")));
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.close();
    ExportRequest request;
    request.folder = out.path();
    request.base_name = QStringLiteral("cones");
    request.formats = {QStringLiteral("pair")};
    QMainWindow window;
    window.show();
    QTimer::singleShot(0, [] {
      for (QWidget* widget : QApplication::topLevelWidgets()) {
        auto* box = qobject_cast<QMessageBox*>(widget);
        if (box != nullptr && box->objectName() == QLatin1String("overwriteQuestion")) {
          box->button(QMessageBox::No)->click();
        }
      }
    });
    QVERIFY(!confirmOverwrite(&window, request));
    QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("nothing was written")),
             qPrintable(window.statusBar()->currentMessage()));
  }
};

QTEST_MAIN(SmallerPointsTest)
#include "smaller_points_test.moc"

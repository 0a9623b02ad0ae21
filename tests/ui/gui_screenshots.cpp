// Writes the screenshots of docs/gui.md's "Controls, presets, comparison and wiggle" section:
// the real window under an X server with a window manager (e.g. Xvfb + openbox), each state
// set through the window's API, the whole screen grabbed. Not a test; run by hand:
//   Xvfb :84 -screen 0 1280x800x24 & openbox & DISPLAY=:84 build/tests/ui/gui_screenshots docs/img
#include <cstdio>
#include <functional>

#include <QApplication>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QScreen>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>

#include "before_after_view.h"
#include "controls_panel.h"
#include "io/atomic_write.h"
#include "io/image_io.h"
#include "io/mpo_writer.h"
#include "main_window.h"
#include "stereo_preview.h"
#include "ui_test_support.h"
#include "wiggle_export_dialog.h"

using namespace genstereo::ui;

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: gui_screenshots OUTPUT_FOLDER\n");
    return 2;
  }
  const QString folder = QString::fromLocal8Bit(argv[1]);
  QTemporaryDir settings;
  test::initTestApplication(settings);
  MainWindow window;
  window.resize(1260, 760);
  window.move(0, 0);
  window.show();
  if (!test::waitForResult(window, [&] { window.openImage(test::sampleImage()); })) return 1;

  // The new controls with a built-in preset applied.
  ControlsPanel* controls = window.controls();
  test::waitForResult(window, [&] {
    controls->presets()->presetBox()->setCurrentIndex(
        controls->presets()->presetBox()->findText(QStringLiteral("Comfortable")));
    controls->presets()->applyPreset(QStringLiteral("Comfortable"));
  });
  window.showTab(MainWindow::kPreviewTab);
  test::shootScreen(folder, QStringLiteral("gui_controls_preset.png"));

  // Before/after: the generated view, then the photo.
  window.toggleBeforeAfter();
  test::shootScreen(folder, QStringLiteral("gui_before_after.png"));
  window.toggleBeforeAfter();
  test::shootScreen(folder, QStringLiteral("gui_before_after_photo.png"));

  // Swap eyes in the side-by-side preview, and the copied command line in the status bar.
  window.showTab(MainWindow::kPreviewTab);
  window.preview()->setMode(StereoPreview::kSideBySideFull);
  window.setEyesSwapped(true);
  window.copyCommandLine();
  QMenu* view_menu = nullptr;
  for (QAction* action : window.menuBar()->actions()) {
    if (action->menu() != nullptr && action->text() == QObject::tr("&View"))
      view_menu = action->menu();
  }
  if (view_menu != nullptr) view_menu->popup(window.mapToGlobal(QPoint(110, 0)));
  test::shootScreen(folder, QStringLiteral("gui_swap_eyes_command_line.png"));
  if (view_menu != nullptr) view_menu->hide();
  window.setEyesSwapped(false);

  // Full screen (F11) with the anaglyph.
  window.preview()->setMode(StereoPreview::kAnaglyphDubois);
  test::settle(500);
  window.toggleFullScreenPreview();
  test::shootScreen(folder, QStringLiteral("gui_full_screen.png"));
  window.toggleFullScreenPreview();

  // The wiggle export dialog.
  WiggleExportDialog dialog(QDir::home().filePath(QStringLiteral("left_wiggle.gif")), 150, &window);
  dialog.show();
  dialog.move(window.geometry().center() - dialog.rect().center());
  test::shootScreen(folder, QStringLiteral("gui_wiggle_dialog.png"));
  dialog.close();
  // The wiggle itself (GIF, 150 ms) of the current result.
  {
    QSignalSpy written(&window, &MainWindow::wiggleExported);
    WiggleExportRequest request;
    request.path = QDir(folder).filePath(QStringLiteral("gui_wiggle_sample.gif"));
    window.exportWiggle(request);
    written.wait(30000);
  }

  // A map of another size: resized, with the note.
  QTemporaryDir data;
  const QString big = test::writeScaledSample(data.path(), QStringLiteral("wide"), 900, 750);
  test::waitForResult(window, [&] { window.openImage(big, test::sampleDisparity()); });
  window.showTab(MainWindow::kInspectTab);
  test::shootScreen(folder, QStringLiteral("gui_map_resized_note.png"));

  // A stereo file: an MPO of the sample's left and real right views (Middlebury), its right
  // view shown as the truth in Before/after.
  {
    const QString mpo = QDir(data.path()).filePath(QStringLiteral("cones.mpo"));
    const QString right =
        QFileInfo(test::sampleImage()).dir().filePath(QStringLiteral("right.png"));
    genstereo::writeBytesAtomically(
        mpo.toStdString(),
        genstereo::buildStereoMpo(
            genstereo::encodeJpeg(genstereo::readImage(test::sampleImage().toStdString()), 95),
            genstereo::encodeJpeg(genstereo::readImage(right.toStdString()), 95)));
    test::waitForResult(window, [&] { window.openImage(mpo, test::sampleDisparity()); });
    window.showTab(MainWindow::kCompareTab);
    window.beforeAfter()->setShowingTruth(true);
    test::shootScreen(folder, QStringLiteral("gui_before_after_truth.png"));
  }

  // The diffusion settings with tiles and feathered seams, on a panel of its own (this machine
  // has no GenStereo weights, so the window's diffusion entry stays disabled).
  {
    ControlsPanel panel;
    panel.setDiffusionAvailable(true, QString(), QStringLiteral("GenStereo v2.1"));
    EngineParams params = panel.params();
    params.engine = EngineKind::kDiffusion;
    params.scheduler = genstereo::SchedulerKind::kDpmSolverMultistep;
    params.sampling_steps = 20;
    params.tiles = true;
    params.tile_feather_px = 32;
    panel.setParams(params);
    panel.resize(420, panel.sizeHint().height());
    panel.show();
    test::settle(300);
    panel.grab().save(QDir(folder).filePath(QStringLiteral("gui_diffusion_tiles.png")));
  }
  return 0;
}

// Writes the screenshots of the workbench's comfort group (docs/comfort.md, docs/gui.md): the
// paper's geometry with its warning, a screen point picked in the input view, and one picked
// in the right half of the side-by-side stereo preview, marked in both halves. The real
// window under an X server with a window manager, the whole screen grabbed. Not a test; run
// by hand:
//   Xvfb :85 -screen 0 1280x800x24 & openbox & DISPLAY=:85 build/tests/ui/comfort_screenshots
//   docs/img
#include <cstdio>
#include <functional>

#include <QApplication>
#include <QDir>
#include <QEventLoop>
#include <QScreen>
#include <QScrollArea>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include "comfort_controls.h"
#include "controls_panel.h"
#include "image_view.h"
#include "inspection_panel.h"
#include "main_window.h"
#include "stereo_preview.h"
#include "ui_test_support.h"

using namespace genstereo::ui;

namespace {

// Scrolls the controls dock so that the comfort group is in sight.
void showComfortGroup(MainWindow& window) {
  ComfortControls* comfort = window.controls()->comfortControls();
  for (QScrollArea* scroll : window.findChildren<QScrollArea*>()) {
    if (scroll->isAncestorOf(comfort)) scroll->ensureWidgetVisible(comfort, 0, 0);
  }
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: comfort_screenshots OUTPUT_FOLDER\n");
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
  ControlsPanel* controls = window.controls();

  // The paper's geometry: outside the comfort range, the group warns.
  if (!test::waitForResult(
          window, [&] { controls->presets()->applyPreset(QStringLiteral("Paper defaults")); })) {
    return 1;
  }
  window.showTab(MainWindow::kInspectTab);
  showComfortGroup(window);
  test::shootScreen(folder, QStringLiteral("gui_comfort_warning.png"));

  // Back to the comfortable defaults, then "Pick screen plane" and a click on the mask's face
  // in the input view.
  if (!test::waitForResult(
          window, [&] { controls->presets()->applyPreset(QStringLiteral("Comfortable")); })) {
    return 1;
  }
  ComfortControls* comfort = controls->comfortControls();
  comfort->pickButton()->click();
  ImageView* input = window.inspection()->view(InspectionPanel::kInput);
  test::settle(300);
  // The view position that shows the mask's face, pixel (310, 160) of the sample.
  const QPoint face_px(310, 160);
  QPoint click = input->rect().center();
  for (int x = 0; x < input->width(); ++x) {
    if (input->imagePixelAt(QPointF(x, click.y())).x() >= face_px.x()) {
      click.setX(x);
      break;
    }
  }
  for (int y = 0; y < input->height(); ++y) {
    if (input->imagePixelAt(QPointF(click.x(), y)).y() >= face_px.y()) {
      click.setY(y);
      break;
    }
  }
  if (!test::waitForResult(
          window, [&] { QTest::mouseClick(input, Qt::LeftButton, Qt::NoModifier, click); })) {
    return 1;
  }
  showComfortGroup(window);
  test::shootScreen(folder, QStringLiteral("gui_comfort_screen_point.png"));

  // Side by side: Ctrl+click on a red cone in the right half.
  window.showTab(MainWindow::kPreviewTab);
  StereoPreview* preview = window.preview();
  preview->setMode(StereoPreview::kSideBySideFull);
  for (int i = 0; i < 100 && preview->geometry().tiling.columns != 2; ++i) test::settle(50);
  const QPointF cone_px(140.5, 230.5);
  const QPointF in_right_half = cone_px + QPointF(preview->geometry().view_size_px.width(), 0.0);
  ImageView* picture = preview->view();
  if (!test::waitForResult(window, [&] {
        QTest::mouseClick(picture, Qt::LeftButton, Qt::ControlModifier,
                          picture->widgetPositionOf(in_right_half).toPoint());
      })) {
    return 1;
  }
  showComfortGroup(window);
  test::shootScreen(folder, QStringLiteral("gui_preview_screen_point.png"));
  return 0;
}

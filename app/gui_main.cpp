// genstereo: the desktop workbench (Qt 6 Widgets). Command line:
//   genstereo [IMAGE] [--map FILE] [--screenshot FILE [--view inspect|preview|3d]] [--lang CODE]
// --screenshot renders the window to a PNG once the photo's result is on screen, then exits.
#include <cstdio>

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QPainter>
#include <QPixmap>
#include <QTimer>
#include <Qt3DRender/QRenderCapture>

#include "app_settings.h"
#include "main_window.h"
#include "process_memory.h"
#include "scene_3d_view.h"
#include "stereo_preview.h"
#include "translation.h"
#include "ui_resources.h"
#include "window_fit.h"

namespace {

using genstereo::ui::MainWindow;

constexpr int kSettleMs = 400;  // lets layouts and previews settle before grabbing
constexpr int kScreenshotTimeoutMs = 120000;

void saveAndQuit(const QPixmap& shot, const QString& path) {
  const bool is_saved = shot.save(path, "PNG");
  if (!is_saved) std::fprintf(stderr, "genstereo: cannot write '%s'\n", qPrintable(path));
  QCoreApplication::exit(is_saved ? 0 : 1);
}

// Grabs the window (and, for the 3D tab, the Qt3D frame, which QWidget::grab cannot see).
void grabWindow(MainWindow& window, const QString& path, MainWindow::Tab tab) {
  window.showTab(tab);
  QTimer::singleShot(kSettleMs, &window, [&window, path, tab] {
    genstereo::ui::Scene3DView* scene = tab == MainWindow::k3DTab ? window.scene3D() : nullptr;
    if (scene == nullptr) {
      saveAndQuit(window.grab(), path);
      return;
    }
    QTimer::singleShot(1500, &window, [&window, scene, path] {
      Qt3DRender::QRenderCaptureReply* reply = scene->requestCapture();
      QObject::connect(reply, &Qt3DRender::QRenderCaptureReply::completed, &window,
                       [&window, scene, reply, path] {
                         QPixmap shot = window.grab();
                         QPainter painter(&shot);
                         const QRect area(scene->renderArea()->mapTo(&window, QPoint(0, 0)),
                                          scene->renderArea()->size());
                         painter.drawImage(area, reply->image());
                         painter.end();
                         reply->deleteLater();
                         saveAndQuit(shot, path);
                       });
    });
  });
}

}  // namespace

int main(int argc, char** argv) {
  genstereo::configureProcessMemory();
  QApplication app(argc, argv);
  QCoreApplication::setOrganizationName(QStringLiteral("GenStereo"));
  QCoreApplication::setApplicationName(QStringLiteral("GenStereo"));
  QCoreApplication::setApplicationVersion(QStringLiteral(GENSTEREO_VERSION));
  QGuiApplication::setDesktopFileName(QStringLiteral("genstereo"));
  genstereo::ui::initUiResources();

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("GenStereo: turn photos and videos into stereo 3D."));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(QStringLiteral("IMAGE"), QStringLiteral("photo or video to open"),
                               QStringLiteral("[IMAGE]"));
  const QCommandLineOption map_option(
      QStringLiteral("map"),
      QStringLiteral("disparity or depth map of IMAGE (default: found beside it); for a video, "
                     "a folder of per-frame maps"),
      QStringLiteral("FILE"));
  const QCommandLineOption screenshot_option(
      QStringLiteral("screenshot"), QStringLiteral("render the window to FILE (PNG) and exit"),
      QStringLiteral("FILE"));
  const QCommandLineOption view_option(QStringLiteral("view"),
                                       QStringLiteral("tab shown: inspect (default), preview, 3d"),
                                       QStringLiteral("VIEW"), QStringLiteral("inspect"));
  const QCommandLineOption preview_option(
      QStringLiteral("preview"), QStringLiteral("stereo preview mode index (0 Dubois .. 7 wiggle)"),
      QStringLiteral("N"), QStringLiteral("0"));
  const QCommandLineOption lang_option(
      QStringLiteral("lang"),
      QStringLiteral("user-interface language (en, de); default: Preferences"),
      QStringLiteral("CODE"));
  parser.addOptions({map_option, screenshot_option, view_option, preview_option, lang_option});
  parser.process(app);

  genstereo::ui::installTranslation(app, parser.isSet(lang_option)
                                             ? parser.value(lang_option)
                                             : genstereo::ui::AppSettings::language());

  MainWindow window;
  const QStringList positional = parser.positionalArguments();
  const QString image = positional.isEmpty() ? QString() : positional.first();
  if (!parser.isSet(screenshot_option)) {
    genstereo::ui::fitToAvailableScreen(window);  // 1280 x 860 at scale 2 exceeds 1080p
    window.show();
    if (!image.isEmpty()) window.openImage(image, parser.value(map_option));
    return app.exec();
  }

  const QString screenshot = QFileInfo(parser.value(screenshot_option)).absoluteFilePath();
  const QString view = parser.value(view_option);
  const MainWindow::Tab tab = view == QLatin1String("preview") ? MainWindow::kPreviewTab
                              : view == QLatin1String("3d")    ? MainWindow::k3DTab
                                                               : MainWindow::kInspectTab;
  window.preview()->setMode(
      static_cast<genstereo::ui::StereoPreview::Mode>(parser.value(preview_option).toInt()));
  window.show();
  QTimer::singleShot(kScreenshotTimeoutMs, &app, [] {
    std::fprintf(stderr, "genstereo: --screenshot timed out\n");
    QCoreApplication::exit(2);
  });
  if (image.isEmpty()) {
    grabWindow(window, screenshot, tab);
  } else {
    QObject::connect(&window, &MainWindow::resultShown, &window,
                     [&window, screenshot, tab] { grabWindow(window, screenshot, tab); });
    QObject::connect(&window, &MainWindow::inputLoaded, &window, [&window, screenshot, tab] {
      if (!window.currentInput()->map) grabWindow(window, screenshot, tab);
    });
    QObject::connect(&window, &MainWindow::errorShown, &window,
                     [&window, screenshot, tab] { grabWindow(window, screenshot, tab); });
    window.openImage(image, parser.value(map_option));
  }
  return app.exec();
}

#include "ui_test_support.h"

#include <cstdio>
#include <limits>

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QGuiApplication>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QTimer>

#include <opencv2/imgproc.hpp>

#include "io/disparity_io.h"
#include "io/image_io.h"
#include "main_window.h"
#include "ui_resources.h"

namespace genstereo::ui::test {

bool openAndWait(MainWindow& window, const QString& image, const QString& map) {
  QSignalSpy shown(&window, &MainWindow::resultShown);
  window.openImage(image, map);
  return shown.wait(60000);
}

void initTestApplication(const QTemporaryDir& settings_dir) {
  QCoreApplication::setOrganizationName(QStringLiteral("GenStereoTest"));
  QCoreApplication::setApplicationName(QStringLiteral("GenStereoTest"));
  QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings_dir.path());
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settings_dir.path());
  // The data and cache folders too (the saved conversion queue, the video frame caches):
  // nothing of one test run is seen by another.
  qputenv("XDG_DATA_HOME", (settings_dir.path() + QStringLiteral("/data")).toUtf8());
  qputenv("XDG_CACHE_HOME", (settings_dir.path() + QStringLiteral("/cache")).toUtf8());
  initUiResources();
}

QString sampleImage() { return QStringLiteral(GENSTEREO_SOURCE_DIR "/resources/sample/left.png"); }

QString sampleDisparity() {
  return QStringLiteral(GENSTEREO_SOURCE_DIR "/resources/sample/disp_left.png");
}

QString writeScaledSample(const QString& dir, const QString& name, int width, int height) {
  const cv::Mat image = readImage(sampleImage().toStdString());
  DisparityReadOptions options;
  options.png_divisor = 4.0;
  const DisparityMap disparity = readDisparity(sampleDisparity().toStdString(), options);
  cv::Mat big_image;
  cv::resize(image, big_image, cv::Size(width, height), 0, 0, cv::INTER_LINEAR);
  cv::Mat values = disparity.values.clone();
  values.setTo(std::numeric_limits<float>::quiet_NaN(), disparity.valid == 0);
  cv::Mat big_disparity;
  cv::resize(values, big_disparity, cv::Size(width, height), 0, 0, cv::INTER_NEAREST);
  big_disparity *= static_cast<double>(width) / image.cols;
  const QString image_path = QDir(dir).filePath(name + QStringLiteral(".png"));
  writeImage(image_path.toStdString(), big_image);
  writeDisparity(QDir(dir).filePath(name + QStringLiteral("_disp.pfm")).toStdString(),
                 makeDisparityMap(big_disparity));
  return image_path;
}

double nonBlackFraction(const QImage& image) {
  const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
  qint64 count = 0;
  for (int y = 0; y < rgb.height(); ++y) {
    const uchar* row = rgb.constScanLine(y);
    for (int x = 0; x < rgb.width(); ++x) {
      if (row[3 * x] + row[3 * x + 1] + row[3 * x + 2] > 30) ++count;
    }
  }
  return rgb.isNull()
             ? 0.0
             : static_cast<double>(count) / (static_cast<double>(rgb.width()) * rgb.height());
}

void settle(int ms) {
  QEventLoop loop;
  QTimer::singleShot(ms, &loop, &QEventLoop::quit);
  loop.exec();
}

bool waitForResult(MainWindow& window, const std::function<void()>& change) {
  QSignalSpy shown(&window, &MainWindow::resultShown);
  change();
  return shown.wait(60000);
}

void shootScreen(const QString& folder, const QString& name) {
  settle(700);
  const QImage image = QGuiApplication::primaryScreen()->grabWindow(0).toImage().convertToFormat(
      QImage::Format_RGB888);
  const QString path = QDir(folder).filePath(name);
  if (!image.save(path, "PNG", 9)) std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
  std::printf("%s %dx%d\n", qPrintable(path), image.width(), image.height());
}

}  // namespace genstereo::ui::test

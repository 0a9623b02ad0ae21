// The Qt3D view renders the depth mesh and the stereo pair. Needs an X display (Xvfb) and
// QT3D_RENDERER=opengl (see docs/gui.md); skips cleanly without DISPLAY, where Qt3D crashes.
#include <QtTest>

#include <Qt3DRender/QRenderCapture>

#include "engine_controller.h"
#include "scene_3d_view.h"
#include "ui_test_support.h"

using namespace genstereo::ui;

class Scene3DTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir settings_dir_;

  static QImage capture(Scene3DView& view) {
    // The first frames may come before the textures are uploaded: keep the last of several.
    QImage image;
    for (int attempt = 0; attempt < 3; ++attempt) {
      QTest::qWait(500);
      Qt3DRender::QRenderCaptureReply* reply = view.requestCapture();
      QSignalSpy completed(reply, &Qt3DRender::QRenderCaptureReply::completed);
      if (!completed.wait(20000)) break;
      image = reply->image();
      delete reply;
    }
    return image;
  }

  static double centreColourfulness(const QImage& image) {
    // Mean channel spread in the middle of the frame: the background is grey, the photo is not.
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    double sum = 0.0;
    int count = 0;
    for (int y = rgb.height() / 3; y < 2 * rgb.height() / 3; y += 2) {
      for (int x = rgb.width() / 3; x < 2 * rgb.width() / 3; x += 2) {
        const QColor c = rgb.pixelColor(x, y);
        sum += std::max({c.red(), c.green(), c.blue()}) - std::min({c.red(), c.green(), c.blue()});
        ++count;
      }
    }
    return count > 0 ? sum / count : 0.0;
  }

 private slots:
  void initTestCase() {
    if (qEnvironmentVariableIsEmpty("DISPLAY")) {
      QSKIP("Qt3D needs an X display: run under Xvfb (packaging/run-tests.sh starts one)");
    }
    test::initTestApplication(settings_dir_);
  }

  void rendersMeshAndPair() {
    EngineController controller;
    QSignalSpy loaded(&controller, &EngineController::loaded);
    LoadRequest request;
    request.image_path = test::sampleImage();
    request.map_path = test::sampleDisparity();
    controller.load(request);
    QVERIFY(loaded.wait(20000));
    QSignalSpy finished(&controller, &EngineController::finished);
    controller.synthesize(loaded.first().first().value<InputDataPtr>(), EngineParams{});
    QVERIFY(finished.wait(20000));
    const auto result = finished.first().first().value<EngineResultPtr>();

    Scene3DView view;
    view.resize(800, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setResult(result);
    QVERIFY(view.meshVertexCount() == 226 * 188);  // 450 x 375 sampled every 2nd pixel

    const QImage mesh = capture(view);
    QVERIFY(!mesh.isNull());
    const double mesh_colour = centreColourfulness(mesh);
    qInfo("depth mesh frame %dx%d, centre colourfulness %.1f", mesh.width(), mesh.height(),
          mesh_colour);
    QVERIFY(mesh_colour > 20.0);

    view.setMode(Scene3DView::kStereoPair);
    const QImage pair = capture(view);
    QVERIFY(!pair.isNull());
    qInfo("stereo pair frame: non-black %.2f", test::nonBlackFraction(pair));
    QVERIFY(pair != mesh);
    QVERIFY(test::nonBlackFraction(pair) > 0.3);
  }
};

int main(int argc, char** argv) {
  // Without a display Qt would abort before the test could skip itself.
  if (qEnvironmentVariableIsEmpty("DISPLAY")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  Scene3DTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "scene_3d_test.moc"

// The engine thread: results, progress, newest request wins, cancel, errors.
#include <QtTest>

#include "engine_controller.h"
#include "ui_test_support.h"

using namespace genstereo::ui;

class EngineControllerTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir settings_dir_;
  InputDataPtr sample_;

  InputDataPtr load(EngineController& controller, const LoadRequest& request) {
    QSignalSpy loaded(&controller, &EngineController::loaded);
    controller.load(request);
    if (!loaded.wait(20000)) return nullptr;
    return loaded.first().first().value<InputDataPtr>();
  }

 private slots:
  void initTestCase() {
    test::initTestApplication(settings_dir_);
    EngineController controller;
    LoadRequest request;
    request.image_path = test::sampleImage();
    request.map_path = test::sampleDisparity();
    sample_ = load(controller, request);
    QVERIFY(sample_ != nullptr);
    QVERIFY(sample_->map.has_value());
    // meta.json beside the map gives divisor 4: the sample's disparity tops out at 55 px.
    double max_value = 0.0;
    cv::minMaxLoc(sample_->map->values, nullptr, &max_value);
    QCOMPARE(max_value, 55.0);
  }

  void resultHasEveryIntermediate() {
    EngineController controller;
    QSignalSpy finished(&controller, &EngineController::finished);
    QSignalSpy progressed(&controller, &EngineController::progressed);
    controller.synthesize(sample_, EngineParams{});
    QVERIFY(finished.wait(20000));
    const auto result = finished.first().first().value<EngineResultPtr>();
    for (const QImage* image :
         {&result->input, &result->disparity_color, &result->warped, &result->occlusion_mask,
          &result->fusion_heat, &result->filled, &result->final_view}) {
      QCOMPARE(image->size(), QSize(450, 375));
    }
    QCOMPARE(result->disparity_max_px, 55.0);
    QVERIFY(result->occluded_fraction > 0.01 && result->occluded_fraction < 0.5);
    QCOMPARE(progressed.size(), 3);
    for (int i = 0; i < 3; ++i) {
      QCOMPARE(progressed[i][0].toInt(), i + 1);
      QCOMPARE(progressed[i][1].toInt(), 3);
    }
    QVERIFY(!controller.isBusy());
  }

  void newestRequestWins() {
    EngineController controller;
    QSignalSpy finished(&controller, &EngineController::finished);
    for (double scale : {0.5, 0.8, 1.7}) {
      EngineParams params;
      params.baseline_scale = scale;
      controller.synthesize(sample_, params);
    }
    QVERIFY(finished.wait(20000));
    QTest::qWait(300);  // nothing older arrives afterwards
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().value<EngineResultPtr>()->params.baseline_scale, 1.7);
  }

  void cancelStopsBetweenSteps() {
    EngineController controller;
    QSignalSpy cancelled(&controller, &EngineController::cancelled);
    QSignalSpy finished(&controller, &EngineController::finished);
    controller.synthesize(sample_, EngineParams{});
    controller.cancel();
    QVERIFY(cancelled.wait(20000));
    QCOMPARE(finished.size(), 0);
    QVERIFY(!controller.isBusy());
  }

  void mismatchedMapIsALoadError() {
    QTemporaryDir dir;
    const QString big = test::writeScaledSample(dir.path(), QStringLiteral("big"), 900, 750);
    EngineController controller;
    QSignalSpy failed(&controller, &EngineController::loadFailed);
    LoadRequest request;
    request.image_path = big;
    request.map_path = test::sampleDisparity();
    controller.load(request);
    QVERIFY(failed.wait(20000));
    const QString message = failed.first().first().toString();
    QVERIFY2(
        message.contains(QStringLiteral("450x375")) && message.contains(QStringLiteral("900x750")),
        qPrintable(message));
  }

  void depthMapsAreConverted() {
    EngineController controller;
    QSignalSpy finished(&controller, &EngineController::finished);
    EngineParams params;
    params.map_kind = MapKind::kInverseDepth;
    params.max_disparity_fraction = 0.1;
    controller.synthesize(sample_, params);
    QVERIFY(finished.wait(20000));
    const auto result = finished.first().first().value<EngineResultPtr>();
    QVERIFY(std::abs(result->disparity_max_px - 45.0) < 1e-3);  // 0.1 * 450 px
  }

  // A photo without a map and no depth checkpoint: the error names the file expected.
  void photoWithoutMapNeedsADepthCheckpoint() {
    QTemporaryDir models;
    auto input = std::make_shared<InputData>(*sample_);
    input->map.reset();
    EngineController controller;
    QSignalSpy failed(&controller, &EngineController::failed);
    EngineParams params;
    params.models.folder = models.path();
    params.models.depth_model_size = QStringLiteral("vits");
    controller.synthesize(input, params);
    QVERIFY(failed.wait(20000));
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(
                 QDir(models.path()).filePath(QStringLiteral("depth_anything_v2_vits.pth"))),
             qPrintable(message));
  }

  // The diffusion engine with an empty models folder: the error lists the missing files.
  void diffusionWithoutWeightsIsAnError() {
    QTemporaryDir models;
    EngineController controller;
    QSignalSpy failed(&controller, &EngineController::failed);
    EngineParams params;
    params.engine = EngineKind::kDiffusion;
    params.models.folder = models.path();
    params.models.variant = QStringLiteral("sd15");
    controller.synthesize(sample_, params);
    QVERIFY(failed.wait(20000));
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(QStringLiteral("genstereo-v1.5/reference_unet.pth")) &&
                 message.contains(QStringLiteral("image_encoder/pytorch_model.bin")),
             qPrintable(message));
    QVERIFY(!controller.isBusy());
  }
};

QTEST_GUILESS_MAIN(EngineControllerTest)
#include "engine_controller_test.moc"

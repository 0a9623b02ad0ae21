// The engine thread: results, progress, newest request wins, cancel, errors.
#include <QtTest>

#include "engine_controller.h"
#include "engine_worker.h"
#include "ui_test_support.h"

using namespace genstereo::ui;
using genstereo::MapKind;

class EngineControllerTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir settings_dir_;
  InputDataPtr sample_;

  // The official geometry (no convergence, no parallax limit, the strip filled): the
  // disparity used is the map's (EngineParams starts with generate's comfortable settings).
  static EngineParams officialGeometry() {
    EngineParams params;
    params.comfort = genstereo::ComfortParams{};
    params.border = genstereo::BorderMode::kFill;
    return params;
  }

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
    controller.synthesize(sample_, officialGeometry());
    QVERIFY(finished.wait(20000));
    const auto result = finished.first().first().value<EngineResultPtr>();
    for (const QImage* image :
         {&result->input, &result->disparity_color, &result->warped, &result->occlusion_mask,
          &result->fusion_heat, &result->filled, &result->final_view}) {
      QCOMPARE(image->size(), QSize(450, 375));
    }
    QCOMPARE(result->disparity_max_px, 55.0);
    QVERIFY(result->occluded_fraction > 0.01 && result->occluded_fraction < 0.5);
    // The engine's progress: stages named, one fraction rising to 1 at the end of the run.
    QVERIFY2(progressed.size() >= 3, qPrintable(QString::number(progressed.size())));
    double last_fraction = 0.0;
    for (const QList<QVariant>& report : progressed) {
      const double fraction = report[0].toDouble();
      QVERIFY(fraction >= last_fraction && fraction <= 1.0);
      QVERIFY(!report[1].toString().isEmpty());
      last_fraction = fraction;
    }
    QCOMPARE(last_fraction, 1.0);
    QVERIFY(progressed.first()[0].toDouble() < 1.0);
    QVERIFY2(result->engine_description.startsWith(QStringLiteral("weight-free")),
             qPrintable(result->engine_description));
    QVERIFY(result->notes.isEmpty());
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

  // A map of another size than the photo: read as it is; the engine refuses it naming both
  // sizes, or resizes it when asked and says so in the result's notes.
  void mismatchedMapIsRefusedOrResizedByTheEngine() {
    QTemporaryDir dir;
    const QString big = test::writeScaledSample(dir.path(), QStringLiteral("big"), 900, 750);
    EngineController controller;
    LoadRequest request;
    request.image_path = big;
    request.map_path = test::sampleDisparity();
    const InputDataPtr input = load(controller, request);
    QVERIFY(input != nullptr);
    QCOMPARE(input->map->values.cols, 450);

    for (MapKind kind : {MapKind::kDisparity, MapKind::kInverseDepth}) {
      QSignalSpy failed(&controller, &EngineController::failed);
      EngineParams params;
      params.map_kind = kind;
      controller.synthesize(input, params);
      QVERIFY(failed.wait(20000));
      const QString message = failed.first().first().toString();
      QVERIFY2(message.contains(QStringLiteral("450x375")) &&
                   message.contains(QStringLiteral("900x750")) &&
                   message.contains(QStringLiteral("disp_left.png")),
               qPrintable(message));
    }

    QSignalSpy finished(&controller, &EngineController::finished);
    EngineParams params = officialGeometry();  // the disparity as converted, unshaped
    params.map_kind = MapKind::kInverseDepth;  // a depth map: converted at the photo's size
    params.max_disparity_fraction = 0.1;
    params.map_size = genstereo::MapSizePolicy::kResize;
    controller.synthesize(input, params);
    QVERIFY(finished.wait(20000));
    const auto result = finished.first().first().value<EngineResultPtr>();
    QCOMPARE(result->final_view.size(), QSize(900, 750));
    QVERIFY(std::abs(result->disparity_max_px - 90.0) < 1e-3);  // 0.1 * 900 px
    QCOMPARE(result->notes.size(), 1);
    QVERIFY2(result->notes.first().contains(QStringLiteral("resized")) &&
                 result->notes.first().contains(QStringLiteral("450x375")),
             qPrintable(result->notes.first()));
  }

  void depthMapsAreConverted() {
    EngineController controller;
    QSignalSpy finished(&controller, &EngineController::finished);
    EngineParams params = officialGeometry();  // the disparity as converted, unshaped
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
    QVERIFY2(message.contains(QStringLiteral("missing")), qPrintable(message));
  }

  // The worker is a client of one genstereo::StereoEngine: kept between runs with the same
  // model settings, rebuilt when they change; a photo without a map goes to the engine's depth
  // estimation (EstimatedDepth), whose error names the checkpoint looked for.
  void workerRunsThroughOneEngine() {
    auto latest = std::make_shared<std::atomic<std::uint64_t>>(0);
    EngineWorker worker(latest);
    QSignalSpy finished(&worker, &EngineWorker::finished);
    QSignalSpy failed(&worker, &EngineWorker::failed);
    QVERIFY(worker.engine() == nullptr);
    latest->store(1);
    worker.synthesize(1, sample_, EngineParams{}, genstereo::CancelToken());
    QCOMPARE(finished.size(), 1);
    const genstereo::StereoEngine* first = worker.engine();
    QVERIFY(first != nullptr);
    QVERIFY(first->options().models_dir.empty());
    latest->store(2);
    EngineParams params;
    params.baseline_scale = 0.5;
    worker.synthesize(2, sample_, params, genstereo::CancelToken());
    QCOMPARE(finished.size(), 2);
    QCOMPARE(worker.engine(), first);  // the same engine

    QTemporaryDir models;
    auto mapless = std::make_shared<InputData>(*sample_);
    mapless->map.reset();
    params.models.folder = models.path();
    params.models.depth_model_size = QStringLiteral("vitb");
    latest->store(3);
    worker.synthesize(3, mapless, params, genstereo::CancelToken());
    QCOMPARE(failed.size(), 1);
    const QString message = failed.first().at(1).toString();
    const bool has_models = !worker.engine()->inspectModels().depth.empty();
    QVERIFY2(has_models
                 ? message.contains(
                       QDir(models.path()).filePath(QStringLiteral("depth_anything_v2_vitb.pth")))
                 : message.contains(QStringLiteral("without LibTorch")),
             qPrintable(message));
    QCOMPARE(QString::fromStdString(worker.engine()->options().models_dir.string()), models.path());
    QCOMPARE(worker.engine()->counters().depth_forwards, 0);

    // A cancelled token: the run stops and says so.
    QSignalSpy cancelled(&worker, &EngineWorker::cancelled);
    genstereo::CancelToken cancel;
    cancel.cancel();
    latest->store(4);
    worker.synthesize(4, sample_, EngineParams{}, cancel);
    QCOMPARE(cancelled.size(), 1);
    QCOMPARE(finished.size(), 2);
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

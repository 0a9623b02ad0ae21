// Honest progress (issue 23, point 3): each stage estimated from its own measure, tiles named,
// and a live drag that does not flash the busy state (offscreen).
#include <QtTest>

#include "engine_controller.h"
#include "progress_estimate.h"
#include "ui_test_support.h"

using namespace genstereo;
using namespace genstereo::ui;

namespace {

EngineParams diffusionParams(bool tiles = false) {
  EngineParams params;
  params.engine = EngineKind::kDiffusion;
  params.sampling_steps = 50;
  params.tiles = tiles;
  return params;
}

}  // namespace

class ProgressEstimateTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir settings_dir_;

 private slots:
  void initTestCase() { test::initTestApplication(settings_dir_); }

  // The first diffusion run after weight-free ones: no estimate while loading (the weight-free
  // runs' seconds say nothing about it), then the measured step time.
  void diffusionStepsFromTheMeasuredStepTime() {
    ProgressEstimate estimate;
    EngineParams weight_free;
    estimate.start(weight_free);
    estimate.report(RunStage::kSynthesizing, 1, 2, 100.0);
    estimate.finish(300.0);
    estimate.start(diffusionParams());
    estimate.report(RunStage::kPreparing, 1, 1, 10.0);
    estimate.report(RunStage::kLoadingModels, 0, 1, 20.0);
    QCOMPARE(estimate.etaMs(5000.0), -1.0);
    // 11 s loading and the first step 1 s: the engine reports the step's end only, so the
    // step time is known from the second step on (none shown before, rather than 12 s).
    estimate.report(RunStage::kDenoising, 1, 50, 12020.0);
    QCOMPARE(estimate.etaMs(12020.0), -1.0);
    estimate.report(RunStage::kDenoising, 2, 50, 13020.0);
    QCOMPARE(estimate.etaMs(13020.0), 48 * 1000.0);
    QCOMPARE(estimate.etaMs(13520.0), 48 * 1000.0 - 500.0);  // counts down inside a step
    estimate.report(RunStage::kDenoising, 50, 50, 61020.0);  // decoding: not measured
    QCOMPARE(estimate.etaMs(61100.0), -1.0);
    estimate.finish(62000.0);

    // The next run of the same models: loading and steps from the history.
    estimate.start(diffusionParams());
    estimate.report(RunStage::kLoadingModels, 0, 1, 0.0);
    QCOMPARE(estimate.etaMs(2000.0), 9000.0 + 50 * 1000.0);
  }

  // Depth from the depth model's own past run.
  void depthFromItsOwnPastRuns() {
    ProgressEstimate estimate;
    EngineParams params;
    estimate.start(params);
    estimate.report(RunStage::kEstimatingDepth, 0, 1, 0.0);
    QCOMPARE(estimate.etaMs(100.0), -1.0);
    estimate.report(RunStage::kSynthesizing, 1, 2, 4000.0);
    estimate.finish(4500.0);
    estimate.forgetPhoto();  // a new photo: its synthesis time is not known
    estimate.start(params);
    estimate.report(RunStage::kEstimatingDepth, 0, 1, 0.0);
    QCOMPARE(estimate.etaMs(1000.0), 3000.0);
  }

  // Loading from the MiB read (the engine reports step/total = MiB read of the MiB of the
  // files): an estimate on the first load, without a past run, and none from a past load of
  // other models.
  void loadingFromTheBytesRead() {
    ProgressEstimate estimate;
    EngineParams weight_free;
    estimate.start(weight_free);
    estimate.report(RunStage::kSynthesizing, 1, 2, 100.0);
    estimate.finish(300.0);
    estimate.start(diffusionParams());
    estimate.report(RunStage::kLoadingModels, 0, 400, 0.0);
    QCOMPARE(estimate.etaMs(500.0), -1.0);  // nothing read yet, no past load of these models
    estimate.report(RunStage::kLoadingModels, 100, 400, 1000.0);  // 100 MiB in 1 s
    // 300 MiB left at 10 ms a MiB; the denoising is not known yet (no step time).
    QCOMPARE(estimate.etaMs(1000.0), -1.0);
    estimate.report(RunStage::kLoadingModels, 400, 400, 4000.0);
    estimate.report(RunStage::kDenoising, 1, 50, 5000.0);
    estimate.report(RunStage::kDenoising, 2, 50, 6000.0);
    estimate.finish(54000.0);
    // The next run of the same models on a cold cache: loading at its own rate (20 ms a MiB
    // now), plus the steps.
    estimate.start(diffusionParams());
    estimate.report(RunStage::kLoadingModels, 0, 400, 0.0);
    QCOMPARE(estimate.etaMs(0.0), 4000.0 + 50 * 1000.0);  // before the first MiB: the last load
    estimate.report(RunStage::kLoadingModels, 100, 400, 2000.0);
    QCOMPARE(estimate.etaMs(2000.0), 6000.0 + 50 * 1000.0);
    QCOMPARE(estimate.etaMs(2500.0), 5500.0 + 50 * 1000.0);  // counts down between reports

    // A weight-free run with estimated depth: the depth model's loading from its own bytes.
    estimate.start(weight_free);
    estimate.report(RunStage::kLoadingModels, 0, 100, 0.0);
    estimate.report(RunStage::kLoadingModels, 25, 100, 500.0);
    QCOMPARE(estimate.etaMs(500.0), 1500.0 + 300.0);
  }

  // Tiles: "Tile k of n, step s of S", not "step 188 of 300".
  void tilesAreNamed() {
    ProgressEstimate estimate;
    estimate.start(diffusionParams(true));
    estimate.report(RunStage::kDenoising, 120, 300, 1000.0);
    QCOMPARE(estimate.tileText(), QStringLiteral("Tile 3 of 6, step 21 of 50"));
    estimate.report(RunStage::kDenoising, 300, 300, 2000.0);
    QVERIFY(estimate.tileText().isEmpty());  // decoding: the engine's text
    QCOMPARE(estimate.etaMs(2000.0), -1.0);
  }

  // Live requests one after the other (a drag): the busy state is signalled at most once on
  // and once off, not once per run.
  void liveRunsDoNotFlashTheBusyState() {
    EngineController controller;
    QSignalSpy loaded(&controller, &EngineController::loaded);
    LoadRequest request;
    request.image_path = test::sampleImage();
    request.map_path = test::sampleDisparity();
    controller.load(request);
    QVERIFY(loaded.wait(20000));
    const auto input = loaded.first().first().value<InputDataPtr>();
    QSignalSpy busy(&controller, &EngineController::busyChanged);
    QSignalSpy finished(&controller, &EngineController::finished);
    EngineParams params;
    params.proxy_box_px = QSize(200, 200);
    for (int i = 0; i < 5; ++i) {
      params.baseline_scale = 1.0 + 0.1 * i;
      controller.synthesizeLive(input, params);
    }
    QTRY_VERIFY_WITH_TIMEOUT(!controller.isBusy() && finished.size() >= 2, 20000);
    QTest::qWait(EngineController::kLiveBusyDelayMs + 100);
    int on = 0;
    for (const QList<QVariant>& signal : busy) on += signal[0].toBool() ? 1 : 0;
    QVERIFY2(on <= 1, qPrintable(QString::number(on)));
    if (!busy.isEmpty()) QCOMPARE(busy.last()[0].toBool(), false);
  }
};

QTEST_MAIN(ProgressEstimateTest)
#include "progress_estimate_test.moc"

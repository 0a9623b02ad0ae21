// The engine thread's reuse of an estimated depth (issue 25's defect): a photo without a map
// gets its depth from the depth model once, and the next runs reuse it. What is kept must be
// the model's raw output: RunResult::depth is the *shaped* depth (cropped with --border crop),
// and fed back as raw it was shaped a second time and stretched to the full width. Here the
// runs after the first must give the first run's disparity exactly, with depth shaping on, and
// a crop run followed by a full run the full run of a fresh engine. Needs the tiny random
// Depth Anything V2 of tests/data/dav2 and the models module (skips without LibTorch).
#include <atomic>
#include <fstream>
#include <memory>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "engine_types.h"
#include "engine_worker.h"
#include "io/image_io.h"
#include "tiny_depth_model.h"
#include "ui_test_support.h"

using namespace genstereo;
using namespace genstereo::ui;

class EstimatedDepthTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void reusedDepthIsShapedOnce();
  void cropRunThenFullRunGivesTheFullMap();

 private:
  // Runs `params` on the photo in `worker` (request `id`) and returns the result.
  EngineResultPtr run(EngineWorker& worker, const EngineParams& params, quint64 id);
  EngineParams baseParams() const;

  QTemporaryDir settings_;
  QTemporaryDir models_;
  std::shared_ptr<std::atomic<std::uint64_t>> latest_ =
      std::make_shared<std::atomic<std::uint64_t>>(0);
  InputDataPtr photo_;
  bool has_model_ = false;
};

void EstimatedDepthTest::initTestCase() {
  ui::test::initTestApplication(settings_);
  const QString data = QStringLiteral(GENSTEREO_SOURCE_DIR "/tests/data/dav2");
  if (!QFile::exists(data + QStringLiteral("/dav2_params.json")))
    QSKIP("tests/data/dav2 is absent");
  genstereo::test::installTinyDepthModel(data.toStdString(), models_.path().toStdString());
  auto input = std::make_shared<InputData>();
  input->image_path = ui::test::sampleImage();
  input->image = readImage(ui::test::sampleImage().toStdString());
  input->image_qimage = QImage(8, 8, QImage::Format_RGB888);
  photo_ = input;
  // Is a depth run possible here (LibTorch built in)?
  EngineWorker probe(latest_);
  QSignalSpy failed(&probe, &EngineWorker::failed);
  latest_->store(1);
  probe.synthesize(1, photo_, baseParams(), CancelToken());
  if (!failed.isEmpty()) {
    QSKIP(qPrintable(QStringLiteral("no depth run here: ") + failed.front().at(1).toString()));
  }
  has_model_ = true;
}

EngineParams EstimatedDepthTest::baseParams() const {
  EngineParams params;
  params.models.folder = models_.path();
  params.map_kind = MapKind::kInverseDepth;
  params.max_disparity_fraction = 0.05;
  params.comfort = ComfortParams{};  // no parallax limit: the disparity is the depth's
  params.border = BorderMode::kFill;
  params.depth_shaping.clip_low_percent = 5.0;
  params.depth_shaping.clip_high_percent = 90.0;
  params.depth_shaping.foreground_scale = 1.0;
  return params;
}

EngineResultPtr EstimatedDepthTest::run(EngineWorker& worker, const EngineParams& params,
                                        quint64 id) {
  QSignalSpy finished(&worker, &EngineWorker::finished);
  QSignalSpy failed(&worker, &EngineWorker::failed);
  latest_->store(id);
  worker.synthesize(id, photo_, params, CancelToken());
  if (!failed.isEmpty()) qWarning("%s", qPrintable(failed.front().at(1).toString()));
  if (finished.isEmpty()) return nullptr;
  return finished.front().at(1).value<EngineResultPtr>();
}

static double maxDifference(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size()) return 1e9;
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  double high = 0.0;
  cv::minMaxLoc(diff, nullptr, &high);
  return high;
}

void EstimatedDepthTest::reusedDepthIsShapedOnce() {
  if (!has_model_) QSKIP("no depth model run here");
  EngineWorker worker(latest_);
  const EngineResultPtr first = run(worker, baseParams(), 10);
  const EngineResultPtr second = run(worker, baseParams(), 11);
  QVERIFY(first && second);
  QVERIFY(first->is_depth_estimated && second->is_depth_estimated);
  QCOMPARE(worker.engine()->counters().depth_forwards, 1);  // the second reused the depth
  QVERIFY2(maxDifference(first->disparity_px, second->disparity_px) == 0.0,
           "the reused depth was shaped again");
}

void EstimatedDepthTest::cropRunThenFullRunGivesTheFullMap() {
  if (!has_model_) QSKIP("no depth model run here");
  EngineParams crop = baseParams();
  crop.border = BorderMode::kCrop;
  EngineWorker worker(latest_);
  const EngineResultPtr cropped = run(worker, crop, 20);
  const EngineResultPtr full = run(worker, baseParams(), 21);
  EngineWorker fresh(latest_);
  const EngineResultPtr reference = run(fresh, baseParams(), 22);
  QVERIFY(cropped && full && reference);
  QCOMPARE(full->disparity_px.cols, photo_->image.cols);
  QVERIFY2(maxDifference(full->disparity_px, reference->disparity_px) == 0.0,
           "a crop run left a cropped depth behind");
}

QTEST_MAIN(EstimatedDepthTest)
#include "estimated_depth_test.moc"

// The workbench with a video (issue 22): open a clip made here with ffmpeg (two scenes, a cut,
// per-frame depth maps whose scale drifts), the timeline and its scene cut, a seek whose views
// are those `genstereo-cli video --frame T` writes (bit for bit), the temporal before/after,
// the live proxy, Play range with its metrics, cancel, and the event loop kept responsive.
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "controls_panel.h"
#include "conversion_queue_dock.h"
#include "engine_types.h"
#include "io/image_io.h"
#include "main_window.h"
#include "ui_test_support.h"
#include "video_range_player.h"
#include "video_timeline.h"

using genstereo::ui::MainWindow;

namespace {

constexpr int kWidth = 640;
constexpr int kHeight = 384;
constexpr int kFrames = 24;
constexpr int kCutFrame = 12;
constexpr int kFps = 12;

// Frame t (BGR8) and its depth (larger = nearer) with a scale that drifts per frame.
void syntheticFrame(int t, cv::Mat& bgr8, cv::Mat& depth16) {
  const bool second = t >= kCutFrame;
  cv::Mat view(kHeight, kWidth, CV_8UC3);
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      const int u = x + (second ? 2 : 4) * t;
      view.at<cv::Vec3b>(y, x) =
          second ? cv::Vec3b(static_cast<uchar>(40 + (u * 3) % 160), 200, static_cast<uchar>(y / 2))
                 : cv::Vec3b(static_cast<uchar>((u / 8 % 2) * 120 + 60), static_cast<uchar>(y / 2),
                             static_cast<uchar>(90 + (u % 50)));
    }
  }
  cv::Mat depth(kHeight, kWidth, CV_32F);
  for (int y = 0; y < kHeight; ++y) depth.row(y).setTo(0.2 + 0.3 * y / kHeight);
  if (!second) {
    const cv::Rect square(80 + 8 * t, 120, 140, 140);
    view(square).setTo(cv::Scalar(30, 80, 230));
    depth(square).setTo(0.9);
  } else {
    const cv::Point center(440 - 8 * (t - kCutFrame), 190);
    cv::circle(view, center, 70, cv::Scalar(230, 210, 30), cv::FILLED);
    cv::circle(depth, center, 70, cv::Scalar(0.8), cv::FILLED);
  }
  bgr8 = view;
  const double scale = 1000.0 * (1.0 + 0.25 * std::sin(t * 1.3));
  cv::Mat scaled = depth * scale + 50.0 * std::cos(t * 0.7);
  scaled.convertTo(depth16, CV_16U);
}

bool haveFfmpeg() { return std::system("ffmpeg -version >/dev/null 2>&1") == 0; }

// The largest gap between the ticks of a 10 ms timer while it lives: how long the event loop
// was kept from running.
class EventLoopGap {
 public:
  EventLoopGap() {
    clock_.start();
    tick_.setInterval(10);
    QObject::connect(&tick_, &QTimer::timeout, [this] {
      const qint64 now = clock_.elapsed();
      worst_ = std::max(worst_, now - last_);
      last_ = now;
    });
    tick_.start();
  }
  qint64 worst() const { return worst_; }

 private:
  QElapsedTimer clock_;
  QTimer tick_;
  qint64 last_ = 0;
  qint64 worst_ = 0;
};

}  // namespace

class VideoWorkbenchTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void opensAClipWithItsTimelineAndCut();
  void seekedFrameIsWhatTheCliWrites();
  void temporalToggleIsABeforeAfter();
  void slidersGiveALiveProxyOfTheFrame();
  void playRangeRendersAheadAndMeasures();
  void cancelStopsAFrameRender();
  void exportQueuesTheVideoAndTheUiStaysResponsive();

 private:
  // Opens the clip with its maps in a new window and waits for the first frame's result.
  bool openClip(MainWindow& window);

  QTemporaryDir settings_dir_;
  QTemporaryDir dir_;
  QString clip_;
  QString depth_dir_;
  bool has_ffmpeg_ = false;
};

void VideoWorkbenchTest::initTestCase() {
  genstereo::ui::test::initTestApplication(settings_dir_);
  has_ffmpeg_ = haveFfmpeg();
  if (!has_ffmpeg_) return;
  const QString frames = dir_.filePath(QStringLiteral("frames"));
  depth_dir_ = dir_.filePath(QStringLiteral("depth"));
  QVERIFY(QDir().mkpath(frames));
  QVERIFY(QDir().mkpath(depth_dir_));
  for (int t = 0; t < kFrames; ++t) {
    cv::Mat bgr8, depth16;
    syntheticFrame(t, bgr8, depth16);
    char name[32];
    std::snprintf(name, sizeof name, "f%04d.png", t);
    QVERIFY(cv::imwrite((frames + QLatin1Char('/') + QLatin1String(name)).toStdString(), bgr8));
    QVERIFY(
        cv::imwrite((depth_dir_ + QLatin1Char('/') + QLatin1String(name)).toStdString(), depth16));
  }
  clip_ = dir_.filePath(QStringLiteral("clip.mp4"));
  const QString command = QStringLiteral("ffmpeg -v error -y -framerate ") + QString::number(kFps) +
                          QStringLiteral(" -i '") + frames +
                          QStringLiteral(
                              "/f%04d.png' -c:v libx264 -preset ultrafast -pix_fmt "
                              "yuv420p -g 6 '") +
                          clip_ + QStringLiteral("'");
  QCOMPARE(std::system(command.toUtf8().constData()), 0);
}

bool VideoWorkbenchTest::openClip(MainWindow& window) {
  window.resize(900, 640);
  window.show();
  QSignalSpy shown(&window, &MainWindow::resultShown);
  window.openImage(clip_, depth_dir_);
  QSignalSpy errors(&window, &MainWindow::errorShown);
  for (int i = 0; i < 600 && shown.isEmpty() && errors.isEmpty(); ++i) QTest::qWait(100);
  if (!errors.isEmpty()) qWarning("error: %s", qPrintable(errors.front().front().toString()));
  if (shown.isEmpty()) qWarning("no result; banner: %s", qPrintable(window.bannerText()));
  return !shown.isEmpty() && window.currentResult() && window.currentResult()->video_time_s;
}

void VideoWorkbenchTest::opensAClipWithItsTimelineAndCut() {
  if (!has_ffmpeg_) QSKIP("ffmpeg is not installed");
  MainWindow window;
  QSignalSpy cuts(&window, &MainWindow::videoCutsFound);
  QVERIFY(openClip(window));
  QVERIFY(window.isVideoOpen());
  QVERIFY(window.videoTimeline()->isVisible());
  QCOMPARE(*window.currentResult()->video_time_s, 0.0);
  QCOMPARE(window.currentResult()->left.cols, kWidth);
  QVERIFY(window.currentResult()->params.is_temporal_on);
  QTRY_VERIFY_WITH_TIMEOUT(!cuts.isEmpty(), 30000);
  QCOMPARE(window.videoSceneCuts().size(), std::size_t{1});
  QVERIFY(std::abs(window.videoSceneCuts()[0] - static_cast<double>(kCutFrame) / kFps) < 1e-3);
  QVERIFY(window.videoTimeline()->positionLabel()->text().contains(QStringLiteral("frame 0")));
  // The controls are at the video defaults (no per-frame comfort features).
  QCOMPARE(window.controls()->params().comfort.convergence, genstereo::ConvergenceMode::kManual);
}

void VideoWorkbenchTest::seekedFrameIsWhatTheCliWrites() {
  if (!has_ffmpeg_) QSKIP("ffmpeg is not installed");
  MainWindow window;
  QVERIFY(openClip(window));
  const double time_s = 15.0 / kFps;
  QVERIFY(genstereo::ui::test::waitForResult(window, [&] { window.seekVideo(time_s, true); }));
  const auto result = window.currentResult();
  QVERIFY(result && !result->is_proxy);
  QVERIFY(std::abs(*result->video_time_s - time_s) < 1e-3);
  QVERIFY(window.videoTimeline()->positionLabel()->text().contains(QStringLiteral("frame 15")));

  // The CLI, with its defaults, on the same frame.
  QTemporaryDir out;
  const QString command =
      QStringLiteral("'%1' video '%2' --depth '%3' --frame %4 -o '%5' --quiet > /dev/null")
          .arg(QStringLiteral(GENSTEREO_CLI_PATH), clip_, depth_dir_)
          .arg(time_s, 0, 'f', 6)
          .arg(out.path());
  QCOMPARE(std::system(command.toUtf8().constData()), 0);
  const QStringList written = QDir(out.path()).entryList({QStringLiteral("*_R.png")});
  QCOMPARE(written.size(), 1);
  const QStringList written_left = QDir(out.path()).entryList({QStringLiteral("*_L.png")});
  QCOMPARE(written_left.size(), 1);
  // The window's views written the same way, compared pixel for pixel.
  for (const bool right : {false, true}) {
    const std::filesystem::path mine =
        std::filesystem::path(out.path().toStdString()) / (right ? "mine_R.png" : "mine_L.png");
    genstereo::writeImage(mine, right ? result->right : result->left, genstereo::ImageBitDepth::k8);
    const cv::Mat a = cv::imread(mine.string(), cv::IMREAD_UNCHANGED);
    const cv::Mat b =
        cv::imread(out.filePath(right ? written.front() : written_left.front()).toStdString(),
                   cv::IMREAD_UNCHANGED);
    QCOMPARE(a.size(), b.size());
    cv::Mat diff;
    cv::absdiff(a, b, diff);
    QCOMPARE(cv::countNonZero(diff.reshape(1)), 0);
  }
}

void VideoWorkbenchTest::temporalToggleIsABeforeAfter() {
  if (!has_ffmpeg_) QSKIP("ffmpeg is not installed");
  MainWindow window;
  QVERIFY(openClip(window));
  QVERIFY(genstereo::ui::test::waitForResult(window, [&] { window.seekVideo(9.0 / kFps, true); }));
  const auto on = window.currentResult();
  QVERIFY(genstereo::ui::test::waitForResult(
      window, [&] { window.videoTimeline()->temporalToggle()->setChecked(false); }));
  const auto off = window.currentResult();
  QVERIFY(on->params.is_temporal_on);
  QVERIFY(!off->params.is_temporal_on);
  QCOMPARE(*off->video_time_s, *on->video_time_s);
  // The depth scale drifts from frame to frame: each frame's own range differs from the
  // stabilised one, so the disparity differs.
  cv::Mat diff;
  cv::absdiff(on->disparity_px, off->disparity_px, diff);
  double max_diff = 0.0;
  cv::minMaxLoc(diff, nullptr, &max_diff);
  QVERIFY2(max_diff > 0.05, qPrintable(QString::number(max_diff)));
}

void VideoWorkbenchTest::slidersGiveALiveProxyOfTheFrame() {
  if (!has_ffmpeg_) QSKIP("ffmpeg is not installed");
  MainWindow window;
  window.resize(700, 560);
  QVERIFY(openClip(window));
  window.resize(700, 560);
  QTest::qWait(200);
  QVERIFY(genstereo::ui::test::waitForResult(window, [&] { window.generateLive(); }));
  const auto proxy = window.currentResult();
  QVERIFY(proxy->is_proxy);
  QVERIFY(proxy->left.cols < kWidth);
  QVERIFY(proxy->video_time_s.has_value());
}

void VideoWorkbenchTest::playRangeRendersAheadAndMeasures() {
  if (!has_ffmpeg_) QSKIP("ffmpeg is not installed");
  MainWindow window;
  QVERIFY(openClip(window));
  // The event loop stays responsive while the range renders.
  EventLoopGap gap;
  window.playVideoRange(6.0 / kFps, 12.0 / kFps);
  auto* player = window.rangePlayer();
  QVERIFY(player != nullptr);
  QSignalSpy done(player, &genstereo::ui::VideoRangePlayer::finishedRendering);
  QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty(), 120000);
  const qint64 worst_gap = gap.worst();
  QCOMPARE(done.front().front().toBool(), true);
  QCOMPARE(player->framesRendered(), 12);  // frames 6..17, across the cut
  QVERIFY(player->metrics().has_value());
  const auto& m = *player->metrics();
  QVERIFY(std::isfinite(m.with_temporal.disparity_flicker_percent));
  QVERIFY(std::isfinite(m.without_temporal.disparity_flicker_percent));
  QCOMPARE(m.with_temporal.frames, std::int64_t{12});
  QTRY_VERIFY(!player->currentImage().isNull());
  QVERIFY(window.videoTimeline()
              ->findChild<QLabel*>(QStringLiteral("videoMetrics"))
              ->text()
              .contains(QStringLiteral("flicker")));
  qInfo("largest event-loop gap while a range rendered: %lld ms",
        static_cast<long long>(worst_gap));
  QVERIFY2(worst_gap < 1000, qPrintable(QString::number(worst_gap)));
  player->close();
}

void VideoWorkbenchTest::cancelStopsAFrameRender() {
  if (!has_ffmpeg_) QSKIP("ffmpeg is not installed");
  MainWindow window;
  QVERIFY(openClip(window));
  QSignalSpy cancelled(&window, &MainWindow::runCancelled);
  window.seekVideo(20.0 / kFps, true);
  QTRY_VERIFY_WITH_TIMEOUT(window.isBusy(), 10000);
  window.cancelRun();
  QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 20000);
  QVERIFY(!cancelled.isEmpty());
}

void VideoWorkbenchTest::exportQueuesTheVideoAndTheUiStaysResponsive() {
  if (!has_ffmpeg_) QSKIP("ffmpeg is not installed");
  MainWindow window;
  QVERIFY(openClip(window));
  // "Copy as command line" names the video command with the maps.
  const QString line = window.commandLine();
  QVERIFY2(line.contains(QStringLiteral(" video ")) && line.contains(QStringLiteral("--depth")),
           qPrintable(line));
  QTemporaryDir out;
  genstereo::ui::VideoExportSettings settings;
  settings.encode.preset = "ultrafast";
  EventLoopGap gap;
  const std::uint64_t id = window.queueCurrentVideo(settings, out.path());
  QVERIFY(id != 0);
  QVERIFY(window.queueDock()->isVisible());
  auto* queue = window.queueDock()->queue();
  QTRY_VERIFY_WITH_TIMEOUT(queue->item(id) != nullptr &&
                               (queue->item(id)->state == genstereo::ui::QueueItemState::kDone ||
                                queue->item(id)->state == genstereo::ui::QueueItemState::kFailed),
                           120000);
  const qint64 worst_gap = gap.worst();
  QCOMPARE(queue->item(id)->state, genstereo::ui::QueueItemState::kDone);
  // Named as the CLI names it.
  QVERIFY2(QFileInfo::exists(out.filePath(QStringLiteral("clip_LRF_Full_SBS.mp4"))),
           qPrintable(queue->item(id)->output));
  qInfo("largest event-loop gap during the conversion: %lld ms", static_cast<long long>(worst_gap));
  QVERIFY2(worst_gap < 1000, qPrintable(QString::number(worst_gap)));
}

QTEST_MAIN(VideoWorkbenchTest)
#include "video_workbench_test.moc"

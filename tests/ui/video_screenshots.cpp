// Writes the screenshots of docs/gui.md's "Video" section: a clip made here from the bundled
// sample (a pan, a cut to a second scene, an AAC track and subtitles; per-frame depth maps
// from the sample's disparity with a drifting scale, as a depth model's), opened in the real
// window under an X server with a window manager. Not a test; run by hand:
//   Xvfb :84 -screen 0 1280x800x24 & openbox & DISPLAY=:84 build/tests/ui/video_screenshots
//   docs/img
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "conversion_queue_dock.h"
#include "main_window.h"
#include "stereo_preview.h"
#include "ui_test_support.h"
#include "video/media_source.h"
#include "video_export_dialog.h"
#include "video_range_player.h"
#include "video_timeline.h"

using namespace genstereo::ui;

namespace {

constexpr int kFrames = 48;
constexpr int kCut = 24;

// Makes DIR/pan.mp4 and DIR/depth/; returns false when ffmpeg fails.
bool makeClip(const QString& dir) {
  const cv::Mat photo = cv::imread(test::sampleImage().toStdString());
  const cv::Mat disparity = cv::imread(test::sampleDisparity().toStdString(), cv::IMREAD_UNCHANGED);
  if (photo.empty() || disparity.empty()) return false;
  cv::Mat big, big_disparity;
  cv::resize(photo, big, cv::Size(), 2.0, 2.0, cv::INTER_CUBIC);
  cv::resize(disparity, big_disparity, big.size(), 0, 0, cv::INTER_LINEAR);
  big_disparity.convertTo(big_disparity, CV_32F);
  cv::Mat second, second_disparity;
  cv::flip(big, second, 1);
  cv::flip(big_disparity, second_disparity, 1);
  // Another scene: the picture's colours inverted, darker (a cut the detector sees).
  cv::bitwise_not(second, second);
  second.convertTo(second, -1, 0.7, 0);
  QDir().mkpath(dir + QStringLiteral("/frames"));
  QDir().mkpath(dir + QStringLiteral("/depth"));
  const cv::Size view(720, 540);
  for (int t = 0; t < kFrames; ++t) {
    const bool is_second = t >= kCut;
    const int x = (is_second ? (t - kCut) : t) * (big.cols - view.width) / kCut;
    const cv::Rect crop(x, (big.rows - view.height) / 2, view.width, view.height);
    const cv::Mat frame = (is_second ? second : big)(crop);
    cv::Mat depth = (is_second ? second_disparity : big_disparity)(crop).clone();
    const double scale = 200.0 * (1.0 + 0.25 * std::sin(t * 1.3));
    depth = depth * scale + 500.0 + 300.0 * std::cos(t * 0.7);
    cv::Mat depth16;
    depth.convertTo(depth16, CV_16U);
    char name[32];
    std::snprintf(name, sizeof name, "f%04d.png", t);
    cv::imwrite((dir + QStringLiteral("/frames/") + QLatin1String(name)).toStdString(), frame);
    cv::imwrite((dir + QStringLiteral("/depth/") + QLatin1String(name)).toStdString(), depth16);
  }
  QFile srt(dir + QStringLiteral("/subs.srt"));
  if (!srt.open(QIODevice::WriteOnly)) return false;
  srt.write(
      "1\n00:00:00,000 --> 00:00:01,000\nThe first scene\n\n2\n00:00:01,000 --> "
      "00:00:02,000\nThe second scene\n\n");
  srt.close();
  const QString command =
      QStringLiteral("ffmpeg -v error -y -framerate 24 -i '") + dir +
      QStringLiteral("/frames/f%04d.png' -f lavfi -i sine=frequency=440:duration=2 -i '") + dir +
      QStringLiteral(
          "/subs.srt' -map 0:v -map 1:a -map 2:s -c:v libx264 -preset veryfast "
          "-pix_fmt yuv420p -c:a aac -b:a 96k -c:s srt -metadata:s:a:0 language=eng "
          "-metadata:s:s:0 language=eng '") +
      dir + QStringLiteral("/pan.mkv'");
  return std::system(command.toUtf8().constData()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: video_screenshots OUTPUT_FOLDER\n");
    return 2;
  }
  const QString folder = QString::fromLocal8Bit(argv[1]);
  QTemporaryDir settings;
  test::initTestApplication(settings);
  QTemporaryDir data;
  if (!makeClip(data.path())) {
    std::fprintf(stderr, "could not make the clip (ffmpeg?)\n");
    return 1;
  }
  const QString clip = data.filePath(QStringLiteral("pan.mkv"));
  MainWindow window;
  window.resize(1260, 760);
  window.move(0, 0);
  window.show();
  if (!test::waitForResult(
          window, [&] { window.openImage(clip, data.filePath(QStringLiteral("depth"))); })) {
    return 1;
  }
  QSignalSpy cuts(&window, &MainWindow::videoCutsFound);
  for (int i = 0; i < 100 && cuts.isEmpty(); ++i) test::settle(100);

  // A frame of the second scene, inspected (its warp, holes and fill) with the timeline.
  test::waitForResult(window, [&] { window.seekVideo(30.0 / 24.0, true); });
  window.showTab(MainWindow::kInspectTab);
  test::shootScreen(folder, QStringLiteral("gui_video_frame.png"));
  window.showTab(MainWindow::kPreviewTab);
  test::shootScreen(folder, QStringLiteral("gui_video_preview.png"));

  // Play range, with the metrics of the range.
  window.playVideoRange(18.0 / 24.0, 1.0);
  if (VideoRangePlayer* player = window.rangePlayer()) {
    QSignalSpy done(player, &VideoRangePlayer::finishedRendering);
    for (int i = 0; i < 1200 && done.isEmpty(); ++i) test::settle(100);
    player->move(300, 120);
    test::settle(600);
    test::shootScreen(folder, QStringLiteral("gui_video_play_range.png"));
    player->close();
  }

  // The export dialog with the source's streams.
  {
    const genstereo::VideoSourceInfo info = genstereo::probeVideo(clip.toStdString());
    VideoExportDialog dialog(info, VideoExportSettings{}, data.filePath(QStringLiteral("out")),
                             &window);
    dialog.move(320, 60);
    dialog.show();
    test::settle(500);
    test::shootScreen(folder, QStringLiteral("gui_video_export.png"));
    dialog.close();
  }

  // The conversion queue converting it (the dock at the bottom).
  {
    VideoExportSettings settings;
    QDir().mkpath(data.filePath(QStringLiteral("out")));
    const std::uint64_t id =
        window.queueCurrentVideo(settings, data.filePath(QStringLiteral("out")));
    ConversionQueue* queue = window.queueDock()->queue();
    for (int i = 0; i < 600; ++i) {
      const QueueItem* item = queue->item(id);
      if (item == nullptr || item->state == QueueItemState::kDone ||
          item->state == QueueItemState::kFailed ||
          (item->stage == QueueStage::kStereo && item->frame >= 20)) {
        break;
      }
      test::settle(50);
    }
    test::shootScreen(folder, QStringLiteral("gui_video_queue.png"));
  }
  return 0;
}

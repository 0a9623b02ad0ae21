// The workbench's conversion queue (ui/conversion_queue.h) end to end on tiny clips made here
// with ffmpeg (64 x 48, two seconds at 12 fps) and their per-frame depth maps: two videos, a
// photo with its map and a broken file (its error is its own); pause and resume, also across a
// new queue read back from the saved file, give the frames of an uninterrupted run (FFV1:
// lossless, so the decoded frames are the rendered ones); cancel removes the work folder and
// writes nothing; the progress carries fps and ETA; "Copy as command line" run by the real
// genstereo-cli writes the queue's frames.
#include <QtTest>

#include <chrono>
#include <cstdlib>
#include <thread>

#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QProcess>
#include <QTableView>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "command_line_builder.h"
#include "conversion_queue.h"
#include "conversion_queue_dock.h"
#include "conversion_queue_model.h"
#include "presets.h"
#include "ui_test_support.h"
#include "video/video_decoder.h"
#include "video_settings.h"

using namespace genstereo;
using namespace genstereo::ui;
namespace fs = std::filesystem;

namespace {

constexpr int kWidth = 64;
constexpr int kHeight = 48;
constexpr int kSegmentFrames = 5;
constexpr int kTimeoutMs = 60000;

fs::path toPath(const QString& path) { return fs::path(path.toStdString()); }

// Frame t of a clip (BGR8) and its depth (16-bit, larger = nearer): a square moving over a
// gradient, `seed` shifts the pattern.
void syntheticFrame(int t, int seed, cv::Mat& bgr8, cv::Mat& depth16) {
  bgr8 = cv::Mat(kHeight, kWidth, CV_8UC3);
  depth16 = cv::Mat(kHeight, kWidth, CV_16U);
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      bgr8.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uchar>((x * 4 + seed * 40) % 256),
                                           static_cast<uchar>((y * 5 + t * 3) % 256),
                                           static_cast<uchar>((x + y + seed * 17) % 256));
      depth16.at<unsigned short>(y, x) = static_cast<unsigned short>(8000 + 300 * y);
    }
  }
  const cv::Rect square(6 + t, 14, 16, 16);
  bgr8(square).setTo(cv::Scalar(30, 90, 230));
  depth16(square).setTo(cv::Scalar(40000 + 500 * seed));
}

// DIR/NAME.mp4 (x264) of `frames` frames and DIR/NAME_depth/ with one 16-bit PNG per frame.
fs::path makeClip(const fs::path& dir, const std::string& name, int frames, int seed) {
  const fs::path frame_dir = dir / (name + "_frames");
  const fs::path depth_dir = dir / (name + "_depth");
  fs::create_directories(frame_dir);
  fs::create_directories(depth_dir);
  for (int t = 0; t < frames; ++t) {
    cv::Mat bgr8, depth16;
    syntheticFrame(t, seed, bgr8, depth16);
    char file[32];
    std::snprintf(file, sizeof file, "f%04d.png", t);
    cv::imwrite((frame_dir / file).string(), bgr8);
    cv::imwrite((depth_dir / file).string(), depth16);
  }
  const fs::path video = dir / (name + ".mp4");
  const std::string command =
      "ffmpeg -v error -y -framerate 12 -i '" + (frame_dir / "f%04d.png").string() +
      "' -c:v libx264 -preset ultrafast -pix_fmt yuv420p -g 6 '" + video.string() + "'";
  if (std::system(command.c_str()) != 0) return {};
  return video;
}

std::string digest(const cv::Mat& image) {
  std::uint64_t h = 1469598103934665603ull;
  for (int y = 0; y < image.rows; ++y) {
    const auto* row = image.ptr<unsigned char>(y);
    for (size_t i = 0; i < image.cols * image.elemSize(); ++i) h = (h ^ row[i]) * 1099511628211ull;
  }
  return std::to_string(h);
}

// One digest per decoded frame.
std::vector<std::string> frameDigests(const QString& video) {
  std::vector<std::string> digests;
  VideoDecoder decoder(toPath(video));
  DecodedFrame frame;
  while (decoder.read(frame)) digests.push_back(digest(frame.image));
  return digests;
}

std::optional<VideoMapSource> depthOf(const fs::path& video) {
  return VideoMapSource{video.parent_path() / (video.stem().string() + "_depth"),
                        MapKind::kInverseDepth};
}

// Slows the stereo pass down (the clips convert in a blink) so that a pause lands mid-run.
void slowStereoPass(const VideoProgress& progress) {
  if (progress.pass == VideoProgress::Pass::kStereo)
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
}

}  // namespace

class ConversionQueueTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir settings_dir_;
  QTemporaryDir dir_;
  fs::path clip_a_;
  fs::path clip_b_;
  fs::path photo_;
  fs::path broken_;
  std::vector<std::string> reference_digests_;  // clip A, uninterrupted
  int run_ = 0;

  fs::path root() const { return toPath(dir_.path()); }

  // A fresh output folder.
  QString outputFolder() {
    const fs::path folder = root() / ("out" + std::to_string(++run_));
    fs::create_directories(folder);
    return QString::fromStdString(folder.string());
  }

  QueueItemSettings settingsFor(const QString& output_folder) const {
    QueueItemSettings settings;
    settings.params = videoDefaultParams(EngineParams());
    settings.video.encode.codec = VideoCodec::kFfv1;
    settings.video.encode.container = "mkv";
    settings.output_folder = output_folder;
    return settings;
  }

  ConversionQueue::Options optionsFor(const QString& state_file, bool is_slow) const {
    ConversionQueue::Options options;
    options.state_file = state_file;
    options.segment_max_frames = kSegmentFrames;
    if (is_slow) options.on_worker_progress = slowStereoPass;
    return options;
  }

  QString stateFile() {
    return QString::fromStdString((root() / ("queue" + std::to_string(++run_) + ".json")).string());
  }

  // The state's stable name with the item's message ("failed: ..."), so that a failure shows
  // it (QCOMPARE would take genstereo::ui::toString for the enum).
  static QString stateOf(const ConversionQueue& queue, std::uint64_t id) {
    const QueueItem* item = queue.item(id);
    if (!item) return QStringLiteral("removed");
    const QString state = QString::fromLatin1(toString(item->state));
    return item->state == QueueItemState::kFailed ? state + ": " + item->message : state;
  }

  // Pauses (or cancels) `id` once its stereo pass is at frame 6 (its first segment,
  // frames 0-4, is done).
  static QMetaObject::Connection stopMidRun(ConversionQueue& queue, std::uint64_t id,
                                            bool is_cancel) {
    return QObject::connect(&queue, &ConversionQueue::itemChanged, &queue,
                            [&queue, id, is_cancel](std::uint64_t changed) {
                              const QueueItem* item = queue.item(changed);
                              if (changed != id || item->state != QueueItemState::kRunning ||
                                  item->stage != QueueStage::kStereo || item->frame < 6)
                                return;
                              if (is_cancel)
                                queue.cancel(id);
                              else
                                queue.pause(id);
                            });
  }

 private slots:
  void initTestCase() {
    test::initTestApplication(settings_dir_);
    if (std::system("ffmpeg -version >/dev/null 2>&1") != 0)
      QSKIP("ffmpeg is not installed (Debian: ffmpeg); it makes the test clips");
    QVERIFY(dir_.isValid());
    fs::create_directories(root() / "in");
    clip_a_ = makeClip(root() / "in", "clip_a", 24, 1);
    clip_b_ = makeClip(root() / "in", "clip_b", 12, 2);
    QVERIFY(!clip_a_.empty() && !clip_b_.empty());
    // A photo with its depth map beside it (found by the one rule, NAME_depth.png).
    cv::Mat bgr8, depth16;
    syntheticFrame(3, 3, bgr8, depth16);
    photo_ = root() / "in" / "photo.png";
    cv::imwrite(photo_.string(), bgr8);
    cv::imwrite((root() / "in" / "photo_depth.png").string(), depth16);
    broken_ = root() / "in" / "broken.mp4";
    std::FILE* file = std::fopen(broken_.string().c_str(), "wb");
    QVERIFY(file != nullptr);
    std::fputs("not a video at all", file);
    std::fclose(file);

    // The reference: clip A converted in one go.
    ConversionQueue queue(optionsFor(stateFile(), false));
    const std::uint64_t id = queue.addVideo(QString::fromStdString(clip_a_.string()),
                                            settingsFor(outputFolder()), depthOf(clip_a_));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(queue, id), QStringLiteral("done"), kTimeoutMs);
    reference_digests_ = frameDigests(queue.item(id)->output);
    QCOMPARE(static_cast<int>(reference_digests_.size()), 24);
  }

  // Two videos, a broken file and a photo with its map: the broken one fails with a message
  // naming it, the others are written as the CLI names them; the running items report fps
  // and an ETA; a second run skips what exists.
  void convertsVideosAndPhotosWithErrorsIsolated() {
    const QString out = outputFolder();
    ConversionQueue queue(optionsFor(stateFile(), true));
    ConversionQueueModel model(&queue);
    bool has_speed = false;
    bool has_eta = false;
    connect(&queue, &ConversionQueue::itemChanged, this, [&](std::uint64_t id) {
      const QueueItem* item = queue.item(id);
      if (item->state != QueueItemState::kRunning || item->stage != QueueStage::kStereo) return;
      const int row = queue.rowOf(id);
      if (item->fps > 0.0 &&
          model.index(row, ConversionQueueModel::kSpeed).data().toString().endsWith("fps"))
        has_speed = true;
      if (item->eta_s > 0.0 &&
          !model.index(row, ConversionQueueModel::kTimeLeft).data().toString().isEmpty())
        has_eta = true;
    });
    const QueueItemSettings settings = settingsFor(out);
    const std::uint64_t a =
        queue.addVideo(QString::fromStdString(clip_a_.string()), settings, depthOf(clip_a_));
    const std::uint64_t broken = queue.addVideo(QString::fromStdString(broken_.string()), settings);
    const std::uint64_t b =
        queue.addVideo(QString::fromStdString(clip_b_.string()), settings, depthOf(clip_b_));
    const std::uint64_t photo = queue.addPhoto(QString::fromStdString(photo_.string()), settings);
    QVERIFY(queue.item(photo)->map.has_value());
    QVERIFY(queue.item(photo)->map->kind == MapKind::kInverseDepth);
    QTRY_VERIFY_WITH_TIMEOUT(!queue.isBusy() && stateOf(queue, photo) != "waiting", kTimeoutMs);
    QCOMPARE(stateOf(queue, a), QStringLiteral("done"));
    QVERIFY(stateOf(queue, broken).startsWith("failed: "));
    QVERIFY2(queue.item(broken)->message.contains("broken.mp4"),
             qPrintable(queue.item(broken)->message));
    QCOMPARE(stateOf(queue, b), QStringLiteral("done"));
    QCOMPARE(stateOf(queue, photo), QStringLiteral("done"));
    QCOMPARE(queue.item(a)->output, out + "/clip_a_LRF_Full_SBS.mkv");
    QCOMPARE(queue.item(b)->output, out + "/clip_b_LRF_Full_SBS.mkv");
    QCOMPARE(queue.item(photo)->output, out + "/photo_LRF_Full_SBS.png");
    QVERIFY(QFileInfo::exists(queue.item(photo)->output));
    QCOMPARE(frameDigests(queue.item(a)->output), reference_digests_);
    QCOMPARE(static_cast<int>(frameDigests(queue.item(b)->output).size()), 12);
    const cv::Mat pair = cv::imread(queue.item(photo)->output.toStdString());
    QCOMPARE(pair.cols, 2 * kWidth);
    QCOMPARE(pair.rows, kHeight);
    QVERIFY(has_speed);
    QVERIFY(has_eta);

    // Again: the outputs exist and are skipped.
    const std::uint64_t again =
        queue.addVideo(QString::fromStdString(clip_a_.string()), settings, depthOf(clip_a_));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(queue, again), QStringLiteral("skipped"), kTimeoutMs);
  }

  // Pause mid-run keeps the work folder and writes no output; resume reuses the finished
  // segments and gives the frames of an uninterrupted run.
  void pauseAndResumeGiveTheFramesOfAnUninterruptedRun() {
    ConversionQueue queue(optionsFor(stateFile(), true));
    const std::uint64_t id = queue.addVideo(QString::fromStdString(clip_a_.string()),
                                            settingsFor(outputFolder()), depthOf(clip_a_));
    const auto connection = stopMidRun(queue, id, false);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(queue, id), QStringLiteral("paused"), kTimeoutMs);
    disconnect(connection);
    const QString output = queue.item(id)->output;
    QVERIFY(!QFileInfo::exists(output));
    QVERIFY(fs::is_directory(videoWorkFolderOf(toPath(output))));
    queue.resume(id);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(queue, id), QStringLiteral("done"), kTimeoutMs);
    QVERIFY2(queue.item(id)->segments_reused >= 1, qPrintable(queue.item(id)->message));
    QCOMPARE(frameDigests(output), reference_digests_);
    QVERIFY(!fs::exists(videoWorkFolderOf(toPath(output))));
  }

  // A paused item, its queue destroyed (the application closed), a new queue from the saved
  // file: still paused, with its settings; resumed, it finishes from its segments.
  void pausedItemResumesInANewQueue() {
    const QString state_file = stateFile();
    std::uint64_t id = 0;
    QString output;
    {
      ConversionQueue queue(optionsFor(state_file, true));
      id = queue.addVideo(QString::fromStdString(clip_a_.string()), settingsFor(outputFolder()),
                          depthOf(clip_a_));
      stopMidRun(queue, id, false);
      QTRY_COMPARE_WITH_TIMEOUT(stateOf(queue, id), QStringLiteral("paused"), kTimeoutMs);
      output = queue.item(id)->output;
    }
    ConversionQueue queue(optionsFor(state_file, false));
    QCOMPARE(static_cast<int>(queue.items().size()), 1);
    const QueueItem& item = queue.items().front();
    QVERIFY(item.state == QueueItemState::kPaused);
    QCOMPARE(item.output, output);
    QVERIFY(item.map.has_value());
    QVERIFY(item.settings.video.encode.codec == VideoCodec::kFfv1);
    queue.resume(item.id);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(queue, item.id), QStringLiteral("done"), kTimeoutMs);
    QVERIFY(queue.items().front().segments_reused >= 1);
    QCOMPARE(frameDigests(output), reference_digests_);
  }

  // The item running when the queue is destroyed is waiting in the next queue, which resumes
  // it by itself.
  void itemRunningAtCloseResumesInTheNextQueue() {
    const QString state_file = stateFile();
    QString output;
    {
      ConversionQueue queue(optionsFor(state_file, true));
      const std::uint64_t id = queue.addVideo(QString::fromStdString(clip_a_.string()),
                                              settingsFor(outputFolder()), depthOf(clip_a_));
      QTRY_VERIFY_WITH_TIMEOUT(
          queue.item(id)->stage == QueueStage::kStereo && queue.item(id)->frame >= 8, kTimeoutMs);
      output = queue.item(id)->output;
    }
    QVERIFY(!QFileInfo::exists(output));
    ConversionQueue queue(optionsFor(state_file, false));
    QCOMPARE(static_cast<int>(queue.items().size()), 1);
    const std::uint64_t id = queue.items().front().id;
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(queue, id), QStringLiteral("done"), kTimeoutMs);
    QVERIFY(queue.item(id)->segments_reused >= 1);
    QCOMPARE(frameDigests(output), reference_digests_);
  }

  // Cancel mid-run: the work folder goes and no output is written.
  void cancelRemovesTheWorkFolderAndWritesNothing() {
    const QString out = outputFolder();
    ConversionQueue queue(optionsFor(stateFile(), true));
    const std::uint64_t id = queue.addVideo(QString::fromStdString(clip_a_.string()),
                                            settingsFor(out), depthOf(clip_a_));
    stopMidRun(queue, id, true);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(queue, id), QStringLiteral("cancelled"), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(fs::is_empty(toPath(out)), 10000);
    QVERIFY(!QFileInfo::exists(queue.item(id)->output));
  }

  // The queue item's command line, run by the real genstereo-cli, writes the queue's frames.
  void commandLineWritesTheQueuesFrames() {
    const QString out = outputFolder();
    ConversionQueue::Options options = optionsFor(stateFile(), false);
    options.is_autostart = false;
    ConversionQueue queue(options);
    const std::uint64_t id = queue.addVideo(QString::fromStdString(clip_a_.string()),
                                            settingsFor(out), depthOf(clip_a_));
    QString command = queue.commandLineOf(id);
    QVERIFY2(command.startsWith("genstereo-cli video "), qPrintable(command));
    for (const char* flag : {"--depth ", "--codec ffv1", "--container mkv", "--segment-frames 5",
                             "--baseline-scale ", "--convergence ", "--border "}) {
      QVERIFY2(command.contains(QLatin1String(flag)), qPrintable(command));
    }
    command.replace(0, QStringLiteral("genstereo-cli").size(),
                    shellQuoted(QStringLiteral(GENSTEREO_CLI_PATH)));
    QProcess cli;
    cli.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), command + " -q"});
    QVERIFY(cli.waitForFinished(kTimeoutMs));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    QCOMPARE(frameDigests(out + "/clip_a_LRF_Full_SBS.mkv"), reference_digests_);
    // The photo's: genstereo-cli generate ... --format sbs --no-intermediates.
    const std::uint64_t photo =
        queue.addPhoto(QString::fromStdString(photo_.string()), settingsFor(out));
    const QString photo_command = queue.commandLineOf(photo);
    QVERIFY2(photo_command.startsWith("genstereo-cli generate ") &&
                 photo_command.contains("--depth ") &&
                 photo_command.endsWith("--format sbs --no-intermediates"),
             qPrintable(photo_command));
  }

  // Other settings (temporal off, half top-bottom, a time range, a constant rate, baseline,
  // convergence, border, depth shaping, eye): the queue's file and the copied command's have
  // the same frames.
  void commandLineWithOtherSettingsWritesTheQueuesFrames() {
    const QString queue_out = outputFolder();
    const QString cli_out = outputFolder();
    QueueItemSettings settings = settingsFor(queue_out);
    settings.params.is_temporal_on = false;
    settings.video.layout = VideoOutputLayout::kTopBottomHalf;
    settings.video.start_s = 0.25;
    settings.video.end_s = 1.5;
    settings.video.fps_num = 24;
    settings.video.fps_den = 1;
    settings.params.baseline_scale = 1.4;
    settings.params.convergence = 0.2;
    settings.params.border = BorderMode::kScreen;
    settings.params.max_disparity_fraction = 0.05;
    settings.params.depth_shaping.foreground_scale = 0.5;
    settings.params.depth_shaping.edge_dilation_x_px = 2;
    settings.params.depth_shaping.edge_dilation_y_px = 2;
    settings.params.synthesis.eye = SynthesisEye::kBoth;
    ConversionQueue queue(optionsFor(stateFile(), false));
    const std::uint64_t id =
        queue.addVideo(QString::fromStdString(clip_a_.string()), settings, depthOf(clip_a_));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(queue, id), QStringLiteral("done"), kTimeoutMs);
    const QString output = queue.item(id)->output;
    QCOMPARE(QFileInfo(output).fileName(), QStringLiteral("clip_a_TB.mkv"));
    QString command = queue.commandLineOf(id);
    for (const char* flag :
         {"--temporal off", "--flow-window 0", "--fill-window 0", "--layout tb-half",
          "--start 0.25", "--end 1.5", "--fps 24/1", "--max-disparity 0.05", "--eye both"}) {
      QVERIFY2(command.contains(QLatin1String(flag)), qPrintable(command));
    }
    command.replace(0, QStringLiteral("genstereo-cli").size(),
                    shellQuoted(QStringLiteral(GENSTEREO_CLI_PATH)));
    command.replace(shellQuoted(queue_out), shellQuoted(cli_out));
    QProcess cli;
    cli.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), command + " -q"});
    QVERIFY(cli.waitForFinished(kTimeoutMs));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    const std::vector<std::string> queue_frames = frameDigests(output);
    QVERIFY(queue_frames.size() >= 25);  // 1.25 s at 24 fps
    QCOMPARE(frameDigests(cli_out + "/clip_a_TB.mkv"), queue_frames);
  }

  // The dock: a folder adds its videos and photos (not the maps), the selected item's command
  // line goes to the clipboard, removing takes it off the list.
  void dockAddsFoldersAndCopiesTheCommandLine() {
    ConversionQueue::Options options = optionsFor(stateFile(), false);
    options.is_autostart = false;
    ConversionQueue queue(options);
    const QString out = outputFolder();
    ConversionQueueDock dock([this, out] { return settingsFor(out); }, nullptr, &queue);
    dock.addFiles({QString::fromStdString((root() / "in").string())});
    // clip_a.mp4, clip_b.mp4, photo.png and broken.mp4; not photo_depth.png nor the frame
    // folders.
    QCOMPARE(dock.view()->model()->rowCount(), 4);
    QCOMPARE(dock.view()->model()->index(0, ConversionQueueModel::kName).data().toString(),
             QStringLiteral("broken.mp4"));
    QCOMPARE(dock.view()->model()->index(0, ConversionQueueModel::kState).data().toString(),
             QStringLiteral("Waiting"));
    dock.view()->selectRow(1);
    QCOMPARE(static_cast<int>(dock.selectedIds().size()), 1);
    dock.copySelectedCommandLine();
    QVERIFY2(QGuiApplication::clipboard()->text().startsWith("genstereo-cli video "),
             qPrintable(QGuiApplication::clipboard()->text()));
    dock.removeSelected();
    QCOMPARE(dock.view()->model()->rowCount(), 3);
    // A preset chosen in the dock: its controls on the files added next.
    const Preset strong = builtInPresets().at(1);
    dock.presetChoice()->setCurrentIndex(dock.presetChoice()->findData(strong.name));
    QVERIFY(dock.presetChoice()->currentIndex() > 0);
    dock.addFiles({QString::fromStdString(clip_b_.string())});
    QCOMPARE(queue.items().back().settings.params.depth_shaping.foreground_scale,
             strong.params.depth_shaping.foreground_scale);
    QCOMPARE(queue.items().front().settings.params.depth_shaping.foreground_scale,
             settingsFor(out).params.depth_shaping.foreground_scale);
    QVERIFY(strong.params.depth_shaping.foreground_scale !=
            settingsFor(out).params.depth_shaping.foreground_scale);
  }
};

QTEST_MAIN(ConversionQueueTest)
#include "conversion_queue_test.moc"

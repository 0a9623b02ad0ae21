#include "conversion_queue.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <new>
#include <system_error>
#include <utility>

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

#include "batch/batch_inputs.h"
#include "command_line_builder.h"
#include "engine_worker.h"
#include "errors.h"
#include "io/map_discovery.h"
#include "pipeline/generate_job.h"
#include "presets.h"
#include "video/media_source.h"
#include "video/stereo_muxer.h"
#include "video_command_line.h"

namespace genstereo::ui {

namespace fs = std::filesystem;

namespace {

fs::path toPath(const QString& path) { return fs::path(path.toStdString()); }
QString toQString(const fs::path& path) { return QString::fromStdString(path.string()); }

bool isPhotoFile(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto& extensions = batchImageExtensions();
  return std::find(extensions.begin(), extensions.end(), extension) != extensions.end();
}

QString outputFolderOfItem(const QueueItem& item) {
  if (!item.settings.output_folder.isEmpty()) return item.settings.output_folder;
  return QFileInfo(item.input).absolutePath();
}

// The output folder, created as the CLI creates it (when its parent exists).
void ensureOutputFolder(const fs::path& folder) {
  std::error_code ec;
  if (fs::is_directory(folder, ec)) return;
  const fs::path parent = folder.parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    throw OutputError("the output folder " + folder.string() + " and its parent do not exist");
  }
  fs::create_directory(folder, ec);
  if (ec)
    throw OutputError("cannot create the output folder " + folder.string() + ": " + ec.message());
}

// The photo's output file (runGenerateJob's naming: NAME + exportFileSuffix + .png).
fs::path photoOutputPath(const QueueItem& item) {
  const ExportFormat format = photoFormatOf(item.settings.video.layout);
  return toPath(outputFolderOfItem(item)) /
         (toPath(item.input).stem().string() + exportFileSuffix(format, true) + ".png");
}

bool isSameEngine(const EngineOptions& a, const EngineOptions& b) {
  return a.models_dir == b.models_dir && a.variant == b.variant && a.device == b.device &&
         a.depth_model == b.depth_model && a.threads == b.threads;
}

QueueStage stageOf(VideoProgress::Pass pass) {
  switch (pass) {
    case VideoProgress::Pass::kDepth:
      return QueueStage::kDepth;
    case VideoProgress::Pass::kStereo:
      return QueueStage::kStereo;
    case VideoProgress::Pass::kMux:
      return QueueStage::kMux;
  }
  return QueueStage::kNone;
}

// --- the saved queue -----------------------------------------------------------------------

template <typename Enum>
Enum enumOf(const QString& name, std::initializer_list<Enum> values, Enum fallback) {
  for (Enum value : values) {
    if (name == QLatin1String(toString(value))) return value;
  }
  return fallback;
}

QJsonObject paramsToJson(const EngineParams& params) {
  QJsonObject json = QJsonObject::fromVariantMap(presetToMap(params));
  json[QStringLiteral("engine")] = QString::fromLatin1(
      toString(params.engine == EngineKind::kDiffusion ? EngineChoice::kDiffusion
                                                       : EngineChoice::kWeightFree));
  json[QStringLiteral("mapKind")] = QString::fromLatin1(toString(params.map_kind));
  json[QStringLiteral("resizeMaps")] = params.map_size == MapSizePolicy::kResize;
  // presetToMap keeps no picked screen point (it belongs to a photo); an item keeps it.
  if (params.comfort.convergence == ConvergenceMode::kPoint) {
    json[QStringLiteral("screenPointX")] = params.comfort.screen_point_px.x;
    json[QStringLiteral("screenPointY")] = params.comfort.screen_point_px.y;
  }
  json[QStringLiteral("edgeDilationYPx")] = params.depth_shaping.edge_dilation_y_px;
  json[QStringLiteral("temporal")] = params.is_temporal_on;
  json[QStringLiteral("modelsFolder")] = params.models.folder;
  json[QStringLiteral("variant")] = params.models.variant;
  json[QStringLiteral("device")] = params.models.device;
  json[QStringLiteral("depthModelSize")] = params.models.depth_model_size;
  return json;
}

EngineParams paramsFromJson(const QJsonObject& json) {
  EngineParams params = presetFromMap(json.toVariantMap());
  params.engine = engineChoiceFromString(json[QStringLiteral("engine")].toString().toStdString()) ==
                          EngineChoice::kDiffusion
                      ? EngineKind::kDiffusion
                      : EngineKind::kWeightFree;
  params.map_kind =
      enumOf(json[QStringLiteral("mapKind")].toString(),
             {MapKind::kDisparity, MapKind::kInverseDepth, MapKind::kMetricDepth}, params.map_kind);
  params.map_size =
      json[QStringLiteral("resizeMaps")].toBool() ? MapSizePolicy::kResize : MapSizePolicy::kRefuse;
  if (json.contains(QStringLiteral("screenPointX"))) {
    params.comfort.convergence = ConvergenceMode::kPoint;
    params.comfort.screen_point_px = cv::Point(json[QStringLiteral("screenPointX")].toInt(),
                                               json[QStringLiteral("screenPointY")].toInt());
  }
  params.depth_shaping.edge_dilation_y_px =
      json[QStringLiteral("edgeDilationYPx")].toInt(params.depth_shaping.edge_dilation_y_px);
  params.is_temporal_on = json[QStringLiteral("temporal")].toBool(true);
  params.models.folder = json[QStringLiteral("modelsFolder")].toString();
  params.models.variant = json[QStringLiteral("variant")].toString(params.models.variant);
  params.models.device = json[QStringLiteral("device")].toString(params.models.device);
  params.models.depth_model_size =
      json[QStringLiteral("depthModelSize")].toString(params.models.depth_model_size);
  return params;
}

QJsonObject videoToJson(const VideoExportSettings& v) {
  QJsonObject json;
  json[QStringLiteral("layout")] = QString::fromLatin1(toString(v.layout));
  json[QStringLiteral("codec")] = QString::fromLatin1(toString(v.encode.codec));
  json[QStringLiteral("crf")] = v.encode.crf;
  json[QStringLiteral("preset")] = QString::fromStdString(v.encode.preset);
  json[QStringLiteral("bitDepth")] = v.encode.bit_depth;
  json[QStringLiteral("hdr10Passthrough")] = v.encode.hdr10_passthrough;
  json[QStringLiteral("container")] = QString::fromStdString(v.encode.container);
  json[QStringLiteral("threads")] = v.encode.threads;
  json[QStringLiteral("hdr")] = QString::fromLatin1(toString(v.hdr));
  json[QStringLiteral("fpsNum")] = v.fps_num;
  json[QStringLiteral("fpsDen")] = v.fps_den;
  json[QStringLiteral("startS")] = v.start_s;
  json[QStringLiteral("endS")] = v.end_s;
  return json;
}

VideoExportSettings videoFromJson(const QJsonObject& json) {
  VideoExportSettings v;
  v.layout = videoOutputLayoutFromString(json[QStringLiteral("layout")].toString().toStdString())
                 .value_or(v.layout);
  v.encode.codec = videoCodecFromString(json[QStringLiteral("codec")].toString().toStdString())
                       .value_or(v.encode.codec);
  v.encode.crf = json[QStringLiteral("crf")].toInt(v.encode.crf);
  v.encode.preset = json[QStringLiteral("preset")]
                        .toString(QString::fromStdString(v.encode.preset))
                        .toStdString();
  v.encode.bit_depth = json[QStringLiteral("bitDepth")].toInt(v.encode.bit_depth);
  v.encode.hdr10_passthrough =
      json[QStringLiteral("hdr10Passthrough")].toBool(v.encode.hdr10_passthrough);
  v.encode.container = json[QStringLiteral("container")].toString().toStdString();
  v.encode.threads = json[QStringLiteral("threads")].toInt(v.encode.threads);
  v.hdr = enumOf(json[QStringLiteral("hdr")].toString(),
                 {HdrHandling::kAuto, HdrHandling::kPassthrough, HdrHandling::kToneMap}, v.hdr);
  v.fps_num = json[QStringLiteral("fpsNum")].toInt(v.fps_num);
  v.fps_den = json[QStringLiteral("fpsDen")].toInt(v.fps_den);
  v.start_s = json[QStringLiteral("startS")].toDouble(v.start_s);
  v.end_s = json[QStringLiteral("endS")].toDouble(v.end_s);
  return v;
}

QJsonObject itemToJson(const QueueItem& item) {
  QJsonObject json;
  json[QStringLiteral("kind")] =
      item.kind == QueueItemKind::kVideo ? QStringLiteral("video") : QStringLiteral("photo");
  json[QStringLiteral("input")] = item.input;
  if (item.map) {
    json[QStringLiteral("map")] = toQString(item.map->path);
    json[QStringLiteral("mapKind")] = QString::fromLatin1(toString(item.map->kind));
  }
  json[QStringLiteral("state")] = QString::fromLatin1(toString(item.state));
  json[QStringLiteral("output")] = item.output;
  json[QStringLiteral("message")] = item.message;
  json[QStringLiteral("params")] = paramsToJson(item.settings.params);
  json[QStringLiteral("video")] = videoToJson(item.settings.video);
  json[QStringLiteral("outputFolder")] = item.settings.output_folder;
  json[QStringLiteral("overwrite")] = item.settings.overwrite;
  return json;
}

QueueItem itemFromJson(const QJsonObject& json) {
  QueueItem item;
  item.kind = json[QStringLiteral("kind")].toString() == QLatin1String("photo")
                  ? QueueItemKind::kPhoto
                  : QueueItemKind::kVideo;
  item.input = json[QStringLiteral("input")].toString();
  if (json.contains(QStringLiteral("map"))) {
    item.map =
        VideoMapSource{toPath(json[QStringLiteral("map")].toString()),
                       enumOf(json[QStringLiteral("mapKind")].toString(),
                              {MapKind::kDisparity, MapKind::kInverseDepth, MapKind::kMetricDepth},
                              MapKind::kInverseDepth)};
  }
  item.state = enumOf(json[QStringLiteral("state")].toString(),
                      {QueueItemState::kWaiting, QueueItemState::kRunning, QueueItemState::kPaused,
                       QueueItemState::kDone, QueueItemState::kSkipped, QueueItemState::kFailed,
                       QueueItemState::kCancelled},
                      QueueItemState::kWaiting);
  // A run the application's end interrupted resumes.
  if (item.state == QueueItemState::kRunning) item.state = QueueItemState::kWaiting;
  item.output = json[QStringLiteral("output")].toString();
  item.message = json[QStringLiteral("message")].toString();
  item.settings.params = paramsFromJson(json[QStringLiteral("params")].toObject());
  item.settings.video = videoFromJson(json[QStringLiteral("video")].toObject());
  item.settings.output_folder = json[QStringLiteral("outputFolder")].toString();
  item.settings.overwrite = json[QStringLiteral("overwrite")].toBool();
  return item;
}

}  // namespace

// --- the worker ------------------------------------------------------------------------------

// Runs one item at a time in the queue's thread; every answer leaves as a queued signal.
class ConversionQueueRunner : public QObject {
  Q_OBJECT

 public:
  struct Job {
    QueueItem item;
    int segment_max_frames = 300;
    std::function<void(const VideoProgress&)> on_progress;
  };

  void run(const Job& job, const CancelToken& cancel) {
    const quint64 id = job.item.id;
    try {
      if (job.item.kind == QueueItemKind::kVideo)
        runVideo(job, cancel);
      else
        runPhoto(job, cancel);
    } catch (const CancelledError&) {
      emit stopped(id);
    } catch (const std::bad_alloc&) {
      emit failed(id,
                  ConversionQueue::tr("Not enough memory to convert '%1'.").arg(job.item.input));
    } catch (const std::exception& error) {
      if (cancel.isCancelled())
        emit stopped(id);
      else
        emit failed(id, QString::fromStdString(error.what()));
    }
  }

  void removeFolder(const fs::path& folder) {
    std::error_code ec;
    fs::remove_all(folder, ec);
  }

 signals:
  void started(quint64 id, QString output);
  void progressed(quint64 id, int stage, qint64 frame, qint64 total, double fps, double eta_s);
  void finished(quint64 id, QString message, int segments, int segments_reused);
  void skipped(quint64 id, QString message);
  void failed(quint64 id, QString message);
  void stopped(quint64 id);

 private:
  StereoEngine& engineFor(const EngineOptions& options) {
    if (engine_ && isSameEngine(engine_->options(), options)) return *engine_;
    engine_.reset();
    engine_ = std::make_unique<StereoEngine>(options);
    return *engine_;
  }

  // True (and says so) when the output exists and the item does not overwrite.
  bool skipsExisting(const QueueItem& item, const fs::path& output) {
    std::error_code ec;
    if (item.settings.overwrite || !fs::exists(output, ec)) return false;
    emit skipped(
        item.id,
        ConversionQueue::tr("Skipped: %1 exists (not overwritten).").arg(toQString(output)));
    return true;
  }

  void runVideo(const Job& job, const CancelToken& cancel) {
    const QueueItem& item = job.item;
    const QueueItemSettings& s = item.settings;
    const fs::path input = toPath(item.input);
    const fs::path folder = toPath(outputFolderOfItem(item));
    VideoParams params =
        videoParamsOf(s.params, s.params.is_temporal_on, s.video, input, fs::path(), item.map);
    const VideoSourceInfo info = probeVideo(input);
    params.output = videoOutputPath(input, folder, params.layout,
                                    resolveContainer(info, params.encode.container));
    emit started(item.id, toQString(params.output));
    if (skipsExisting(item, params.output)) return;
    ensureOutputFolder(folder);
    params.segment_max_frames = job.segment_max_frames;
    params.run.cancel = cancel;
    QElapsedTimer since_report;
    since_report.start();
    auto last_pass = static_cast<VideoProgress::Pass>(-1);
    params.on_progress = [&](const VideoProgress& p) {
      if (job.on_progress) job.on_progress(p);
      const bool is_pass_end = p.total > 0 && p.frame >= p.total;
      if (p.pass == last_pass && !is_pass_end && since_report.elapsed() < 100) return;
      last_pass = p.pass;
      since_report.restart();
      emit progressed(item.id, static_cast<int>(stageOf(p.pass)), p.frame, p.total, p.fps, p.eta_s);
    };
    StereoEngine& engine = engineFor(videoEngineOptionsOf(s.params.models));
    const VideoReport report = convertVideo(engine, params);
    emit finished(item.id,
                  ConversionQueue::tr("%1 frames at %2 fps (%3 of %4 segments reused)")
                      .arg(report.frames)
                      .arg(report.fps, 0, 'f', 1)
                      .arg(report.segments_reused)
                      .arg(report.segments),
                  report.segments, report.segments_reused);
  }

  void runPhoto(const Job& job, const CancelToken& cancel) {
    const QueueItem& item = job.item;
    const QueueItemSettings& s = item.settings;
    const fs::path output = photoOutputPath(item);
    emit started(item.id, toQString(output));
    if (skipsExisting(item, output)) return;
    GenerateJob generate;
    generate.image = toPath(item.input);
    // The run's settings as the window's (runParamsOf); the geometry is runGenerateJob's,
    // from the map file, or estimated.
    generate.run = runParamsOf(s.params, InputData());
    if (item.map) {
      if (item.map->kind == MapKind::kDisparity)
        generate.disparity = item.map->path;
      else
        generate.depth = item.map->path;
      generate.run.depth_conversion.kind =
          item.map->kind == MapKind::kMetricDepth ? DepthKind::kMetric : DepthKind::kInverse;
      generate.read_options = mapReadOptions(item.map->path);
    }
    generate.run.cancel = cancel;
    QElapsedTimer elapsed;
    elapsed.start();
    generate.run.on_progress = [&](const RunProgress& p) {
      const double fraction = std::clamp(p.fraction, 0.0, 1.0);
      const double seconds = static_cast<double>(elapsed.elapsed()) / 1000.0;
      const double eta_s = fraction > 0.02 ? seconds * (1.0 - fraction) / fraction : -1.0;
      emit progressed(item.id, static_cast<int>(QueueStage::kPhoto),
                      static_cast<qint64>(std::lround(fraction * 100.0)), 100, 0.0, eta_s);
    };
    generate.formats = {photoFormatOf(s.video.layout)};
    generate.write_intermediates = false;
    generate.out_dir = toPath(outputFolderOfItem(item));
    StereoEngine& engine = engineFor(engineOptionsOf(s.params.models));
    const GenerateReport report = runGenerateJob(engine, generate);
    emit finished(item.id,
                  ConversionQueue::tr("%1 x %2 pixels in %3 s")
                      .arg(report.width)
                      .arg(report.height)
                      .arg(report.seconds, 0, 'f', 1),
                  0, 0);
  }

  std::unique_ptr<StereoEngine> engine_;
};

// --- the queue -------------------------------------------------------------------------------

const char* toString(QueueItemState state) {
  switch (state) {
    case QueueItemState::kWaiting:
      return "waiting";
    case QueueItemState::kRunning:
      return "running";
    case QueueItemState::kPaused:
      return "paused";
    case QueueItemState::kDone:
      return "done";
    case QueueItemState::kSkipped:
      return "skipped";
    case QueueItemState::kFailed:
      return "failed";
    case QueueItemState::kCancelled:
      return "cancelled";
  }
  return "waiting";
}

QString queueItemStateLabel(QueueItemState state) {
  switch (state) {
    case QueueItemState::kWaiting:
      return ConversionQueue::tr("Waiting");
    case QueueItemState::kRunning:
      return ConversionQueue::tr("Running");
    case QueueItemState::kPaused:
      return ConversionQueue::tr("Paused");
    case QueueItemState::kDone:
      return ConversionQueue::tr("Done");
    case QueueItemState::kSkipped:
      return ConversionQueue::tr("Skipped");
    case QueueItemState::kFailed:
      return ConversionQueue::tr("Failed");
    case QueueItemState::kCancelled:
      return ConversionQueue::tr("Cancelled");
  }
  return QString();
}

ExportFormat photoFormatOf(VideoOutputLayout layout) {
  switch (layout) {
    case VideoOutputLayout::kSideBySideHalf:
      return ExportFormat::kSideBySideHalf;
    case VideoOutputLayout::kTopBottomFull:
      return ExportFormat::kTopBottomFull;
    case VideoOutputLayout::kTopBottomHalf:
      return ExportFormat::kTopBottomHalf;
    case VideoOutputLayout::kCrossEyed:
      return ExportFormat::kCrossEyed;
    case VideoOutputLayout::kAnaglyph:
      return ExportFormat::kAnaglyphDubois;
    case VideoOutputLayout::kSideBySideFull:
    case VideoOutputLayout::kVr180:
      break;
  }
  return ExportFormat::kSideBySideFull;
}

fs::path videoWorkFolderOf(const fs::path& output) {
  const fs::path folder = output.has_parent_path() ? output.parent_path() : fs::path(".");
  return folder / ("." + output.filename().string() + ".genstereo");
}

ConversionQueue::ConversionQueue(QObject* parent) : ConversionQueue(Options(), parent) {}

ConversionQueue::ConversionQueue(Options options, QObject* parent)
    : QObject(parent), options_(std::move(options)) {
  if (options_.state_file.isEmpty()) {
    options_.state_file =
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
            .filePath(QStringLiteral("conversion_queue.json"));
  }
  is_started_ = options_.is_autostart;
  runner_ = new ConversionQueueRunner;
  runner_->moveToThread(&thread_);
  connect(runner_, &ConversionQueueRunner::started, this, &ConversionQueue::onStarted);
  connect(runner_, &ConversionQueueRunner::progressed, this, &ConversionQueue::onProgressed);
  connect(runner_, &ConversionQueueRunner::finished, this, &ConversionQueue::onFinished);
  connect(runner_, &ConversionQueueRunner::skipped, this, &ConversionQueue::onSkipped);
  connect(runner_, &ConversionQueueRunner::failed, this, &ConversionQueue::onFailed);
  connect(runner_, &ConversionQueueRunner::stopped, this, &ConversionQueue::onStopped);
  thread_.setObjectName(QStringLiteral("conversion queue"));
  thread_.start();
  load();
  runNext();
}

ConversionQueue::~ConversionQueue() {
  if (QueueItem* running = mutableItem(running_id_)) {
    running->state = QueueItemState::kWaiting;  // the next queue resumes it
    stop_action_ = StopAction::kShutdown;
    cancel_.cancel();
  }
  save();
  // The run stops within a frame; the work folders asked to go are deleted before the end.
  QMetaObject::invokeMethod(
      runner_, [] {}, Qt::BlockingQueuedConnection);
  thread_.quit();
  thread_.wait();
  delete runner_;
}

const QueueItem* ConversionQueue::item(std::uint64_t id) const {
  const int row = rowOf(id);
  return row < 0 ? nullptr : &items_[static_cast<std::size_t>(row)];
}

QueueItem* ConversionQueue::mutableItem(std::uint64_t id) {
  const int row = rowOf(id);
  return row < 0 ? nullptr : &items_[static_cast<std::size_t>(row)];
}

int ConversionQueue::rowOf(std::uint64_t id) const {
  if (id == 0) return -1;
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (items_[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

std::vector<std::uint64_t> ConversionQueue::addPaths(const QStringList& paths,
                                                     const QueueItemSettings& settings,
                                                     QStringList* rejected) {
  std::vector<std::uint64_t> ids;
  auto reject = [rejected](const QString& line) {
    if (rejected) rejected->append(line);
  };
  for (const QString& path : paths) {
    const fs::path file = toPath(path);
    std::error_code ec;
    if (fs::is_directory(file, ec)) {
      std::vector<fs::path> found;
      for (const auto& entry : fs::directory_iterator(file, ec)) {
        if (!entry.is_regular_file(ec)) continue;
        const fs::path& p = entry.path();
        if (hasVideoExtension(p) || (isPhotoFile(p) && !isMapOrSidecar(p))) found.push_back(p);
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) {
        reject(tr("%1: the folder holds no video or photo.").arg(path));
        continue;
      }
      for (const fs::path& p : found) {
        ids.push_back(hasVideoExtension(p) ? addVideo(toQString(p), settings)
                                           : addPhoto(toQString(p), settings));
      }
    } else if (!fs::exists(file, ec)) {
      reject(tr("%1: no such file or folder.").arg(path));
    } else if (hasVideoExtension(file)) {
      ids.push_back(addVideo(path, settings));
    } else if (isPhotoFile(file)) {
      ids.push_back(addPhoto(path, settings));
    } else {
      reject(tr("%1: neither a video (mp4, mkv, mov, webm, ...) nor a photo (png, jpg, tif, "
                "webp, bmp).")
                 .arg(path));
    }
  }
  return ids;
}

std::uint64_t ConversionQueue::addVideo(const QString& video, const QueueItemSettings& settings,
                                        const std::optional<VideoMapSource>& map) {
  QueueItem item;
  item.kind = QueueItemKind::kVideo;
  item.input = QFileInfo(video).absoluteFilePath();
  item.map = map;
  item.settings = settings;
  return addItem(std::move(item));
}

std::uint64_t ConversionQueue::addPhoto(const QString& photo, const QueueItemSettings& settings,
                                        const std::optional<VideoMapSource>& map) {
  QueueItem item;
  item.kind = QueueItemKind::kPhoto;
  item.input = QFileInfo(photo).absoluteFilePath();
  item.map = map;
  item.settings = settings;
  if (!item.map) {
    try {
      // The one rule for the map beside a photo (io/map_discovery.h), as `generate` has it.
      if (const auto found = findMapOfPhoto(toPath(item.input)))
        item.map = VideoMapSource{found->path, found->kind};
    } catch (const Error& error) {
      item.state = QueueItemState::kFailed;
      item.message = QString::fromStdString(error.what());
    }
  }
  return addItem(std::move(item));
}

std::uint64_t ConversionQueue::addItem(QueueItem item) {
  item.id = next_id_++;
  const std::uint64_t id = item.id;
  items_.push_back(std::move(item));
  emit itemAdded(id);
  save();
  runNext();
  return id;
}

void ConversionQueue::setState(QueueItem& item, QueueItemState state, const QString& message) {
  item.state = state;
  if (!message.isNull()) item.message = message;
  const std::uint64_t id = item.id;
  emit itemChanged(id);
  save();
}

void ConversionQueue::pause(std::uint64_t id) {
  QueueItem* item = mutableItem(id);
  if (!item) return;
  if (item->state == QueueItemState::kRunning) {
    stop_action_ = StopAction::kPause;
    cancel_.cancel();
  } else if (item->state == QueueItemState::kWaiting) {
    setState(*item, QueueItemState::kPaused);
  }
}

void ConversionQueue::resume(std::uint64_t id) {
  QueueItem* item = mutableItem(id);
  if (!item) return;
  if (item->state != QueueItemState::kPaused && item->state != QueueItemState::kFailed &&
      item->state != QueueItemState::kCancelled)
    return;
  setState(*item, QueueItemState::kWaiting, QString(""));
  start();
}

void ConversionQueue::cancel(std::uint64_t id) {
  QueueItem* item = mutableItem(id);
  if (!item) return;
  if (item->state == QueueItemState::kRunning) {
    stop_action_ = StopAction::kCancel;
    cancel_.cancel();
  } else if (item->state == QueueItemState::kWaiting || item->state == QueueItemState::kPaused) {
    removeWorkFolderOf(*item);
    setState(*item, QueueItemState::kCancelled);
  }
}

void ConversionQueue::remove(std::uint64_t id) {
  QueueItem* item = mutableItem(id);
  if (!item) return;
  if (item->state == QueueItemState::kRunning) {
    stop_action_ = StopAction::kRemove;
    cancel_.cancel();
    return;
  }
  if (item->state == QueueItemState::kPaused) removeWorkFolderOf(*item);
  emit itemAboutToBeRemoved(id);
  items_.erase(items_.begin() + rowOf(id));
  emit itemRemoved(id);
  save();
}

void ConversionQueue::start() {
  is_started_ = true;
  runNext();
}

void ConversionQueue::removeWorkFolderOf(const QueueItem& item) {
  if (item.kind != QueueItemKind::kVideo || item.output.isEmpty()) return;
  const fs::path work = videoWorkFolderOf(toPath(item.output));
  // On the queue's thread, after the stopped run and before the next (a depth cache can hold
  // thousands of files).
  QMetaObject::invokeMethod(
      runner_, [runner = runner_, work] { runner->removeFolder(work); }, Qt::QueuedConnection);
}

void ConversionQueue::runNext() {
  if (running_id_ != 0 || !is_started_) return;
  const auto next = std::find_if(items_.begin(), items_.end(), [](const QueueItem& item) {
    return item.state == QueueItemState::kWaiting;
  });
  if (next == items_.end()) {
    emit idle();
    return;
  }
  QueueItem& item = *next;
  item.stage = QueueStage::kNone;
  item.frame = 0;
  item.total = 0;
  item.fps = 0.0;
  item.eta_s = -1.0;
  running_id_ = item.id;
  stop_action_ = StopAction::kNone;
  cancel_ = CancelToken();
  setState(item, QueueItemState::kRunning, QString(""));
  ConversionQueueRunner::Job job{item, options_.segment_max_frames, options_.on_worker_progress};
  QMetaObject::invokeMethod(
      runner_,
      [runner = runner_, job = std::move(job), cancel = cancel_] { runner->run(job, cancel); },
      Qt::QueuedConnection);
}

void ConversionQueue::onStarted(std::uint64_t id, QString output) {
  QueueItem* item = mutableItem(id);
  if (!item) return;
  item->output = output;
  emit itemChanged(id);
  save();
}

void ConversionQueue::onProgressed(std::uint64_t id, int stage, qint64 frame, qint64 total,
                                   double fps, double eta_s) {
  QueueItem* item = mutableItem(id);
  if (!item || item->state != QueueItemState::kRunning) return;
  item->stage = static_cast<QueueStage>(stage);
  item->frame = frame;
  item->total = total;
  item->fps = fps;
  item->eta_s = eta_s;
  emit itemChanged(id);
}

void ConversionQueue::onFinished(std::uint64_t id, QString message, int segments,
                                 int segments_reused) {
  running_id_ = 0;
  if (QueueItem* item = mutableItem(id)) {
    item->segments = segments;
    item->segments_reused = segments_reused;
    item->frame = item->total;
    item->eta_s = 0.0;
    setState(*item, QueueItemState::kDone, message);
    if (stop_action_ == StopAction::kRemove) remove(id);
  }
  runNext();
}

void ConversionQueue::onSkipped(std::uint64_t id, QString message) {
  running_id_ = 0;
  if (QueueItem* item = mutableItem(id)) {
    setState(*item, QueueItemState::kSkipped, message);
    if (stop_action_ == StopAction::kRemove) remove(id);
  }
  runNext();
}

void ConversionQueue::onFailed(std::uint64_t id, QString message) {
  running_id_ = 0;
  if (QueueItem* item = mutableItem(id)) {
    setState(*item, QueueItemState::kFailed, message);
    if (stop_action_ == StopAction::kRemove) remove(id);
  }
  runNext();
}

void ConversionQueue::onStopped(std::uint64_t id) {
  running_id_ = 0;
  QueueItem* item = mutableItem(id);
  if (item) {
    switch (stop_action_) {
      case StopAction::kCancel:
        removeWorkFolderOf(*item);
        setState(*item, QueueItemState::kCancelled, tr("Cancelled; its work folder was removed."));
        break;
      case StopAction::kRemove:
        item->state = QueueItemState::kPaused;  // remove() drops its work folder
        remove(id);
        break;
      case StopAction::kPause:
      case StopAction::kNone:
      case StopAction::kShutdown:
        setState(*item, QueueItemState::kPaused,
                 item->kind == QueueItemKind::kVideo
                     ? tr("Paused; Resume goes on from the finished segments.")
                     : tr("Paused; Resume starts the photo again."));
        break;
    }
  }
  stop_action_ = StopAction::kNone;
  runNext();
}

QString ConversionQueue::outputFolderOf(std::uint64_t id) const {
  const QueueItem* found = item(id);
  return found ? outputFolderOfItem(*found) : QString();
}

QString ConversionQueue::commandLineOf(std::uint64_t id) const {
  const QueueItem* found = item(id);
  if (!found) return QString();
  const QueueItemSettings& s = found->settings;
  const QString folder = outputFolderOfItem(*found);
  if (found->kind == QueueItemKind::kVideo) {
    VideoCommandInputs inputs;
    inputs.video_path = found->input;
    inputs.map = found->map;
    inputs.output_dir = folder;
    inputs.overwrite = s.overwrite;
    inputs.segment_max_frames = options_.segment_max_frames;
    return shellCommandLine(
        videoCommandArguments(s.params, s.params.is_temporal_on, s.video, inputs));
  }
  EngineParams params = s.params;
  CommandLineInputs inputs;
  inputs.image_path = found->input;
  inputs.output_dir = folder;
  if (found->map) {
    inputs.map_path = toQString(found->map->path);
    params.map_kind = found->map->kind;
  }
  QStringList args = generateCommandArguments(params, inputs);
  args << QStringLiteral("--format")
       << QString::fromStdString(toString(photoFormatOf(s.video.layout)))
       << QStringLiteral("--no-intermediates");
  return shellCommandLine(args);
}

void ConversionQueue::save() const {
  QJsonArray array;
  for (const QueueItem& item : items_) array.append(itemToJson(item));
  QJsonObject root;
  root[QStringLiteral("version")] = 1;
  root[QStringLiteral("items")] = array;
  QDir().mkpath(QFileInfo(options_.state_file).absolutePath());
  QSaveFile file(options_.state_file);
  file.open(QIODevice::WriteOnly);
  file.write(QJsonDocument(root).toJson());
  if (!file.commit()) {
    qWarning("conversion queue: cannot save %s: %s", qPrintable(options_.state_file),
             qPrintable(file.errorString()));
  }
}

void ConversionQueue::load() {
  QFile file(options_.state_file);
  if (!file.open(QIODevice::ReadOnly)) return;
  const QJsonDocument document = QJsonDocument::fromJson(file.readAll());
  for (const QJsonValue& value : document.object()[QStringLiteral("items")].toArray()) {
    QueueItem item = itemFromJson(value.toObject());
    if (item.input.isEmpty()) continue;
    item.id = next_id_++;
    items_.push_back(std::move(item));
    emit itemAdded(items_.back().id);
  }
}

}  // namespace genstereo::ui

#include "conversion_queue.moc"

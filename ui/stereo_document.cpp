#include "stereo_document.h"

#include <filesystem>
#include <new>
#include <utility>

#include <QtConcurrent/QtConcurrent>

#include "image_conversion.h"
#include "io/disparity_io.h"
#include "io/image_io.h"
#include "io/stereo_file_reader.h"
#include "video/media_source.h"

namespace genstereo::ui {

namespace fs = std::filesystem;

namespace {

fs::path toPath(const QString& path) { return fs::path(path.toStdString()); }

InputDataPtr readVideoFrame(const LoadRequest& request) {
  const fs::path path = toPath(request.image_path);
  auto source = std::make_shared<VideoSourceInfo>(probeVideo(path));
  const VideoStill still = readVideoStill(path, request.video->time_s);
  auto input = std::make_shared<InputData>();
  input->image_path = request.image_path;
  still.image.convertTo(input->image, CV_32F, 1.0 / 255.0);
  input->image_qimage = toQImage(input->image);
  VideoFrameInput video;
  video.time_s = still.time_s;
  video.frame_estimate = still.frame_estimate;
  video.source = std::move(source);
  video.map = request.video->map;
  video.work_dir = request.video->work_dir;
  input->video = std::move(video);
  return input;
}

}  // namespace

InputDataPtr readInput(const LoadRequest& request) {
  if (request.video) return readVideoFrame(request);
  auto input = std::make_shared<InputData>();
  input->image_path = request.image_path;
  input->map_path = request.map_path;
  const fs::path image_path = toPath(request.image_path);
  StereoViews views = readPhotoFile(image_path);
  input->image = std::move(views.left);
  if (!views.right.empty()) {
    input->real_right = std::move(views.right);
    input->real_right_qimage = toQImage(input->real_right);
  }
  input->image_qimage = toQImage(input->image);
  if (!request.map_path.isEmpty()) {
    const fs::path map_path = toPath(request.map_path);
    DisparityReadOptions options = mapReadOptions(map_path);  // meta.json beside the map
    if (request.png_divisor) options.png_divisor = request.png_divisor;
    input->map = readDisparity(map_path, options);
  }
  return input;
}

// ---- InputLoader ----------------------------------------------------------------------------

InputLoader::InputLoader(QObject* parent) : QObject(parent) {
  connect(&watcher_, &QFutureWatcherBase::finished, this, &InputLoader::onFinished);
}

InputLoader::~InputLoader() {
  pending_.reset();
  watcher_.waitForFinished();  // the read holds no pointer to this object, but finish cleanly
}

void InputLoader::load(const LoadRequest& request) {
  ++next_id_;
  if (watcher_.isRunning()) {
    pending_ = request;  // replaces an older waiting request
    return;
  }
  start(request);
}

void InputLoader::start(const LoadRequest& request) {
  running_id_ = next_id_;
  watcher_.setFuture(QtConcurrent::run([request]() -> Outcome {
    Outcome outcome;
    try {
      outcome.input = readInput(request);
    } catch (const std::bad_alloc&) {
      outcome.error = tr("Not enough memory to read '%1'.").arg(request.image_path);
    } catch (const std::exception& error) {
      outcome.error = QString::fromStdString(error.what());
    }
    return outcome;
  }));
}

void InputLoader::onFinished() {
  const Outcome outcome = watcher_.result();
  const bool is_newest = running_id_ == next_id_;
  if (pending_) {
    const LoadRequest request = *pending_;
    pending_.reset();
    start(request);
  }
  if (!is_newest) return;  // a newer request was made while this one was read
  if (outcome.input) {
    emit loaded(outcome.input);
  } else {
    emit loadFailed(outcome.error);
  }
}

// ---- StereoDocument -------------------------------------------------------------------------

StereoDocument::StereoDocument(QObject* parent) : QObject(parent) {
  connect(&loader_, &InputLoader::loaded, this, &StereoDocument::loaded);
  connect(&loader_, &InputLoader::loadFailed, this, &StereoDocument::loadFailed);
}

void StereoDocument::load(const LoadRequest& request) { loader_.load(request); }

void StereoDocument::setInput(const InputDataPtr& input) {
  input_ = input;
  emit inputChanged();
}

void StereoDocument::setResult(const EngineResultPtr& result) {
  if (result_ == result) return;
  result_ = result;
  emit resultChanged();
}

}  // namespace genstereo::ui

#include "wiggle_exporter.h"

#include <exception>
#include <filesystem>

#include <QtConcurrent/QtConcurrentRun>

namespace genstereo::ui {

WiggleExporter::WiggleExporter(QObject* parent) : QObject(parent) {
  connect(&watcher_, &QFutureWatcher<QString>::finished, this, [this] {
    const QString error = watcher_.result();
    if (error.isEmpty()) {
      emit finished(path_);
    } else {
      emit failed(error);
    }
  });
}

WiggleExporter::~WiggleExporter() { watcher_.waitForFinished(); }

bool WiggleExporter::start(const EngineResultPtr& result, const WiggleExportRequest& request) {
  if (!result || watcher_.isRunning()) return false;
  path_ = request.path;
  watcher_.setFuture(QtConcurrent::run([result, request]() -> QString {
    try {
      writeWiggle(std::filesystem::path(request.path.toStdString()), result->left, result->right,
                  request.options);
    } catch (const std::exception& error) {
      return QString::fromStdString(error.what());
    }
    return QString();
  }));
  return true;
}

}  // namespace genstereo::ui

// Writes the wiggle of a result (io/animated_writer.h) off the UI thread.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include "engine_types.h"
#include "wiggle_export_dialog.h"

namespace genstereo::ui {

class WiggleExporter : public QObject {
  Q_OBJECT

 public:
  explicit WiggleExporter(QObject* parent = nullptr);
  ~WiggleExporter() override;

  // Starts writing left then right of `result` (pass a swapped result for swapped eyes);
  // false when a write is still running.
  bool start(const EngineResultPtr& result, const WiggleExportRequest& request);
  bool isRunning() const { return watcher_.isRunning(); }

 signals:
  void finished(const QString& path);
  void failed(const QString& message);

 private:
  QFutureWatcher<QString> watcher_;  // the error message, empty on success
  QString path_;
};

}  // namespace genstereo::ui

// The engine thread's object: reads inputs and runs genstereo::synthesizeStereo. Lives in the
// thread EngineController starts; every call arrives queued and every answer leaves as a signal.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include <QObject>
#include <QString>

#include "engine_types.h"

namespace genstereo::ui {

class EngineWorker : public QObject {
  Q_OBJECT

 public:
  // `latest_synthesis_id`: the newest synthesis the window asked for; older queued requests
  // are dropped without running (newest request wins).
  explicit EngineWorker(std::shared_ptr<const std::atomic<std::uint64_t>> latest_synthesis_id);

  // Reads the photo and its map (see LoadRequest). Emits loaded or loadFailed.
  void load(quint64 id, const genstereo::ui::LoadRequest& request);

  // Synthesises the right view. Emits started, progressed (step i of N), then finished,
  // cancelled (`cancel` set, checked between the engine's stages) or failed.
  void synthesize(quint64 id, const genstereo::ui::InputDataPtr& input,
                  const genstereo::ui::EngineParams& params,
                  const std::shared_ptr<std::atomic<bool>>& cancel);

 signals:
  void loaded(quint64 id, genstereo::ui::InputDataPtr input);
  void loadFailed(quint64 id, QString message);
  void started(quint64 id);
  void progressed(quint64 id, int step, int total, QString stage, double elapsed_ms);
  void finished(quint64 id, genstereo::ui::EngineResultPtr result);
  void cancelled(quint64 id);
  void failed(quint64 id, QString message);

 private:
  std::shared_ptr<const std::atomic<std::uint64_t>> latest_synthesis_id_;
};

}  // namespace genstereo::ui

#include "conversion_queue_model.h"

#include <algorithm>
#include <cmath>

#include <QFileInfo>

namespace genstereo::ui {

ConversionQueueModel::ConversionQueueModel(ConversionQueue* queue, QObject* parent)
    : QAbstractTableModel(parent), queue_(queue) {
  // The queue appends: the new row is the last one.
  connect(queue_, &ConversionQueue::itemAdded, this, [this] {
    const int row = static_cast<int>(queue_->items().size()) - 1;
    beginInsertRows(QModelIndex(), row, row);
    endInsertRows();
  });
  connect(queue_, &ConversionQueue::itemAboutToBeRemoved, this, [this](std::uint64_t id) {
    const int row = queue_->rowOf(id);
    beginRemoveRows(QModelIndex(), row, row);
  });
  connect(queue_, &ConversionQueue::itemRemoved, this, [this] { endRemoveRows(); });
  connect(queue_, &ConversionQueue::itemChanged, this, [this](std::uint64_t id) {
    const int row = queue_->rowOf(id);
    if (row >= 0) emit dataChanged(index(row, 0), index(row, kColumnCount - 1));
  });
}

int ConversionQueueModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(queue_->items().size());
}

int ConversionQueueModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QString ConversionQueueModel::durationText(double seconds) {
  const auto total = static_cast<long long>(std::lround(std::max(0.0, seconds)));
  const long long hours = total / 3600;
  const long long minutes = (total / 60) % 60;
  const long long secs = total % 60;
  if (hours > 0) return tr("%1 h %2 min").arg(hours).arg(minutes, 2, 10, QLatin1Char('0'));
  if (minutes > 0) return tr("%1 min %2 s").arg(minutes).arg(secs, 2, 10, QLatin1Char('0'));
  return tr("%1 s").arg(secs);
}

QString ConversionQueueModel::stageText(QueueStage stage) {
  switch (stage) {
    case QueueStage::kDepth:
      return tr("depth");
    case QueueStage::kStereo:
      return tr("stereo");
    case QueueStage::kMux:
      return tr("joining");
    case QueueStage::kPhoto:
      return tr("photo");
    case QueueStage::kNone:
      break;
  }
  return QString();
}

QVariant ConversionQueueModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const QueueItem& item = queue_->items()[static_cast<std::size_t>(index.row())];
  const bool is_running = item.state == QueueItemState::kRunning;
  if (role == kItemIdRole) return QVariant::fromValue<qulonglong>(item.id);
  if (role == kProgressPercentRole) {
    if (index.column() != kProgress) return {};
    if (item.state == QueueItemState::kDone) return 100;
    if (!is_running || item.total <= 0) return -1;
    return static_cast<int>(std::clamp<std::int64_t>(item.frame * 100 / item.total, 0, 100));
  }
  if (role == Qt::ToolTipRole) {
    if (!item.message.isEmpty()) return item.message;
    return item.input;
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case kName:
      return QFileInfo(item.input).fileName();
    case kState:
      return queueItemStateLabel(item.state);
    case kProgress:
      if (!is_running) return item.state == QueueItemState::kFailed ? item.message : QString();
      if (item.stage == QueueStage::kNone) return tr("starting");
      if (item.stage == QueueStage::kMux || item.stage == QueueStage::kPhoto)
        return stageText(item.stage);
      return tr("%1 %2 / %3").arg(stageText(item.stage)).arg(item.frame).arg(item.total);
    case kSpeed:
      if (!is_running || item.fps <= 0.0) return QString();
      return tr("%1 fps").arg(item.fps, 0, 'f', item.fps < 10.0 ? 2 : 1);
    case kTimeLeft:
      if (!is_running || item.eta_s < 0.0) return QString();
      return durationText(item.eta_s);
    case kOutput:
      return item.output.isEmpty() ? QString() : QFileInfo(item.output).fileName();
    default:
      return {};
  }
}

QVariant ConversionQueueModel::headerData(int section, Qt::Orientation orientation,
                                          int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kName:
      return tr("File");
    case kState:
      return tr("State");
    case kProgress:
      return tr("Progress");
    case kSpeed:
      return tr("Speed");
    case kTimeLeft:
      return tr("Time left");
    case kOutput:
      return tr("Output");
    default:
      return {};
  }
}

}  // namespace genstereo::ui

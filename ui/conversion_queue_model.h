// The conversion queue (conversion_queue.h) as a table for the queue's dock: name, state,
// progress, speed, time left, output. The progress column's display text is the pass and its
// frames ("stereo 12 / 240"); kProgressPercentRole gives the bar's value (-1: no bar).
#pragma once

#include <QAbstractTableModel>

#include "conversion_queue.h"

namespace genstereo::ui {

class ConversionQueueModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { kName, kState, kProgress, kSpeed, kTimeLeft, kOutput, kColumnCount };
  static constexpr int kProgressPercentRole = Qt::UserRole + 1;
  static constexpr int kItemIdRole = Qt::UserRole + 2;

  explicit ConversionQueueModel(ConversionQueue* queue, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  // "1 h 02 min", "3 min 05 s", "12 s" (translated).
  static QString durationText(double seconds);
  // The pass of a stage ("depth", "stereo", "joining", "photo"; translated).
  static QString stageText(QueueStage stage);

 private:
  ConversionQueue* queue_;
};

}  // namespace genstereo::ui

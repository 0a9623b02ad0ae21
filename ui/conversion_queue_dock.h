// The conversion queue's dock (View > Conversion queue): the list of the queue
// (conversion_queue.h) with a progress bar per file, and Add files…, Add folder…, Pause,
// Resume, Cancel, Remove, Copy as command line and Open output folder for the selected items.
// Files are added with the settings the window has at that moment (the callback), or with a
// preset (built in or the user's) applied to them, chosen in the dock.
//
// MainWindow shows it with one call (the callback gives the window's settings at the moment
// files are added; currentParams() carries the controls, the models and temporal on/off):
//
//   addDockWidget(Qt::BottomDockWidgetArea, new ConversionQueueDock([this] {
//     return QueueItemSettings{currentParams(), video_export_settings_,
//                              AppSettings::lastExportFolder(), false};
//   }, this));
//
// (and, for View > Conversion queue, the dock's toggleViewAction() in the menu). The dock
// owns its ConversionQueue (the saved queue of the user's data folder, resumed at start)
// unless one is given.
#pragma once

#include <functional>
#include <vector>

#include <QDockWidget>

#include "conversion_queue.h"

class QComboBox;
class QPushButton;
class QTableView;

namespace genstereo::ui {

class ConversionQueueModel;

class ConversionQueueDock : public QDockWidget {
  Q_OBJECT

 public:
  using SettingsSource = std::function<QueueItemSettings()>;

  // `queue`: nullptr makes one (ConversionQueue's defaults), owned by the dock.
  explicit ConversionQueueDock(SettingsSource current_settings, QWidget* parent = nullptr,
                               ConversionQueue* queue = nullptr);

  ConversionQueue* queue() const { return queue_; }
  QTableView* view() const { return view_; }

  // What the buttons do, on the selected items (tests call them).
  void addFiles(const QStringList& paths);
  void pauseSelected();
  void resumeSelected();
  void cancelSelected();
  void removeSelected();
  void copySelectedCommandLine();  // to the clipboard, one line per item
  void openOutputFolder();

  std::vector<std::uint64_t> selectedIds() const;

  // The settings files are added with: the callback's, with the chosen preset applied.
  QueueItemSettings settingsToAdd() const;
  // "Current controls" (index 0) or a preset's name.
  QComboBox* presetChoice() const { return preset_; }

 private:
  void chooseFiles();
  void chooseFolder();
  void updateButtons();
  void fillPresets();

  SettingsSource current_settings_;
  ConversionQueue* queue_ = nullptr;
  ConversionQueueModel* model_ = nullptr;
  QTableView* view_ = nullptr;
  QComboBox* preset_ = nullptr;
  QPushButton* pause_ = nullptr;
  QPushButton* resume_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QPushButton* remove_ = nullptr;
  QPushButton* copy_ = nullptr;
  QPushButton* open_folder_ = nullptr;
};

}  // namespace genstereo::ui

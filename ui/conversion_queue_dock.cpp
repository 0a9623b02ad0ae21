#include "conversion_queue_dock.h"

#include <algorithm>

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

#include "batch/batch_inputs.h"
#include "conversion_queue_model.h"
#include "presets.h"

namespace genstereo::ui {

namespace {

// The progress column: a bar with the pass and frames as its text.
class ProgressBarDelegate : public QStyledItemDelegate {
 public:
  using QStyledItemDelegate::QStyledItemDelegate;

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override {
    const int percent = index.data(ConversionQueueModel::kProgressPercentRole).toInt();
    if (!index.data(ConversionQueueModel::kProgressPercentRole).isValid() || percent < 0) {
      QStyledItemDelegate::paint(painter, option, index);
      return;
    }
    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(1, 1, -1, -1);
    bar.minimum = 0;
    bar.maximum = 100;
    bar.progress = percent;
    bar.text = index.data(Qt::DisplayRole).toString();
    bar.textVisible = true;
    bar.state = option.state | QStyle::State_Horizontal;
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
  }
};

// Refills its list before it opens (the user may have saved presets meanwhile).
class RefreshingComboBox : public QComboBox {
 public:
  RefreshingComboBox(std::function<void()> refill, QWidget* parent)
      : QComboBox(parent), refill_(std::move(refill)) {}
  void showPopup() override {
    refill_();
    QComboBox::showPopup();
  }

 private:
  std::function<void()> refill_;
};

QString fileDialogFilter() {
  QStringList videos = {
      QStringLiteral("*.mp4"),  QStringLiteral("*.mkv"),  QStringLiteral("*.mov"),
      QStringLiteral("*.webm"), QStringLiteral("*.avi"),  QStringLiteral("*.m4v"),
      QStringLiteral("*.mpg"),  QStringLiteral("*.mpeg"), QStringLiteral("*.ts"),
      QStringLiteral("*.m2ts"), QStringLiteral("*.mts"),  QStringLiteral("*.wmv")};
  QStringList photos;
  for (const std::string& extension : batchImageExtensions())
    photos << QStringLiteral("*") + QString::fromStdString(extension);
  return ConversionQueueDock::tr("Videos and photos (%1);;Videos (%2);;Photos (%3);;All files (*)")
      .arg((videos + photos).join(QLatin1Char(' ')), videos.join(QLatin1Char(' ')),
           photos.join(QLatin1Char(' ')));
}

}  // namespace

ConversionQueueDock::ConversionQueueDock(SettingsSource current_settings, QWidget* parent,
                                         ConversionQueue* queue)
    : QDockWidget(tr("Conversion queue"), parent),
      current_settings_(std::move(current_settings)),
      queue_(queue ? queue : new ConversionQueue(this)) {
  setObjectName(QStringLiteral("conversionQueueDock"));
  model_ = new ConversionQueueModel(queue_, this);
  auto* content = new QWidget(this);
  auto* layout = new QVBoxLayout(content);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* buttons = new QHBoxLayout;
  auto makeButton = [&](const QString& text, const QString& tip) {
    auto* button = new QPushButton(text, content);
    button->setToolTip(tip);
    buttons->addWidget(button);
    return button;
  };
  QPushButton* add_files =
      makeButton(tr("Add files…"), tr("Add videos and photos with the window's current settings"));
  QPushButton* add_folder = makeButton(
      tr("Add folder…"), tr("Add the videos and photos of a folder with the current settings"));
  pause_ = makeButton(tr("Pause"), tr("Stop the selected items; Resume goes on where they "
                                      "stopped (also after the application was closed)"));
  resume_ = makeButton(tr("Resume"), tr("Run the selected paused, failed or cancelled items"));
  cancel_ = makeButton(tr("Cancel"), tr("Stop the selected items and delete their work folders"));
  remove_ = makeButton(tr("Remove"), tr("Take the selected items off the list"));
  copy_ = makeButton(tr("Copy as command line"),
                     tr("Copy the genstereo-cli command that converts the selected items"));
  open_folder_ =
      makeButton(tr("Open output folder"), tr("Show the output folder of the selected item"));
  buttons->addStretch(1);
  auto* preset_label = new QLabel(tr("Settings:"), content);
  preset_ = new RefreshingComboBox([this] { fillPresets(); }, content);
  preset_->setToolTip(
      tr("What files are added with: the window's current controls, or a "
         "preset applied to them"));
  preset_label->setBuddy(preset_);
  buttons->addWidget(preset_label);
  buttons->addWidget(preset_);
  layout->addLayout(buttons);
  fillPresets();
  view_ = new QTableView(content);
  view_->setModel(model_);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  view_->setItemDelegateForColumn(ConversionQueueModel::kProgress, new ProgressBarDelegate(view_));
  view_->verticalHeader()->hide();
  view_->horizontalHeader()->setStretchLastSection(true);
  view_->horizontalHeader()->setSectionResizeMode(ConversionQueueModel::kProgress,
                                                  QHeaderView::Stretch);
  layout->addWidget(view_);
  setWidget(content);

  connect(add_files, &QPushButton::clicked, this, &ConversionQueueDock::chooseFiles);
  connect(add_folder, &QPushButton::clicked, this, &ConversionQueueDock::chooseFolder);
  connect(pause_, &QPushButton::clicked, this, &ConversionQueueDock::pauseSelected);
  connect(resume_, &QPushButton::clicked, this, &ConversionQueueDock::resumeSelected);
  connect(cancel_, &QPushButton::clicked, this, &ConversionQueueDock::cancelSelected);
  connect(remove_, &QPushButton::clicked, this, &ConversionQueueDock::removeSelected);
  connect(copy_, &QPushButton::clicked, this, &ConversionQueueDock::copySelectedCommandLine);
  connect(open_folder_, &QPushButton::clicked, this, &ConversionQueueDock::openOutputFolder);
  connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &ConversionQueueDock::updateButtons);
  connect(queue_, &ConversionQueue::itemChanged, this, &ConversionQueueDock::updateButtons);
  connect(queue_, &ConversionQueue::itemRemoved, this, &ConversionQueueDock::updateButtons);
  updateButtons();
}

std::vector<std::uint64_t> ConversionQueueDock::selectedIds() const {
  std::vector<std::uint64_t> ids;
  for (const QModelIndex& index : view_->selectionModel()->selectedRows()) {
    ids.push_back(index.data(ConversionQueueModel::kItemIdRole).toULongLong());
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

void ConversionQueueDock::addFiles(const QStringList& paths) {
  QStringList rejected;
  queue_->addPaths(paths, settingsToAdd(), &rejected);
  if (!rejected.isEmpty()) {
    QMessageBox::warning(this, tr("Conversion queue"),
                         tr("Not added:\n%1").arg(rejected.join(QLatin1Char('\n'))));
  }
}

void ConversionQueueDock::fillPresets() {
  const QString chosen = preset_->currentData().toString();
  preset_->clear();
  preset_->addItem(tr("Current controls"));
  for (const Preset& preset : builtInPresets()) preset_->addItem(preset.name, preset.name);
  for (const QString& name : PresetStore::names()) preset_->addItem(name, name);
  if (!chosen.isEmpty()) preset_->setCurrentIndex(std::max(0, preset_->findData(chosen)));
}

QueueItemSettings ConversionQueueDock::settingsToAdd() const {
  QueueItemSettings settings = current_settings_();
  if (preset_->currentIndex() <= 0) return settings;
  const QString name = preset_->currentData().toString();
  for (const Preset& preset : builtInPresets()) {
    if (preset.name == name) {
      settings.params = withPresetApplied(settings.params, preset.params);
      return settings;
    }
  }
  if (const auto params = PresetStore::load(name))
    settings.params = withPresetApplied(settings.params, *params);
  return settings;
}

void ConversionQueueDock::chooseFiles() {
  const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add to the conversion queue"),
                                                          QString(), fileDialogFilter());
  if (!files.isEmpty()) addFiles(files);
}

void ConversionQueueDock::chooseFolder() {
  const QString folder =
      QFileDialog::getExistingDirectory(this, tr("Add a folder to the conversion queue"));
  if (!folder.isEmpty()) addFiles({folder});
}

void ConversionQueueDock::pauseSelected() {
  for (std::uint64_t id : selectedIds()) queue_->pause(id);
}

void ConversionQueueDock::resumeSelected() {
  for (std::uint64_t id : selectedIds()) queue_->resume(id);
}

void ConversionQueueDock::cancelSelected() {
  for (std::uint64_t id : selectedIds()) queue_->cancel(id);
}

void ConversionQueueDock::removeSelected() {
  for (std::uint64_t id : selectedIds()) queue_->remove(id);
}

void ConversionQueueDock::copySelectedCommandLine() {
  QStringList lines;
  for (std::uint64_t id : selectedIds()) lines << queue_->commandLineOf(id);
  if (!lines.isEmpty()) QGuiApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
}

void ConversionQueueDock::openOutputFolder() {
  const std::vector<std::uint64_t> ids = selectedIds();
  if (ids.empty()) return;
  QDesktopServices::openUrl(QUrl::fromLocalFile(queue_->outputFolderOf(ids.front())));
}

void ConversionQueueDock::updateButtons() {
  bool can_pause = false;
  bool can_resume = false;
  bool can_cancel = false;
  const std::vector<std::uint64_t> ids = selectedIds();
  for (std::uint64_t id : ids) {
    const QueueItem* item = queue_->item(id);
    if (!item) continue;
    const QueueItemState s = item->state;
    can_pause |= s == QueueItemState::kRunning || s == QueueItemState::kWaiting;
    can_resume |= s == QueueItemState::kPaused || s == QueueItemState::kFailed ||
                  s == QueueItemState::kCancelled;
    can_cancel |= s == QueueItemState::kRunning || s == QueueItemState::kWaiting ||
                  s == QueueItemState::kPaused;
  }
  pause_->setEnabled(can_pause);
  resume_->setEnabled(can_resume);
  cancel_->setEnabled(can_cancel);
  remove_->setEnabled(!ids.empty());
  copy_->setEnabled(!ids.empty());
  open_folder_->setEnabled(!ids.empty());
}

}  // namespace genstereo::ui

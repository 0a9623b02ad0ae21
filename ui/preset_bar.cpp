#include "preset_bar.h"

#include <utility>

#include <QHBoxLayout>
#include <QInputDialog>
#include <QMessageBox>
#include <QSignalBlocker>

namespace genstereo::ui {

namespace {

constexpr int kBuiltInRole = Qt::UserRole + 1;

}  // namespace

PresetBar::PresetBar(std::function<EngineParams()> current_params, QWidget* parent)
    : QWidget(parent), current_params_(std::move(current_params)) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  preset_box_ = new QComboBox(this);
  preset_box_->setObjectName(QStringLiteral("presetBox"));
  preset_box_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  preset_box_->setMinimumContentsLength(12);
  preset_box_->setToolTip(tr("Apply a named set of controls."));
  layout->addWidget(preset_box_, 1);
  save_button_ = new QPushButton(tr("Sa&ve…"), this);
  save_button_->setToolTip(tr("Save the current controls as a preset."));
  layout->addWidget(save_button_);
  delete_button_ = new QPushButton(tr("De&lete"), this);
  delete_button_->setToolTip(tr("Delete the chosen preset (built-in presets stay)."));
  layout->addWidget(delete_button_);
  connect(preset_box_, &QComboBox::activated, this, [this](int index) {
    if (index > 0) applyPreset(preset_box_->itemText(index));
    updateButtons();
  });
  connect(preset_box_, &QComboBox::currentIndexChanged, this, &PresetBar::updateButtons);
  connect(save_button_, &QPushButton::clicked, this, &PresetBar::askAndSave);
  connect(delete_button_, &QPushButton::clicked, this, [this] {
    const QString name = preset_box_->currentText();
    if (QMessageBox::question(this, tr("Delete Preset"), tr("Delete the preset “%1”?").arg(name)) ==
        QMessageBox::Yes) {
      deletePreset(name);
    }
  });
  reload();
}

QStringList PresetBar::presetNames() const {
  QStringList names;
  for (int i = 1; i < preset_box_->count(); ++i) {
    if (!preset_box_->itemText(i).isEmpty()) names << preset_box_->itemText(i);
  }
  return names;
}

void PresetBar::reload(const QString& select) {
  const QSignalBlocker block(preset_box_);
  preset_box_->clear();
  preset_box_->addItem(tr("Choose a preset…"));
  for (const Preset& preset : builtInPresets()) {
    preset_box_->addItem(preset.name);
    preset_box_->setItemData(preset_box_->count() - 1, true, kBuiltInRole);
  }
  const QStringList user = PresetStore::names();
  if (!user.isEmpty()) preset_box_->insertSeparator(preset_box_->count());
  for (const QString& name : user) preset_box_->addItem(name);
  const int index = select.isEmpty() ? 0 : preset_box_->findText(select);
  preset_box_->setCurrentIndex(index < 0 ? 0 : index);
  updateButtons();
}

bool PresetBar::applyPreset(const QString& name) {
  for (const Preset& preset : builtInPresets()) {
    if (preset.name == name) {
      emit presetChosen(preset.params);
      return true;
    }
  }
  const std::optional<EngineParams> params = PresetStore::load(name);
  if (!params) return false;
  emit presetChosen(*params);
  return true;
}

bool PresetBar::savePreset(const QString& name) {
  const QString trimmed = name.trimmed();
  if (trimmed.isEmpty()) return false;
  for (const Preset& preset : builtInPresets()) {
    if (preset.name.compare(trimmed, Qt::CaseInsensitive) == 0) return false;
  }
  PresetStore::save(trimmed, current_params_());
  reload(trimmed);
  return true;
}

bool PresetBar::deletePreset(const QString& name) {
  const bool is_removed = PresetStore::remove(name);
  reload();
  return is_removed;
}

void PresetBar::askAndSave() {
  bool is_ok = false;
  const QString name = QInputDialog::getText(this, tr("Save Preset"), tr("Preset name:"),
                                             QLineEdit::Normal, QString(), &is_ok);
  if (!is_ok || name.trimmed().isEmpty()) return;
  if (PresetStore::load(name.trimmed()) &&
      QMessageBox::question(this, tr("Save Preset"),
                            tr("A preset “%1” exists. Replace it?").arg(name.trimmed())) !=
          QMessageBox::Yes) {
    return;
  }
  if (!savePreset(name)) {
    QMessageBox::warning(
        this, tr("Save Preset"),
        tr("“%1” is the name of a built-in preset; choose another name.").arg(name.trimmed()));
  }
}

void PresetBar::clearChoice() {
  const QSignalBlocker block(preset_box_);
  preset_box_->setCurrentIndex(0);
  updateButtons();
}

void PresetBar::updateButtons() {
  const int index = preset_box_->currentIndex();
  const bool is_user = index > 0 && !preset_box_->itemData(index, kBuiltInRole).toBool() &&
                       !preset_box_->itemText(index).isEmpty();
  delete_button_->setEnabled(is_user);
}

}  // namespace genstereo::ui

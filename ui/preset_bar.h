// The presets row of the controls: a list (built-in presets, then the user's), Save… and
// Delete. Choosing an entry applies it; the bar reads the current controls through a function.
#pragma once

#include <functional>

#include <QComboBox>
#include <QPushButton>
#include <QWidget>

#include "presets.h"

namespace genstereo::ui {

class PresetBar : public QWidget {
  Q_OBJECT

 public:
  explicit PresetBar(std::function<EngineParams()> current_params, QWidget* parent = nullptr);

  // Applies the preset of that name (built-in or user); false when there is none.
  bool applyPreset(const QString& name);
  // Saves the current controls under `name` (a built-in name is refused: false).
  bool savePreset(const QString& name);
  // Deletes the user preset of that name; false when there is none.
  bool deletePreset(const QString& name);
  QComboBox* presetBox() const { return preset_box_; }
  // Shows "Choose a preset…" again (a control was changed by hand).
  void clearChoice();
  // Every name in the list, built-in first.
  QStringList presetNames() const;

 signals:
  // The controls of `preset` should be applied (ControlsPanel: withPresetApplied).
  void presetChosen(const EngineParams& preset);

 private:
  void reload(const QString& select = QString());
  void askAndSave();
  void updateButtons();

  std::function<EngineParams()> current_params_;
  QComboBox* preset_box_ = nullptr;
  QPushButton* save_button_ = nullptr;
  QPushButton* delete_button_ = nullptr;
};

}  // namespace genstereo::ui

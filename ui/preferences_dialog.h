// Preferences: models folder (with the state of the diffusion and depth weights), device,
// GenStereo variant, depth model size, default export format, language. Saved in AppSettings when
// accepted.
#pragma once

#include <QComboBox>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>

namespace genstereo::ui {

class PreferencesDialog : public QDialog {
  Q_OBJECT

 public:
  explicit PreferencesDialog(QWidget* parent = nullptr);

  // Writes the choices to AppSettings. Returns true when the language changed (it applies
  // from the next start).
  bool save() const;

 private:
  void updateWeightsStatus();

  QLineEdit* models_edit_ = nullptr;
  QLabel* weights_label_ = nullptr;
  QComboBox* device_box_ = nullptr;
  QComboBox* dtype_box_ = nullptr;
  QComboBox* variant_box_ = nullptr;
  QComboBox* depth_box_ = nullptr;
  QComboBox* format_box_ = nullptr;
  QComboBox* language_box_ = nullptr;
};

}  // namespace genstereo::ui

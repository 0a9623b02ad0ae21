#include "preferences_dialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>

#include "app_settings.h"
#include "model_weights.h"
#include "stereo_exporter.h"
#include "translation.h"

namespace genstereo::ui {

PreferencesDialog::PreferencesDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Preferences"));
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout;

  auto* models_row = new QHBoxLayout;
  models_edit_ = new QLineEdit(AppSettings::modelsFolder(), this);
  auto* browse = new QToolButton(this);
  browse->setText(tr("…"));
  browse->setToolTip(tr("Choose the models folder"));
  models_row->addWidget(models_edit_, 1);
  models_row->addWidget(browse);
  form->addRow(tr("&Models folder:"), models_row);
  weights_label_ = new QLabel(this);
  weights_label_->setObjectName(QStringLiteral("weightsStatus"));
  weights_label_->setWordWrap(true);
  weights_label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  weights_label_->setMinimumWidth(420);
  form->addRow(QString(), weights_label_);
  connect(models_edit_, &QLineEdit::textChanged, this, &PreferencesDialog::updateWeightsStatus);
  connect(browse, &QToolButton::clicked, this, [this] {
    const QString chosen =
        QFileDialog::getExistingDirectory(this, tr("Models Folder"), models_edit_->text());
    if (!chosen.isEmpty()) models_edit_->setText(chosen);
  });

  device_box_ = new QComboBox(this);
  device_box_->addItem(tr("CPU"), QStringLiteral("cpu"));
  device_box_->addItem(tr("CUDA (not available: this build computes on the CPU)"),
                       QStringLiteral("cuda"));
  if (auto* model = qobject_cast<QStandardItemModel*>(device_box_->model()))
    model->item(1)->setEnabled(false);
  device_box_->setCurrentIndex(0);
  form->addRow(tr("&Device:"), device_box_);

  format_box_ = new QComboBox(this);
  for (const QString& name : exportFormatNames())
    format_box_->addItem(exportFormatLabel(name), name);
  format_box_->setCurrentIndex(
      std::max(0, format_box_->findData(AppSettings::defaultExportFormat())));
  form->addRow(tr("Default e&xport format:"), format_box_);

  language_box_ = new QComboBox(this);
  language_box_->setObjectName(QStringLiteral("languageBox"));
  language_box_->addItem(tr("System language"), QString());
  language_box_->addItem(QStringLiteral("English"), QStringLiteral("en"));
  if (availableTranslations().contains(QStringLiteral("de"))) {
    language_box_->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
  }
  language_box_->setCurrentIndex(std::max(0, language_box_->findData(AppSettings::language())));
  form->addRow(tr("&Language:"), language_box_);
  layout->addLayout(form);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
  updateWeightsStatus();
}

void PreferencesDialog::updateWeightsStatus() {
  const WeightsStatus status = checkDiffusionWeights(models_edit_->text());
  weights_label_->setText(status.message);
}

bool PreferencesDialog::save() const {
  AppSettings::setModelsFolder(models_edit_->text().trimmed());
  AppSettings::setDevice(device_box_->currentData().toString());
  AppSettings::setDefaultExportFormat(format_box_->currentData().toString());
  const QString language = language_box_->currentData().toString();
  const bool is_language_changed = language != AppSettings::language();
  AppSettings::setLanguage(language);
  return is_language_changed;
}

}  // namespace genstereo::ui

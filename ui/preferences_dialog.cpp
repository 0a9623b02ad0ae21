#include "preferences_dialog.h"

#include <algorithm>

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>

#include "app_settings.h"
#include "genstereo/engine.h"
#include "model_weights.h"
#include "stereo_exporter.h"
#include "translation.h"

namespace genstereo::ui {

namespace {

// The settings' value of an enum: the core's name (the command line's), never a label.
template <typename Enum>
QString settingOf(Enum value) {
  return QString::fromLatin1(toString(value));
}

}  // namespace

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
  // A label of its own with the field as buddy: addRow(text, layout) has none, and its "&"
  // was shown as a character.
  auto* models_label = new QLabel(tr("&Models folder:"), this);
  models_label->setBuddy(models_edit_);
  form->addRow(models_label, models_row);
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
  device_box_->setObjectName(QStringLiteral("deviceBox"));
  device_box_->addItem(tr("CPU"), QStringLiteral("cpu"));
  if (isCudaAvailable()) {
    device_box_->addItem(tr("CUDA (GPU)"), QStringLiteral("cuda"));
  } else {
    device_box_->addItem(tr("CUDA (not available: no CUDA device for this build)"),
                         QStringLiteral("cuda"));
    if (auto* model = qobject_cast<QStandardItemModel*>(device_box_->model()))
      model->item(1)->setEnabled(false);
  }
  const int device_index = device_box_->findData(AppSettings::device());
  device_box_->setCurrentIndex(device_index == 1 && isCudaAvailable() ? 1 : 0);
  form->addRow(tr("&Device:"), device_box_);

  dtype_box_ = new QComboBox(this);
  dtype_box_->setObjectName(QStringLiteral("dtypeBox"));
  dtype_box_->addItem(tr("Automatic (bfloat16 where the CPU or GPU has it)"),
                      settingOf(ComputeDtype::kAuto));
  dtype_box_->addItem(tr("float32"), settingOf(ComputeDtype::kFloat32));
  dtype_box_->addItem(tr("bfloat16 (slow on CPUs without AVX512-BF16/AMX)"),
                      settingOf(ComputeDtype::kBFloat16));
  dtype_box_->addItem(tr("float16 (CUDA only)"), settingOf(ComputeDtype::kFloat16));
  dtype_box_->setToolTip(
      tr("What the networks compute in. bfloat16 is about twice as fast on "
         "CPUs that have it, at a small cost in accuracy (docs/diffusion.md)."));
  dtype_box_->setCurrentIndex(std::max(0, dtype_box_->findData(AppSettings::computeDtype())));
  form->addRow(tr("Compute &precision:"), dtype_box_);

  variant_box_ = new QComboBox(this);
  variant_box_->setObjectName(QStringLiteral("variantBox"));
  for (const GenStereoVariant variant : {GenStereoVariant::kSd21, GenStereoVariant::kSd15}) {
    variant_box_->addItem(tr("GenStereo %1").arg(variantLabel(settingOf(variant))),
                          settingOf(variant));
  }
  variant_box_->setToolTip(
      tr("The diffusion model: v2.1 works at 768 px (genstereo-v2.1/), "
         "v1.5 at 512 px (genstereo-v1.5/)."));
  variant_box_->setCurrentIndex(
      std::max(0, variant_box_->findData(AppSettings::diffusionVariant())));
  form->addRow(tr("Diffusion &variant:"), variant_box_);

  depth_box_ = new QComboBox(this);
  depth_box_->setObjectName(QStringLiteral("depthModelBox"));
  depth_box_->addItem(tr("Automatic (largest present)"), settingOf(DepthModelSize::kAuto));
  depth_box_->addItem(tr("ViT-S (Small, Apache-2.0)"), settingOf(DepthModelSize::kSmall));
  depth_box_->addItem(tr("ViT-B (Base, non-commercial)"), settingOf(DepthModelSize::kBase));
  depth_box_->addItem(tr("ViT-L (Large, non-commercial)"), settingOf(DepthModelSize::kLarge));
  depth_box_->setToolTip(
      tr("Depth Anything V2 model for photos without a disparity or depth "
         "map (depth_anything_v2_vits.pth, _vitb.pth or _vitl.pth)."));
  depth_box_->setCurrentIndex(std::max(0, depth_box_->findData(AppSettings::depthModelSize())));
  form->addRow(tr("Dep&th model:"), depth_box_);
  connect(variant_box_, &QComboBox::currentIndexChanged, this,
          &PreferencesDialog::updateWeightsStatus);
  connect(depth_box_, &QComboBox::currentIndexChanged, this,
          &PreferencesDialog::updateWeightsStatus);

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
  // Called while the dialog is built: the variant and depth boxes may not exist yet.
  if (variant_box_ == nullptr || depth_box_ == nullptr) return;
  const WeightsStatus status =
      checkModelWeights(models_edit_->text().trimmed(), variant_box_->currentData().toString(),
                        depth_box_->currentData().toString());
  weights_label_->setText(status.message);
}

bool PreferencesDialog::save() const {
  AppSettings::setModelsFolder(models_edit_->text().trimmed());
  AppSettings::setDevice(device_box_->currentData().toString());
  AppSettings::setComputeDtype(dtype_box_->currentData().toString());
  AppSettings::setDiffusionVariant(variant_box_->currentData().toString());
  AppSettings::setDepthModelSize(depth_box_->currentData().toString());
  AppSettings::setDefaultExportFormat(format_box_->currentData().toString());
  const QString language = language_box_->currentData().toString();
  const bool is_language_changed = language != AppSettings::language();
  AppSettings::setLanguage(language);
  return is_language_changed;
}

}  // namespace genstereo::ui

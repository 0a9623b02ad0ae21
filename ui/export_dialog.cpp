#include "export_dialog.h"

#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace genstereo::ui {

ExportDialog::ExportDialog(const QString& folder, const QString& base_name,
                           const QString& checked_format, QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(tr("Export Stereo Pair"));
  auto* layout = new QVBoxLayout(this);

  auto* formats_group = new QGroupBox(tr("Formats"), this);
  auto* grid = new QGridLayout(formats_group);
  const QStringList names = exportFormatNames();
  for (int i = 0; i < names.size(); ++i) {
    auto* box = new QCheckBox(exportFormatLabel(names[i]), formats_group);
    box->setObjectName(QStringLiteral("format_") + names[i]);
    box->setChecked(names[i] == checked_format);
    connect(box, &QCheckBox::toggled, this, &ExportDialog::updateOk);
    format_boxes_.insert(names[i], box);
    grid->addWidget(box, i / 2, i % 2);
  }
  auto* all_button = new QPushButton(tr("Select &all"), formats_group);
  auto* none_button = new QPushButton(tr("Select &none"), formats_group);
  grid->addWidget(all_button, (static_cast<int>(names.size()) + 1) / 2, 0);
  grid->addWidget(none_button, (static_cast<int>(names.size()) + 1) / 2, 1);
  connect(all_button, &QPushButton::clicked, this, [this] { setFormats(format_boxes_.keys()); });
  connect(none_button, &QPushButton::clicked, this, [this] { setFormats({}); });
  layout->addWidget(formats_group);

  auto* form = new QFormLayout;
  auto* folder_row = new QHBoxLayout;
  folder_edit_ = new QLineEdit(folder, this);
  auto* browse = new QToolButton(this);
  browse->setText(tr("…"));
  browse->setToolTip(tr("Choose the folder"));
  folder_row->addWidget(folder_edit_, 1);
  folder_row->addWidget(browse);
  // A label of a layout has no buddy, and QLabel shows "&" literally without one.
  auto* folder_label = new QLabel(tr("&Folder:"), this);
  folder_label->setBuddy(folder_edit_);
  form->addRow(folder_label, folder_row);
  connect(browse, &QToolButton::clicked, this, [this] {
    const QString chosen =
        QFileDialog::getExistingDirectory(this, tr("Export Folder"), folder_edit_->text());
    if (!chosen.isEmpty()) folder_edit_->setText(chosen);
  });
  connect(folder_edit_, &QLineEdit::textChanged, this, &ExportDialog::updateOk);
  base_edit_ = new QLineEdit(base_name, this);
  base_edit_->setToolTip(tr("File names start with this name, followed by the format's tag."));
  connect(base_edit_, &QLineEdit::textChanged, this, &ExportDialog::updateOk);
  form->addRow(tr("&Base name:"), base_edit_);
  extension_box_ = new QComboBox(this);
  for (const char* extension : {"png", "jpg", "tif", "webp", "bmp"}) {
    extension_box_->addItem(QString::fromLatin1(extension).toUpper(),
                            QString::fromLatin1(extension));
  }
  extension_box_->setToolTip(
      tr("Image type of single-image formats and of the pair (MPO and JPS are always JPEG)."));
  form->addRow(tr("&Image type:"), extension_box_);
  quality_box_ = new QSpinBox(this);
  quality_box_->setRange(1, 100);
  quality_box_->setValue(95);
  form->addRow(tr("&JPEG quality:"), quality_box_);
  vr_suffix_box_ = new QCheckBox(
      tr("Name files with the tags VR players recognise (_LRF_Full_SBS, _3dh, …)"), this);
  vr_suffix_box_->setChecked(true);
  form->addRow(vr_suffix_box_);
  layout->addLayout(form);

  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons_->button(QDialogButtonBox::Ok)->setText(tr("&Export"));
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons_);
  updateOk();
}

ExportRequest ExportDialog::request() const {
  ExportRequest request;
  request.folder = folder_edit_->text().trimmed();
  request.base_name = base_edit_->text().trimmed();
  for (const QString& name : exportFormatNames()) {
    if (format_boxes_.value(name)->isChecked()) request.formats << name;
  }
  request.options.image_extension = extension_box_->currentData().toString().toStdString();
  request.options.jpeg_quality = quality_box_->value();
  request.options.vr_suffix = vr_suffix_box_->isChecked();
  return request;
}

void ExportDialog::setFormats(const QStringList& names) {
  for (auto it = format_boxes_.begin(); it != format_boxes_.end(); ++it) {
    it.value()->setChecked(names.contains(it.key()));
  }
}

void ExportDialog::setFolder(const QString& folder) { folder_edit_->setText(folder); }

void ExportDialog::updateOk() {
  const ExportRequest r = request();
  buttons_->button(QDialogButtonBox::Ok)
      ->setEnabled(!r.formats.isEmpty() && !r.folder.isEmpty() && !r.base_name.isEmpty());
}

}  // namespace genstereo::ui

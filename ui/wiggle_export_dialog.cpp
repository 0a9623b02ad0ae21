#include "wiggle_export_dialog.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QMessageBox>
#include <QPushButton>

namespace genstereo::ui {

WiggleExportDialog::WiggleExportDialog(const QString& path, int frame_ms, QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(tr("Export Wiggle"));
  auto* form = new QFormLayout(this);
  format_box_ = new QComboBox(this);
  format_box_->setObjectName(QStringLiteral("wiggleFormatBox"));
  format_box_->addItem(tr("Animated GIF (256 colours, plays everywhere)"),
                       static_cast<int>(AnimationFormat::kGif));
  format_box_->addItem(tr("Animated PNG (lossless, larger)"),
                       static_cast<int>(AnimationFormat::kApng));
  form->addRow(tr("F&ormat:"), format_box_);
  auto* path_row = new QWidget(this);
  auto* path_layout = new QHBoxLayout(path_row);
  path_layout->setContentsMargins(0, 0, 0, 0);
  path_edit_ = new QLineEdit(path, path_row);
  path_edit_->setObjectName(QStringLiteral("wigglePathEdit"));
  path_edit_->setMinimumWidth(path_edit_->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 48);
  path_layout->addWidget(path_edit_, 1);
  auto* browse = new QPushButton(tr("&Browse…"), path_row);
  path_layout->addWidget(browse);
  form->addRow(tr("&File:"), path_row);
  frame_ms_box_ = new QSpinBox(this);
  frame_ms_box_->setObjectName(QStringLiteral("wiggleFrameBox"));
  frame_ms_box_->setRange(kMinFrameMs, kMaxFrameMs);
  frame_ms_box_->setSingleStep(10);
  frame_ms_box_->setSuffix(tr(" ms"));
  frame_ms_box_->setValue(frame_ms);
  frame_ms_box_->setToolTip(tr("How long each view is shown (GIF: rounded to 10 ms)."));
  form->addRow(tr("Frame &time:"), frame_ms_box_);
  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons_->button(QDialogButtonBox::Ok)->setText(tr("&Export"));
  form->addRow(buttons_);
  connect(buttons_, &QDialogButtonBox::accepted, this, &WiggleExportDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(format_box_, &QComboBox::currentIndexChanged, this, &WiggleExportDialog::onFormatChanged);
  connect(path_edit_, &QLineEdit::textChanged, this, [this](const QString& text) {
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(!text.trimmed().isEmpty());
  });
  connect(browse, &QPushButton::clicked, this, [this] {
    const bool is_gif = request().options.format == AnimationFormat::kGif;
    const QString chosen = QFileDialog::getSaveFileName(
        this, tr("Export Wiggle"), path_edit_->text(),
        is_gif ? tr("Animated GIF (*.gif)") : tr("Animated PNG (*.png *.apng)"), nullptr,
        QFileDialog::DontConfirmOverwrite);  // accept() asks
    if (!chosen.isEmpty()) path_edit_->setText(QDir::toNativeSeparators(chosen));
  });
  onFormatChanged();
}

WiggleExportRequest WiggleExportDialog::request() const {
  WiggleExportRequest request;
  request.path = QDir::fromNativeSeparators(path_edit_->text().trimmed());
  request.options.format = static_cast<AnimationFormat>(format_box_->currentData().toInt());
  request.options.frame_ms = frame_ms_box_->value();
  return request;
}

void WiggleExportDialog::setFormat(AnimationFormat format) {
  format_box_->setCurrentIndex(format_box_->findData(static_cast<int>(format)));
}

void WiggleExportDialog::setFrameMs(int frame_ms) { frame_ms_box_->setValue(frame_ms); }

void WiggleExportDialog::setPath(const QString& path) { path_edit_->setText(path); }

void WiggleExportDialog::onFormatChanged() {
  // The extension follows the format: name.gif <-> name.png.
  const QString extension = QString::fromLatin1(extensionOf(request().options.format));
  const QString path = path_edit_->text().trimmed();
  if (path.isEmpty()) return;
  const QFileInfo file(path);
  const QString suffix = file.suffix().toLower();
  if (suffix == QLatin1String("gif") || suffix == QLatin1String("png") ||
      suffix == QLatin1String("apng")) {
    path_edit_->setText(path.left(path.size() - suffix.size() - 1) + extension);
  } else {
    path_edit_->setText(path + extension);
  }
}

void WiggleExportDialog::accept() {
  const QString path = request().path;
  if (path.isEmpty()) return;
  if (QFileInfo::exists(path) &&
      QMessageBox::question(this, tr("Export Wiggle"),
                            tr("%1 exists. Replace it?").arg(QDir::toNativeSeparators(path))) !=
          QMessageBox::Yes) {
    return;
  }
  QDialog::accept();
}

}  // namespace genstereo::ui

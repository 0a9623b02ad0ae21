#include "models_dialog.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

#include <filesystem>
#include <string>
#include <vector>

#include "errors.h"
#include "models/download_error.h"
#include "models/hub_download.h"

namespace genstereo::ui {
namespace {

QString q(const std::string& text) { return QString::fromStdString(text); }

QString sizeText(std::uint64_t bytes, bool is_approximate) {
  return (is_approximate ? QStringLiteral("~") : QString()) + q(formatByteSize(bytes));
}

QString licenceText(const CatalogFile& file) {
  if (file.license.empty()) return ModelsDialog::tr("see the model card");
  return file.is_non_commercial ? ModelsDialog::tr("%1 (non-commercial)").arg(q(file.license))
                                : q(file.license);
}

QString stateText(ModelFileState state) {
  switch (state) {
    case ModelFileState::kPresent:
      return ModelsDialog::tr("present");
    case ModelFileState::kMissing:
      return ModelsDialog::tr("missing");
    case ModelFileState::kInvalid:
      return ModelsDialog::tr("invalid");
  }
  return {};
}

QString locationText(const ModelFileStatus& status) {
  switch (status.location) {
    case ModelLocation::kModelsFolder:
      return ModelsDialog::tr("models folder");
    case ModelLocation::kHfCache:
      return ModelsDialog::tr("Hugging Face cache");
    case ModelLocation::kNowhere:
      return QStringLiteral("—");
  }
  return {};
}

// The catalogue as the engine checks the files of `folder` (StereoEngine::inspectModels): an
// architecture file (nn/architecture_file.h) declares models of other sizes, whose files are
// then checked as containers only, not against the released models' manifests. A variant's
// genstereo_architecture.json covers its four files and the VAE and image encoder it loads;
// depth_anything_v2_architecture.json covers the Depth Anything V2 checkpoints.
ModelCatalog catalogAsTheEngineChecks(ModelCatalog catalog, const QString& folder) {
  namespace fs = std::filesystem;
  const fs::path models = folder.toStdString();
  std::error_code error;
  const bool is_custom_depth =
      fs::is_regular_file(models / "depth_anything_v2_architecture.json", error);
  std::vector<std::string> custom_variants;
  for (const char* variant : {"genstereo-v1.5", "genstereo-v2.1"}) {
    if (fs::is_regular_file(models / variant / "genstereo_architecture.json", error)) {
      custom_variants.push_back(std::string(variant) + "_");
    }
  }
  const auto startsWith = [](const std::string& text, const std::string& prefix) {
    return text.rfind(prefix, 0) == 0;
  };
  for (CatalogFile& file : catalog.files) {
    bool is_custom = is_custom_depth && startsWith(file.id, "depth_anything_v2_");
    for (const std::string& prefix : custom_variants) is_custom |= startsWith(file.id, prefix);
    is_custom |=
        !custom_variants.empty() && (file.id == "sd-vae-ft-mse" || file.id == "image_encoder");
    if (is_custom) file.manifest.clear();
  }
  return catalog;
}

// The file as it is on disk: relative to the models folder (the .safetensors twin of a .pth
// when that is what is there), inside the repository's snapshot in the Hugging Face cache, or
// the name expected when it is missing.
QString fileNameOnDisk(const ModelFileStatus& status, const QString& folder) {
  switch (status.location) {
    case ModelLocation::kModelsFolder:
      return QDir(folder).relativeFilePath(q(status.path.string()));
    case ModelLocation::kHfCache:
      return q(status.file.path);
    case ModelLocation::kNowhere:
      break;
  }
  return q(status.file.local_name);
}

QString durationText(double seconds) {
  if (seconds < 0) return QStringLiteral("—");
  const int s = static_cast<int>(seconds + 0.5);
  if (s >= 3600) return ModelsDialog::tr("%1 h %2 min").arg(s / 3600).arg((s / 60) % 60);
  if (s >= 60) return ModelsDialog::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
  return ModelsDialog::tr("%1 s").arg(s);
}

}  // namespace

ModelsDialog::ModelsDialog(const QString& models_folder, QWidget* parent,
                           const QString& catalog_file)
    : QDialog(parent), models_folder_(models_folder) {
  setWindowTitle(tr("Models"));
  setObjectName(QStringLiteral("modelsDialog"));
  resize(900, 460);
  try {
    catalog_ = loadModelCatalog(catalog_file.toStdString());
  } catch (const std::exception& e) {
    catalog_error_ = q(e.what());
  }
  confirm_licence_ = [this](const QString& text) {
    return QMessageBox::question(this, tr("Non-commercial licence"), text,
                                 QMessageBox::Yes | QMessageBox::Cancel) == QMessageBox::Yes;
  };

  auto* layout = new QVBoxLayout(this);
  auto* folder_row = new QHBoxLayout;
  folder_label_ = new QLabel(this);
  folder_label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* open_button = new QPushButton(tr("Open &Folder"), this);
  open_button->setObjectName(QStringLiteral("openFolderButton"));
  connect(open_button, &QPushButton::clicked, this, &ModelsDialog::openFolder);
  folder_row->addWidget(folder_label_, 1);
  folder_row->addWidget(open_button);
  layout->addLayout(folder_row);

  table_ = new QTableWidget(0, 5, this);
  table_->setObjectName(QStringLiteral("modelsTable"));
  table_->setHorizontalHeaderLabels(
      {tr("File"), tr("State"), tr("Where"), tr("Size"), tr("Licence")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(true);
  layout->addWidget(table_, 1);

  auto* download_row = new QHBoxLayout;
  model_box_ = new QComboBox(this);
  model_box_->setObjectName(QStringLiteral("modelBox"));
  for (const CatalogModel& model : catalog_.models) {
    model_box_->addItem(QStringLiteral("%1 — %2").arg(q(model.id), q(model.title)), q(model.id));
  }
  download_button_ = new QPushButton(tr("&Download"), this);
  download_button_->setObjectName(QStringLiteral("downloadButton"));
  connect(download_button_, &QPushButton::clicked, this,
          [this] { download(model_box_->currentData().toString()); });
  cancel_button_ = new QPushButton(tr("&Cancel Download"), this);
  cancel_button_->setObjectName(QStringLiteral("cancelButton"));
  connect(cancel_button_, &QPushButton::clicked, this, &ModelsDialog::cancelDownload);
  download_row->addWidget(new QLabel(tr("Model:"), this));
  download_row->addWidget(model_box_, 1);
  download_row->addWidget(download_button_);
  download_row->addWidget(cancel_button_);
  layout->addLayout(download_row);

  progress_ = new QProgressBar(this);
  progress_->setObjectName(QStringLiteral("downloadProgress"));
  progress_->setRange(0, 1000);
  progress_->setValue(0);
  status_label_ = new QLabel(this);
  status_label_->setObjectName(QStringLiteral("statusLabel"));
  status_label_->setWordWrap(true);
  status_label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(progress_);
  auto* status_row = new QHBoxLayout;
  status_row->addWidget(status_label_, 1);
  details_button_ = new QPushButton(tr("&Details…"), this);
  details_button_->setObjectName(QStringLiteral("detailsButton"));
  details_button_->setToolTip(tr("The technical text of the error (for a bug report)."));
  details_button_->hide();
  connect(details_button_, &QPushButton::clicked, this, [this] {
    QMessageBox box(QMessageBox::Information, tr("Download error"), status_label_->text(),
                    QMessageBox::Close, this);
    box.setDetailedText(details_);
    box.exec();
  });
  status_row->addWidget(details_button_, 0, Qt::AlignTop);
  layout->addLayout(status_row);

  auto* close_button = new QPushButton(tr("Close"), this);
  connect(close_button, &QPushButton::clicked, this, &ModelsDialog::reject);
  auto* close_row = new QHBoxLayout;
  close_row->addStretch(1);
  close_row->addWidget(close_button);
  layout->addLayout(close_row);

  connect(&watcher_, &QFutureWatcher<QString>::finished, this, &ModelsDialog::onDownloadDone);
  setBusy(false);
  refresh();
  if (!catalog_error_.isEmpty()) status_label_->setText(catalog_error_);
}

ModelsDialog::~ModelsDialog() {
  cancel_.cancel();
  watcher_.waitForFinished();
}

bool ModelsDialog::isDownloading() const { return watcher_.isRunning(); }

QString ModelsDialog::lastMessage() const { return status_label_->text(); }

void ModelsDialog::refresh() {
  folder_label_->setText(tr("Models folder: %1").arg(QDir::toNativeSeparators(models_folder_)));
  statuses_.clear();
  if (catalog_error_.isEmpty()) {
    statuses_ = inspectCatalogFiles(models_folder_.toStdString(),
                                    catalogAsTheEngineChecks(catalog_, models_folder_));
  }
  table_->setRowCount(static_cast<int>(statuses_.size()));
  for (int row = 0; row < static_cast<int>(statuses_.size()); ++row) {
    const ModelFileStatus& status = statuses_[static_cast<std::size_t>(row)];
    const bool is_present = status.state == ModelFileState::kPresent;
    auto* file_item = new QTableWidgetItem(fileNameOnDisk(status, models_folder_));
    file_item->setToolTip(
        tr("%1\nfrom %2 (%3)").arg(q(status.file.title), q(status.file.repo), q(status.file.path)));
    auto* state_item = new QTableWidgetItem(stateText(status.state));
    state_item->setForeground(status.state == ModelFileState::kPresent ? QColor(0x1b, 0x7f, 0x3b)
                              : status.state == ModelFileState::kInvalid
                                  ? QColor(0xb0, 0x20, 0x20)
                                  : palette().color(QPalette::Text));
    if (!status.reason.empty()) state_item->setToolTip(q(status.reason));
    auto* where_item = new QTableWidgetItem(locationText(status));
    where_item->setToolTip(QDir::toNativeSeparators(q(status.path.string())));
    auto* size_item = new QTableWidgetItem(
        is_present || status.state == ModelFileState::kInvalid
            ? sizeText(status.size_bytes, false)
            : sizeText(status.file.size_bytes, status.file.is_size_approximate));
    auto* licence_item = new QTableWidgetItem(licenceText(status.file));
    if (!status.file.license_note.empty()) licence_item->setToolTip(q(status.file.license_note));
    table_->setItem(row, 0, file_item);
    table_->setItem(row, 1, state_item);
    table_->setItem(row, 2, where_item);
    table_->setItem(row, 3, size_item);
    table_->setItem(row, 4, licence_item);
  }
}

void ModelsDialog::setBusy(bool is_busy) {
  download_button_->setEnabled(!is_busy && catalog_error_.isEmpty());
  model_box_->setEnabled(!is_busy);
  cancel_button_->setEnabled(is_busy);
}

void ModelsDialog::download(const QString& model_id) {
  if (isDownloading() || !catalog_error_.isEmpty()) return;
  const int index = model_box_->findData(model_id);
  if (index >= 0) model_box_->setCurrentIndex(index);
  const std::string id = model_id.toStdString();
  std::vector<ModelFileStatus> wanted;
  try {
    wanted = inspectCatalogFiles(models_folder_.toStdString(),
                                 catalogAsTheEngineChecks(catalog_, models_folder_), {id});
  } catch (const std::exception& e) {
    status_label_->setText(q(e.what()));
    return;
  }
  QStringList non_commercial;
  std::uint64_t bytes = 0;
  for (const ModelFileStatus& status : wanted) {
    if (status.state == ModelFileState::kPresent) continue;
    bytes += status.file.size_bytes;
    if (status.file.is_non_commercial) {
      non_commercial << tr("%1 (%2, from %3)")
                            .arg(q(status.file.local_name), q(status.file.license),
                                 q(status.file.repo));
    }
  }
  if (!non_commercial.isEmpty()) {
    const QString text = tr("These files are licensed for non-commercial use "
                            "only:\n\n%1\n\nDownload them for non-commercial "
                            "use? (Depth Anything V2 Small, Apache-2.0, allows commercial use.)")
                             .arg(non_commercial.join(QLatin1Char('\n')));
    if (!confirm_licence_(text)) {
      status_label_->setText(tr("Download of %1 not started: licence not accepted.").arg(model_id));
      return;
    }
  }
  cancel_ = CancelToken();
  progress_->setValue(0);
  status_label_->setText(tr("Downloading %1 (about %2)…").arg(model_id, q(formatByteSize(bytes))));
  setBusy(true);
  const std::string folder = models_folder_.toStdString();
  const CancelToken cancel = cancel_;
  // Files the engine takes as they are (an architecture file beside them) are not replaced.
  const ModelCatalog catalog = catalogAsTheEngineChecks(catalog_, models_folder_);
  ModelsDialog* self = this;  // outlives the worker: the destructor and reject() wait for it
  watcher_.setFuture(QtConcurrent::run([self, catalog, id, folder, cancel]() -> QString {
    DownloadParams params;
    params.cancel = cancel;
    params.progress = [self](const DownloadProgress& p) {
      QMetaObject::invokeMethod(self, "showProgress", Qt::QueuedConnection,
                                Q_ARG(QString, QString::fromStdString(p.local_name)),
                                Q_ARG(int, static_cast<int>(p.file_index)),
                                Q_ARG(int, static_cast<int>(p.file_count)),
                                Q_ARG(double, static_cast<double>(p.bytes_done)),
                                Q_ARG(double, static_cast<double>(p.bytes_total)),
                                Q_ARG(double, p.rate_bytes_per_s), Q_ARG(double, p.eta_s));
    };
    try {
      downloadModels(catalog, {id}, folder, params);
      return QString();
    } catch (const CancelledError&) {
      return tr("Download cancelled.");
    } catch (const std::exception& e) {
      // The advice, then the technical text (split off for "Details").
      return adviceFor(e, QString::fromStdString(folder)) + QChar(0x1f) +
             QString::fromStdString(e.what());
    }
  }));
}

void ModelsDialog::showProgress(const QString& name, int file_index, int file_count,
                                double bytes_done, double bytes_total, double rate_bytes_per_s,
                                double eta_s) {
  if (bytes_total > 0) {
    progress_->setValue(static_cast<int>(1000.0 * bytes_done / bytes_total));
  }
  status_label_->setText(tr("File %1 of %2: %3 — %4 of %5, %6/s, %7 left")
                             .arg(file_index + 1)
                             .arg(file_count)
                             .arg(name, q(formatByteSize(static_cast<std::uint64_t>(bytes_done))),
                                  bytes_total > 0
                                      ? q(formatByteSize(static_cast<std::uint64_t>(bytes_total)))
                                      : tr("?"),
                                  q(formatByteSize(static_cast<std::uint64_t>(rate_bytes_per_s))),
                                  durationText(eta_s)));
}

void ModelsDialog::onDownloadDone() {
  const QString error = watcher_.result();
  setBusy(false);
  refresh();
  const bool is_success = error.isEmpty();
  details_.clear();
  if (is_success) {
    progress_->setValue(progress_->maximum());
    status_label_->setText(tr("Download complete; every file was verified."));
  } else {
    // A rejected or failed file: the bar does not stay at 100 %.
    progress_->setValue(0);
    const qsizetype split = error.indexOf(QChar(0x1f));
    status_label_->setText(split < 0 ? error : error.left(split));
    if (split >= 0) details_ = error.mid(split + 1);
  }
  details_button_->setVisible(!details_.isEmpty());
  emit downloadFinished(is_success, status_label_->text());
}

void ModelsDialog::cancelDownload() {
  cancel_.cancel();
  status_label_->setText(tr("Cancelling…"));
}

void ModelsDialog::openFolder() {
  QDir().mkpath(models_folder_);
  if (!QDesktopServices::openUrl(QUrl::fromLocalFile(models_folder_))) {
    // No file manager: the path, selectable, to copy into one.
    status_label_->setText(tr("No file manager could be opened. The models folder is:\n%1")
                               .arg(QDir::toNativeSeparators(models_folder_)));
  }
}

QString ModelsDialog::adviceFor(const std::exception& error, const QString& folder) {
  const QString where = QDir::toNativeSeparators(folder);
  if (const auto* download = dynamic_cast<const DownloadError*>(&error)) {
    const QString file = QString::fromStdString(download->file());
    switch (download->kind()) {
      case DownloadErrorKind::kOffline:
        return tr("Downloads are switched off (HF_HUB_OFFLINE is set). Unset it, or copy %1 "
                  "into %2.")
            .arg(file, where);
      case DownloadErrorKind::kNetwork:
        return tr("The server could not be reached. Check the internet connection or the "
                  "proxy (HTTPS_PROXY), then download again: it resumes. Or copy %1 into %2.")
            .arg(file, where);
      case DownloadErrorKind::kHttp:
        return tr("The server refused %1 (HTTP %2). Check the proxy or the access token, or "
                  "copy the file into %3.")
            .arg(file)
            .arg(download->httpStatus())
            .arg(where);
      case DownloadErrorKind::kHashMismatch:
      case DownloadErrorKind::kSizeMismatch:
      case DownloadErrorKind::kInvalidFile:
        return tr("%1 arrived damaged or is not the expected file; it was not kept. Download "
                  "again, or copy a good copy into %2.")
            .arg(file, where);
      case DownloadErrorKind::kDiskSpace:
        return tr("Not enough free disk space for %1 in %2.").arg(file, where);
      case DownloadErrorKind::kWrite:
        return tr("%1 cannot be written into %2 (permissions?). Choose another models folder "
                  "in the Preferences.")
            .arg(file, where);
      case DownloadErrorKind::kSettings:
        return tr("The download settings cannot be used (the access token?).");
    }
  }
  return tr("The download failed. Check the connection or the proxy, or copy the files into %1.")
      .arg(where);
}

void ModelsDialog::reject() {
  if (isDownloading()) {
    // Closing would stop the download: ask first; "No" keeps the dialog with the download.
    const bool is_stop =
        confirm_close_
            ? confirm_close_()
            : QMessageBox::question(this, tr("Stop the Download?"),
                                    tr("A download is running. Stop it and close the dialog? "
                                       "\"No\" keeps it running here."),
                                    QMessageBox::Yes | QMessageBox::No,
                                    QMessageBox::No) == QMessageBox::Yes;
    if (!is_stop) return;
    cancelDownload();
    watcher_.waitForFinished();
  }
  QDialog::reject();
}

}  // namespace genstereo::ui

// The Models dialog: every file of the model catalogue with its state (present / missing /
// invalid, the structural check of core/models), where it was found (models folder or Hugging
// Face cache), its size and licence; Download and Cancel with progress; Open Folder.
// Downloads run on a worker thread (genstereo::downloadModels) and reach the widgets through
// queued signals, so the window never freezes. A non-commercial licence is shown and confirmed
// before its download.
#pragma once

#include <QDialog>
#include <QFutureWatcher>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

#include "genstereo/progress.h"
#include "models/model_catalog.h"
#include "models/model_inventory.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace genstereo::ui {

class ModelsDialog : public QDialog {
  Q_OBJECT

 public:
  // `catalog_file` empty: GENSTEREO_MODEL_CATALOG, else the built-in catalogue.
  explicit ModelsDialog(const QString& models_folder, QWidget* parent = nullptr,
                        const QString& catalog_file = QString());
  ~ModelsDialog() override;

  // Asked before downloading files under a non-commercial licence; returns true to go on.
  // Default: a question box. Tests replace it.
  using LicenceConfirmation = std::function<bool(const QString& text)>;
  void setLicenceConfirmation(LicenceConfirmation confirm) {
    confirm_licence_ = std::move(confirm);
  }

  const std::vector<ModelFileStatus>& statuses() const { return statuses_; }
  bool isDownloading() const;
  QString lastMessage() const;
  // Asked when the dialog is closed during a download; true stops the download, false keeps
  // the dialog open with the download running. Default: a question box. Tests replace it.
  using CloseConfirmation = std::function<bool()>;
  void setCloseConfirmation(CloseConfirmation confirm) { confirm_close_ = std::move(confirm); }
  // The technical text of the last failed download (shown under "Details"); empty otherwise.
  QString lastDetails() const { return details_; }
  // A failed download in a few translated words with advice: what went wrong and what to do
  // (check the connection or the proxy, or copy the file into `folder`).
  static QString adviceFor(const std::exception& error, const QString& folder);

 public slots:
  void refresh();
  // Downloads the files of `model_id` that are not present (after the licence question).
  void download(const QString& model_id);
  void cancelDownload();
  void openFolder();

 signals:
  // After every download, successful or not; `message` is the error or a summary.
  void downloadFinished(bool is_success, const QString& message);

 private slots:
  void showProgress(const QString& name, int file_index, int file_count, double bytes_done,
                    double bytes_total, double rate_bytes_per_s, double eta_s);
  void onDownloadDone();

 protected:
  void reject() override;

 private:
  void setBusy(bool is_busy);

  QString models_folder_;
  ModelCatalog catalog_;
  QString catalog_error_;
  std::vector<ModelFileStatus> statuses_;
  LicenceConfirmation confirm_licence_;
  CloseConfirmation confirm_close_;
  QString details_;
  QPushButton* details_button_ = nullptr;
  CancelToken cancel_;               // of the running (or last) download
  QFutureWatcher<QString> watcher_;  // the worker's result: empty on success, else the error

  QLabel* folder_label_ = nullptr;
  QTableWidget* table_ = nullptr;
  QComboBox* model_box_ = nullptr;
  QPushButton* download_button_ = nullptr;
  QPushButton* cancel_button_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_label_ = nullptr;
};

}  // namespace genstereo::ui

#include "export_overwrite.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QMainWindow>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>

namespace genstereo::ui {

namespace {

constexpr int kMaxFilesListed = 8;

}  // namespace

QStringList existingExportFiles(const ExportRequest& request) {
  QStringList existing;
  for (const QString& path : exportPaths(request)) {
    if (QFileInfo::exists(path)) existing << path;
  }
  return existing;
}

bool confirmOverwrite(QWidget* parent, const ExportRequest& request) {
  const QStringList existing = existingExportFiles(request);
  if (existing.isEmpty()) return true;
  QStringList names;
  for (const QString& path : existing.mid(0, kMaxFilesListed)) {
    names << QFileInfo(path).fileName();
  }
  if (existing.size() > kMaxFilesListed) names << QStringLiteral("…");
  // A plain variable as the count: lupdate 6.4 skips a call whose count is a cast.
  const int existing_count = static_cast<int>(existing.size());
  const QString question =
      QCoreApplication::translate("ExportOverwrite",
                                  "%n file(s) of this export exist already in %1:", nullptr,
                                  existing_count)
          .arg(QDir::toNativeSeparators(request.folder)) +
      QStringLiteral("\n\n") + names.join(QLatin1Char('\n')) + QStringLiteral("\n\n") +
      QCoreApplication::translate("ExportOverwrite", "Replace them?");
  QMessageBox box(QMessageBox::Question,
                  QCoreApplication::translate("ExportOverwrite", "Replace Files?"), question,
                  QMessageBox::Yes | QMessageBox::No, parent);
  box.setObjectName(QStringLiteral("overwriteQuestion"));
  box.setDefaultButton(QMessageBox::No);
  box.button(QMessageBox::Yes)->setText(QCoreApplication::translate("ExportOverwrite", "&Replace"));
  if (box.exec() == QMessageBox::Yes) return true;
  // "No": say so, where the user looks for the export's outcome.
  if (auto* window = parent != nullptr ? qobject_cast<QMainWindow*>(parent->window()) : nullptr) {
    window->statusBar()->showMessage(
        QCoreApplication::translate("ExportOverwrite",
                                    "Export cancelled: nothing was written, the existing files "
                                    "in %1 are unchanged.")
            .arg(QDir::toNativeSeparators(request.folder)),
        10000);
  }
  return false;
}

}  // namespace genstereo::ui

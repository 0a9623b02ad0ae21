#include "translation.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace genstereo::ui {

namespace {

// Where genstereo_XX.qm files are looked for, first match wins: the installed ones
// (PREFIX/share/genstereo/translations beside PREFIX/bin, see cmake/GenStereoPackaging.cmake),
// so that a language can be added or updated without a rebuild, then those built in.
QStringList translationDirs() {
  return {QDir(QCoreApplication::applicationDirPath())
              .filePath(QStringLiteral("../share/genstereo/translations")),
          QStringLiteral(":/i18n")};
}

}  // namespace

QStringList availableTranslations() {
  QStringList languages;
  for (const QString& dir : translationDirs()) {
    for (const QString& file : QDir(dir).entryList({QStringLiteral("genstereo_*.qm")})) {
      const QString code = file.mid(10, file.size() - 13);  // genstereo_XX.qm -> XX
      if (!languages.contains(code)) languages << code;
    }
  }
  languages.sort();
  return languages;
}

QString installTranslation(QCoreApplication& app, const QString& language) {
  const QString code = language.isEmpty() ? QLocale::system().name().left(2) : language;
  if (!availableTranslations().contains(code)) return QStringLiteral("en");
  auto* translator = new QTranslator(&app);
  bool is_loaded = false;
  for (const QString& dir : translationDirs()) {
    is_loaded = translator->load(QStringLiteral("genstereo_%1.qm").arg(code), dir);
    if (is_loaded) break;
  }
  if (!is_loaded) {
    delete translator;
    return QStringLiteral("en");
  }
  app.installTranslator(translator);
  auto* qt_translator = new QTranslator(&app);
  if (qt_translator->load(QStringLiteral("qtbase_%1").arg(code),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
    app.installTranslator(qt_translator);
  } else {
    delete qt_translator;
  }
  const QLocale system = QLocale::system();
  QLocale::setDefault(system.name().left(2) == code ? system : QLocale(code));
  return code;
}

bool hasQtTranslation(const QString& language) {
  QTranslator translator;
  return translator.load(QStringLiteral("qtbase_%1").arg(language),
                         QLibraryInfo::path(QLibraryInfo::TranslationsPath));
}

}  // namespace genstereo::ui

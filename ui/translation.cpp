#include "translation.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace genstereo::ui {

QStringList availableTranslations() {
  QStringList languages;
  for (const QString& file :
       QDir(QStringLiteral(":/i18n")).entryList({QStringLiteral("genstereo_*.qm")})) {
    languages << file.mid(10, file.size() - 13);  // genstereo_XX.qm -> XX
  }
  return languages;
}

QString installTranslation(QCoreApplication& app, const QString& language) {
  const QString code = language.isEmpty() ? QLocale::system().name().left(2) : language;
  if (!availableTranslations().contains(code)) return QStringLiteral("en");
  auto* translator = new QTranslator(&app);
  if (!translator->load(QStringLiteral(":/i18n/genstereo_%1.qm").arg(code))) {
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
  return code;
}

}  // namespace genstereo::ui

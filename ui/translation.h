// The user-interface language: English source strings, German from translations/*.ts
// (compiled to .qm by lrelease, embedded under :/i18n and installed to
// share/genstereo/translations, which is looked at first).
#pragma once

#include <QString>
#include <QStringList>

class QCoreApplication;

namespace genstereo::ui {

// Language codes with a translation, besides the English source ("en").
QStringList availableTranslations();

// Installs the translation for `language` ("" = the system's language, "en", "de") and Qt's
// own (qtbase_XX.qm from QLibraryInfo::TranslationsPath, Debian: qt6-translations-l10n: the
// buttons and file dialogs of Qt), and makes the language's locale the default for numbers
// (one decimal separator everywhere: the system's locale when its language is the one chosen).
// Returns the language in use ("en" when none matched).
QString installTranslation(QCoreApplication& app, const QString& language);

// True when Qt's own translation for `language` is installed (qtbase_XX.qm).
bool hasQtTranslation(const QString& language);

}  // namespace genstereo::ui

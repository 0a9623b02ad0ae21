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
// own translation where installed. Returns the language in use ("en" when none matched).
QString installTranslation(QCoreApplication& app, const QString& language);

}  // namespace genstereo::ui

// The German translation is complete, keeps the sources' placeholders, markup and accelerators,
// and switches the interface.
#include <QtTest>

#include <QFile>
#include <QMenuBar>
#include <QRegularExpression>
#include <QXmlStreamReader>

#include "main_window.h"
#include "translation.h"
#include "ui_test_support.h"

using namespace genstereo::ui;

namespace {

// One <message> of a Qt Linguist .ts file.
struct TsMessage {
  QString context;
  QString source;
  QStringList translations;  // one text, or the <numerusform>s of a plural entry
  bool is_numerus = false;
  bool is_unfinished = false;  // type="unfinished" (or "vanished"/"obsolete")
};

QString germanTsPath() {
  return QStringLiteral(GENSTEREO_SOURCE_DIR "/translations/genstereo_de.ts");
}

QList<TsMessage> readTsFile(const QString& path) {
  QList<TsMessage> messages;
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    qWarning("%s: cannot open the translation file", qPrintable(path));
    return messages;
  }
  QXmlStreamReader xml(&file);
  QString context;
  TsMessage message;
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isEndElement() && xml.name() == QLatin1String("message")) messages << message;
    if (!xml.isStartElement()) continue;
    if (xml.name() == QLatin1String("name")) context = xml.readElementText();
    if (xml.name() == QLatin1String("message")) {
      message = TsMessage{};
      message.context = context;
      message.is_numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
    }
    if (xml.name() == QLatin1String("source")) message.source = xml.readElementText();
    if (xml.name() == QLatin1String("translation")) {
      message.is_unfinished = !xml.attributes().value(QLatin1String("type")).isEmpty();
      if (!message.is_numerus) message.translations << xml.readElementText();
    }
    if (xml.name() == QLatin1String("numerusform")) message.translations << xml.readElementText();
  }
  if (xml.hasError()) {
    qWarning("%s: not a valid .ts file: %s", qPrintable(path), qPrintable(xml.errorString()));
    messages.clear();
  }
  return messages;
}

// The sorted placeholders of a text: %1..%99, %L1, %n, %Ln.
QStringList placeholders(const QString& text) {
  static const QRegularExpression pattern(QStringLiteral("%L?(?:[0-9]{1,2}|n)"));
  QStringList found;
  for (const QRegularExpressionMatch& match : pattern.globalMatch(text)) found << match.captured();
  found.sort();
  return found;
}

// The sorted HTML tags of a text (<b>, </b>, <a href="…">, <br>, …).
QStringList htmlTags(const QString& text) {
  static const QRegularExpression pattern(QStringLiteral("</?[a-zA-Z][a-zA-Z0-9]*(?:\\s[^<>]*)?>"));
  QStringList found;
  for (const QRegularExpressionMatch& match : pattern.globalMatch(text)) found << match.captured();
  found.sort();
  return found;
}

// Keyboard accelerators: a `&` before a character, not `&&` and not an entity (&nbsp;).
qsizetype acceleratorCount(const QString& text) {
  static const QRegularExpression entity(QStringLiteral("&(?:[a-zA-Z]+|#[0-9]+);"));
  QString rest = text;
  rest.remove(entity);
  rest.replace(QStringLiteral("&&"), QString());
  qsizetype count = 0;
  for (qsizetype i = 0; i + 1 < rest.size(); ++i) count += rest.at(i) == u'&' ? 1 : 0;
  return count;
}

}  // namespace

class TranslationTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir settings_dir_;

 private slots:
  void initTestCase() { test::initTestApplication(settings_dir_); }

  void germanTsFileIsComplete() {
    const QList<TsMessage> messages = readTsFile(germanTsPath());
    QVERIFY2(messages.size() > 150, qPrintable(QString::number(messages.size())));
    QStringList unfinished;
    for (const TsMessage& message : messages) {
      bool is_empty = message.translations.isEmpty();
      for (const QString& text : message.translations)
        is_empty = is_empty || text.trimmed().isEmpty();
      if (message.is_unfinished || is_empty)
        unfinished << message.context + QStringLiteral(": ") + message.source;
    }
    QVERIFY2(unfinished.isEmpty(), qPrintable(unfinished.join(QStringLiteral(" | "))));
  }

  // Every translation keeps the source's placeholders (%1, %n, %L1), HTML tags, line breaks
  // and its keyboard accelerator (one `&`, not counting `&&` and entities such as &nbsp;);
  // plural entries have German's two forms, each with %n.
  void germanTranslationsKeepPlaceholdersAndMarkup() {
    const QList<TsMessage> messages = readTsFile(germanTsPath());
    QStringList wrong;
    for (const TsMessage& message : messages) {
      const QString where =
          message.context + QStringLiteral(": \"") + message.source + QStringLiteral("\": ");
      if (message.is_numerus && message.translations.size() != 2) {
        wrong << where + QStringLiteral("expected 2 plural forms, found %1")
                             .arg(message.translations.size());
      }
      for (const QString& text : message.translations) {
        const QStringList expected_placeholders = placeholders(message.source);
        const QStringList found_placeholders = placeholders(text);
        if (found_placeholders != expected_placeholders) {
          wrong << where + QStringLiteral("placeholders: expected %1, found %2 in \"%3\"")
                               .arg(expected_placeholders.join(u' '), found_placeholders.join(u' '),
                                    text);
        }
        if (htmlTags(text) != htmlTags(message.source)) {
          wrong << where + QStringLiteral("HTML tags: expected %1, found %2")
                               .arg(htmlTags(message.source).join(u' '), htmlTags(text).join(u' '));
        }
        if (text.count(u'\n') != message.source.count(u'\n')) {
          wrong << where + QStringLiteral("line breaks: expected %1, found %2")
                               .arg(message.source.count(u'\n'))
                               .arg(text.count(u'\n'));
        }
        if (acceleratorCount(text) != acceleratorCount(message.source)) {
          wrong << where + QStringLiteral("accelerators (&): expected %1, found %2 in \"%3\"")
                               .arg(acceleratorCount(message.source))
                               .arg(acceleratorCount(text))
                               .arg(text);
        }
      }
    }
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(u'\n')));
  }

  void switchesTheInterfaceToGerman() {
    QVERIFY(availableTranslations().contains(QStringLiteral("de")));
    QCOMPARE(installTranslation(*QCoreApplication::instance(), QStringLiteral("de")),
             QStringLiteral("de"));
    MainWindow window;
    QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&Datei"));
    QVERIFY(QCoreApplication::translate("genstereo::ui::ControlsPanel",
                                        "Diffusion (unavailable: %1)") !=
            QLatin1String("Diffusion (unavailable: %1)"));
    QVERIFY(QCoreApplication::translate("ModelWeights", "missing: %1") !=
            QLatin1String("missing: %1"));
    // Numbers follow the language's locale (one decimal separator).
    QCOMPARE(QLocale().decimalPoint(), QStringLiteral(","));
  }

  // Qt's own dialogs in German: qtbase_de.qm (qt6-translations-l10n) is loaded with ours.
  void qtDialogsAreGerman() {
    if (!hasQtTranslation(QStringLiteral("de"))) {
      QSKIP("qtbase_de.qm is not installed (Debian: qt6-translations-l10n)");
    }
    installTranslation(*QCoreApplication::instance(), QStringLiteral("de"));
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("Abbrechen"));
    QCOMPARE(QCoreApplication::translate("QFileDialog", "Look in:"), QStringLiteral("Suchen in:"));
  }
};

QTEST_MAIN(TranslationTest)
#include "translation_test.moc"

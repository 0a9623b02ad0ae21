// The German translation is complete and switches the interface.
#include <QtTest>

#include <QFile>
#include <QMenuBar>
#include <QXmlStreamReader>

#include "main_window.h"
#include "translation.h"
#include "ui_test_support.h"

using namespace genstereo::ui;

class TranslationTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir settings_dir_;

 private slots:
  void initTestCase() { test::initTestApplication(settings_dir_); }

  void germanTsFileIsComplete() {
    QFile file(QStringLiteral(GENSTEREO_SOURCE_DIR "/translations/genstereo_de.ts"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    int messages = 0;
    QStringList unfinished;
    QString source;
    while (!xml.atEnd()) {
      xml.readNext();
      if (!xml.isStartElement()) continue;
      if (xml.name() == QLatin1String("source")) source = xml.readElementText();
      if (xml.name() == QLatin1String("translation")) {
        ++messages;
        const QString type = xml.attributes().value(QLatin1String("type")).toString();
        // Plural forms are child elements; their text counts too.
        const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
        if (!type.isEmpty() || text.trimmed().isEmpty()) unfinished << source;
      }
    }
    QVERIFY(!xml.hasError());
    QVERIFY2(messages > 150, qPrintable(QString::number(messages)));
    QVERIFY2(unfinished.isEmpty(), qPrintable(unfinished.join(QStringLiteral(" | "))));
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

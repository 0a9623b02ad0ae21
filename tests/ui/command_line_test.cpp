// "Copy as command line" cannot drift from genstereo-cli: the text is split by a real POSIX
// shell, parsed with the CLI's own option definitions (app/cli_common.cpp) into RunParams and
// compared with what the workbench's engine thread runs; the controls' extreme values are
// accepted by the CLI and one step beyond is refused; and the real genstereo-cli runs the
// workbench's command line.
#include <QtTest>

#include <QProcess>

#include "app_settings.h"
#include "cli_common.h"
#include "comfort_controls.h"
#include "command_line_builder.h"
#include "controls_panel.h"
#include "engine_worker.h"
#include "main_window.h"
#include "presets.h"
#include "ui_test_support.h"

using namespace genstereo;
using namespace genstereo::ui;

namespace {

// The words of `command` as /bin/sh splits them (NUL-separated by printf).
QStringList shellWords(const QString& command) {
  QProcess shell;
  shell.start(QStringLiteral("/bin/sh"),
              {QStringLiteral("-c"), QStringLiteral("printf '%s\\0' ") + command});
  if (!shell.waitForFinished(10000)) return {};
  QStringList words = QString::fromUtf8(shell.readAllStandardOutput()).split(QLatin1Char('\0'));
  if (!words.isEmpty() && words.last().isEmpty()) words.removeLast();
  return words;
}

struct ParsedGenerate {
  cli::EngineCli engine;
  std::string image;
  std::string disparity;
  std::string depth;
  std::string out_dir;
  bool no_discovery = false;
};

// Parses `words` (program name first) with the generate command's engine options; throws
// CLI::ParseError (or CLI::ValidationError from finishEngineOptions) as the CLI would.
ParsedGenerate parseGenerate(const QStringList& words) {
  ParsedGenerate parsed;
  CLI::App app("genstereo-cli");
  CLI::App* c = app.add_subcommand("generate");
  c->add_option("IMAGE", parsed.image)->required();
  auto* disparity = c->add_option("--disparity", parsed.disparity);
  auto* depth = c->add_option("--depth", parsed.depth);
  disparity->excludes(depth);
  c->add_flag("--no-discovery", parsed.no_discovery);
  c->add_option("-o,--output", parsed.out_dir)->required();
  // generate's comfortable defaults (app/cli_generate.cpp), set before the options as there.
  parsed.engine.run.synthesis.comfort = comfortableSettings();
  parsed.engine.run.synthesis.border = BorderMode::kScreen;
  cli::addEngineOptions(*c, parsed.engine, true);
  std::vector<std::string> args;
  for (int i = words.size() - 1; i >= 1; --i)
    args.push_back(words[i].toStdString());  // CLI11: reversed
  app.parse(args);
  cli::finishEngineOptions(parsed.engine);
  return parsed;
}

}  // namespace

class CommandLineTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir settings_dir_;

  // Builds, splits, parses and compares with runParamsOf (what the engine thread runs).
  static void checkRoundTrip(const EngineParams& params, const CommandLineInputs& inputs) {
    const QString text = shellCommandLine(generateCommandArguments(params, inputs));
    const QStringList words = shellWords(text);
    QCOMPARE(words, generateCommandArguments(params, inputs));
    ParsedGenerate parsed;
    try {
      parsed = parseGenerate(words);
    } catch (const CLI::Error& error) {
      QFAIL(qPrintable(QStringLiteral("%1: %2").arg(text, QString::fromStdString(error.what()))));
    }
    QCOMPARE(QString::fromStdString(parsed.image), inputs.image_path);
    QCOMPARE(QString::fromStdString(parsed.out_dir), inputs.output_dir);
    InputData input;
    if (!inputs.map_path.isEmpty()) input.map = DisparityMap();
    const RunParams expected = runParamsOf(params, input);
    const RunParams& run = parsed.engine.run;
    const bool is_depth = inputs.map_path.isEmpty() || params.map_kind != MapKind::kDisparity;
    if (inputs.map_path.isEmpty()) {
      QVERIFY(parsed.no_discovery);
      QCOMPARE(QString::fromStdString(parsed.engine.models_dir), params.models.folder);
    } else if (params.map_kind == MapKind::kDisparity) {
      QCOMPARE(QString::fromStdString(parsed.disparity), inputs.map_path);
    } else {
      QCOMPARE(QString::fromStdString(parsed.depth), inputs.map_path);
      QCOMPARE(run.depth_conversion.kind, expected.depth_conversion.kind);
    }
    QCOMPARE(run.engine, expected.engine);
    QCOMPARE(run.map_size, inputs.map_path.isEmpty() ? MapSizePolicy::kRefuse : expected.map_size);
    QCOMPARE(run.synthesis.eye, expected.synthesis.eye);
    QCOMPARE(run.synthesis.warp, expected.synthesis.warp);
    QCOMPARE(run.synthesis.fill, expected.synthesis.fill);
    QCOMPARE(run.synthesis.feather_px, expected.synthesis.feather_px);
    QCOMPARE(run.synthesis.shaping.baseline_scale, expected.synthesis.shaping.baseline_scale);
    const ComfortParams& comfort = run.synthesis.comfort;
    QCOMPARE(comfort.convergence, expected.synthesis.comfort.convergence);
    switch (comfort.convergence) {
      case ConvergenceMode::kManual:
        QCOMPARE(run.synthesis.shaping.convergence, expected.synthesis.shaping.convergence);
        break;
      case ConvergenceMode::kPercentile:
        QCOMPARE(comfort.convergence_percentile, expected.synthesis.comfort.convergence_percentile);
        break;
      case ConvergenceMode::kPoint:
        QCOMPARE(comfort.screen_point_px, expected.synthesis.comfort.screen_point_px);
        break;
    }
    QCOMPARE(comfort.max_range_percent, expected.synthesis.comfort.max_range_percent);
    QCOMPARE(run.synthesis.border, expected.synthesis.border);
    if (is_depth) {  // the CLI applies these to depth only, as the engine does
      QCOMPARE(run.depth_conversion.max_disparity_fraction,
               expected.depth_conversion.max_disparity_fraction);
      QCOMPARE(run.depth_shaping.foreground_scale, expected.depth_shaping.foreground_scale);
      QCOMPARE(run.depth_shaping.edge_dilation_x_px, expected.depth_shaping.edge_dilation_x_px);
      QCOMPARE(run.depth_shaping.edge_dilation_y_px, expected.depth_shaping.edge_dilation_y_px);
      QCOMPARE(run.depth_shaping.clip_low_percent, expected.depth_shaping.clip_low_percent);
      QCOMPARE(run.depth_shaping.clip_high_percent, expected.depth_shaping.clip_high_percent);
    }
    if (params.engine == EngineKind::kDiffusion) {
      QCOMPARE(run.diffusion.steps, expected.diffusion.steps);
      QCOMPARE(run.diffusion.guidance_scale, expected.diffusion.guidance_scale);
      QCOMPARE(run.diffusion.seed, expected.diffusion.seed);
      QCOMPARE(run.diffusion.scheduler, expected.diffusion.scheduler);
      QCOMPARE(run.diffusion.tiles, expected.diffusion.tiles);
      QCOMPARE(run.diffusion.tile_overlap, expected.diffusion.tile_overlap);
      QCOMPARE(run.diffusion.tile_feather_px, expected.diffusion.tile_feather_px);
    }
  }

 private slots:
  void initTestCase() { test::initTestApplication(settings_dir_); }

  void quotingSurvivesTheShell() {
    const QStringList args = {
        QStringLiteral("plain/path.png"), QStringLiteral("with space"),
        QStringLiteral("it's"),           QStringLiteral("$HOME `x` \"q\" \\ *"),
        QStringLiteral("ümlaut"),         QString()};
    QCOMPARE(shellWords(shellCommandLine(args)), args);
    QCOMPARE(shellQuoted(QStringLiteral("a.png")), QStringLiteral("a.png"));
    QCOMPARE(shellQuoted(QStringLiteral("it's")), QStringLiteral("'it'\\''s'"));
  }

  void defaultsRoundTrip() {
    CommandLineInputs inputs{QStringLiteral("/photos/a b/left.png"),
                             QStringLiteral("/photos/a b/disp_left.png"),
                             QStringLiteral("/tmp/out dir")};
    EngineParams params;
    params.map_size = MapSizePolicy::kResize;
    checkRoundTrip(params, inputs);
    const QStringList words = generateCommandArguments(params, inputs);
    QVERIFY(!words.contains(QStringLiteral("--eye")));  // defaults left out
    QVERIFY(words.contains(QStringLiteral("--baseline-scale")));
    QVERIFY(words.contains(QStringLiteral("--auto-convergence")));  // the comfortable defaults
    QVERIFY(!words.contains(QStringLiteral("--convergence")));
  }

  // Every convergence mode, the parallax limit and the border parse back as set.
  void comfortRoundTrips() {
    const CommandLineInputs inputs{QStringLiteral("/p/left.png"), QStringLiteral("/p/disp.png"),
                                   QStringLiteral("/o")};
    EngineParams params;
    params.comfort.convergence_percentile = 37.5;
    params.comfort.max_range_percent = 2.5;
    params.border = BorderMode::kCrop;
    params.baseline_scale = 1.4;
    checkRoundTrip(params, inputs);
    params.comfort.convergence = ConvergenceMode::kPoint;
    params.comfort.screen_point_px = cv::Point(321, 45);
    params.border = BorderMode::kFill;
    checkRoundTrip(params, inputs);
    QVERIFY(generateCommandArguments(params, inputs).contains(QStringLiteral("321,45")));
    params.comfort.convergence = ConvergenceMode::kManual;
    params.convergence = 0.35;
    params.comfort.max_range_percent = 0.0;  // the official geometry: no limit
    params.border = BorderMode::kScreen;
    checkRoundTrip(params, inputs);
    // The paper's preset is the official geometry that `generate --convergence 0
    // --parallax-limit 0 --border fill` makes (docs/comfort.md).
    for (const Preset& preset : builtInPresets()) {
      checkRoundTrip(withPresetApplied(EngineParams(), preset.params), inputs);
    }
  }

  void everyControlRoundTrips() {
    CommandLineInputs inputs{QStringLiteral("/p/photo's.jpg"), QStringLiteral("/p/photo_depth.png"),
                             QStringLiteral("/out")};
    EngineParams params;
    params.map_kind = MapKind::kMetricDepth;
    params.map_size = MapSizePolicy::kResize;
    params.baseline_scale = 0.37;
    params.convergence = 0.55;
    params.max_disparity_fraction = 0.085;
    params.synthesis.eye = SynthesisEye::kBoth;
    params.synthesis.warp = WarpMode::kInteger;
    params.synthesis.fill = FillMethod::kTelea;
    params.synthesis.feather_px = 3.5;
    params.depth_shaping.foreground_scale = -1.25;
    params.depth_shaping.edge_dilation_x_px = params.depth_shaping.edge_dilation_y_px = 7;
    params.depth_shaping.clip_low_percent = 1.5;
    params.depth_shaping.clip_high_percent = 98.5;
    checkRoundTrip(params, inputs);
    params.map_kind = MapKind::kInverseDepth;
    params.synthesis.eye = SynthesisEye::kLeft;
    params.synthesis.fill = FillMethod::kNone;
    checkRoundTrip(params, inputs);
    // Estimated depth (no map) with the diffusion engine.
    params.engine = EngineKind::kDiffusion;
    params.models.folder = QStringLiteral("/models dir");
    params.models.variant = QStringLiteral("sd15");
    params.models.depth_model_size = QStringLiteral("vitb");
    params.sampling_steps = 25;
    params.guidance = 2.5;
    params.seed = 1234567;
    checkRoundTrip(params,
                   CommandLineInputs{QStringLiteral("/p/x.png"), QString(), QStringLiteral("/o")});
    // Another sampler, tiled at full resolution.
    params.scheduler = SchedulerKind::kDpmSolverMultistepKarras;
    params.sampling_steps = 20;
    params.tiles = true;
    params.tile_overlap = 0.25;
    checkRoundTrip(params,
                   CommandLineInputs{QStringLiteral("/p/x.png"), QString(), QStringLiteral("/o")});
    // Feathered seams.
    params.tile_feather_px = 48;
    checkRoundTrip(params,
                   CommandLineInputs{QStringLiteral("/p/x.png"), QString(), QStringLiteral("/o")});
  }

  // The controls' ranges are the CLI's: the extremes pass, one step beyond fails.
  void controlRangesAreTheClis() {
    ControlsPanel panel;
    panel.setMapKind(MapKind::kInverseDepth);
    panel.featherBox()->setValue(panel.featherBox()->maximum());
    panel.foregroundSlider()->setValue(panel.foregroundSlider()->minimum());
    panel.edgeDilationBox()->setValue(panel.edgeDilationBox()->maximum());
    panel.clipLowBox()->setValue(0.0);
    panel.clipHighBox()->setValue(100.0);
    const CommandLineInputs inputs{QStringLiteral("a.png"), QStringLiteral("a_depth.png"),
                                   QStringLiteral("o")};
    checkRoundTrip(panel.params(), inputs);
    panel.foregroundSlider()->setValue(panel.foregroundSlider()->maximum());
    panel.featherBox()->setValue(panel.featherBox()->minimum());
    panel.clipLowBox()->setValue(panel.clipLowBox()->maximum());
    ComfortControls* comfort = panel.comfortControls();
    comfort->limitBox()->setValue(comfort->limitBox()->maximum());
    comfort->percentileBox()->setValue(comfort->percentileBox()->maximum());
    checkRoundTrip(panel.params(), inputs);

    const auto isRefused = [&inputs](const EngineParams& params) {
      try {
        parseGenerate(generateCommandArguments(params, inputs));
      } catch (const CLI::Error&) {
        return true;
      }
      return false;
    };
    EngineParams beyond = panel.params();
    beyond.synthesis.feather_px = panel.featherBox()->maximum() + panel.featherBox()->singleStep();
    QVERIFY(isRefused(beyond));
    beyond = panel.params();
    beyond.depth_shaping.foreground_scale = (panel.foregroundSlider()->maximum() + 1) / 100.0;
    QVERIFY(isRefused(beyond));
    beyond = panel.params();
    beyond.depth_shaping.edge_dilation_x_px = panel.edgeDilationBox()->maximum() + 1;
    QVERIFY(isRefused(beyond));
    beyond = panel.params();
    beyond.depth_shaping.clip_low_percent = 50.0;
    beyond.depth_shaping.clip_high_percent = 50.0;  // LOW must be below HIGH
    QVERIFY(isRefused(beyond));
    beyond = panel.params();
    beyond.comfort.max_range_percent =
        comfort->limitBox()->maximum() + comfort->limitBox()->singleStep();
    QVERIFY(isRefused(beyond));
    beyond = panel.params();
    beyond.comfort.convergence_percentile = comfort->percentileBox()->maximum() + 1;
    QVERIFY(isRefused(beyond));
  }

  // The workbench's own command line, run by the real genstereo-cli (into a temporary folder:
  // the command writes beside the photo, here the source tree's sample).
  void theCliRunsTheCopiedCommand() {
    QTemporaryDir out;
    MainWindow window;
    window.show();
    QSignalSpy shown(&window, &MainWindow::resultShown);
    window.openImage(test::sampleImage());
    QVERIFY(shown.wait(60000));
    window.controls()->eyeBox()->setCurrentIndex(2);  // both
    window.controls()->featherBox()->setValue(3.0);
    QStringList words = shellWords(window.commandLine());
    QVERIFY2(words.size() > 4, qPrintable(window.commandLine()));
    QCOMPARE(words.first(), QStringLiteral("genstereo-cli"));
    words.removeFirst();
    const qsizetype output_index = words.indexOf(QStringLiteral("-o"));
    QVERIFY2(output_index >= 0 && output_index + 1 < words.size(), qPrintable(words.join(' ')));
    QCOMPARE(words[output_index + 1],
             QDir::toNativeSeparators(QFileInfo(test::sampleImage()).absolutePath()));
    words[output_index + 1] = out.path();
    words << QStringLiteral("--no-intermediates") << QStringLiteral("-q");
    QProcess cli;
    cli.start(QStringLiteral(GENSTEREO_CLI_PATH), words);
    QVERIFY(cli.waitForFinished(120000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    QVERIFY(QFileInfo::exists(out.filePath(QStringLiteral("left_right.png"))));
    QVERIFY(QFileInfo::exists(out.filePath(QStringLiteral("left_left.png"))));
  }
};

QTEST_MAIN(CommandLineTest)
#include "command_line_test.moc"

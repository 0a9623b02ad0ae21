// genstereo-cli: the command-line client of the engine (include/genstereo/engine.h). Parsing
// (CLI11) and printing only; the work is done by the core.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <opencv2/core.hpp>

#include "cli_commands.h"
#include "cli_common.h"
#include "cli_models.h"
#include "errors.h"
#include "models/printable_text.h"
#include "process_memory.h"

namespace {

using namespace genstereo;

int run(int argc, char** argv) {
  CLI::App app{"genstereo-cli - turn photos and videos into stereo 3D (GenStereo, ICCV 2025)",
               "genstereo-cli"};
  app.set_version_flag("--version", std::string("genstereo-cli ") + GENSTEREO_VERSION);
  app.require_subcommand(1);
  app.fallthrough(false);
  app.footer(
      "Engines: weight-free (warp + disparity-guided fill, no weights) and diffusion (the "
      "GenStereo\n"
      "networks, with the weights in --models). `genstereo-cli COMMAND --help` for each command.");
  std::function<int()> action;
  const cli::ActionSetter set_action = [&action](std::function<int()> a) { action = std::move(a); };
  cli::addGenerateCommand(app, set_action);
  cli::addEvalCommand(app, set_action);
  cli::addBatchCommand(app, set_action);
  cli::addBatchVerifyCommand(app, set_action);
  cli::addVideoCommand(app, set_action);
  cli::addModelsCommand(app);  // runs in its own callbacks (exit code via CLI::RuntimeError)
  // `genstereo-cli help [COMMAND]` as `genstereo-cli [COMMAND] --help`; no arguments: the help.
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cout << app.help();
    return 2;
  }
  if (args[0] == "help") {
    args.erase(args.begin());
    args.push_back("--help");
  }
  const std::vector<std::string> commands = {"generate", "eval",       "batch", "batch-verify",
                                             "video",    "eval-video", "models"};
  if (!args[0].empty() && args[0][0] != '-' &&
      std::find(commands.begin(), commands.end(), args[0]) == commands.end()) {
    std::fprintf(stderr,
                 "genstereo-cli: unknown command '%s' (expected generate, eval, batch, "
                 "batch-verify, video, eval-video or models; see "
                 "genstereo-cli --help)\n",
                 printableText(args[0], 200).c_str());
    return 2;
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes them in reverse order
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {  // `models` reports its own errors and sets the code
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    std::string where = "genstereo-cli";
    for (const CLI::App* sub : app.get_subcommands()) where += " " + sub->get_name();
    std::fprintf(stderr, "genstereo-cli: %s (see %s --help)\n", printableText(e.what()).c_str(),
                 where.c_str());
    return 2;
  }
  if (!action) return 0;  // the command ran in its parse callback (models)
  cli::installCancelSignalHandlers();
  try {
    return action();
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "genstereo-cli: %s (see genstereo-cli --help)\n",
                 printableText(e.what()).c_str());
    return 2;
  } catch (const CancelledError& e) {
    const int signal = cli::cancelSignal();
    std::fprintf(stderr, "genstereo-cli: %s\n",
                 signal != 0 ? "interrupted; nothing half-written was left" : e.what());
    return signal != 0 ? 128 + signal : 130;
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Past a file-size limit (ulimit -f) a write fails with EFBIG and is reported like a full
  // disk, naming the file, in every command (models download included), instead of the process
  // being killed by SIGXFSZ with a half-written temporary.
  std::signal(SIGXFSZ, SIG_IGN);
  configureProcessMemory();
  cv::setNumThreads(cv::getNumberOfCPUs());
  try {
    return run(argc, argv);
  } catch (const Error& e) {
    // Messages quote file names and URLs: printed without terminal escapes, bounded.
    std::fprintf(stderr, "genstereo-cli: error: %s\n", printableText(e.what()).c_str());
    return 1;
  } catch (const cv::Exception& e) {
    std::fprintf(stderr, "genstereo-cli: error: OpenCV: %s\n", printableText(e.err).c_str());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "genstereo-cli: error: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "genstereo-cli: error: %s\n", printableText(e.what()).c_str());
    return 1;
  }
}

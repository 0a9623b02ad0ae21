// The genstereo-cli commands. Each registers its CLI11 subcommand; its callback hands the
// work to `set_action`, which main runs after parsing (so errors are reported in one place).
#pragma once

#include <filesystem>
#include <functional>

#include <CLI/CLI.hpp>

namespace genstereo::cli {

namespace fs = std::filesystem;

using ActionSetter = std::function<void(std::function<int()>)>;

void addGenerateCommand(CLI::App& app, ActionSetter set_action);
void addBatchCommand(CLI::App& app, ActionSetter set_action);
void addBatchVerifyCommand(CLI::App& app, ActionSetter set_action);
void addEvalCommand(CLI::App& app, ActionSetter set_action);
void addVideoCommand(CLI::App& app, ActionSetter set_action);  // video, eval-video

}  // namespace genstereo::cli

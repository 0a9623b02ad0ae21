// `genstereo-cli models ...` end to end against the loopback hub (tests/unit/hub_test_server.h):
// list, download (with the non-commercial licence question), verify, where, offline mode.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

#include <gtest/gtest.h>

#include "hub_test_server.h"
#include "model_test_catalog.h"
#include "models/default_models_folder.h"
#include "models/sha256.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

struct CliRun {
  int exit_code = -1;
  std::string out, err;
};

std::string quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

class CliModelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    files_ = test::writeTestCatalog(dir_ / "catalog");
    HubRoutes();
  }
  void HubRoutes() {
    test::HubRoute pose;
    pose.body = files_.pose_bytes;
    pose.headers = {{"X-Linked-Etag", "\"" + files_.pose_sha256 + "\""}};
    hub_.setRoute("/test-org/tiny-genstereo/resolve/main/pose_guider.pth", pose);
    test::HubRoute fusion;
    fusion.body = files_.fusion_bytes;
    hub_.setRoute("/test-org/tiny-genstereo/resolve/main/sub/fusion_layer.pth", fusion);
  }
  // Runs the CLI in a child process; with `file_size_limit_bytes` > 0 under that RLIMIT_FSIZE
  // (ulimit -f) and the default action of SIGXFSZ (kill), as a shell would start it.
  CliRun run(const std::vector<std::string>& args, const std::string& environment = "",
             rlim_t file_size_limit_bytes = 0) {
    std::string command = "HF_ENDPOINT=" + quote(hub_.baseUrl()) +
                          " HF_HUB_CACHE=" + quote((dir_ / "no-cache").string()) +
                          " HF_TOKEN= HF_HUB_OFFLINE= " + environment + " " +
                          quote(GENSTEREO_CLI_PATH) + " models";
    for (const std::string& arg : args) command += " " + quote(arg);
    command += " --catalog " + quote(files_.catalog_json.string());
    command += " >" + quote((dir_ / "out.txt").string()) + " 2>" +
               quote((dir_ / "err.txt").string()) + " </dev/null";
    int status = 0;
    if (file_size_limit_bytes == 0) {
      status = std::system(command.c_str());
    } else {
      const pid_t child = ::fork();
      if (child == 0) {
        ::signal(SIGXFSZ, SIG_DFL);
        const rlimit limit{file_size_limit_bytes, file_size_limit_bytes};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
      }
      ::waitpid(child, &status, 0);
    }
    CliRun result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    result.out = test::readWholeFile(dir_ / "out.txt");
    result.err = test::readWholeFile(dir_ / "err.txt");
    return result;
  }

  TempDir dir_;
  fs::path models_ = dir_ / "models";
  test::TestCatalogFiles files_;
  test::HubTestServer hub_;
};

TEST_F(CliModelsTest, ListShowsModelsAndWhatIsThere) {
  const CliRun list = run({"list", "--models", models_.string()});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("tiny-pose"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("[0 of 2 files present]"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("CC-BY-NC-4.0 (non-commercial)"), std::string::npos) << list.out;
}

TEST_F(CliModelsTest, DownloadAsksForTheNonCommercialLicenceThenVerifies) {
  const CliRun refused = run({"download", "tiny", "--models", models_.string()});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("non-commercial licence: tiny/fusion_layer.pth (CC-BY-NC-4.0)"),
            std::string::npos)
      << refused.err;
  EXPECT_FALSE(fs::exists(models_ / "tiny"));

  const CliRun download =
      run({"download", "tiny", "--models", models_.string(), "--accept-license", "-q"});
  ASSERT_EQ(download.exit_code, 0) << download.err;
  EXPECT_NE(
      download.out.find("sha256 " + files_.pose_sha256 + " (verified against the X-Linked-Etag)"),
      std::string::npos)
      << download.out;
  EXPECT_EQ(sha256OfFile(models_ / "tiny" / "fusion_layer.pth"), files_.fusion_sha256);

  const CliRun verify = run({"verify", "tiny", "--models", models_.string(), "--sha256"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  const CliRun where = run({"where", "--models", models_.string()});
  EXPECT_EQ(where.exit_code, 0);
  EXPECT_NE(where.out.find("present  tiny/pose_guider.pth"), std::string::npos) << where.out;
  EXPECT_NE(where.out.find("models folder: " + (models_ / "tiny" / "pose_guider.pth").string()),
            std::string::npos)
      << where.out;

  test::writeRawFile(models_ / "tiny" / "pose_guider.pth", files_.pose_bytes.substr(0, 1000));
  const CliRun broken = run({"verify", "tiny", "--models", models_.string()});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.out.find("invalid  tiny/pose_guider.pth"), std::string::npos) << broken.out;
  EXPECT_NE(
      broken.out.find(
          "To fetch what is missing or invalid: genstereo-cli models download tiny-pose --models " +
          models_.string()),
      std::string::npos)
      << broken.out;
}

TEST_F(CliModelsTest, OfflineAndUsageErrorsAreOneLine) {
  const CliRun offline =
      run({"download", "tiny-pose", "--models", models_.string()}, "HF_HUB_OFFLINE=1");
  EXPECT_EQ(offline.exit_code, 1);
  EXPECT_NE(
      offline.err.find(
          "genstereo-cli: error: HF_HUB_OFFLINE is set: not downloading tiny/pose_guider.pth"),
      std::string::npos)
      << offline.err;
  EXPECT_TRUE(hub_.requests().empty());
  EXPECT_EQ(run({"download", "--models", models_.string()}).exit_code, 2);
  const CliRun unknown = run({"download", "sd99", "--models", models_.string()});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("unknown model 'sd99' (known: tiny-pose, tiny)"), std::string::npos)
      << unknown.err;
  EXPECT_EQ(run({"verify", "--sha256", "--no-such-option"}).exit_code, 2);
}

// Issue 25: without --models every models command uses the default folder
// (models/default_models_folder.h), here $GENSTEREO_MODELS.
TEST_F(CliModelsTest, WithoutModelsTheDefaultFolderIsUsed) {
  const std::string environment = "GENSTEREO_MODELS=" + quote(models_.string());
  const CliRun download = run({"download", "tiny-pose", "-q"}, environment);
  ASSERT_EQ(download.exit_code, 0) << download.err;
  EXPECT_EQ(sha256OfFile(models_ / "tiny" / "pose_guider.pth"), files_.pose_sha256);
  const CliRun where = run({"where"}, environment);
  EXPECT_EQ(where.exit_code, 0) << where.err;
  EXPECT_NE(where.out.find("Models folder: " + models_.string()), std::string::npos) << where.out;
  EXPECT_NE(where.out.find("models folder: " + (models_ / "tiny" / "pose_guider.pth").string()),
            std::string::npos)
      << where.out;
  const CliRun list = run({"list"}, environment);
  EXPECT_NE(list.out.find("[1 of 2 files present]"), std::string::npos) << list.out;
  const CliRun verify = run({"verify", "tiny"}, environment);
  EXPECT_EQ(verify.exit_code, 1) << "fusion_layer.pth is missing";
  EXPECT_NE(
      verify.out.find("To fetch what is missing or invalid: genstereo-cli models download tiny"
                      " --catalog"),
      std::string::npos)
      << "no --models for the default folder: " << verify.out;
}

// $GENSTEREO_MODELS, else $XDG_DATA_HOME/genstereo/models, else ~/.local/share/genstereo/models.
TEST(DefaultModelsFolderRule, EnvironmentThenXdgThenHome) {
  const auto saved = [](const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::optional<std::string>() : std::optional<std::string>(value);
  };
  const std::optional<std::string> models = saved("GENSTEREO_MODELS");
  const std::optional<std::string> xdg = saved("XDG_DATA_HOME");
  const std::optional<std::string> home = saved("HOME");
  ::setenv("GENSTEREO_MODELS", "/m", 1);
  ::setenv("XDG_DATA_HOME", "/x", 1);
  ::setenv("HOME", "/h", 1);
  EXPECT_EQ(defaultModelsFolder(), fs::path("/m"));
  ::setenv("GENSTEREO_MODELS", "", 1);
  EXPECT_EQ(defaultModelsFolder(), fs::path("/x/genstereo/models"));
  ::setenv("XDG_DATA_HOME", "relative", 1);
  EXPECT_EQ(defaultModelsFolder(), fs::path("/h/.local/share/genstereo/models"));
  ::unsetenv("XDG_DATA_HOME");
  EXPECT_EQ(defaultModelsFolder(), fs::path("/h/.local/share/genstereo/models"));
  const auto restore = [](const char* name, const std::optional<std::string>& value) {
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  };
  restore("GENSTEREO_MODELS", models);
  restore("XDG_DATA_HOME", xdg);
  restore("HOME", home);
}

// ---- Issue 24 (hardening round 3) ----------------------------------------------------------

// Item 13: under `ulimit -f`, `models download` was killed by SIGXFSZ (the signal was ignored
// only for the commands that run an action, not for `models`). Now every command reports EFBIG
// like a full disk, removes the .part and exits 1.
TEST_F(CliModelsTest, FileSizeLimitIsReportedNotFatal) {
  const CliRun limited =
      run({"download", "tiny-pose", "--models", models_.string(), "-q"}, "", 100000);
  EXPECT_EQ(limited.exit_code, 1) << "exit " << limited.exit_code
                                  << " (negative: killed by that signal) " << limited.err;
  EXPECT_NE(limited.err.find("cannot write"), std::string::npos) << limited.err;
  EXPECT_NE(limited.err.find("partial file removed"), std::string::npos) << limited.err;
  EXPECT_FALSE(fs::exists(models_ / "tiny" / "pose_guider.pth.part"));
  EXPECT_FALSE(fs::exists(models_ / "tiny" / "pose_guider.pth"));
}

// Item 12: `verify --sha256` said "present" and exited 0 for a file whose sha256 is known
// nowhere (not in the catalogue, no download record): it is "not verifiable", exit 1.
TEST_F(CliModelsTest, VerifySha256WithoutAKnownHashIsNotVerifiable) {
  fs::create_directories(models_ / "tiny");
  test::writeRawFile(models_ / "tiny" / "pose_guider.pth", files_.pose_bytes);  // copied by hand
  const CliRun verify = run({"verify", "tiny-pose", "--models", models_.string(), "--sha256"});
  EXPECT_EQ(verify.exit_code, 1) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("not verifiable  tiny/pose_guider.pth"), std::string::npos)
      << verify.out;
  EXPECT_EQ(verify.out.find("present  tiny/pose_guider.pth"), std::string::npos) << verify.out;
  const CliRun plain = run({"verify", "tiny-pose", "--models", models_.string()});  // no --sha256
  EXPECT_EQ(plain.exit_code, 0) << plain.out << plain.err;
}

// The neural models library of this build, or empty when it was built without LibTorch.
fs::path buildModelsModule() {
  const fs::path module =
      fs::path(GENSTEREO_CLI_PATH).parent_path() / "libgenstereo_torch_models.so";
  return fs::is_regular_file(module) ? module : fs::path();
}

// Item 10: a module cut short by an interrupted copy killed the process with SIGBUS inside
// dlopen. Its ELF headers are checked against the file size first.
TEST_F(CliModelsTest, TruncatedModelsModuleIsRefusedBeforeDlopen) {
  const fs::path module = buildModelsModule();
  if (module.empty())
    GTEST_SKIP() << "built without the neural models library (GENSTEREO_WITH_TORCH=OFF)";
  const std::string bytes = test::readWholeFile(module);
  const fs::path truncated = dir_ / "libgenstereo_torch_models.so";
  test::writeRawFile(truncated, bytes.substr(0, bytes.size() / 10));
  const test::CliRun library =
      test::runCli({"models", "library"}, {"GENSTEREO_MODELS_MODULE=" + truncated.string()});
  EXPECT_EQ(library.exit_code, 1) << "exit " << library.exit_code << " " << library.out
                                  << library.err;
  EXPECT_NE(library.out.find("is truncated"), std::string::npos) << library.out;
}

// Item 16: the build tree's module path was compiled into every binary as a search candidate,
// installed ones included. The module is now looked for beside the core library the program
// loaded (lib/genstereo when installed): a program that loads another copy of the core library
// never opens the build tree's module.
TEST_F(CliModelsTest, ProgramOutsideTheBuildTreeDoesNotLoadTheBuildTreeModule) {
  const fs::path module = buildModelsModule();
  if (module.empty())
    GTEST_SKIP() << "built without the neural models library (GENSTEREO_WITH_TORCH=OFF)";
  const fs::path installed = dir_ / "bin" / "genstereo-cli";
  const fs::path private_lib = dir_ / "lib" / "genstereo";
  fs::create_directories(installed.parent_path());
  fs::create_directories(private_lib);
  fs::copy_file(GENSTEREO_CLI_PATH, installed);
  fs::copy_file(fs::path(GENSTEREO_CLI_PATH).parent_path() / "libgenstereo_core.so",
                private_lib / "libgenstereo_core.so");
  const std::string command =
      "env -u GENSTEREO_MODELS_MODULE LD_LIBRARY_PATH=" + quote(private_lib.string()) + " " +
      quote(installed.string()) + " models library >" + quote((dir_ / "lib.txt").string()) +
      " 2>&1";
  const int status = std::system(command.c_str());
  const std::string out = test::readWholeFile(dir_ / "lib.txt");
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1) << out;
  EXPECT_NE(out.find("was not found"), std::string::npos) << out;
  EXPECT_NE(out.find((private_lib / "libgenstereo_torch_models.so").string()), std::string::npos)
      << out;
  EXPECT_EQ(out.find(module.string()), std::string::npos) << out;
  // From the build tree the same program still finds it.
  const test::CliRun from_build = test::runCli({"models", "library"});
  EXPECT_EQ(from_build.exit_code, 0) << from_build.out << from_build.err;
}

// Item 17: file names (and any other text) holding terminal escapes were printed raw.
TEST(CliOutputHygiene, EscapesInFileNamesAreNotPrintedRaw) {
  TempDir dir;
  const std::string name = (dir / "photo\x1b]0;owned\x07\x1b[31m.png").string();
  const test::CliRun generate = test::runCli({"generate", name, "-o", (dir / "out").string()});
  EXPECT_EQ(generate.exit_code, 1) << generate.err;
  EXPECT_EQ(generate.err.find('\x1b'), std::string::npos) << generate.err;
  EXPECT_EQ(generate.err.find('\x07'), std::string::npos) << generate.err;
  EXPECT_NE(generate.err.find("photo\\x1B]0;owned\\x07\\x1B[31m.png"), std::string::npos)
      << generate.err;
}

}  // namespace
}  // namespace genstereo

// `genstereo-cli models ...` end to end against the loopback hub (tests/unit/hub_test_server.h):
// list, download (with the non-commercial licence question), verify, where, offline mode.
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "hub_test_server.h"
#include "model_test_catalog.h"
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
  CliRun run(const std::vector<std::string>& args, const std::string& environment = "") {
    std::string command = "HF_ENDPOINT=" + quote(hub_.baseUrl()) + " HF_HUB_CACHE=" + quote((dir_ / "no-cache").string()) +
                          " HF_TOKEN= HF_HUB_OFFLINE= " + environment + " " + quote(GENSTEREO_CLI_PATH) + " models";
    for (const std::string& arg : args) command += " " + quote(arg);
    command += " --catalog " + quote(files_.catalog_json.string());
    command += " >" + quote((dir_ / "out.txt").string()) + " 2>" + quote((dir_ / "err.txt").string()) + " </dev/null";
    const int status = std::system(command.c_str());
    CliRun result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
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
  EXPECT_NE(refused.err.find("non-commercial licence: tiny/fusion_layer.pth (CC-BY-NC-4.0)"), std::string::npos)
      << refused.err;
  EXPECT_FALSE(fs::exists(models_ / "tiny"));

  const CliRun download = run({"download", "tiny", "--models", models_.string(), "--accept-license", "-q"});
  ASSERT_EQ(download.exit_code, 0) << download.err;
  EXPECT_NE(download.out.find("sha256 " + files_.pose_sha256 + " (verified against the X-Linked-Etag)"),
            std::string::npos)
      << download.out;
  EXPECT_EQ(sha256OfFile(models_ / "tiny" / "fusion_layer.pth"), files_.fusion_sha256);

  const CliRun verify = run({"verify", "tiny", "--models", models_.string(), "--sha256"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  const CliRun where = run({"where", "--models", models_.string()});
  EXPECT_EQ(where.exit_code, 0);
  EXPECT_NE(where.out.find("present  tiny/pose_guider.pth"), std::string::npos) << where.out;
  EXPECT_NE(where.out.find("models folder: " + (models_ / "tiny" / "pose_guider.pth").string()), std::string::npos)
      << where.out;

  test::writeRawFile(models_ / "tiny" / "pose_guider.pth", files_.pose_bytes.substr(0, 1000));
  const CliRun broken = run({"verify", "tiny", "--models", models_.string()});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.out.find("invalid  tiny/pose_guider.pth"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("To fetch what is missing or invalid: genstereo-cli models download tiny-pose --models " +
                            models_.string()),
            std::string::npos)
      << broken.out;
}

TEST_F(CliModelsTest, OfflineAndUsageErrorsAreOneLine) {
  const CliRun offline = run({"download", "tiny-pose", "--models", models_.string()}, "HF_HUB_OFFLINE=1");
  EXPECT_EQ(offline.exit_code, 1);
  EXPECT_NE(offline.err.find("genstereo-cli: error: HF_HUB_OFFLINE is set: not downloading tiny/pose_guider.pth"),
            std::string::npos)
      << offline.err;
  EXPECT_TRUE(hub_.requests().empty());
  EXPECT_EQ(run({"download", "--models", models_.string()}).exit_code, 2);
  const CliRun unknown = run({"download", "sd99", "--models", models_.string()});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("unknown model 'sd99' (known: tiny-pose, tiny)"), std::string::npos) << unknown.err;
  EXPECT_EQ(run({"verify"}).exit_code, 2);
}

}  // namespace
}  // namespace genstereo

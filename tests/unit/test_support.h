// Helpers shared by the unit tests.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace genstereo::test {

// Folder with the small test data copied into tests/data.
std::filesystem::path testDataDir();

// ../shared/data/stereo-dev beside the checkout, or an empty path when it is absent. Optional
// everywhere: tests that need it skip without it.
std::filesystem::path stereoDevDir();

// ../shared/fixtures beside the checkout ($GENSTEREO_SHARED_FIXTURES names another folder), or
// an empty path when it is absent.
std::filesystem::path sharedFixturesDir();
// True when a test that needs ../shared/fixtures must fail without it rather than skip: in CI
// (CI=true, as GitHub Actions and GitLab set it) or with GENSTEREO_REQUIRE_FIXTURES=1.
bool areSharedFixturesRequired();
// What a test without ../shared/fixtures reports: the folder looked for, what lives there
// (`what`) and, when required, why that is a failure.
std::string missingSharedFixturesMessage(const std::string& what);
// (GENSTEREO_NEED_SHARED_FIXTURES in shared_fixtures.h applies these in a test.)

// A fresh, empty temporary folder removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// A folder in which no file can be created: `parent`/locked with mode 0555 when that stops
// the current user, else (root ignores permission bits) /proc/self, where procfs refuses new
// entries for everyone. Compare countEntries before and after to check nothing was left.
std::filesystem::path unwritableFolder(const TempDir& parent);

// Number of entries in a folder (to check that nothing half-written was left behind).
int countEntries(const std::filesystem::path& folder);

// A smooth, textured deterministic test image (CV_32FC3 in [0,1]).
cv::Mat makeTestImage(int width, int height, unsigned seed = 1);

// The result of running genstereo-cli.
struct CliRun {
  int exit_code = -1;
  std::string out, err;
};

// Runs the genstereo-cli of this build with `args` (each quoted for the shell); stdout and
// stderr are captured through files in a temporary folder of their own.
CliRun runCli(const std::vector<std::string>& args);
// The same with environment variables set for the run ("NAME=value" each).
CliRun runCli(const std::vector<std::string>& args, const std::vector<std::string>& environment);

// The whole content of a file ("" when it cannot be read).
std::string readTextFile(const std::filesystem::path& path);

// Writes raw bytes to a file (for crafting corrupt inputs).
void writeRawFile(const std::filesystem::path& path, const std::string& bytes);

}  // namespace genstereo::test

#include "test_support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <system_error>

#include <opencv2/imgproc.hpp>

namespace genstereo::test {
namespace fs = std::filesystem;

fs::path testDataDir() { return fs::path(GENSTEREO_TEST_DATA_DIR); }

fs::path stereoDevDir() {
  const fs::path dir =
      fs::path(GENSTEREO_SOURCE_DIR).parent_path() / "shared" / "data" / "stereo-dev";
  std::error_code ec;
  return fs::is_directory(dir, ec) ? dir : fs::path();
}

namespace {

bool isEnvironmentSet(const char* name, const char* value) {
  const char* text = std::getenv(name);
  return text != nullptr && std::string(text) == value;
}

fs::path expectedSharedFixturesDir() {
  const char* override_dir = std::getenv("GENSTEREO_SHARED_FIXTURES");
  return override_dir != nullptr && *override_dir != '\0'
             ? fs::path(override_dir)
             : fs::path(GENSTEREO_SOURCE_DIR).parent_path() / "shared" / "fixtures";
}

}  // namespace

fs::path sharedFixturesDir() {
  const fs::path dir = expectedSharedFixturesDir();
  std::error_code ec;
  return fs::is_directory(dir, ec) ? dir : fs::path();
}

bool areSharedFixturesRequired() {
  return isEnvironmentSet("CI", "true") || isEnvironmentSet("CI", "1") ||
         isEnvironmentSet("GENSTEREO_REQUIRE_FIXTURES", "1");
}

std::string missingSharedFixturesMessage(const std::string& what) {
  std::string message = expectedSharedFixturesDir().string() + " is absent (" + what + ")";
  if (areSharedFixturesRequired()) {
    message +=
        "; fixtures are required here (CI=true or GENSTEREO_REQUIRE_FIXTURES=1): put the "
        "shared fixtures beside the checkout or name them with GENSTEREO_SHARED_FIXTURES";
  } else {
    message += "; skipped (CI=true or GENSTEREO_REQUIRE_FIXTURES=1 makes this a failure)";
  }
  return message;
}

TempDir::TempDir() {
  static int counter = 0;
  std::random_device rd;
  path_ = fs::temp_directory_path() /
          ("genstereo-test-" + std::to_string(rd()) + "-" + std::to_string(counter++));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
  fs::remove_all(path_, ec);
}

fs::path unwritableFolder(const TempDir& parent) {
  const fs::path locked = parent / "locked";
  fs::create_directories(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                              fs::perms::group_exec | fs::perms::others_read |
                              fs::perms::others_exec);
  if (::access(locked.c_str(), W_OK) != 0) return locked;
  return "/proc/self";
}

int countEntries(const fs::path& folder) {
  int n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder)) ++n;
  return n;
}

cv::Mat makeTestImage(int width, int height, unsigned seed) {
  cv::Mat noise(height, width, CV_32FC3);
  cv::RNG rng(seed);
  rng.fill(noise, cv::RNG::UNIFORM, 0.0, 1.0);
  cv::GaussianBlur(noise, noise, cv::Size(0, 0), 2.0);
  cv::Mat image(height, width, CV_32FC3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const cv::Vec3f n = noise.at<cv::Vec3f>(y, x);
      const float gx =
          0.2f + 0.6f * static_cast<float>(x) / static_cast<float>(std::max(1, width - 1));
      const float gy =
          0.2f + 0.6f * static_cast<float>(y) / static_cast<float>(std::max(1, height - 1));
      image.at<cv::Vec3f>(y, x) = cv::Vec3f(gx, gy, 0.5f) * 0.7f + n * 0.3f;
    }
  }
  return image;
}

void writeRawFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string readTextFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

#if defined(GENSTEREO_CLI_PATH)  // test binaries that run the CLI
namespace {

std::string shellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

CliRun runCli(const std::vector<std::string>& args) { return runCli(args, {}); }

CliRun runCli(const std::vector<std::string>& args, const std::vector<std::string>& environment) {
  TempDir logs;
  std::string command;
  if (!environment.empty()) {
    command = "env";
    for (const std::string& variable : environment) command += " " + shellQuote(variable);
    command += " ";
  }
  command += shellQuote(GENSTEREO_CLI_PATH);
  for (const std::string& arg : args) command += " " + shellQuote(arg);
  command += " >" + shellQuote((logs / "out.txt").string()) + " 2>" +
             shellQuote((logs / "err.txt").string()) + " </dev/null";
  const int status = std::system(command.c_str());
  CliRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = readTextFile(logs / "out.txt");
  run.err = readTextFile(logs / "err.txt");
  return run;
}
#endif

}  // namespace genstereo::test

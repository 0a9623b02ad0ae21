// GENSTEREO_NEED_SHARED_FIXTURES: without ../shared/fixtures a test fails in CI (CI=true or
// GENSTEREO_REQUIRE_FIXTURES=1) and skips elsewhere; GENSTEREO_SHARED_FIXTURES names the folder.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "shared_fixtures.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

// Sets (or with nullopt unsets) an environment variable for the object's lifetime.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const std::optional<std::string>& value) : name_(name) {
    const char* old = std::getenv(name);
    if (old != nullptr) old_ = old;
    if (value) {
      setenv(name, value->c_str(), 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnvironment() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

void needSharedFixtures() {
  fs::path shared;
  GENSTEREO_NEED_SHARED_FIXTURES(shared, "tiny weights");
}

TEST(SharedFixtures, RequiredInCiOrWhenAskedForOnly) {
  {
    ScopedEnvironment ci("CI", std::nullopt);
    ScopedEnvironment require("GENSTEREO_REQUIRE_FIXTURES", std::nullopt);
    EXPECT_FALSE(test::areSharedFixturesRequired());
  }
  {
    ScopedEnvironment ci("CI", std::string("true"));
    ScopedEnvironment require("GENSTEREO_REQUIRE_FIXTURES", std::nullopt);
    EXPECT_TRUE(test::areSharedFixturesRequired());
  }
  {
    ScopedEnvironment ci("CI", std::string("false"));
    ScopedEnvironment require("GENSTEREO_REQUIRE_FIXTURES", std::string("1"));
    EXPECT_TRUE(test::areSharedFixturesRequired());
  }
  {
    ScopedEnvironment ci("CI", std::string("false"));
    ScopedEnvironment require("GENSTEREO_REQUIRE_FIXTURES", std::string("0"));
    EXPECT_FALSE(test::areSharedFixturesRequired());
  }
}

TEST(SharedFixtures, TheEnvironmentNamesTheFolder) {
  test::TempDir dir;
  {
    ScopedEnvironment folder("GENSTEREO_SHARED_FIXTURES", dir.path().string());
    EXPECT_EQ(test::sharedFixturesDir(), dir.path());
  }
  {
    ScopedEnvironment folder("GENSTEREO_SHARED_FIXTURES", (dir / "absent").string());
    EXPECT_TRUE(test::sharedFixturesDir().empty());
  }
}

TEST(SharedFixtures, MissingFixturesFailInCiNamingTheFolder) {
  test::TempDir dir;
  ScopedEnvironment folder("GENSTEREO_SHARED_FIXTURES", (dir / "absent").string());
  ScopedEnvironment ci("CI", std::string("true"));
  ScopedEnvironment require("GENSTEREO_REQUIRE_FIXTURES", std::nullopt);
  const std::string message = test::missingSharedFixturesMessage("tiny weights");
  EXPECT_NE(message.find((dir / "absent").string()), std::string::npos) << message;
  EXPECT_NE(message.find("tiny weights"), std::string::npos) << message;
  EXPECT_NE(message.find("required"), std::string::npos) << message;
  EXPECT_FATAL_FAILURE(needSharedFixtures(), "fixtures are required here");
}

TEST(SharedFixtures, MissingFixturesSayTheyAreSkippedOutsideCi) {
  test::TempDir dir;
  ScopedEnvironment folder("GENSTEREO_SHARED_FIXTURES", (dir / "absent").string());
  ScopedEnvironment ci("CI", std::nullopt);
  ScopedEnvironment require("GENSTEREO_REQUIRE_FIXTURES", std::nullopt);
  const std::string message = test::missingSharedFixturesMessage("tiny weights");
  EXPECT_NE(message.find("skipped"), std::string::npos) << message;
  EXPECT_EQ(message.find("required here"), std::string::npos) << message;
}

}  // namespace
}  // namespace genstereo

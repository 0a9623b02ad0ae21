// GENSTEREO_NEED_SHARED_FIXTURES: the one way a test asks for ../shared/fixtures (the tiny
// official weights). Without them it fails in CI and skips elsewhere (test_support.h).
#pragma once

#include <gtest/gtest.h>

#include "test_support.h"

// In a test body or SetUp (returns from it): sets `dir` to sharedFixturesDir(); when that is
// absent, fails the test where fixtures are required (areSharedFixturesRequired: CI=true or
// GENSTEREO_REQUIRE_FIXTURES=1) and skips it elsewhere, saying that `what` lives there.
#define GENSTEREO_NEED_SHARED_FIXTURES(dir, what)                              \
  do {                                                                         \
    (dir) = ::genstereo::test::sharedFixturesDir();                            \
    if ((dir).empty()) {                                                       \
      if (::genstereo::test::areSharedFixturesRequired())                      \
        GTEST_FAIL() << ::genstereo::test::missingSharedFixturesMessage(what); \
      GTEST_SKIP() << ::genstereo::test::missingSharedFixturesMessage(what);   \
    }                                                                          \
  } while (false)

// Model downloads against a fake hub on 127.0.0.1 (tests/unit/hub_test_server.h): full
// download, resume, redirect with X-Linked-* headers, 404, 401 and the token, a corrupt body,
// a slow server and Cancel, a full disk, offline mode, retries. Nothing half-written is ever
// left: no final file unless verified, no .part except after a network failure.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "hub_test_server.h"
#include "model_test_catalog.h"
#include "models/hub_download.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;
using test::HubRoute;
using test::HubTestServer;
using test::TempDir;

constexpr const char* kPosePath = "/test-org/tiny-genstereo/resolve/main/pose_guider.pth";
constexpr const char* kFusionPath = "/test-org/tiny-genstereo/resolve/main/sub/fusion_layer.pth";

class ModelDownloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    files_ = test::writeTestCatalog(dir_ / "catalog");
    catalog_ = loadModelCatalog(files_.catalog_json);
    params_.hub.endpoint = hub_.baseUrl();
    params_.hub.token.clear();
    params_.hub.is_offline = false;
    params_.initial_backoff_ms = 10;
    params_.max_attempts = 3;
    params_.inspect.use_hf_cache = false;
    params_.free_space_margin_bytes = 0;
  }

  HubRoute poseRoute() const {
    HubRoute route;
    route.body = files_.pose_bytes;
    route.headers = {{"X-Linked-Etag", "\"" + files_.pose_sha256 + "\""},
                     {"X-Linked-Size", std::to_string(files_.pose_bytes.size())},
                     {"X-Repo-Commit", std::string(40, 'c')}};
    return route;
  }
  const CatalogFile& pose() const { return *catalog_.findFile("pose"); }
  const ModelManifest* poseManifest() const { return catalog_.manifestFor(pose()); }
  fs::path poseDestination() const { return models_ / "tiny" / "pose_guider.pth"; }
  fs::path posePart() const { return models_ / "tiny" / "pose_guider.pth.part"; }

  // Runs a download expected to fail with DownloadError; returns it.
  DownloadError expectDownloadError(const DownloadParams& params) {
    try {
      downloadCatalogFile(pose(), poseManifest(), models_, params);
    } catch (const DownloadError& e) {
      return e;
    }
    ADD_FAILURE() << "expected a DownloadError";
    return DownloadError(DownloadErrorKind::kWrite, "none", "", "");
  }
  void expectNothingLeft() {
    EXPECT_FALSE(fs::exists(poseDestination()));
    EXPECT_FALSE(fs::exists(posePart()));
  }

  TempDir dir_;
  fs::path models_ = dir_ / "models";
  test::TestCatalogFiles files_;
  ModelCatalog catalog_;
  HubTestServer hub_;
  DownloadParams params_;
};

TEST_F(ModelDownloadTest, FullDownloadIsVerifiedRenamedAndRecorded) {
  hub_.setRoute(kPosePath, poseRoute());
  HubRoute fusion;
  fusion.body = files_.fusion_bytes;
  hub_.setRoute(kFusionPath, fusion);
  std::vector<DownloadProgress> reports;
  params_.progress = [&](const DownloadProgress& p) { reports.push_back(p); };

  const std::vector<DownloadResult> results = downloadModels(catalog_, {"tiny"}, models_, params_);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(test::readWholeFile(poseDestination()), files_.pose_bytes);
  EXPECT_EQ(test::readWholeFile(models_ / "tiny" / "fusion_layer.pth"), files_.fusion_bytes);
  EXPECT_EQ(results[0].sha256, files_.pose_sha256);
  EXPECT_EQ(results[0].verified_against, "X-Linked-Etag");
  EXPECT_EQ(results[0].commit, std::string(40, 'c'));
  EXPECT_EQ(results[0].attempts, 1);
  EXPECT_FALSE(results[0].was_resumed);
  EXPECT_EQ(results[1].verified_against, "catalogue");  // the test catalogue pins the fusion sha256
  EXPECT_FALSE(fs::exists(posePart()));
  EXPECT_EQ(test::countEntries(models_ / "tiny"), 2);

  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.back().file_index, 1u);
  EXPECT_EQ(reports.back().file_count, 2u);
  const auto last_pose = std::find_if(reports.rbegin(), reports.rend(), [](const auto& r) { return r.file_id == "pose"; });
  ASSERT_NE(last_pose, reports.rend());
  EXPECT_EQ(last_pose->bytes_done, files_.pose_bytes.size());
  EXPECT_EQ(last_pose->bytes_total, files_.pose_bytes.size());

  DownloadRecordEntry record;
  ASSERT_TRUE(readDownloadRecord(models_, "tiny/pose_guider.pth", record));
  EXPECT_EQ(record.sha256, files_.pose_sha256);
  EXPECT_EQ(record.commit, std::string(40, 'c'));
  EXPECT_EQ(record.size_bytes, files_.pose_bytes.size());

  // Present and valid files are not fetched again.
  const std::size_t requests_before = hub_.requests().size();
  const std::vector<DownloadResult> again = downloadModels(catalog_, {"tiny"}, models_, params_);
  EXPECT_TRUE(again[0].was_skipped && again[1].was_skipped);
  EXPECT_EQ(hub_.requests().size(), requests_before);
}

TEST_F(ModelDownloadTest, ResumesAfterTheConnectionIsCut) {
  HubRoute route = poseRoute();
  route.cut_after_bytes = 300000;
  route.cuts_remaining = 1;
  hub_.setRoute(kPosePath, route);
  const DownloadResult result = downloadCatalogFile(pose(), poseManifest(), models_, params_);
  EXPECT_EQ(result.attempts, 2);
  EXPECT_EQ(test::readWholeFile(poseDestination()), files_.pose_bytes);
  const std::vector<test::RecordedRequest> requests = hub_.requestsFor(kPosePath);
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_FALSE(requests[0].has("range"));
  EXPECT_EQ(requests[1].header("range"), "bytes=300000-");
  EXPECT_FALSE(fs::exists(posePart()));
}

TEST_F(ModelDownloadTest, ResumesAPartFromAnEarlierRun) {
  hub_.setRoute(kPosePath, poseRoute());
  fs::create_directories(models_ / "tiny");
  test::writeRawFile(posePart(), files_.pose_bytes.substr(0, 123456));
  const DownloadResult result = downloadCatalogFile(pose(), poseManifest(), models_, params_);
  EXPECT_TRUE(result.was_resumed);
  EXPECT_EQ(result.sha256, files_.pose_sha256);
  EXPECT_EQ(hub_.requestsFor(kPosePath).at(0).header("range"), "bytes=123456-");
  EXPECT_EQ(test::readWholeFile(poseDestination()), files_.pose_bytes);
  EXPECT_FALSE(fs::exists(posePart()));
}

TEST_F(ModelDownloadTest, ServerIgnoringRangeRestartsCleanly) {
  HubRoute route = poseRoute();
  route.supports_range = false;
  hub_.setRoute(kPosePath, route);
  fs::create_directories(models_ / "tiny");
  test::writeRawFile(posePart(), "garbage that is not the start of the file");
  const DownloadResult result = downloadCatalogFile(pose(), poseManifest(), models_, params_);
  EXPECT_EQ(result.sha256, files_.pose_sha256);
  EXPECT_EQ(test::readWholeFile(poseDestination()), files_.pose_bytes);
}

TEST_F(ModelDownloadTest, RedirectToAnotherHostKeepsTheHubHeadersAndNotTheToken) {
  HubTestServer cdn;
  HubRoute blob;
  blob.body = files_.pose_bytes;
  cdn.setRoute("/blobs/pose", blob);
  HubRoute redirect = poseRoute();
  redirect.body.clear();
  redirect.redirect_to = cdn.baseUrl() + "/blobs/pose";
  redirect.required_token = "hf_secret";
  hub_.setRoute(kPosePath, redirect);
  params_.hub.token = "hf_secret";

  const DownloadResult result = downloadCatalogFile(pose(), poseManifest(), models_, params_);
  EXPECT_EQ(result.verified_against, "X-Linked-Etag");  // read from the hub's 302, not the CDN
  EXPECT_EQ(result.commit, std::string(40, 'c'));
  EXPECT_EQ(test::readWholeFile(poseDestination()), files_.pose_bytes);
  ASSERT_EQ(hub_.requestsFor(kPosePath).size(), 1u);
  EXPECT_EQ(hub_.requestsFor(kPosePath)[0].header("authorization"), "Bearer hf_secret");
  ASSERT_EQ(cdn.requestsFor("/blobs/pose").size(), 1u);
  EXPECT_FALSE(cdn.requestsFor("/blobs/pose")[0].has("authorization"));
}

TEST_F(ModelDownloadTest, NotFoundIsNotRetriedAndNamesFileAndUrl) {
  const DownloadError e = expectDownloadError(params_);
  EXPECT_EQ(e.kind(), DownloadErrorKind::kHttp);
  EXPECT_EQ(e.httpStatus(), 404);
  EXPECT_EQ(e.file(), "tiny/pose_guider.pth");
  EXPECT_EQ(e.url(), hub_.baseUrl() + kPosePath);
  const std::string message = e.what();
  EXPECT_NE(message.find("tiny/pose_guider.pth"), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 404, not found"), std::string::npos) << message;
  EXPECT_NE(message.find("Entry not found"), std::string::npos) << message;
  EXPECT_EQ(hub_.requests().size(), 1u);
  expectNothingLeft();
}

TEST_F(ModelDownloadTest, UnauthorisedWithoutTokenThenFineWithIt) {
  HubRoute route = poseRoute();
  route.required_token = "hf_gated";
  hub_.setRoute(kPosePath, route);
  const DownloadError e = expectDownloadError(params_);
  EXPECT_EQ(e.httpStatus(), 401);
  EXPECT_NE(std::string(e.what()).find("set HF_TOKEN"), std::string::npos) << e.what();
  EXPECT_EQ(hub_.requests().size(), 1u);
  expectNothingLeft();

  params_.hub.token = "hf_gated";
  const DownloadResult result = downloadCatalogFile(pose(), poseManifest(), models_, params_);
  EXPECT_EQ(test::readWholeFile(result.path), files_.pose_bytes);
}

TEST_F(ModelDownloadTest, CorruptBodyIsRemovedAndBothHashesNamed) {
  HubRoute route = poseRoute();
  route.body[route.body.size() / 2] ^= 0x55;
  hub_.setRoute(kPosePath, route);
  const DownloadError e = expectDownloadError(params_);
  EXPECT_EQ(e.kind(), DownloadErrorKind::kHashMismatch);
  EXPECT_EQ(e.expectedSha256(), files_.pose_sha256);
  EXPECT_EQ(e.actualSha256().size(), 64u);
  EXPECT_NE(e.actualSha256(), files_.pose_sha256);
  const std::string message = e.what();
  EXPECT_NE(message.find("tiny/pose_guider.pth"), std::string::npos);
  EXPECT_NE(message.find(files_.pose_sha256), std::string::npos);
  EXPECT_NE(message.find(e.actualSha256()), std::string::npos);
  EXPECT_NE(message.find("file removed"), std::string::npos);
  expectNothingLeft();
}

TEST_F(ModelDownloadTest, WrongModelWithMatchingHashFailsTheStructuralCheck) {
  HubRoute route;
  route.body = files_.fusion_bytes;  // another checkpoint, served under the pose guider's name
  hub_.setRoute(kPosePath, route);
  const DownloadError e = expectDownloadError(params_);
  EXPECT_EQ(e.kind(), DownloadErrorKind::kInvalidFile);
  EXPECT_NE(std::string(e.what()).find("test_pose_guider"), std::string::npos) << e.what();
  expectNothingLeft();
}

TEST_F(ModelDownloadTest, CancelOnASlowServerStopsPromptlyAndLeavesNothing) {
  HubRoute route = poseRoute();
  route.chunk_bytes = 4096;
  route.delay_per_chunk_ms = 20;  // the whole file would take about 3.6 s
  hub_.setRoute(kPosePath, route);
  std::atomic<bool> cancel{false};
  std::uint64_t bytes_seen = 0;
  params_.cancel = &cancel;
  params_.progress = [&](const DownloadProgress& p) {
    bytes_seen = p.bytes_done;
    if (p.bytes_done >= 40000) cancel = true;
  };
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(downloadCatalogFile(pose(), poseManifest(), models_, params_), CancelledError);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GE(bytes_seen, 40000u);
  EXPECT_LT(seconds, 2.0);
  expectNothingLeft();
}

TEST_F(ModelDownloadTest, TransientErrorsAreRetriedWithBackoff) {
  HubRoute route = poseRoute();
  route.fail_times = 2;
  route.fail_status = 503;
  hub_.setRoute(kPosePath, route);
  const DownloadResult result = downloadCatalogFile(pose(), poseManifest(), models_, params_);
  EXPECT_EQ(result.attempts, 3);
  EXPECT_EQ(test::readWholeFile(result.path), files_.pose_bytes);

  route.fail_times = 5;
  hub_.setRoute(kPosePath, route);
  fs::remove(poseDestination());
  const DownloadError e = expectDownloadError(params_);
  EXPECT_EQ(e.httpStatus(), 503);
  EXPECT_NE(std::string(e.what()).find("after 3 attempts"), std::string::npos) << e.what();
  expectNothingLeft();
}

TEST_F(ModelDownloadTest, NetworkFailureAfterRetriesKeepsThePartForResume) {
  HubRoute route = poseRoute();
  route.cut_after_bytes = 0;
  route.cuts_remaining = 1;
  hub_.setRoute(kPosePath, route);
  params_.max_attempts = 1;
  route.cut_after_bytes = 200000;
  hub_.setRoute(kPosePath, route);
  const DownloadError e = expectDownloadError(params_);
  EXPECT_EQ(e.kind(), DownloadErrorKind::kNetwork);
  EXPECT_NE(std::string(e.what()).find("run the download again to resume"), std::string::npos) << e.what();
  EXPECT_FALSE(fs::exists(poseDestination()));
  ASSERT_TRUE(fs::exists(posePart()));
  EXPECT_EQ(fs::file_size(posePart()), 200000u);
  const DownloadResult result = downloadCatalogFile(pose(), poseManifest(), models_, params_);
  EXPECT_TRUE(result.was_resumed);
  EXPECT_EQ(test::readWholeFile(result.path), files_.pose_bytes);
}

TEST_F(ModelDownloadTest, OfflineModeMakesNoRequest) {
  hub_.setRoute(kPosePath, poseRoute());
  params_.hub.is_offline = true;
  const DownloadError e = expectDownloadError(params_);
  EXPECT_EQ(e.kind(), DownloadErrorKind::kOffline);
  EXPECT_NE(std::string(e.what()).find("HF_HUB_OFFLINE"), std::string::npos);
  EXPECT_TRUE(hub_.requests().empty());
  expectNothingLeft();

  ::setenv("HF_HUB_OFFLINE", "1", 1);
  ::setenv("HF_ENDPOINT", "http://mirror.example/", 1);
  ::setenv("HF_TOKEN", "hf_env", 1);
  const HubSettings settings = HubSettings::fromEnvironment();
  ::unsetenv("HF_HUB_OFFLINE");
  ::unsetenv("HF_ENDPOINT");
  ::unsetenv("HF_TOKEN");
  EXPECT_TRUE(settings.is_offline);
  EXPECT_EQ(settings.endpoint, "http://mirror.example");
  EXPECT_EQ(settings.token, "hf_env");
  EXPECT_EQ(hubFileUrl(settings.endpoint, *catalog_.findFile("fusion")),
            "http://mirror.example/test-org/tiny-genstereo/resolve/main/sub/fusion_layer.pth");
}

TEST_F(ModelDownloadTest, NotEnoughDiskSpaceIsRefusedBeforeAnyRequest) {
  hub_.setRoute(kPosePath, poseRoute());
  CatalogFile huge = pose();
  huge.size_bytes = 1ull << 60;  // one exbibyte
  try {
    downloadCatalogFile(huge, poseManifest(), models_, params_);
    FAIL() << "expected a DownloadError";
  } catch (const DownloadError& e) {
    EXPECT_EQ(e.kind(), DownloadErrorKind::kDiskSpace);
    EXPECT_NE(std::string(e.what()).find("not enough free space"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(hub_.requests().empty());
  expectNothingLeft();
}

// A full disk, for real: a child process with RLIMIT_FSIZE below the file's size (writes fail
// with EFBIG, as on a full file system with ENOSPC).
TEST_F(ModelDownloadTest, DiskFullWhileWritingRemovesThePart) {
  hub_.setRoute(kPosePath, poseRoute());
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{100000, 100000};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    std::string report = "no error";
    int code = 1;
    try {
      downloadCatalogFile(pose(), poseManifest(), models_, params_);
    } catch (const DownloadError& e) {
      report = e.what();
      code = e.kind() == DownloadErrorKind::kDiskSpace ? 0 : 2;
    } catch (const std::exception& e) {
      report = e.what();
      code = 3;
    }
    [[maybe_unused]] const ssize_t written = ::write(pipe_fds[1], report.data(), report.size());
    ::_exit(code);
  }
  ::close(pipe_fds[1]);
  std::string report;
  char buffer[1024];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof(buffer))) > 0;) report.append(buffer, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << report;
  EXPECT_NE(report.find("cannot write"), std::string::npos) << report;
  EXPECT_NE(report.find("partial file removed"), std::string::npos) << report;
  expectNothingLeft();
}

}  // namespace
}  // namespace genstereo

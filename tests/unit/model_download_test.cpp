// Model downloads against a fake hub on 127.0.0.1 (tests/unit/hub_test_server.h): full
// download, resume, redirect with X-Linked-* headers, 404, 401 and the token, a corrupt body,
// a slow server and Cancel, a full disk, offline mode, retries. Nothing half-written is ever
// left: no final file unless verified, no .part except after a network failure.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
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
#include "models/hf_cache.h"
#include "models/hub_download.h"
#include "models/printable_text.h"
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
  const auto last_pose = std::find_if(reports.rbegin(), reports.rend(),
                                      [](const auto& r) { return r.file_id == "pose"; });
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

// Cancel stops promptly, writes no final file and keeps the bytes so far in the .part, which
// the next download continues (issue 23: a cancelled download never loses work).
TEST_F(ModelDownloadTest, CancelOnASlowServerStopsPromptlyAndTheNextDownloadResumes) {
  HubRoute route = poseRoute();
  route.chunk_bytes = 4096;
  route.delay_per_chunk_ms = 20;  // the whole file would take about 3.6 s
  hub_.setRoute(kPosePath, route);
  const CancelToken cancel;
  std::uint64_t bytes_seen = 0;
  params_.cancel = cancel;
  params_.progress = [&](const DownloadProgress& p) {
    bytes_seen = p.bytes_done;
    if (p.bytes_done >= 40000) cancel.cancel();
  };
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(downloadCatalogFile(pose(), poseManifest(), models_, params_), CancelledError);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GE(bytes_seen, 40000u);
  EXPECT_LT(seconds, 2.0);
  EXPECT_FALSE(fs::exists(poseDestination()));
  ASSERT_TRUE(fs::exists(posePart()));
  EXPECT_GE(fs::file_size(posePart()), 40000u);
  cancel.reset();
  params_.progress = nullptr;
  const DownloadResult result = downloadCatalogFile(pose(), poseManifest(), models_, params_);
  EXPECT_TRUE(result.was_resumed);
  EXPECT_EQ(test::readWholeFile(result.path), files_.pose_bytes);
  EXPECT_FALSE(fs::exists(posePart()));
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
  EXPECT_NE(std::string(e.what()).find("run the download again to resume"), std::string::npos)
      << e.what();
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
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof(buffer))) > 0;)
    report.append(buffer, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << report;
  EXPECT_NE(report.find("cannot write"), std::string::npos) << report;
  EXPECT_NE(report.find("partial file removed"), std::string::npos) << report;
  expectNothingLeft();
}

// ---- Issue 24 (hardening round 3) ----------------------------------------------------------

// Item 3: a .part that is a symbolic link was opened through the link, so the download wrote
// into (and, when the server ignored Range, truncated) a file outside the models folder, and
// the final model became a link to it. The link is removed, never followed.
TEST_F(ModelDownloadTest, SymlinkedPartIsReplacedNotFollowed) {
  HubRoute route = poseRoute();
  route.supports_range = false;
  hub_.setRoute(kPosePath, route);
  const fs::path victim = dir_ / "victim.txt";
  test::writeRawFile(victim, "a file outside the models folder");
  fs::create_directories(posePart().parent_path());
  fs::create_symlink(victim, posePart());

  const DownloadResult result = downloadCatalogFile(pose(), poseManifest(), models_, params_);
  EXPECT_EQ(result.sha256, files_.pose_sha256);
  EXPECT_EQ(test::readWholeFile(victim), "a file outside the models folder");
  EXPECT_FALSE(fs::is_symlink(poseDestination()));
  EXPECT_EQ(test::readWholeFile(poseDestination()), files_.pose_bytes);
  EXPECT_FALSE(fs::exists(posePart()));
}

// Item 9: a .part that is a FIFO made the download block for ever reading it.
TEST_F(ModelDownloadTest, PartThatIsAFifoIsReplaced) {
  hub_.setRoute(kPosePath, poseRoute());
  fs::create_directories(posePart().parent_path());
  ASSERT_EQ(::mkfifo(posePart().c_str(), 0644), 0);
  const DownloadResult result = downloadCatalogFile(pose(), poseManifest(), models_, params_);
  EXPECT_EQ(result.sha256, files_.pose_sha256);
  EXPECT_FALSE(result.was_resumed);
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(poseDestination())));
}

// Item 9: the token file, the download record and the Hugging Face cache's refs/main were read
// with no check: a FIFO blocked for ever, /dev/zero was read to gigabytes. Each is now read only
// when it is a small regular file.
TEST_F(ModelDownloadTest, TokenRecordAndCacheRefThatAreNotRegularFilesDoNotBlock) {
  const fs::path fifo = dir_ / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  const char* saved_token = std::getenv("HF_TOKEN");
  const std::string token_value = saved_token != nullptr ? saved_token : "";
  ::unsetenv("HF_TOKEN");
  ::unsetenv("HUGGING_FACE_HUB_TOKEN");
  ::setenv("HF_TOKEN_PATH", fifo.c_str(), 1);
  const HubSettings settings = HubSettings::fromEnvironment();
  ::setenv("HF_TOKEN_PATH", "/dev/zero", 1);
  const HubSettings zero_settings = HubSettings::fromEnvironment();
  ::unsetenv("HF_TOKEN_PATH");
  if (saved_token != nullptr) ::setenv("HF_TOKEN", token_value.c_str(), 1);
  EXPECT_TRUE(settings.token.empty());
  EXPECT_TRUE(zero_settings.token.empty());

  fs::create_directories(models_);
  ASSERT_EQ(::mkfifo(downloadRecordPath(models_).c_str(), 0644), 0);
  DownloadRecordEntry entry;
  EXPECT_FALSE(readDownloadRecord(models_, "tiny/pose_guider.pth", entry));

  const fs::path cache = dir_ / "hub";
  const fs::path repo = cache / hfCacheRepoFolderName("test-org/tiny-genstereo");
  const std::string commit(40, 'a');
  fs::create_directories(repo / "snapshots" / commit);
  fs::create_directories(repo / "refs");
  test::writeRawFile(repo / "snapshots" / commit / "pose_guider.pth", files_.pose_bytes);
  fs::create_symlink("/dev/zero", repo / "refs" / "main");
  const std::optional<HfCacheHit> hit =
      findInHfCache(cache, "test-org/tiny-genstereo", "main", "pose_guider.pth");
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->commit, commit);
}

// Item 17: a CR or LF in the token would add a header to the request; refused before any.
TEST_F(ModelDownloadTest, TokenWithALineBreakIsRefused) {
  hub_.setRoute(kPosePath, poseRoute());
  params_.hub.token = "hf_abc\r\nX-Injected: yes";
  const DownloadError e = expectDownloadError(params_);
  EXPECT_EQ(e.kind(), DownloadErrorKind::kSettings);
  EXPECT_NE(std::string(e.what()).find("control character"), std::string::npos) << e.what();
  EXPECT_EQ(std::string(e.what()).find("hf_abc"), std::string::npos) << e.what();
  EXPECT_TRUE(hub_.requests().empty());
  expectNothingLeft();
}

// Item 17: errors printed the endpoint's user:password@ and a CDN's signed query, and the
// server's X-Error-Message raw (terminal escapes, any length).
TEST_F(ModelDownloadTest, ErrorsShowNoCredentialsNoSignedQueryAndPrintableServerText) {
  HubTestServer cdn;
  HubRoute redirect = poseRoute();
  redirect.body.clear();
  redirect.redirect_to =
      cdn.baseUrl() + "/blobs/pose?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA";
  hub_.setRoute(kPosePath, redirect);
  params_.hub.endpoint = "http://alice:s3cret@127.0.0.1:" + std::to_string(hub_.port());
  const DownloadError cdn_error = expectDownloadError(params_);
  const std::string message = cdn_error.what();
  EXPECT_EQ(cdn_error.httpStatus(), 404);
  for (const char* secret : {"s3cret", "alice", "deadbeef", "AKIA", "X-Amz-Signature"}) {
    EXPECT_EQ(message.find(secret), std::string::npos) << secret << " in: " << message;
    EXPECT_EQ(cdn_error.url().find(secret), std::string::npos)
        << secret << " in: " << cdn_error.url();
  }
  EXPECT_NE(message.find(cdn.baseUrl() + "/blobs/pose?[query removed]"), std::string::npos)
      << message;
  ASSERT_EQ(hub_.requestsFor(kPosePath).size(), 1u);  // the credentials themselves were used
  expectNothingLeft();

  HubRoute hostile;
  hostile.status = 403;
  hostile.headers = {{"X-Error-Message", "\x1b]0;owned\x07\x1b[2J" + std::string(20000, 'A')}};
  hub_.setRoute(kPosePath, hostile);
  params_.hub.endpoint = hub_.baseUrl();
  const std::string hostile_message = expectDownloadError(params_).what();
  EXPECT_EQ(hostile_message.find('\x1b'), std::string::npos);
  EXPECT_EQ(hostile_message.find('\x07'), std::string::npos);
  EXPECT_NE(hostile_message.find("(server: \\x1B]0;owned\\x07\\x1B[2J"), std::string::npos)
      << hostile_message;
  EXPECT_LT(hostile_message.size(), 1000u);
}

TEST(PrintableText, EscapesControlsAndBadUtf8KeepsUtf8AndBounds) {
  EXPECT_EQ(printableText("plain text"), "plain text");
  EXPECT_EQ(printableText("caf\xC3\xA9 \xE2\x9C\x93"), "caf\xC3\xA9 \xE2\x9C\x93");  // UTF-8 kept
  EXPECT_EQ(printableText("a\x1b[31mb\r\n"), "a\\x1B[31mb\\x0D\\x0A");
  EXPECT_EQ(printableText("\xC2\x9B"
                          "2J"),
            "\\xC2\\x9B2J");  // C1 CSI
  EXPECT_EQ(printableText("bad \xFF\xC3"), "bad \\xFF\\xC3");
  EXPECT_EQ(printableText(std::string(100, 'x'), 10), std::string(10, 'x') + "...");
  EXPECT_TRUE(hasControlCharacter("a\nb"));
  EXPECT_FALSE(hasControlCharacter("hf_abc"));
}

TEST(RedactUrl, RemovesUserInfoQueryAndFragment) {
  EXPECT_EQ(redactUrl("https://user:pw@host:8080/a/b?X-Amz-Signature=1#f"),
            "https://host:8080/a/b?[query removed]");
  EXPECT_EQ(redactUrl("https://host/a@b/c"), "https://host/a@b/c");
  EXPECT_EQ(redactUrl("http://token@host"), "http://host");
  EXPECT_EQ(redactUrl("https://host/path#frag"), "https://host/path");
  EXPECT_EQ(redactUrl("https://huggingface.co/r/resolve/main/f.pth"),
            "https://huggingface.co/r/resolve/main/f.pth");
}

}  // namespace
}  // namespace genstereo

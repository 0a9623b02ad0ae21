// All-or-nothing output sets and the sweep of stale temporaries (issue 14, classes 10, 11).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <unistd.h>

#include "errors.h"
#include "genstereo/engine.h"
#include "io/atomic_write.h"
#include "io/disparity_io.h"
#include "io/image_io.h"
#include "io/output_transaction.h"
#include "io/stereo_export.h"
#include "pipeline/generate_job.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeText(const fs::path& path, const std::string& text) {
  writeBytesAtomically(path, std::vector<std::uint8_t>(text.begin(), text.end()));
}

TEST(OutputTransaction, NothingIsPublishedBeforeCommit) {
  test::TempDir dir;
  writeText(dir / "a.txt", "old a");
  {
    OutputTransaction transaction;
    writeText(dir / "a.txt", "new a");
    writeText(dir / "b.txt", "new b");
    EXPECT_EQ(readAll(dir / "a.txt"), "old a");
    EXPECT_FALSE(fs::exists(dir / "b.txt"));
    EXPECT_EQ(transaction.stagedDestinations().size(), 2u);
    transaction.commit();
  }
  EXPECT_EQ(readAll(dir / "a.txt"), "new a");
  EXPECT_EQ(readAll(dir / "b.txt"), "new b");
  EXPECT_EQ(test::countEntries(dir.path()), 2);  // no temporary, no backup
}

TEST(OutputTransaction, AFailureMidSetKeepsTheOldSet) {
  test::TempDir dir;
  writeText(dir / "a.txt", "old a");
  writeText(dir / "b.txt", "old b");
  try {
    OutputTransaction transaction;
    writeText(dir / "a.txt", "new a");
    writeFileAtomically(dir / "b.txt", [](const fs::path&) { throw OutputError("disk full"); });
    transaction.commit();
    FAIL() << "no error";
  } catch (const OutputError&) {
  }
  EXPECT_EQ(readAll(dir / "a.txt"), "old a");
  EXPECT_EQ(readAll(dir / "b.txt"), "old b");
  EXPECT_EQ(test::countEntries(dir.path()), 2);
}

TEST(OutputTransaction, ARenameFailureDuringCommitRestoresTheOldSet) {
  test::TempDir dir;
  writeText(dir / "a.txt", "old a");
  fs::create_directory(dir / "b.txt");  // a folder where a file must go: rename fails
  test::writeRawFile(dir / "b.txt" / "keep", "x");
  OutputTransaction transaction;
  writeText(dir / "a.txt", "new a");
  writeText(dir / "b.txt", "new b");
  EXPECT_THROW(transaction.commit(), OutputError);
  EXPECT_EQ(readAll(dir / "a.txt"), "old a");
  EXPECT_TRUE(fs::is_directory(dir / "b.txt"));
  EXPECT_EQ(test::countEntries(dir.path()), 2);
}

TEST(OutputTransaction, ACancelRollsBack) {
  test::TempDir dir;
  std::atomic<bool> cancel{false};
  OutputTransaction transaction(&cancel);
  writeText(dir / "a.txt", "new a");
  cancel = true;
  EXPECT_THROW(transaction.commit(), CancelledError);
  EXPECT_EQ(test::countEntries(dir.path()), 0);
}

// An export of two files (a separate pair) inside a caller's transaction joins it.
TEST(OutputTransaction, StereoExportJoinsTheCallersSet) {
  test::TempDir dir;
  const cv::Mat left = test::makeTestImage(16, 8, 1);
  const cv::Mat right = test::makeTestImage(16, 8, 2);
  {
    OutputTransaction transaction;
    const auto written = exportStereo(left, right, ExportFormat::kSeparatePair, dir.path(), "x", ExportOptions{});
    EXPECT_EQ(written.size(), 2u);
    EXPECT_EQ(test::countEntries(dir.path()), 2);  // the two staged temporaries only
    for (const fs::path& path : written) EXPECT_FALSE(fs::exists(path));
    // Destroyed without commit: rolled back.
  }
  EXPECT_EQ(test::countEntries(dir.path()), 0);
}

std::map<fs::path, std::string> folderContents(const fs::path& folder) {
  std::map<fs::path, std::string> contents;
  for (const auto& entry : fs::directory_iterator(folder)) contents[entry.path()] = readAll(entry.path());
  return contents;
}

// A generate whose composite fails at export time used to leave the new views beside the old
// composite (a mixed set). Now the previous set stays exactly as it was.
TEST(OutputTransaction, AFailedGenerateLeavesThePreviousSetUntouched) {
  test::TempDir dir;
  writeDisparity(dir / "d.pfm", makeDisparityMap(cv::Mat(24, 32, CV_32FC1, cv::Scalar(3.0f))));
  GenerateJob job;
  job.image = dir / "photo.png";
  job.disparity = dir / "d.pfm";
  job.out_dir = dir / "out";
  writeImage(job.image, test::makeTestImage(32, 24, 1));
  StereoEngine engine;
  runGenerateJob(engine, job);
  const auto before = folderContents(job.out_dir);
  ASSERT_GE(before.size(), 2u);
  writeImage(job.image, test::makeTestImage(32, 24, 2));  // new content for every output
  job.export_options.image_extension = "gif";               // fails in the export step
  EXPECT_THROW(runGenerateJob(engine, job), Error);
  EXPECT_EQ(folderContents(job.out_dir), before);
  // And a cancel once the views are made, before they are written: the same.
  job.export_options.image_extension = "png";
  const CancelToken cancel = job.run.cancel;
  job.run.on_progress = [cancel](const RunProgress& p) {
    if (p.stage == RunStage::kDone) cancel.cancel();
  };
  EXPECT_THROW(runGenerateJob(engine, job), CancelledError);
  EXPECT_EQ(folderContents(job.out_dir), before);
  job.run.cancel = CancelToken();
  job.run.on_progress = nullptr;
  runGenerateJob(engine, job);
  EXPECT_NE(folderContents(job.out_dir), before);
  EXPECT_EQ(folderContents(job.out_dir).size(), before.size());
}

TEST(StaleTemporaries, OnlyDeadWritersOlderFilesOfOurNamingAreSwept) {
  test::TempDir dir;
  const auto old_time = fs::file_time_type::clock::now() - std::chrono::hours(1);
  // "Newer" files get a time well after this process started: file times are coarse (a
  // file written right after the start can carry a time before it).
  const auto new_time = fs::file_time_type::clock::now() + std::chrono::hours(1);
  const auto make = [&](const std::string& name, bool is_old) {
    test::writeRawFile(dir / name, "x");
    fs::last_write_time(dir / name, is_old ? old_time : new_time);
  };
  make(".left.tmp-999999999-3.png", true);   // dead writer, older than us: swept
  make(".batch.old-999999998-0.json", true);  // a backup of a killed commit: swept
  make(".left.tmp-999999997-4.png", false);  // newer than this process: kept
  make(".mine.tmp-" + std::to_string(::getpid()) + "-0.png", true);  // ours, running: kept
  make(".x.tmp-1-0.png", true);                // pid 1 is running: kept
  make("photo.tmp-999999999-3.png", true);     // not hidden: foreign, kept
  make(".notes.tmp-abc-1.txt", true);          // not our pattern: kept
  make("left.png", true);
  EXPECT_TRUE(isOwnTemporaryName(".left.tmp-12-0.png"));
  EXPECT_FALSE(isOwnTemporaryName(".left.tmp-12.png"));
  const auto removed = sweepStaleTemporaries(dir.path());
  EXPECT_EQ(removed.size(), 2u);
  EXPECT_FALSE(fs::exists(dir / ".left.tmp-999999999-3.png"));
  EXPECT_FALSE(fs::exists(dir / ".batch.old-999999998-0.json"));
  EXPECT_EQ(test::countEntries(dir.path()), 6);
}

}  // namespace
}  // namespace genstereo

// All-or-nothing output sets and the sweep of stale temporaries (issue 14, classes 10, 11).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <sys/stat.h>

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
  writeText(dir / "b.txt", "old b");
  OutputTransaction transaction;
  writeText(dir / "a.txt", "new a");
  writeText(dir / "b.txt", "new b");
  // b's staged temporary disappears: its rename fails after a.txt was replaced.
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    if (entry.path().filename().string().rfind(".b.genstereo-tmp-", 0) == 0)
      fs::remove(entry.path());
  }
  EXPECT_THROW(transaction.commit(), OutputError);
  EXPECT_EQ(readAll(dir / "a.txt"), "old a");
  EXPECT_EQ(readAll(dir / "b.txt"), "old b");
  EXPECT_EQ(test::countEntries(dir.path()), 2);  // no backup or temporary left
}

// A destination that became a folder (or a device, FIFO or link) after it was staged is
// refused before any file of the set is replaced.
TEST(OutputTransaction, ADestinationThatBecameAFolderIsRefusedBeforeAnyRename) {
  test::TempDir dir;
  writeText(dir / "a.txt", "old a");
  OutputTransaction transaction;
  writeText(dir / "a.txt", "new a");
  writeText(dir / "b.txt", "new b");
  fs::create_directory(dir / "b.txt");
  test::writeRawFile(dir / "b.txt" / "keep", "x");
  EXPECT_THROW(transaction.commit(), OutputError);
  EXPECT_EQ(readAll(dir / "a.txt"), "old a");
  EXPECT_TRUE(fs::is_directory(dir / "b.txt"));
  EXPECT_EQ(test::countEntries(dir.path()), 2);
}

TEST(OutputTransaction, ACancelRollsBack) {
  test::TempDir dir;
  const CancelToken cancel;
  OutputTransaction transaction(cancel);
  writeText(dir / "a.txt", "new a");
  cancel.cancel();
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
    const auto written =
        exportStereo(left, right, ExportFormat::kSeparatePair, dir.path(), "x", ExportOptions{});
    EXPECT_EQ(written.size(), 2u);
    EXPECT_EQ(test::countEntries(dir.path()), 2);  // the two staged temporaries only
    for (const fs::path& path : written) EXPECT_FALSE(fs::exists(path));
    // Destroyed without commit: rolled back.
  }
  EXPECT_EQ(test::countEntries(dir.path()), 0);
}

std::map<fs::path, std::string> folderContents(const fs::path& folder) {
  std::map<fs::path, std::string> contents;
  for (const auto& entry : fs::directory_iterator(folder))
    contents[entry.path()] = readAll(entry.path());
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
  job.export_options.image_extension = "gif";             // fails in the export step
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
  make(".left.genstereo-tmp-999999999-3.png", true);  // dead writer, older than us: swept
  make("batch.json", true);
  make(".batch.genstereo-old-999999998-0.json",
       true);  // a killed commit's backup, batch.json there: swept
  make(".left.genstereo-tmp-999999997-4.png", false);  // newer than this process: kept
  make(".mine.genstereo-tmp-" + std::to_string(::getpid()) + "-0.png",
       true);                                         // ours, running: kept
  make(".x.genstereo-tmp-1-0.png", true);             // pid 1 is running: kept
  make("photo.genstereo-tmp-999999999-3.png", true);  // not hidden: foreign, kept
  make(".notes.genstereo-tmp-abc-1.txt", true);       // not our pattern: kept
  make("left.png", true);
  TemporaryName name;
  EXPECT_TRUE(isOwnTemporaryName(".left.genstereo-tmp-12-0.png", &name));
  EXPECT_EQ(name.destination_name, "left.png");
  EXPECT_EQ(name.pid, 12);
  EXPECT_FALSE(name.is_backup);
  EXPECT_FALSE(isOwnTemporaryName(".left.genstereo-tmp-12.png"));
  const auto removed = sweepStaleTemporaries(dir.path());
  EXPECT_EQ(removed.size(), 2u);
  EXPECT_FALSE(fs::exists(dir / ".left.genstereo-tmp-999999999-3.png"));
  EXPECT_FALSE(fs::exists(dir / ".batch.genstereo-old-999999998-0.json"));
  EXPECT_EQ(test::countEntries(dir.path()), 7);
}

// Issue 24, item 11: hidden files of other programs that merely look like temporaries
// (".X.tmp-PID-N.ext", ".X.old-PID-N.ext") are user files: the sweep never deletes them.
TEST(StaleTemporaries, HiddenFilesOfOtherProgramsAreNeverDeleted) {
  test::TempDir dir;
  const auto old_time = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (const std::string name : {".holiday.tmp-999999999-3.png", ".notes.old-999999998-0.json",
                                 ".draft.tmp-999999999-0", ".x.genstereotmp-999999999-0.png"}) {
    test::writeRawFile(dir / name, "user data");
    fs::last_write_time(dir / name, old_time);
    EXPECT_FALSE(isOwnTemporaryName(name)) << name;
  }
  EXPECT_TRUE(sweepStaleTemporaries(dir.path()).empty());
  EXPECT_EQ(test::countEntries(dir.path()), 4);
  // What the writers name their temporaries is recognised.
  EXPECT_TRUE(isOwnTemporaryName(temporaryPathFor(dir / "p_right.png").filename().string()));
  EXPECT_TRUE(isOwnTemporaryName(temporaryPathFor(dir / "batch.json", "old").filename().string()));
}

// Issue 24, item 18: a commit killed between moving an old file aside and putting the new one
// in place left the destination missing; the sweep restores the old file instead of deleting it.
TEST(StaleTemporaries, AMovedAsideOldFileWhoseDestinationIsMissingIsRestored) {
  test::TempDir dir;
  const auto old_time = fs::file_time_type::clock::now() - std::chrono::hours(1);
  test::writeRawFile(dir / ".p_right.genstereo-old-999999998-0.png", "old right");
  fs::last_write_time(dir / ".p_right.genstereo-old-999999998-0.png", old_time);
  sweepStaleTemporaries(dir.path());
  EXPECT_EQ(readAll(dir / "p_right.png"), "old right");
  EXPECT_EQ(test::countEntries(dir.path()), 1);
}

// Issue 24, item 18 (behaviour, not a regression test: a kill mid-commit cannot be staged
// here; the sweep test above is the regression test): commit renames each new file over its
// old one and leaves neither a temporary nor a backup.
TEST(OutputTransaction, CommitReplacesEachFileInPlace) {
  test::TempDir dir;
  writeText(dir / "a.txt", "old a");
  std::ifstream held(dir / "a.txt");  // the old inode stays readable to a reader that has it open
  {
    OutputTransaction transaction;
    writeText(dir / "a.txt", "new a");
    writeText(dir / "b.txt", "new b");
    transaction.commit();
  }
  EXPECT_EQ(readAll(dir / "a.txt"), "new a");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(held), {}), "old a");
  EXPECT_EQ(test::countEntries(dir.path()), 2);
}

// Issue 24, item 1: atomic writers never rename over a device, FIFO, symbolic link or folder,
// nor over a file the running job reads.
TEST(AtomicWrite, RefusesToReplaceNonRegularFilesAndProtectedInputs) {
  test::TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo.json").c_str(), 0644), 0);
  fs::create_symlink(dir / "target.json", dir / "link.json");
  writeText(dir / "target.json", "target");
  for (const char* name : {"fifo.json", "link.json"}) {
    EXPECT_THROW(writeText(dir / name, "x"), OutputError) << name;
  }
  EXPECT_TRUE(fs::is_fifo(dir / "fifo.json"));
  EXPECT_TRUE(fs::is_symlink(dir / "link.json"));
  EXPECT_EQ(readAll(dir / "target.json"), "target");
  struct stat null_info {};
  ASSERT_EQ(::stat("/dev/null", &null_info), 0);
  EXPECT_THROW(checkReplaceableDestination("/dev/null", "--json"), OutputError);
  {
    const ProtectedInputs inputs({dir / "target.json"}, "the depth map");
    try {
      writeText(dir / "." / "target.json", "overwritten");
      FAIL() << "an input was replaced";
    } catch (const OutputError& e) {
      EXPECT_NE(std::string(e.what()).find("the depth map"), std::string::npos) << e.what();
    }
    EXPECT_EQ(readAll(dir / "target.json"), "target");
  }
  writeText(dir / "target.json", "free again");
  EXPECT_EQ(readAll(dir / "target.json"), "free again");
  EXPECT_EQ(test::countEntries(dir.path()), 3);  // no temporary left
}

}  // namespace
}  // namespace genstereo

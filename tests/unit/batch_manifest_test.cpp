// Batch inputs: manifest parsing (CSV and JSON Lines) with line-numbered errors, folder scans
// with the sidecar naming convention, and item ids.
#include <gtest/gtest.h>

#include <string>

#include "batch/batch_inputs.h"
#include "errors.h"
#include "test_support.h"

namespace genstereo {
namespace {
namespace fs = std::filesystem;

// Expects readBatchManifest to throw an InputError whose message contains every part.
void expectManifestError(const fs::path& manifest, const std::vector<std::string>& parts) {
  try {
    readBatchManifest(manifest);
    FAIL() << "no error for " << manifest;
  } catch (const InputError& e) {
    const std::string message = e.what();
    for (const std::string& part : parts) {
      EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message;
    }
  }
}

class ManifestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"a.png", "b.png", "a.pfm", "b_depth.png"})
      test::writeRawFile(dir_ / name, "x");
    fs::create_directories(dir_ / "sub");
    test::writeRawFile(dir_ / "sub" / "c d.png", "x");
  }
  fs::path write(const std::string& name, const std::string& text) {
    test::writeRawFile(dir_ / name, text);
    return dir_ / name;
  }
  test::TempDir dir_;
};

TEST_F(ManifestTest, CsvRowsResolvedAgainstTheManifestFolder) {
  const fs::path manifest = write("list.csv",
                                  "image,disparity,depth,id\n"
                                  "# a comment\n"
                                  "a.png,a.pfm,,\n"
                                  "\"b.png\",,b_depth.png,bee\n"
                                  "\n"
                                  "sub/c d.png,,,\n");
  const std::vector<BatchItem> items = readBatchManifest(manifest);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].id, "a");
  EXPECT_EQ(items[0].image, dir_ / "a.png");
  ASSERT_TRUE(items[0].disparity.has_value());
  EXPECT_EQ(*items[0].disparity, dir_ / "a.pfm");
  EXPECT_EQ(items[1].id, "bee");
  ASSERT_TRUE(items[1].depth.has_value());
  EXPECT_FALSE(items[1].disparity.has_value());
  EXPECT_EQ(items[2].id, "sub__c_d");
  EXPECT_NE(items[2].missing_maps.find("list.csv line 6"), std::string::npos)
      << items[2].missing_maps;
}

TEST_F(ManifestTest, JsonLinesRows) {
  const fs::path manifest =
      write("list.jsonl",
            "{\"image\": \"a.png\", \"disparity\": \"a.pfm\"}\n"
            "{\"image\": \"b.png\", \"depth\": \"b_depth.png\", \"disparity\": null}\n");
  const std::vector<BatchItem> items = readBatchManifest(manifest);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].id, "a");
  EXPECT_TRUE(items[1].depth.has_value());
}

TEST_F(ManifestTest, CsvErrorsNameTheLine) {
  expectManifestError(write("m1.csv", "disparity\na.pfm\n"),
                      {"m1.csv line 1", "no 'image' column"});
  expectManifestError(write("m2.csv", "image,disparty\na.png,a.pfm\n"),
                      {"m2.csv line 1", "unknown column 'disparty'"});
  expectManifestError(write("m3.csv", "image,disparity\na.png,a.pfm\n\n,a.pfm\n"),
                      {"m3.csv line 4", "column 'image' is empty"});
  expectManifestError(write("m4.csv", "image,disparity\na.png,a.pfm\nmissing.png,a.pfm\n"),
                      {"m4.csv line 3", "image 'missing.png' does not exist"});
  expectManifestError(write("m5.csv", "image,disparity\na.png,nowhere.pfm\n"),
                      {"m5.csv line 2", "disparity 'nowhere.pfm' does not exist"});
  expectManifestError(write("m6.csv", "image,disparity\na.png,a.pfm,extra\n"),
                      {"m6.csv line 2", "3 fields, but the header has 2"});
  expectManifestError(write("m7.csv", "image,disparity,depth\na.png,a.pfm,b_depth.png\n"),
                      {"m7.csv line 2", "both 'disparity' and 'depth'"});
  expectManifestError(write("m8.csv", "image,disparity\n\"a.png,a.pfm\n"),
                      {"m8.csv line 2", "unterminated"});
  expectManifestError(write("m9.csv", "image,id\na.png,x\nb.png,x\n"),
                      {"line 2", "line 3", "item id 'x'"});
  expectManifestError(write("m10.csv", "image,id\na.png,../up\n"),
                      {"m10.csv line 2", "id '../up'"});
}

TEST_F(ManifestTest, JsonLinesErrorsNameTheLine) {
  expectManifestError(write("j1.jsonl", "{\"image\": \"a.png\"}\n{\"image\": \"b.png\",}\n"),
                      {"j1.jsonl line 2", "not valid JSON"});
  expectManifestError(write("j2.jsonl", "{\"disparity\": \"a.pfm\"}\n"),
                      {"j2.jsonl line 1", "key 'image' is missing"});
  expectManifestError(write("j3.jsonl", "{\"image\": \"\"}\n"),
                      {"j3.jsonl line 1", "column 'image' is empty"});
  expectManifestError(write("j4.jsonl", "\n{\"image\": \"gone.png\"}\n"),
                      {"j4.jsonl line 2", "'gone.png' does not exist"});
  expectManifestError(write("j5.jsonl", "{\"image\": \"a.png\", \"dept\": \"x\"}\n"),
                      {"j5.jsonl line 1", "unknown key 'dept'"});
  expectManifestError(write("j6.jsonl", "[1, 2]\n"), {"j6.jsonl line 1", "expected a JSON object"});
  expectManifestError(write("j7.jsonl", "{\"image\": 3}\n"),
                      {"j7.jsonl line 1", "'image' must be a string"});
  // Found by fuzz_manifest_jsonl: a number beyond double escaped as a non-InputError.
  expectManifestError(write("j8.jsonl", "1e5151\n"), {"j8.jsonl line 1", "not valid JSON"});
}

TEST_F(ManifestTest, MissingOrEmptyManifest) {
  expectManifestError(dir_ / "none.csv", {"none.csv", "does not exist"});
  expectManifestError(write("empty.csv", "image,disparity\n"), {"empty.csv", "lists no item"});
  expectManifestError(write("list.txt", "image\na.png\n"), {"list.txt", "unknown extension"});
}

TEST(BatchItemIds, SanitisedAndStable) {
  EXPECT_EQ(makeItemId("scenes/a b/img01"), "scenes__a_b__img01");
  EXPECT_EQ(makeItemId("../x/./y"), "x__y");
  EXPECT_EQ(makeItemId(".hidden"), "_hidden");
  // Non-ASCII names (issue 14, class 13): one '_' per character plus a hash, so that names
  // in other scripts stay distinct, and stable from run to run.
  EXPECT_EQ(makeItemId("é").substr(0, 2), "_-");
  EXPECT_EQ(makeItemId("é").size(), 11u);
  EXPECT_TRUE(isValidItemId(makeItemId("写真/風景")));
  EXPECT_NE(makeItemId("写真"), makeItemId("風景"));
  EXPECT_NE(makeItemId("a/写真"), makeItemId("a/風景"));
  EXPECT_EQ(makeItemId("写真"), makeItemId("写真"));
  EXPECT_TRUE(isValidItemId("kitti-000001_10.v2"));
  EXPECT_FALSE(isValidItemId(".x"));
  EXPECT_FALSE(isValidItemId("a/b"));
  EXPECT_FALSE(isValidItemId(""));
}

TEST(BatchFolderScan, SidecarsDisparityDirAndMissingMaps) {
  test::TempDir dir;
  const fs::path root = dir / "in";
  fs::create_directories(root / "scene" / ".hidden");
  fs::create_directories(dir / "disp" / "scene");
  for (const char* name :
       {"a.png", "a.disp.pfm", "b.jpg", "b_depth.png", "c.webp", "d.png", "d_disp.png", "notes.txt",
        "scene/e.tif", "scene/.hidden/f.png", "scene/.g.png"}) {
    test::writeRawFile(root / name, "x");
  }
  test::writeRawFile(dir / "disp" / "scene" / "e.npy", "x");
  FolderScanOptions options;
  options.root = root;
  options.disparity_dir = dir / "disp";
  const std::vector<BatchItem> items = scanBatchFolder(options);
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0].id, "a");
  EXPECT_EQ(*items[0].disparity, root / "a.disp.pfm");
  EXPECT_EQ(items[1].id, "b");
  EXPECT_EQ(*items[1].depth, root / "b_depth.png");
  EXPECT_EQ(items[2].id, "c");
  EXPECT_FALSE(items[2].disparity || items[2].depth);
  EXPECT_NE(items[2].missing_maps.find("c.disp.{pfm,png,tif,tiff,npy}"), std::string::npos)
      << items[2].missing_maps;
  EXPECT_NE(items[2].missing_maps.find("c_depth"), std::string::npos);
  EXPECT_EQ(items[3].id, "d");
  EXPECT_EQ(*items[3].disparity, root / "d_disp.png");
  EXPECT_EQ(items[4].id, "scene__e");
  EXPECT_EQ(*items[4].disparity, dir / "disp" / "scene" / "e.npy");
}

// Issue 14, class 13: photos named in another script used to collapse to the same id.
TEST(BatchFolderScan, NonAsciiNamesGiveDistinctIds) {
  test::TempDir dir;
  for (const char* name :
       {"写真.png", "写真.disp.pfm", "風景.png", "風景.disp.pfm", "été.png", "été.disp.pfm"}) {
    test::writeRawFile(dir / name, "x");
  }
  const std::vector<BatchItem> items =
      scanBatchFolder({dir.path(), std::nullopt, std::nullopt, {}});
  ASSERT_EQ(items.size(), 3u);
  EXPECT_NE(items[0].id, items[1].id);
  EXPECT_NE(items[1].id, items[2].id);
  for (const BatchItem& item : items) EXPECT_TRUE(isValidItemId(item.id)) << item.id;
}

// Issue 14, class 15: a missing folder is not called a manifest.
TEST(BatchInputs, MissingFolderIsNotCalledAManifest) {
  test::TempDir dir;
  try {
    readBatchManifest(dir / "photos");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("batch input '"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("a folder of photos"), std::string::npos) << e.what();
  }
}

// Issue 25: a pair folder of the eval layout (left.png, right.png, disp_left.pfm, mask_nocc.png)
// contributes its left.png only; the mask used to fail as a "photo without a map". Outside a
// pair folder, a file named like a mask is still a photo.
TEST(BatchFolderScan, EvalPairFolderGivesItsLeftPhotoOnly) {
  test::TempDir dir;
  fs::create_directories(dir / "pair");
  fs::create_directories(dir / "photos");
  for (const char* name :
       {"pair/left.png", "pair/right.png", "pair/disp_left.pfm", "pair/mask_nocc.png",
        "photos/mask_nocc.png", "photos/mask_nocc_disp.pfm"}) {
    test::writeRawFile(dir / name, "x");
  }
  const std::vector<BatchItem> items =
      scanBatchFolder({dir.path(), std::nullopt, std::nullopt, {}});
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].id, "pair__left");
  EXPECT_EQ(items[0].image, dir / "pair" / "left.png");
  ASSERT_TRUE(items[0].disparity.has_value());
  EXPECT_EQ(*items[0].disparity, dir / "pair" / "disp_left.pfm");
  EXPECT_EQ(items[1].id, "photos__mask_nocc");
  EXPECT_TRUE(items[1].missing_maps.empty()) << items[1].missing_maps;
}

TEST(BatchFolderScan, DuplicateIdsAndEmptyFolders) {
  test::TempDir dir;
  test::writeRawFile(dir / "x.png", "x");
  test::writeRawFile(dir / "x.jpg", "x");
  try {
    scanBatchFolder({dir.path(), std::nullopt, std::nullopt, {}});
    FAIL() << "duplicate ids accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("item id 'x'"), std::string::npos) << e.what();
  }
  test::TempDir empty;
  EXPECT_THROW(scanBatchFolder({empty.path(), std::nullopt, std::nullopt, {}}), InputError);
  EXPECT_THROW(scanBatchFolder({empty / "nope", std::nullopt, std::nullopt, {}}), InputError);
}

}  // namespace
}  // namespace genstereo

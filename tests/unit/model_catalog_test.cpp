// The model catalogue: the built-in one is complete and honest about what it does not know,
// overrides work, malformed catalogues are refused with the entry named, and the suggested
// download command names the right model.
#include <cstdlib>

#include <gtest/gtest.h>

#include "errors.h"
#include "model_test_catalog.h"
#include "models/model_catalog.h"
#include "models/model_inventory.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

TEST(ModelCatalog, BuiltInHasEveryModelAndFile) {
  const ModelCatalog catalog = builtinModelCatalog();
  EXPECT_EQ(catalog.source, "built-in");
  EXPECT_EQ(catalog.modelIdList(),
            "depth-small, depth-base, depth-large, video-depth-small, video-depth-base, "
            "video-depth-large, sd15, "
            "sd21");
  EXPECT_EQ(catalog.files.size(), 16u);
  EXPECT_EQ(catalog.filesOf({"depth-small"}).size(), 1u);
  ASSERT_EQ(catalog.filesOf({"video-depth-small"}).size(), 1u);
  EXPECT_EQ(catalog.filesOf({"video-depth-small"})[0]->repo,
            "depth-anything/Video-Depth-Anything-Small");
  EXPECT_EQ(catalog.filesOf({"video-depth-small"})[0]->local_name, "video_depth_anything_vits.pth");
  const std::vector<const CatalogFile*> sd21 = catalog.filesOf({"sd21"});
  ASSERT_EQ(sd21.size(), 6u);
  std::vector<std::string> names;
  for (const CatalogFile* file : sd21) names.push_back(file->local_name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "genstereo-v2.1/reference_unet.pth", "genstereo-v2.1/denoising_unet.pth",
                       "genstereo-v2.1/pose_guider.pth", "genstereo-v2.1/fusion_layer.pth",
                       "sd-vae-ft-mse/diffusion_pytorch_model.safetensors",
                       "image_encoder/pytorch_model.bin"}));
  EXPECT_EQ(sd21[0]->repo, "FQiao/GenStereo-sd2.1");
  EXPECT_EQ(catalog.filesOf({"sd15"})[0]->repo, "FQiao/GenStereo");
  EXPECT_EQ(sd21[5]->repo, "lambdalabs/sd-image-variations-diffusers");
  EXPECT_EQ(sd21[5]->path, "image_encoder/pytorch_model.bin");
  // sd15 and sd21 share the VAE and the image encoder: asking for both lists them once.
  EXPECT_EQ(catalog.filesOf({"sd15", "sd21"}).size(), 10u);
}

TEST(ModelCatalog, BuiltInInventsNothing) {
  for (const CatalogFile& file : builtinModelCatalog().files) {
    SCOPED_TRACE(file.id);
    EXPECT_EQ(file.revision, "main");
    EXPECT_FALSE(file.is_revision_pinned);
    EXPECT_TRUE(file.sha256.empty());
    EXPECT_TRUE(file.is_size_approximate);
    EXPECT_GT(file.size_bytes, 0u);
    EXPECT_FALSE(file.manifest.empty());
    EXPECT_TRUE(file.license.empty() != file.license_note.empty() || !file.license.empty());
  }
}

TEST(ModelCatalog, DepthLicencesAndSizes) {
  const ModelCatalog catalog = builtinModelCatalog();
  const CatalogFile* small = catalog.findFile("depth_anything_v2_vits");
  ASSERT_NE(small, nullptr);
  EXPECT_EQ(small->license, "Apache-2.0");
  EXPECT_FALSE(small->is_non_commercial);
  EXPECT_EQ(formatByteSize(small->size_bytes), "99 MB");  // 24,785,089 parameters x 4 bytes
  for (const char* id : {"depth_anything_v2_vitb", "depth_anything_v2_vitl"}) {
    EXPECT_EQ(catalog.findFile(id)->license, "CC-BY-NC-4.0");
    EXPECT_TRUE(catalog.findFile(id)->is_non_commercial);
  }
  const CatalogFile* video_small = catalog.findFile("video_depth_anything_vits");
  ASSERT_NE(video_small, nullptr);
  EXPECT_EQ(video_small->license, "Apache-2.0");
  EXPECT_FALSE(video_small->is_non_commercial);
  EXPECT_EQ(formatByteSize(video_small->size_bytes),
            "116 MB");  // 29,080,193 state-dict elements x 4 bytes
  for (const char* id : {"video_depth_anything_vitb", "video_depth_anything_vitl"}) {
    EXPECT_EQ(catalog.findFile(id)->license, "CC-BY-NC-4.0");
    EXPECT_TRUE(catalog.findFile(id)->is_non_commercial);
  }
}

TEST(ModelCatalog, BuiltInManifestsMatchTheReleasedCheckpoints) {
  const ModelCatalog catalog = builtinModelCatalog();
  const std::vector<std::pair<std::string, std::size_t>> expected = {
      {"depth_anything_v2_vits", 239},
      {"depth_anything_v2_vitl", 407},
      {"genstereo-v2.1_reference_unet", 682},
      {"genstereo-v2.1_denoising_unet", 686},
      {"genstereo-v1.5_pose_guider", 16},
      {"sd-vae-ft-mse", 248},
      {"image_encoder", 392},
      {"video_depth_anything_vits", 351},
      {"video_depth_anything_vitb", 351},
      {"video_depth_anything_vitl", 519}};
  for (const auto& [id, count] : expected) {
    const ModelManifest* manifest = catalog.manifestFor(*catalog.findFile(id));
    ASSERT_NE(manifest, nullptr) << id;
    EXPECT_EQ(manifest->tensors.size(), count) << id;
  }
}

TEST(ModelCatalog, UnknownModelIdListsTheKnownOnes) {
  try {
    builtinModelCatalog().filesOf({"sd3"});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown model 'sd3' (known: depth-small"),
              std::string::npos)
        << e.what();
  }
}

TEST(ModelCatalog, ExplicitPathThenEnvironmentThenBuiltIn) {
  TempDir dir;
  const test::TestCatalogFiles files = test::writeTestCatalog(dir.path());
  const ModelCatalog explicit_catalog = loadModelCatalog(files.catalog_json);
  EXPECT_EQ(explicit_catalog.source, files.catalog_json.string());
  EXPECT_EQ(explicit_catalog.modelIdList(), "tiny-pose, tiny");
  EXPECT_EQ(explicit_catalog.manifestFor(*explicit_catalog.findFile("pose"))->tensors.size(), 16u);

  ::setenv("GENSTEREO_MODEL_CATALOG", files.catalog_json.c_str(), 1);
  const ModelCatalog from_environment = loadModelCatalog();
  ::unsetenv("GENSTEREO_MODEL_CATALOG");
  EXPECT_EQ(from_environment.modelIdList(), "tiny-pose, tiny");
  EXPECT_EQ(loadModelCatalog().source, "built-in");
}

TEST(ModelCatalog, MalformedCataloguesNameTheEntry) {
  const auto error = [](const std::string& json) {
    try {
      parseModelCatalog(json, "test.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string file =
      R"({"id": "a", "repo": "o/n", "path": "p", "revision": "main", "local_name": "a.pth")";
  EXPECT_NE(error("{").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error(R"({"files": []})").find("\"files\" and \"models\""), std::string::npos);
  EXPECT_NE(error(R"({"files": [)" + file + R"(, "sha256": "abc"}], "models": []})")
                .find("files[0] (\"a\"): sha256"),
            std::string::npos);
  EXPECT_NE(error(R"({"files": [)" + file + R"(, "revision_pinned": true}], "models": []})")
                .find("40-digit"),
            std::string::npos);
  EXPECT_NE(error(R"({"files": [)" + file + R"(, "manifest": "nope"}], "models": []})")
                .find("unknown manifest 'nope'"),
            std::string::npos);
  EXPECT_NE(error(R"({"files": [)" + file + R"(}], "models": [{"id": "m", "files": ["b"]}]})")
                .find("unknown file id \"b\""),
            std::string::npos);
  EXPECT_NE(
      error(
          R"({"files": [{"id": "a", "repo": "o/n", "path": "p", "revision": "main", "local_name": "../a"}], "models": []})")
          .find("inside the models folder"),
      std::string::npos);
}

TEST(ModelCatalog, CatalogueAndManifestsMustBeRegularFiles) {
  const TempDir dir;
  const auto error = [](const auto& load) {
    try {
      load();
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  // A folder or a device given as the catalogue, or named as its manifests file (a FIFO or
  // /dev/zero would block or never end): refused before anything is read.
  EXPECT_NE(error([&] { loadModelCatalog(dir.path()); }).find("is not a regular file"),
            std::string::npos);
  EXPECT_NE(error([] { loadModelCatalog("/dev/zero"); }).find("is not a regular file"),
            std::string::npos);
  const std::string with_manifests =
      R"({"manifests_file": "/dev/zero", "files": [], "models": []})";
  EXPECT_NE(error([&] {
              parseModelCatalog(with_manifests, "test.json");
            }).find("manifests file '/dev/zero' is not a regular file"),
            std::string::npos);
  EXPECT_NE(error([&] { loadModelCatalog(dir.path() / "absent.json"); }).find("does not exist"),
            std::string::npos);
}

ModelFileStatus statusOf(const ModelCatalog& catalog, const std::string& id, ModelFileState state) {
  ModelFileStatus status;
  status.file = *catalog.findFile(id);
  status.state = state;
  return status;
}

TEST(ModelCatalog, SuggestedCommandNamesTheModelThatWasAskedFor) {
  const ModelCatalog catalog = builtinModelCatalog();
  std::vector<ModelFileStatus> sd21;
  for (const CatalogFile* file : catalog.filesOf({"sd21"}))
    sd21.push_back(statusOf(catalog, file->id, ModelFileState::kPresent));
  EXPECT_EQ(suggestDownloadCommand(sd21, catalog), "");
  sd21[4].state = ModelFileState::kMissing;  // the VAE, shared with sd15
  EXPECT_EQ(suggestDownloadCommand(sd21, catalog, "/data/my models"),
            "genstereo-cli models download sd21 --models '/data/my models'");
  // Only the shared VAE is invalid and nothing else is known: the default variant, sd21.
  const std::vector<ModelFileStatus> vae = {
      statusOf(catalog, "sd-vae-ft-mse", ModelFileState::kInvalid)};
  EXPECT_EQ(suggestDownloadCommand(vae, catalog), "genstereo-cli models download sd21");
  const std::vector<ModelFileStatus> depth = {
      statusOf(catalog, "depth_anything_v2_vits", ModelFileState::kInvalid)};
  EXPECT_EQ(suggestDownloadCommand(depth, catalog, "/m"),
            "genstereo-cli models download depth-small --models /m");

  TempDir dir;
  const test::TestCatalogFiles files = test::writeTestCatalog(dir.path());
  const ModelCatalog custom = loadModelCatalog(files.catalog_json);
  const std::vector<ModelFileStatus> tiny = {statusOf(custom, "pose", ModelFileState::kMissing),
                                             statusOf(custom, "fusion", ModelFileState::kMissing)};
  EXPECT_EQ(suggestDownloadCommand(tiny, custom),
            "genstereo-cli models download tiny --catalog " + files.catalog_json.string());
}

}  // namespace
}  // namespace genstereo

// The PyTorch checkpoint reader: files written by Debian's python3-torch 1.13
// (tests/data/pth/make_pth_fixtures.py), the official fixtures' .pth weights against their
// .safetensors twins, and bad files. Values are compared exactly (the reader copies and
// widens; float16/bfloat16 conversions are exact).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "errors.h"
#include "io/pth_reader.h"
#include "io/safetensors_reader.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

fs::path pthData(const std::string& name) { return test::testDataDir() / "pth" / name; }

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void expectCheckpointError(const fs::path& path, const std::string& fragment) {
  try {
    PthFile file(path);
    ADD_FAILURE() << "no error for " << path;
  } catch (const CheckpointError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
  }
}

TEST(PthReader, ReadsEveryDtype) {
  const PthFile file(pthData("dtypes.pth"));
  ASSERT_EQ(file.tensors().size(), 8u);
  EXPECT_EQ(file.tensor("f32").dtype, TensorDtype::kF32);
  EXPECT_EQ(file.tensor("f32").shape, (std::vector<std::int64_t>{3, 4}));
  std::vector<float> f32 = file.readAsFloat32("f32");
  for (int i = 0; i < 12; ++i) EXPECT_EQ(f32[static_cast<std::size_t>(i)], i * 0.5f - 3.0f);
  EXPECT_EQ(file.tensor("f16").dtype, TensorDtype::kF16);
  EXPECT_EQ(file.readAsFloat32("f16"), (std::vector<float>{0.0f, 0.25f, 0.5f, 0.75f, 1.0f}));
  EXPECT_EQ(file.tensor("bf16").dtype, TensorDtype::kBF16);
  EXPECT_EQ(file.readAsFloat32("bf16"),
            (std::vector<float>{-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f}));
  EXPECT_EQ(file.readAsFloat32("f64"), (std::vector<float>{0.0f, 0.125f, 0.25f, 0.375f}));
  EXPECT_EQ(file.tensor("i64").dtype, TensorDtype::kI64);
  EXPECT_EQ(file.readAsFloat32("i64"), (std::vector<float>{-2, -1, 0, 1, 2, 3}));
  EXPECT_EQ(file.readAsFloat32("u8"), (std::vector<float>{0, 60, 120, 180}));
  EXPECT_EQ(file.readAsFloat32("flag"), (std::vector<float>{1, 0, 1}));
  EXPECT_TRUE(file.tensor("scalar").shape.empty());
  EXPECT_EQ(file.readAsFloat32("scalar"), (std::vector<float>{7.5f}));
}

TEST(PthReader, HandlesStridesOffsetsAndSharedStorages) {
  const PthFile file(pthData("views.pth"));
  const CheckpointTensor& base = file.tensor("base");
  const CheckpointTensor& transposed = file.tensor("transposed");
  const CheckpointTensor& slice = file.tensor("slice");
  const CheckpointTensor& row = file.tensor("row");
  // All four are views of one storage, as torch.save keeps it.
  EXPECT_EQ(transposed.storage, base.storage);
  EXPECT_EQ(slice.storage, base.storage);
  EXPECT_EQ(row.storage, base.storage);
  EXPECT_TRUE(base.isContiguous());
  EXPECT_FALSE(transposed.isContiguous());
  EXPECT_EQ(transposed.strides, (std::vector<std::int64_t>{1, 6}));
  EXPECT_EQ(row.storage_offset, 12);
  const std::vector<float> t = file.readAsFloat32("transposed");  // 6x4, t[i][j] = 6j + i
  for (int i = 0; i < 6; ++i) {
    for (int j = 0; j < 4; ++j) EXPECT_EQ(t[static_cast<std::size_t>(i * 4 + j)], 6.0f * j + i);
  }
  EXPECT_EQ(file.readAsFloat32("slice"), (std::vector<float>{8, 9, 10, 14, 15, 16}));
  EXPECT_EQ(file.readAsFloat32("row"), (std::vector<float>{12, 13, 14, 15, 16, 17}));
}

TEST(PthReader, ReadsOrderedDictStateDictsAndParameters) {
  for (const char* name : {"ordered_dict.pth", "parameters.pth"}) {
    const PthFile file(pthData(name));
    ASSERT_EQ(file.tensors().size(), 2u) << name;
    EXPECT_EQ(file.tensors()[0].name, "weight");
    EXPECT_EQ(file.readAsFloat32("weight"), (std::vector<float>{0, 1, 2, 3, 4, 5}));
    EXPECT_EQ(file.readAsFloat32("bias"), (std::vector<float>{0.5f, -0.5f}));
  }
}

// The official fixtures' weights exist twice; every tensor must agree bit for bit.
TEST(PthReader, MatchesTheSafetensorsTwinOfOfficialWeights) {
  for (const char* stem : {"fusion_layer", "pose_guider"}) {
    const fs::path folder = test::testDataDir() / "checkpoints";
    const PthFile pth(folder / (std::string(stem) + ".pth"));
    const SafetensorsFile reference(folder / (std::string(stem) + ".safetensors"));
    ASSERT_EQ(pth.tensors().size(), reference.tensors().size()) << stem;
    for (const TensorInfo& info : reference.tensors()) {
      ASSERT_TRUE(pth.contains(info.name)) << info.name;
      EXPECT_EQ(pth.tensor(info.name).shape, info.shape) << info.name;
      EXPECT_EQ(pth.readAsFloat32(info.name), reference.readAsFloat32(info.name)) << info.name;
    }
  }
}

TEST(PthReader, RefusesToRunCode) {
  expectCheckpointError(pthData("evil.pth"), "refusing the pickle global 'posix.system'");
}

TEST(PthReader, RejectsWhatIsNotAPlainStateDict) {
  expectCheckpointError(pthData("legacy.pth"), "legacy");
  expectCheckpointError(pthData("nested.pth"), "is not a tensor");
}

TEST(PthReader, RejectsTruncatedAndForeignFiles) {
  test::TempDir dir;
  const std::string whole = readAll(pthData("dtypes.pth"));
  // Cut at many places: every cut must give a CheckpointError, never a crash.
  for (std::size_t cut = 0; cut < whole.size(); cut += 97) {
    const fs::path path = dir / ("cut" + std::to_string(cut) + ".pth");
    test::writeRawFile(path, whole.substr(0, cut));
    EXPECT_THROW(PthFile file(path), CheckpointError) << "cut at " << cut;
  }
  test::writeRawFile(dir / "text.pth", "this is not a checkpoint at all, just some text");
  expectCheckpointError(dir / "text.pth", "not a PyTorch zip checkpoint");
  EXPECT_THROW(PthFile(dir / "missing.pth"), InputError);
}

TEST(PthReader, NamesAMissingTensor) {
  const PthFile file(pthData("dtypes.pth"));
  try {
    file.tensor("nope");
    ADD_FAILURE();
  } catch (const CheckpointError& e) {
    EXPECT_NE(std::string(e.what()).find("'nope'"), std::string::npos);
  }
}

}  // namespace
}  // namespace genstereo

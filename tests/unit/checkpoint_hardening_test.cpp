// Forged checkpoints (issue 14, classes 1, 2, 4, 15 and 16): every one must give a
// CheckpointError naming the file, never a crash, a wild read or an unbounded allocation.
// The files are built here byte by byte: a stored ZIP archive and a protocol-2 pickle.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "errors.h"
#include "io/checkpoint_file.h"
#include "io/pth_reader.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

std::string le(std::uint64_t value, int bytes) {
  std::string out;
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
  return out;
}

struct ZipMember {
  std::string name;
  std::string data;
  std::uint64_t declared_size;  // the uncompressed size written in the central directory
};

ZipMember member(const std::string& name, const std::string& data) {
  return {name, data, data.size()};
}

// A ZIP archive of stored (method 0) entries, as torch.save writes them.
std::string storedZip(const std::vector<ZipMember>& members) {
  std::string body;
  std::string directory;
  for (const ZipMember& m : members) {
    const std::uint64_t local_offset = body.size();
    body += le(0x04034b50, 4) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4) +
            le(m.data.size(), 4) + le(m.declared_size, 4) + le(m.name.size(), 2) + le(0, 2) +
            m.name + m.data;
    directory += le(0x02014b50, 4) + le(20, 2) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) +
                 le(0, 4) + le(m.data.size(), 4) + le(m.declared_size, 4) + le(m.name.size(), 2) +
                 le(0, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(local_offset, 4) +
                 m.name;
  }
  const std::string end = le(0x06054b50, 4) + le(0, 2) + le(0, 2) + le(members.size(), 2) +
                          le(members.size(), 2) + le(directory.size(), 4) + le(body.size(), 4) +
                          le(0, 2);
  return body + directory + end;
}

std::string pickleText(const std::string& text) { return "X" + le(text.size(), 4) + text; }
std::string pickleInt(std::int64_t value) {
  return "\x8a\x08" + le(static_cast<std::uint64_t>(value), 8);
}
std::string pickleInts(const std::vector<std::int64_t>& values) {
  std::string out = "(";
  for (std::int64_t v : values) out += pickleInt(v);
  return out + "t";
}

// torch._utils._rebuild_tensor_v2(storage, offset, shape, strides, False, {}) of a float storage.
std::string tensorRecord(const std::string& key, std::int64_t storage_numel, std::int64_t offset,
                         const std::vector<std::int64_t>& shape,
                         const std::vector<std::int64_t>& strides) {
  return "ctorch._utils\n_rebuild_tensor_v2\n(" + std::string("(") + pickleText("storage") +
         "ctorch\nFloatStorage\n" + pickleText(key) + pickleText("cpu") + pickleInt(storage_numel) +
         "tQ" + pickleInt(offset) + pickleInts(shape) + pickleInts(strides) + "\x89}tR";
}

std::string stateDictPickle(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out = "\x80\x02}(";
  for (const auto& [name, record] : entries) out += pickleText(name) + record;
  return out + "u.";
}

std::string floats(int count) { return std::string(static_cast<std::size_t>(count) * 4, '\0'); }

fs::path writeFile(const test::TempDir& dir, const std::string& name, const std::string& bytes) {
  const fs::path path = dir / name;
  test::writeRawFile(path, bytes);
  return path;
}

void expectRefused(const fs::path& path, const std::string& fragment) {
  try {
    PthFile file(path);
    ADD_FAILURE() << "no error for " << path;
  } catch (const CheckpointError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
  }
}

TEST(CheckpointHardening, AWellFormedForgedFileLoads) {
  test::TempDir dir;
  const std::string pickle = stateDictPickle({{"w", tensorRecord("0", 4, 0, {2, 2}, {2, 1})}});
  const fs::path path = writeFile(
      dir, "ok.pth",
      storedZip({member("archive/data.pkl", pickle), member("archive/byteorder", "little"),
                 member("archive/data/0", floats(4))}));
  const PthFile file(path);
  EXPECT_EQ(file.readAsFloat32("w"), std::vector<float>(4, 0.0f));
}

// Class 1: an entry whose uncompressed size exceeds what is stored (the 276-byte SIGBUS file).
TEST(CheckpointHardening, RefusesAStoredEntryWhoseSizeLies) {
  test::TempDir dir;
  const std::string pickle =
      stateDictPickle({{"w", tensorRecord("0", 1 << 28, 0, {1 << 28}, {1})}});
  const fs::path storage_lie = writeFile(
      dir, "storage.pth",
      storedZip({member("archive/data.pkl", pickle), {"archive/data/0", floats(4), 1u << 30}}));
  expectRefused(storage_lie, "claims");
  const fs::path pickle_lie =
      writeFile(dir, "pickle.pth", storedZip({{"archive/data.pkl", pickle, 0xFFFFFFF0u}}));
  expectRefused(pickle_lie, "claims");
  const fs::path byteorder_lie = writeFile(
      dir, "byteorder.pth",
      storedZip({member("archive/data.pkl", pickle), {"archive/byteorder", "little", 1u << 31}}));
  expectRefused(byteorder_lie, "claims");
  const fs::path twice =
      writeFile(dir, "twice.pth",
                storedZip({member("archive/data.pkl", pickle), member("archive/data/0", floats(1)),
                           member("archive/data/0", floats(1))}));
  expectRefused(twice, "appears twice");
}

// Class 2: `(shape - 1) * stride` overflowing int64 used to wrap around and pass the check.
TEST(CheckpointHardening, RefusesStridesWhoseArithmeticOverflows) {
  test::TempDir dir;
  const auto archive = [&](const std::string& name, const std::string& record) {
    return writeFile(dir, name,
                     storedZip({member("archive/data.pkl", stateDictPickle({{"w", record}})),
                                member("archive/data/0", floats(4))}));
  };
  expectRefused(archive("wrap.pth", tensorRecord("0", 4, 0, {3, 2}, {std::int64_t{1} << 62, 1})),
                "too large to address");
  expectRefused(
      archive("numel.pth",
              tensorRecord("0", 4, 0, {std::int64_t{1} << 32, std::int64_t{1} << 32}, {0, 0})),
      "too large to address");
  expectRefused(archive("broadcast.pth", tensorRecord("0", 4, 0, {1 << 20, 1 << 20}, {0, 0})),
                "more elements than its storage");
  expectRefused(archive("offset.pth", tensorRecord("0", 4, -1, {0}, {1})),
                "negative storage offset");
  expectRefused(archive("beyond.pth", tensorRecord("0", 4, 3, {2}, {1})),
                "reaches beyond its storage");
}

// Class 4: deep nesting used to overflow the stack (recursive destruction of the values).
TEST(CheckpointHardening, RefusesDeeplyNestedPickles) {
  test::TempDir dir;
  const std::string marks = "\x80\x02" + std::string(2'000'000, '(');
  const std::string tuples = "\x80\x02]" + std::string(2'000'000, '\x85');
  for (const auto& [name, pickle] : {std::pair{"marks.pth", marks}, {"tuples.pth", tuples}}) {
    expectRefused(writeFile(dir, name, storedZip({member("archive/data.pkl", pickle)})),
                  "nests too deeply");
  }
  // A list that contains itself (APPEND of its own memo entry) is refused, not leaked.
  const std::string self(
      "\x80\x02]q\x00h\x00"
      "a}.",
      9);
  expectRefused(writeFile(dir, "self.pth", storedZip({member("archive/data.pkl", self)})),
                "nests too deeply");
}

// Class 16: the same key twice used to be accepted, the last one winning.
TEST(CheckpointHardening, RefusesAKeyListedTwice) {
  test::TempDir dir;
  const std::string pickle = stateDictPickle(
      {{"w", tensorRecord("0", 4, 0, {4}, {1})}, {"w", tensorRecord("0", 4, 0, {2}, {1})}});
  expectRefused(writeFile(dir, "twice.pth",
                          storedZip({member("archive/data.pkl", pickle),
                                     member("archive/data/0", floats(4))})),
                "lists the key 'w' twice");
}

std::string openError(const fs::path& path) {
  try {
    CheckpointFile::open(path);
  } catch (const CheckpointError& e) {
    return e.what();
  }
  return "no CheckpointError";
}

// Class 15: a legacy .pth is not a safetensors error, and safetensors errors say what is wrong.
TEST(CheckpointHardening, NamesTheFormatThatWasRecognised) {
  const std::string legacy = openError(test::testDataDir() / "pth" / "legacy.pth");
  EXPECT_NE(legacy.find("legacy pre-1.6 format"), std::string::npos) << legacy;
  EXPECT_EQ(legacy.find("safetensors"), std::string::npos) << legacy;

  test::TempDir dir;
  const std::string header =
      R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
  const fs::path repeated =
      writeFile(dir, "twice.safetensors", le(header.size(), 8) + header + floats(1));
  const std::string twice = openError(repeated);
  EXPECT_EQ(twice.find("neither"), std::string::npos) << twice;
  EXPECT_NE(twice.find("lists 'w' twice"), std::string::npos) << twice;
  EXPECT_NE(twice.find(repeated.string()), std::string::npos) << twice;

  const std::string truncated_header = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  const std::string truncated = openError(writeFile(
      dir, "cut.safetensors", le(truncated_header.size(), 8) + truncated_header + floats(1)));
  EXPECT_EQ(truncated.find("neither"), std::string::npos) << truncated;
  EXPECT_NE(truncated.find("truncated"), std::string::npos) << truncated;

  const std::string text = openError(writeFile(dir, "notes.bin", "just some notes, not weights"));
  EXPECT_NE(text.find("neither a PyTorch zip checkpoint"), std::string::npos) << text;

  fs::create_directory(dir / "folder.pth");
  EXPECT_THROW(CheckpointFile::open(dir / "folder.pth"), InputError);
}

}  // namespace
}  // namespace genstereo

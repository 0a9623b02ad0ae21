#include "io/checkpoint_file.h"

#include <fstream>

#include "errors.h"
#include "io/pth_reader.h"

namespace genstereo {

namespace {

class PthCheckpoint final : public CheckpointFile {
 public:
  explicit PthCheckpoint(const std::filesystem::path& path) : file_(path) {
    for (const CheckpointTensor& t : file_.tensors())
      entries_.push_back({t.name, t.dtype, t.shape});
  }
  const std::filesystem::path& path() const override { return file_.path(); }
  const std::vector<CheckpointEntry>& entries() const override { return entries_; }
  bool contains(const std::string& name) const override { return file_.contains(name); }
  std::vector<float> readAsFloat32(const std::string& name) const override {
    return file_.readAsFloat32(name);
  }

 private:
  PthFile file_;
  std::vector<CheckpointEntry> entries_;
};

class SafetensorsCheckpoint final : public CheckpointFile {
 public:
  explicit SafetensorsCheckpoint(const std::filesystem::path& path) : file_(path) {
    for (const TensorInfo& t : file_.tensors()) entries_.push_back({t.name, t.dtype, t.shape});
  }
  const std::filesystem::path& path() const override { return file_.path(); }
  const std::vector<CheckpointEntry>& entries() const override { return entries_; }
  bool contains(const std::string& name) const override { return file_.contains(name); }
  std::vector<float> readAsFloat32(const std::string& name) const override {
    if (!file_.contains(name)) {
      throw CheckpointError("'" + file_.path().string() + "' has no tensor '" + name + "'");
    }
    return file_.readAsFloat32(name);
  }

 private:
  SafetensorsFile file_;
  std::vector<CheckpointEntry> entries_;
};

}  // namespace

std::unique_ptr<CheckpointFile> CheckpointFile::open(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw InputError("checkpoint '" + path.string() + "' does not exist");
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw InputError("checkpoint '" + path.string() +
                     "' is not a regular file (a folder, FIFO or device?)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("checkpoint '" + path.string() + "' cannot be read");
  unsigned char head[9] = {};
  in.read(reinterpret_cast<char*>(head), sizeof head);
  const std::streamsize count = in.gcount();
  if (count >= 2 && head[0] == 'P' && head[1] == 'K') return std::make_unique<PthCheckpoint>(path);
  // torch.save(..., _use_new_zipfile_serialization=False) and PyTorch < 1.6 write a bare
  // pickle stream (protocol 2: 0x80 0x02).
  if (count >= 2 && head[0] == 0x80 && head[1] >= 2 && head[1] <= 5) {
    throw CheckpointError(
        "'" + path.string() +
        "' is a PyTorch checkpoint in the legacy pre-1.6 format, which is not "
        "supported: re-save it with torch.save(state_dict, path) from PyTorch 1.6 or later");
  }
  // A safetensors file: an 8-byte header length, then the JSON header, which starts with '{'.
  if (count == 9 && head[8] == '{') {
    try {
      return std::make_unique<SafetensorsCheckpoint>(path);
    } catch (const CheckpointError&) {
      throw;
    } catch (const InputError& e) {
      throw CheckpointError(e.what());
    }
  }
  throw CheckpointError(
      "'" + path.string() +
      "' is neither a PyTorch zip checkpoint (.pth/.bin) nor a safetensors file " +
      (count < 9 ? "(it has only " + std::to_string(count) + " bytes)"
                 : std::string("(unknown first bytes)")));
}

std::string shapeToString(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

}  // namespace genstereo

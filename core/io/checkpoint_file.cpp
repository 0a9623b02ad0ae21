#include "io/checkpoint_file.h"

#include <fstream>

#include "errors.h"
#include "io/pth_reader.h"

namespace genstereo {

namespace {

class PthCheckpoint final : public CheckpointFile {
 public:
  explicit PthCheckpoint(const std::filesystem::path& path) : file_(path) {
    for (const CheckpointTensor& t : file_.tensors()) entries_.push_back({t.name, t.dtype, t.shape});
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
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("checkpoint '" + path.string() + "' does not exist or cannot be read");
  char magic[2] = {0, 0};
  in.read(magic, 2);
  if (in.gcount() == 2 && magic[0] == 'P' && magic[1] == 'K') {
    return std::make_unique<PthCheckpoint>(path);
  }
  try {
    return std::make_unique<SafetensorsCheckpoint>(path);
  } catch (const InputError& e) {
    throw CheckpointError("'" + path.string() +
                          "' is neither a PyTorch zip checkpoint (.pth/.bin) nor a safetensors file: " +
                          e.what());
  }
}

std::string shapeToString(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

}  // namespace genstereo

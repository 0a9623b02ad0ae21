#include "io/safetensors_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include "errors.h"
#include "io/atomic_write.h"
#include "test_support.h"

namespace genstereo {
namespace {
namespace fs = std::filesystem;

fs::path warpFixture() { return test::testDataDir() / "warp" / "warp_A_occlusion.safetensors"; }

// A safetensors file's bytes: the header length (by default the header's size), the header
// text and the data.
std::string craft(const std::string& header, const std::string& data = "",
                  std::uint64_t header_length = std::numeric_limits<std::uint64_t>::max()) {
  if (header_length == std::numeric_limits<std::uint64_t>::max()) header_length = header.size();
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((header_length >> (8 * i)) & 0xffu);
  return bytes + header + data;
}

template <typename T>
std::string rawBytes(const std::vector<T>& values) {
  std::string bytes(values.size() * sizeof(T), '\0');
  if (!values.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

// Expects opening `path` to throw InputError whose message names the file and holds `problem`.
void expectRejected(const fs::path& path, const std::string& problem) {
  try {
    SafetensorsFile file(path);
    ADD_FAILURE() << "no InputError for " << path;
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(path.filename().string()), std::string::npos) << message;
    EXPECT_NE(message.find(problem), std::string::npos)
        << "'" << problem << "' not in: " << message;
  }
}

void expectCraftedRejected(const std::string& name, const std::string& bytes,
                           const std::string& problem) {
  test::TempDir dir;
  const fs::path path = dir / name;
  test::writeRawFile(path, bytes);
  expectRejected(path, problem);
}

TEST(SafetensorsReader, ReadsWarpFixture) {
  const SafetensorsFile file(warpFixture());
  const std::vector<TensorInfo>& tensors = file.tensors();
  ASSERT_EQ(tensors.size(), 17u);
  // In data order: the fixture writer put src_image first.
  EXPECT_EQ(tensors.front().name, "src_image");
  for (std::size_t i = 1; i < tensors.size(); ++i) {
    EXPECT_GE(tensors[i].byte_offset, tensors[i - 1].byte_offset + tensors[i - 1].byte_size);
  }
  EXPECT_TRUE(file.metadata().empty());
  EXPECT_TRUE(file.contains("warped_embed"));
  EXPECT_FALSE(file.contains("foo"));

  const TensorInfo& src = file.info("src_image");
  EXPECT_EQ(src.dtype, TensorDtype::kF32);
  EXPECT_EQ(src.shape, (std::vector<std::int64_t>{1, 3, 48, 64}));
  EXPECT_EQ(src.numel(), 3 * 48 * 64);
  EXPECT_EQ(src.byte_size, static_cast<std::size_t>(src.numel()) * 4);
  const std::vector<float> pixels = file.readAsFloat32("src_image");
  ASSERT_EQ(pixels.size(), static_cast<std::size_t>(src.numel()));
  const auto [min_it, max_it] = std::minmax_element(pixels.begin(), pixels.end());
  EXPECT_GE(*min_it, -1.0f);
  EXPECT_LE(*max_it, 1.0f);
  EXPECT_LT(*min_it, *max_it);
  float first = 0.0f;
  std::memcpy(&first, file.data("src_image"), sizeof(first));
  EXPECT_EQ(first, pixels[0]);

  const TensorInfo& mask = file.info("mask_valid");
  EXPECT_EQ(mask.dtype, TensorDtype::kU8);
  EXPECT_EQ(mask.shape, (std::vector<std::int64_t>{1, 1, 48, 64}));
  const std::vector<float> mask_values = file.readAsFloat32("mask_valid");
  EXPECT_TRUE(std::all_of(mask_values.begin(), mask_values.end(),
                          [](float v) { return v == 0.0f || v == 1.0f; }));
  EXPECT_EQ(file.info("correspondence").shape, (std::vector<std::int64_t>{1, 48, 64}));
}

TEST(SafetensorsReader, UnknownTensorNameListsSomeNames) {
  const SafetensorsFile file(warpFixture());
  try {
    file.info("foo");
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("warp_A_occlusion.safetensors' has no tensor 'foo'"), std::string::npos)
        << message;
    EXPECT_NE(message.find("it has 17 tensors, e.g. 'src_image'"), std::string::npos) << message;
  }
  EXPECT_THROW(file.readAsFloat32("foo"), InputError);
  EXPECT_THROW(file.data("foo"), InputError);
}

TEST(SafetensorsReader, IsMovable) {
  SafetensorsFile file(warpFixture());
  const std::vector<float> before = file.readAsFloat32("embed");
  SafetensorsFile moved(std::move(file));
  EXPECT_EQ(moved.readAsFloat32("embed"), before);
  SafetensorsFile assigned(warpFixture());
  assigned = std::move(moved);
  EXPECT_EQ(assigned.readAsFloat32("embed"), before);
}

TEST(SafetensorsReader, MissingFile) {
  test::TempDir dir;
  expectRejected(dir / "absent.safetensors", "does not exist");
}

TEST(SafetensorsReader, FileShorterThanLengthField) {
  expectCraftedRejected("short.safetensors", "abc", "3 bytes");
  expectCraftedRejected("empty.safetensors", "", "0 bytes");
}

TEST(SafetensorsReader, TruncatedFixture) {
  const std::vector<std::uint8_t> whole = readFileBytes(warpFixture());
  const std::string half(whole.begin(), whole.begin() + whole.size() / 2);
  expectCraftedRejected("truncated.safetensors", half, "beyond the end of the data");
  const std::string header_cut(whole.begin(), whole.begin() + 100);
  expectCraftedRejected("header_cut.safetensors", header_cut, "larger than the rest of the file");
}

TEST(SafetensorsReader, HeaderLengthLargerThanFile) {
  expectCraftedRejected("length.safetensors", craft("{}", "", 1'000'000),
                        "header length 1000000 is larger than the rest of the file");
  expectCraftedRejected("huge_length.safetensors",
                        craft("{}", "", std::numeric_limits<std::uint64_t>::max() - 1),
                        "larger than the rest of the file");
}

TEST(SafetensorsReader, HeaderNotJson) {
  expectCraftedRejected("bad_json.safetensors", craft("{\"a\": {\"dtype\": "), "not valid JSON");
  expectCraftedRejected("zero_header.safetensors", craft(""), "not valid JSON");
  expectCraftedRejected("array.safetensors", craft("[1, 2]"), "expected an object");
  expectCraftedRejected("deep.safetensors",
                        craft(std::string(200000, '[') + std::string(200000, ']')), "nests JSON");
}

TEST(SafetensorsReader, UnknownDtype) {
  expectCraftedRejected(
      "dtype.safetensors",
      craft(R"({"t": {"dtype": "F8_E4M3", "shape": [2], "data_offsets": [0, 2]}})", "ab"),
      "unsupported dtype 'F8_E4M3'");
}

TEST(SafetensorsReader, OffsetsBeyondTheEnd) {
  expectCraftedRejected(
      "offsets.safetensors",
      craft(R"({"t": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}})", "12345678"),
      "beyond the end of the data (8 bytes)");
}

TEST(SafetensorsReader, SizeDoesNotMatchShape) {
  expectCraftedRejected(
      "size.safetensors",
      craft(R"({"t": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 12]}})",
            std::string(16, '\0')),
      "shape [2, 2] of F32 needs 16 bytes but 'data_offsets' [0,12] span 12 bytes");
  expectCraftedRejected(
      "overflow.safetensors",
      craft(
          R"({"t": {"dtype": "F64", "shape": [4294967296, 4294967296, 16], "data_offsets": [0, 8]}})",
          std::string(8, '\0')),
      "more than 2^64");
}

TEST(SafetensorsReader, MalformedEntries) {
  const std::string data(16, '\0');
  expectCraftedRejected("overlap.safetensors",
                        craft(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                                  "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}})",
                              data),
                        "overlap");
  expectCraftedRejected(
      "negative.safetensors",
      craft(R"({"t": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}})", data),
      "non-negative integers");
  expectCraftedRejected(
      "reversed.safetensors",
      craft(R"({"t": {"dtype": "F32", "shape": [1], "data_offsets": [8, 4]}})", data),
      "begin <= end");
  expectCraftedRejected("missing_key.safetensors",
                        craft(R"({"t": {"dtype": "F32", "shape": [1]}})", data), "required");
  expectCraftedRejected("entry.safetensors", craft(R"({"t": 3})", data), "not a JSON object");
  expectCraftedRejected("metadata.safetensors", craft(R"({"__metadata__": {"k": 1}})", data),
                        "metadata entry 'k'");
}

// Issue 24 item 7: the duplicate-key check was quadratic in the tensor count (80 000 tensors:
// 77 s, a million: never ends). A header of 100 000 (empty) tensors now opens, a name repeated
// at its very end (or spelled with an escape) is still found, and a header listing more tensors
// than the cap is refused before it is parsed.
std::string manyTensorsHeader(std::size_t count, const std::string& extra_entry = "") {
  std::string header = "{";
  for (std::size_t i = 0; i < count; ++i) {
    header += (i == 0 ? "\"t" : ",\"t") + std::to_string(i) +
              R"(": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]})";
  }
  return header + extra_entry + "}";
}

TEST(SafetensorsReader, HundredThousandTensorsAndARepeatAtTheEnd) {
  test::TempDir dir;
  const fs::path many = dir / "many.safetensors";
  test::writeRawFile(many, craft(manyTensorsHeader(100'000)));
  const SafetensorsFile file(many);
  EXPECT_EQ(file.tensors().size(), 100'000u);
  EXPECT_TRUE(file.contains("t99999"));

  const std::string empty = R"({"dtype": "F32", "shape": [0], "data_offsets": [0, 0]})";
  expectCraftedRejected("repeat.safetensors",
                        craft(manyTensorsHeader(100'000, ",\"t5\": " + empty)), "lists 't5' twice");
  expectCraftedRejected("escaped.safetensors",
                        craft(manyTensorsHeader(1000, ",\"t\\u0031\": " + empty)),
                        "lists 't1' twice");
}

// Found by fuzz_safetensors after the linear check: the JSON parser ends the header at a NUL,
// the key scan went on and tried to decode a "key" with a bad escape behind it (an uncaught
// parser exception). The scan ends where the parser does.
TEST(SafetensorsReader, TextAfterANulInTheHeaderIsIgnoredLikeTheParserDoes) {
  test::TempDir dir;
  const fs::path path = dir / "nul.safetensors";
  const std::string header = R"({"t": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}})" +
                             std::string(1, '\0') + R"({"\e": 1, "t": 2})";
  test::writeRawFile(path, craft(header, std::string(4, '\0')));
  const SafetensorsFile file(path);
  EXPECT_EQ(file.tensors().size(), 1u);
}

TEST(SafetensorsReader, TooManyTensorsAreRefusedBeforeParsing) {
  expectCraftedRejected("too_many.safetensors", craft(manyTensorsHeader(200'001)),
                        "lists 200001 tensors, more than the limit of 200000");
}

TEST(SafetensorsReader, ReadsMetadataScalarsAndEmptyTensors) {
  test::TempDir dir;
  const fs::path path = dir / "meta.safetensors";
  test::writeRawFile(path, craft(R"({"__metadata__": {"format": "pt"},
                      "scalar": {"dtype": "I64", "shape": [], "data_offsets": [0, 8]},
                      "nothing": {"dtype": "F32", "shape": [0, 3], "data_offsets": [8, 8]}})",
                                 rawBytes(std::vector<std::int64_t>{-42})));
  const SafetensorsFile file(path);
  EXPECT_EQ(file.metadata().at("format"), "pt");
  ASSERT_EQ(file.tensors().size(), 2u);
  EXPECT_EQ(file.info("scalar").numel(), 1);
  EXPECT_EQ(file.readAsFloat32("scalar"), std::vector<float>{-42.0f});
  EXPECT_EQ(file.info("nothing").numel(), 0);
  EXPECT_TRUE(file.readAsFloat32("nothing").empty());
}

TEST(SafetensorsHalfFloat, F16KnownBitPatterns) {
  EXPECT_EQ(halfBitsToFloat(0x3c00), 1.0f);
  EXPECT_EQ(halfBitsToFloat(0xc000), -2.0f);
  EXPECT_EQ(halfBitsToFloat(0x7bff), 65504.0f);
  EXPECT_EQ(halfBitsToFloat(0x3555), 0.333251953125f);
  EXPECT_EQ(halfBitsToFloat(0x0001), std::ldexp(1.0f, -24));     // smallest subnormal
  EXPECT_EQ(halfBitsToFloat(0x03ff), std::ldexp(1023.0f, -24));  // largest subnormal
  EXPECT_EQ(halfBitsToFloat(0x0400), std::ldexp(1.0f, -14));     // smallest normal
  EXPECT_EQ(halfBitsToFloat(0x7c00), std::numeric_limits<float>::infinity());
  EXPECT_EQ(halfBitsToFloat(0xfc00), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(halfBitsToFloat(0x7e00)));
  EXPECT_TRUE(std::isnan(halfBitsToFloat(0xfc01)));
  EXPECT_EQ(halfBitsToFloat(0x0000), 0.0f);
  EXPECT_TRUE(std::signbit(halfBitsToFloat(0x8000)));
}

TEST(SafetensorsHalfFloat, F16AllFiniteValuesMatchTheDefinition) {
  for (std::uint32_t bits = 0; bits < 0x10000u; ++bits) {
    const std::uint32_t exponent = (bits >> 10) & 0x1fu;
    if (exponent == 0x1fu) continue;
    const double mantissa = bits & 0x3ffu;
    const double magnitude =
        exponent == 0 ? std::ldexp(mantissa, -24)
                      : std::ldexp(1.0 + mantissa / 1024.0, static_cast<int>(exponent) - 15);
    const double expected = (bits & 0x8000u) ? -magnitude : magnitude;
    ASSERT_EQ(static_cast<double>(halfBitsToFloat(static_cast<std::uint16_t>(bits))), expected)
        << std::hex << bits;
  }
}

TEST(SafetensorsHalfFloat, BF16KnownBitPatterns) {
  EXPECT_EQ(bfloat16BitsToFloat(0x3f80), 1.0f);
  EXPECT_EQ(bfloat16BitsToFloat(0xc000), -2.0f);
  EXPECT_EQ(bfloat16BitsToFloat(0x477f), 65280.0f);  // 65504 is not a bfloat16; 65280 is
  EXPECT_EQ(bfloat16BitsToFloat(0x7f7f), 3.3895313892515355e38f);  // largest finite
  EXPECT_EQ(bfloat16BitsToFloat(0x0001), std::ldexp(1.0f, -133));  // smallest subnormal
  EXPECT_EQ(bfloat16BitsToFloat(0x7f80), std::numeric_limits<float>::infinity());
  EXPECT_EQ(bfloat16BitsToFloat(0xff80), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(bfloat16BitsToFloat(0x7fc0)));
}

TEST(SafetensorsReader, ConvertsEveryDtypeToFloat) {
  const std::vector<std::uint16_t> half_bits = {0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x7e00};
  const std::vector<std::uint16_t> bf16_bits = {0x3f80, 0xc000, 0x477f, 0x0001, 0x7f80, 0x7fc0};
  const std::vector<double> f64 = {0.5, -1e300, 3.0};
  const std::vector<std::int64_t> i64 = {-5, 1LL << 40};
  const std::vector<std::int32_t> i32 = {-7, 123456};
  const std::vector<std::int8_t> i8 = {-128, 127};
  const std::vector<std::uint8_t> u8 = {0, 255};
  const std::vector<std::uint8_t> flags = {0, 1, 1};
  // One padding byte before the F16 data: reads must not assume alignment.
  const std::string data = std::string(1, '\x99') + rawBytes(half_bits) + rawBytes(bf16_bits) +
                           rawBytes(f64) + rawBytes(i64) + rawBytes(i32) + rawBytes(i8) +
                           rawBytes(u8) + rawBytes(flags);
  const std::string header = R"({
    "h": {"dtype": "F16", "shape": [2, 3], "data_offsets": [1, 13]},
    "b": {"dtype": "BF16", "shape": [6], "data_offsets": [13, 25]},
    "d": {"dtype": "F64", "shape": [3], "data_offsets": [25, 49]},
    "l": {"dtype": "I64", "shape": [2], "data_offsets": [49, 65]},
    "i": {"dtype": "I32", "shape": [2], "data_offsets": [65, 73]},
    "c": {"dtype": "I8", "shape": [2], "data_offsets": [73, 75]},
    "u": {"dtype": "U8", "shape": [2], "data_offsets": [75, 77]},
    "f": {"dtype": "BOOL", "shape": [3], "data_offsets": [77, 80]}})";
  test::TempDir dir;
  const fs::path path = dir / "dtypes.safetensors";
  test::writeRawFile(path, craft(header, data));
  const SafetensorsFile file(path);
  ASSERT_EQ(file.tensors().size(), 8u);

  const std::vector<float> h = file.readAsFloat32("h");
  ASSERT_EQ(h.size(), 6u);
  EXPECT_EQ(h[0], 1.0f);
  EXPECT_EQ(h[1], -2.0f);
  EXPECT_EQ(h[2], 65504.0f);
  EXPECT_EQ(h[3], std::ldexp(1.0f, -24));
  EXPECT_EQ(h[4], std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(h[5]));

  const std::vector<float> b = file.readAsFloat32("b");
  ASSERT_EQ(b.size(), 6u);
  EXPECT_EQ(b[0], 1.0f);
  EXPECT_EQ(b[1], -2.0f);
  EXPECT_EQ(b[2], 65280.0f);
  EXPECT_EQ(b[3], std::ldexp(1.0f, -133));
  EXPECT_EQ(b[4], std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(b[5]));

  const std::vector<float> d = file.readAsFloat32("d");
  EXPECT_EQ(d[0], 0.5f);
  EXPECT_EQ(d[1], -std::numeric_limits<float>::infinity());
  EXPECT_EQ(d[2], 3.0f);
  EXPECT_EQ(file.readAsFloat32("l"), (std::vector<float>{-5.0f, 1099511627776.0f}));
  EXPECT_EQ(file.readAsFloat32("i"), (std::vector<float>{-7.0f, 123456.0f}));
  EXPECT_EQ(file.readAsFloat32("c"), (std::vector<float>{-128.0f, 127.0f}));
  EXPECT_EQ(file.readAsFloat32("u"), (std::vector<float>{0.0f, 255.0f}));
  EXPECT_EQ(file.readAsFloat32("f"), (std::vector<float>{0.0f, 1.0f, 1.0f}));
  EXPECT_EQ(file.info("h").dtype, TensorDtype::kF16);
  EXPECT_STREQ(toString(file.info("b").dtype), "BF16");
  EXPECT_EQ(dtypeSize(TensorDtype::kI64), 8u);
}

TEST(SafetensorsWriter, RoundTripsMats) {
  const cv::Mat colour = test::makeTestImage(20, 12);
  cv::Mat mask(12, 20, CV_8UC1);
  cv::RNG(3).fill(mask, cv::RNG::UNIFORM, 0, 256);
  const cv::Mat big = test::makeTestImage(40, 30);
  const cv::Mat view = big(cv::Rect(3, 4, 10, 6));  // not continuous
  cv::Mat ints(2, 3, CV_32SC1, cv::Scalar(-9));

  test::TempDir dir;
  const fs::path path = dir / "written.safetensors";
  writeSafetensors(path, {{"colour", colour}, {"mask", mask}, {"view", view}, {"ints", ints}});
  EXPECT_EQ(test::countEntries(dir.path()), 1);

  const SafetensorsFile file(path);
  ASSERT_EQ(file.tensors().size(), 4u);
  EXPECT_EQ(file.tensors()[0].name, "colour");
  EXPECT_EQ(file.tensors()[0].byte_offset % 8, 0u);  // header padded to 8 bytes
  EXPECT_EQ(file.info("colour").shape, (std::vector<std::int64_t>{12, 20, 3}));
  EXPECT_EQ(file.info("mask").shape, (std::vector<std::int64_t>{12, 20}));
  EXPECT_EQ(file.info("mask").dtype, TensorDtype::kU8);
  EXPECT_EQ(file.info("ints").dtype, TensorDtype::kI32);

  const std::vector<float> colour_values = file.readAsFloat32("colour");
  ASSERT_EQ(colour_values.size(), colour.total() * 3);
  EXPECT_EQ(std::memcmp(colour_values.data(), colour.ptr<float>(0), colour_values.size() * 4), 0);
  EXPECT_EQ(std::memcmp(file.data("mask"), mask.data, mask.total()), 0);
  const std::vector<float> view_values = file.readAsFloat32("view");
  const cv::Mat view_copy = view.clone();
  EXPECT_EQ(std::memcmp(view_values.data(), view_copy.data, view_values.size() * 4), 0);
  EXPECT_EQ(file.readAsFloat32("ints"), std::vector<float>(6, -9.0f));
}

TEST(SafetensorsWriter, RejectsUnsupportedInput) {
  test::TempDir dir;
  const fs::path path = dir / "bad.safetensors";
  const cv::Mat ok(2, 2, CV_32FC1, cv::Scalar(1));
  EXPECT_THROW(writeSafetensors(path, {{"a", ok}, {"a", ok}}), InputError);
  EXPECT_THROW(writeSafetensors(path, {{"a", cv::Mat(2, 2, CV_16UC1)}}), InputError);
  EXPECT_THROW(writeSafetensors(path, {{"a", cv::Mat()}}), InputError);
  EXPECT_THROW(writeSafetensors(path, {{"__metadata__", ok}}), InputError);
  EXPECT_EQ(test::countEntries(dir.path()), 0);
  EXPECT_THROW(writeSafetensors(dir / "missing" / "x.safetensors", {{"a", ok}}), OutputError);
}

}  // namespace
}  // namespace genstereo

// ComputeDtype::kAuto and the CPU's native bfloat16 (core/engine/compute_dtype.h): the cpuid
// decoding and the choice with injected machine features, and the diffusion engine's parsing.
#include <gtest/gtest.h>

#include "engine/compute_dtype.h"
#include "errors.h"
#include "nn/diffusion_engine.h"

namespace genstereo {
namespace {

constexpr std::uint32_t kAvx512fEbx = 1u << 16;
constexpr std::uint32_t kAmxBf16Edx = 1u << 22;
constexpr std::uint32_t kAmxTileEdx = 1u << 24;
constexpr std::uint32_t kAvx512Bf16Eax = 1u << 5;
constexpr std::uint64_t kXcr0Avx512 = 0xE6;  // SSE, AVX, opmask, ZMM state
constexpr std::uint64_t kXcr0Amx = 0x60000;  // XTILECFG, XTILEDATA

TEST(CpuBFloat16Test, DecodesAvx512Bf16OfZen4AndCooperLake) {
  const CpuBFloat16Support cpu = decodeCpuBFloat16(kAvx512fEbx, 0, kAvx512Bf16Eax, kXcr0Avx512);
  EXPECT_TRUE(cpu.avx512_bf16);
  EXPECT_FALSE(cpu.amx_bf16);
  EXPECT_TRUE(hasNativeBFloat16(cpu));
  EXPECT_EQ(describeCpuBFloat16(cpu), "avx512_bf16");
}

TEST(CpuBFloat16Test, DecodesAmxOfSapphireRapids) {
  const CpuBFloat16Support cpu = decodeCpuBFloat16(kAvx512fEbx, kAmxBf16Edx | kAmxTileEdx,
                                                   kAvx512Bf16Eax, kXcr0Avx512 | kXcr0Amx);
  EXPECT_TRUE(cpu.avx512_bf16);
  EXPECT_TRUE(cpu.amx_bf16);
  EXPECT_EQ(describeCpuBFloat16(cpu), "avx512_bf16, amx_bf16");
}

TEST(CpuBFloat16Test, AnAvx2OrPlainAvx512CpuHasNone) {
  EXPECT_FALSE(hasNativeBFloat16(decodeCpuBFloat16(0, 0, 0, 0x7)));
  EXPECT_FALSE(hasNativeBFloat16(decodeCpuBFloat16(kAvx512fEbx, 0, 0, kXcr0Avx512)));
  EXPECT_EQ(describeCpuBFloat16(decodeCpuBFloat16(0, 0, 0, 0x7)), "none");
}

TEST(CpuBFloat16Test, FeaturesTheOsDoesNotSaveDoNotCount) {
  // The CPU has the instructions but the OS did not enable the AVX-512 / AMX register state.
  EXPECT_FALSE(decodeCpuBFloat16(kAvx512fEbx, 0, kAvx512Bf16Eax, 0x7).avx512_bf16);
  EXPECT_FALSE(decodeCpuBFloat16(kAvx512fEbx, kAmxBf16Edx | kAmxTileEdx, 0, kXcr0Avx512).amx_bf16);
  // AMX-BF16 without the tile unit, AVX512-BF16 without AVX512F.
  EXPECT_FALSE(decodeCpuBFloat16(0, kAmxBf16Edx, 0, kXcr0Avx512 | kXcr0Amx).amx_bf16);
  EXPECT_FALSE(decodeCpuBFloat16(0, 0, kAvx512Bf16Eax, kXcr0Avx512).avx512_bf16);
}

TEST(ComputeDtypeTest, AutoIsBFloat16OnlyWhereNative) {
  const CpuBFloat16Support native{true, false};
  const CpuBFloat16Support none{};
  EXPECT_EQ(chooseComputeDtype(ComputeDtype::kAuto, false, false, native), ComputeDtype::kBFloat16);
  EXPECT_EQ(chooseComputeDtype(ComputeDtype::kAuto, false, false, none), ComputeDtype::kFloat32);
  EXPECT_EQ(chooseComputeDtype(ComputeDtype::kAuto, true, true, none), ComputeDtype::kBFloat16);
  EXPECT_EQ(chooseComputeDtype(ComputeDtype::kAuto, true, false, native), ComputeDtype::kFloat32);
  // Explicit choices are kept.
  EXPECT_EQ(chooseComputeDtype(ComputeDtype::kFloat32, false, false, native),
            ComputeDtype::kFloat32);
  EXPECT_EQ(chooseComputeDtype(ComputeDtype::kBFloat16, false, false, none),
            ComputeDtype::kBFloat16);
}

TEST(ComputeDtypeTest, AnExplicitBFloat16WithoutNativeSupportIsNotedAsSlow) {
  const std::string note = computeDtypeNote(ComputeDtype::kBFloat16, false, CpuBFloat16Support{});
  EXPECT_NE(note.find("will be slow"), std::string::npos) << note;
  EXPECT_EQ(computeDtypeNote(ComputeDtype::kBFloat16, false, CpuBFloat16Support{true, false}), "");
  EXPECT_EQ(computeDtypeNote(ComputeDtype::kFloat32, false, CpuBFloat16Support{}), "");
  EXPECT_EQ(computeDtypeNote(ComputeDtype::kBFloat16, true, CpuBFloat16Support{}), "");
}

TEST(ComputeDtypeTest, DepthFollowsTheCpu) {
  const CpuBFloat16Support native{false, true};
  const CpuBFloat16Support none{};
  EXPECT_TRUE(depthComputesInBFloat16(ComputeDtype::kAuto, false, native));
  EXPECT_FALSE(depthComputesInBFloat16(ComputeDtype::kAuto, false, none));
  EXPECT_TRUE(depthComputesInBFloat16(ComputeDtype::kBFloat16, false, none));   // asked for
  EXPECT_FALSE(depthComputesInBFloat16(ComputeDtype::kBFloat16, true, none));   // for the GPU
  EXPECT_FALSE(depthComputesInBFloat16(ComputeDtype::kFloat16, true, native));  // CPU: float32
}

TEST(ComputeDtypeTest, TextRoundTripsAndAutoIsTheDefault) {
  for (ComputeDtype d : {ComputeDtype::kAuto, ComputeDtype::kFloat32, ComputeDtype::kFloat16,
                         ComputeDtype::kBFloat16}) {
    EXPECT_EQ(computeDtypeFromString(toString(d)), d);
  }
  EXPECT_EQ(EngineOptions().dtype, ComputeDtype::kAuto);
  EXPECT_EQ(resolveComputeDtype(ComputeDtype::kAuto, "cpu"), hasNativeBFloat16(detectCpuBFloat16())
                                                                 ? ComputeDtype::kBFloat16
                                                                 : ComputeDtype::kFloat32);
  EXPECT_EQ(resolveComputeDtype(ComputeDtype::kFloat32, "cpu"), ComputeDtype::kFloat32);
}

TEST(ComputeDtypeTest, TheDiffusionEngineParsesTheDtype) {
  const c10::Device cpu(c10::kCPU);
  EXPECT_EQ(parseComputeDtype("float32", cpu), c10::kFloat);
  EXPECT_EQ(parseComputeDtype("bfloat16", cpu), c10::kBFloat16);  // allowed on the CPU now
  EXPECT_EQ(parseComputeDtype("auto", cpu),
            hasNativeBFloat16(detectCpuBFloat16()) ? c10::kBFloat16 : c10::kFloat);
  EXPECT_THROW(parseComputeDtype("float16", cpu), InputError);
  EXPECT_THROW(parseComputeDtype("double", cpu), InputError);
}

}  // namespace
}  // namespace genstereo

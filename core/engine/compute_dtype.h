// Which dtype the networks compute in: the CPU's native bfloat16 support (cpuid) and the rule
// that turns ComputeDtype::kAuto into a dtype. Torch-free (genstereo_core); the decision
// functions take the machine's features as arguments so that tests inject them.
#pragma once

#include <cstdint>
#include <string>

#include "genstereo/engine.h"

namespace genstereo {

// Native bfloat16 arithmetic of the CPU, usable by this process (the OS saves the registers).
struct CpuBFloat16Support {
  bool avx512_bf16 = false;  // AVX512-BF16 (Cooper Lake, AMD Zen 4 and later): dot products
  bool amx_bf16 = false;     // AMX-BF16 with AMX tiles (Sapphire Rapids and later)
};

// From the raw cpuid words: leaf 7 subleaf 0 EBX (bit 16 AVX512F) and EDX (bit 22 AMX-BF16,
// bit 24 AMX-TILE), leaf 7 subleaf 1 EAX (bit 5 AVX512-BF16), and XCR0 (xgetbv 0; bits 1, 2,
// 5-7: the AVX-512 state, bits 17-18: the AMX tile state) when the OS enabled XSAVE
// (`osxsave`, leaf 1 ECX bit 27), else 0.
CpuBFloat16Support decodeCpuBFloat16(std::uint32_t leaf7_ebx, std::uint32_t leaf7_edx,
                                     std::uint32_t leaf7_1_eax, std::uint64_t xcr0);

// This machine's, read once with cpuid (all false off x86-64). GENSTEREO_CPU_BF16=0 or =1 in
// the environment overrides it (to check the float32 path of kAuto on a bfloat16 CPU).
CpuBFloat16Support detectCpuBFloat16();

bool hasNativeBFloat16(const CpuBFloat16Support& cpu);

// "avx512_bf16, amx_bf16", or "none".
std::string describeCpuBFloat16(const CpuBFloat16Support& cpu);

// The rule: kAuto becomes bfloat16 on a CUDA device that has it (`cuda_bfloat16`) and on a CPU
// with native bfloat16, float32 elsewhere; explicit dtypes are kept (float16 on the CPU is
// refused by the diffusion engine).
ComputeDtype chooseComputeDtype(ComputeDtype requested, bool is_cuda, bool cuda_bfloat16,
                                const CpuBFloat16Support& cpu);

// Whether Depth Anything V2 (which runs on the CPU whatever the device) computes in bfloat16:
// kAuto on a CPU with native bfloat16, or an explicit bfloat16 on a CPU device or a CPU with
// native bfloat16 (an explicit bfloat16 for CUDA does not slow the CPU's depth down).
bool depthComputesInBFloat16(ComputeDtype requested, bool is_cuda, const CpuBFloat16Support& cpu);

// The note of a run whose dtype will be slow on this machine (an explicit bfloat16 on a CPU
// without native bfloat16), else "".
std::string computeDtypeNote(ComputeDtype resolved, bool is_cuda, const CpuBFloat16Support& cpu);

}  // namespace genstereo

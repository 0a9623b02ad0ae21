#include "engine/compute_dtype.h"

#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace genstereo {

namespace {

constexpr std::uint32_t bit(int n) { return std::uint32_t{1} << n; }

// SSE, AVX, opmask, ZMM0-15 upper halves, ZMM16-31.
constexpr std::uint64_t kXcr0Avx512 = (1u << 1) | (1u << 2) | (1u << 5) | (1u << 6) | (1u << 7);
// XTILECFG, XTILEDATA.
constexpr std::uint64_t kXcr0Amx = (std::uint64_t{1} << 17) | (std::uint64_t{1} << 18);

#if defined(__x86_64__) || defined(__i386__)
std::uint64_t readXcr0() {
  std::uint32_t eax = 0, edx = 0;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<std::uint64_t>(edx) << 32) | eax;
}

CpuBFloat16Support readCpu() {
  unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(0, &eax, &ebx, &ecx, &edx) == 0 || eax < 7) return {};
  __get_cpuid(1, &eax, &ebx, &ecx, &edx);
  const bool osxsave = (ecx & bit(27)) != 0;
  unsigned int l7_eax = 0, l7_ebx = 0, l7_ecx = 0, l7_edx = 0;
  __get_cpuid_count(7, 0, &l7_eax, &l7_ebx, &l7_ecx, &l7_edx);
  unsigned int l71_eax = 0, l71_ebx = 0, l71_ecx = 0, l71_edx = 0;
  if (l7_eax >= 1) __get_cpuid_count(7, 1, &l71_eax, &l71_ebx, &l71_ecx, &l71_edx);
  return decodeCpuBFloat16(l7_ebx, l7_edx, l71_eax, osxsave ? readXcr0() : 0);
}
#else
CpuBFloat16Support readCpu() { return {}; }
#endif

}  // namespace

CpuBFloat16Support decodeCpuBFloat16(std::uint32_t leaf7_ebx, std::uint32_t leaf7_edx,
                                     std::uint32_t leaf7_1_eax, std::uint64_t xcr0) {
  CpuBFloat16Support cpu;
  const bool avx512_state = (xcr0 & kXcr0Avx512) == kXcr0Avx512;
  const bool amx_state = (xcr0 & kXcr0Amx) == kXcr0Amx;
  cpu.avx512_bf16 = avx512_state && (leaf7_ebx & bit(16)) != 0 && (leaf7_1_eax & bit(5)) != 0;
  cpu.amx_bf16 = amx_state && (leaf7_edx & bit(22)) != 0 && (leaf7_edx & bit(24)) != 0;
  return cpu;
}

CpuBFloat16Support detectCpuBFloat16() {
  static const CpuBFloat16Support detected = [] {
    CpuBFloat16Support cpu = readCpu();
    if (const char* force = std::getenv("GENSTEREO_CPU_BF16")) {
      if (std::strcmp(force, "0") == 0) cpu = {};
      if (std::strcmp(force, "1") == 0) cpu.avx512_bf16 = true;
    }
    return cpu;
  }();
  return detected;
}

bool hasNativeBFloat16(const CpuBFloat16Support& cpu) { return cpu.avx512_bf16 || cpu.amx_bf16; }

std::string describeCpuBFloat16(const CpuBFloat16Support& cpu) {
  std::string text;
  if (cpu.avx512_bf16) text = "avx512_bf16";
  if (cpu.amx_bf16) text += std::string(text.empty() ? "" : ", ") + "amx_bf16";
  return text.empty() ? "none" : text;
}

ComputeDtype chooseComputeDtype(ComputeDtype requested, bool is_cuda, bool cuda_bfloat16,
                                const CpuBFloat16Support& cpu) {
  if (requested != ComputeDtype::kAuto) return requested;
  const bool native = is_cuda ? cuda_bfloat16 : hasNativeBFloat16(cpu);
  return native ? ComputeDtype::kBFloat16 : ComputeDtype::kFloat32;
}

bool depthComputesInBFloat16(ComputeDtype requested, bool is_cuda, const CpuBFloat16Support& cpu) {
  if (chooseComputeDtype(requested, false, false, cpu) != ComputeDtype::kBFloat16) return false;
  return !is_cuda || hasNativeBFloat16(cpu);
}

std::string computeDtypeNote(ComputeDtype resolved, bool is_cuda, const CpuBFloat16Support& cpu) {
  if (is_cuda || resolved != ComputeDtype::kBFloat16 || hasNativeBFloat16(cpu)) return {};
  return "bfloat16 on this CPU (no AVX512-BF16 or AMX-BF16) is emulated and will be slow; "
         "--dtype auto picks float32 here";
}

}  // namespace genstereo

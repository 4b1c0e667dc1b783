// A BLIS-style packed SGEMM: B is packed into NR-wide column panels, A into MR-tall row panels, and a register-blocked
// micro-kernel (AVX-512 8x32, AVX2 6x16, portable 4x8) runs over KC-deep slices. The ISA is picked at load time with
// __builtin_cpu_supports, never -march=native, so one binary runs on any x86-64.
#include "gemm.h"

#include <immintrin.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include "pool.h"

namespace ql {
namespace {

constexpr int KC = 256;
constexpr int MC = 96;   // a multiple of 6 and 8
constexpr int NC = 1024;

// A is read in place: element (row r, depth k) of the micro-panel sits at a[r * rs + k * cs]. A packed panel has
// rs = 1, cs = MR; a row-major A has rs = lda, cs = 1; a transposed one rs = 1, cs = lda. Reading A in place saves the
// pack that each thread of a column split would otherwise repeat over the whole of A.
using Kernel = void (*)(int kc, const float* a, long rs, long cs, const float* b, float* c, int ldc, bool accumulate);

void kernel_scalar_4x8(int kc, const float* a, long rs, long cs, const float* b, float* c, int ldc, bool accumulate) {
  float acc[4][8] = {};
  for (int k = 0; k < kc; k++) {
    for (int r = 0; r < 4; r++) {
      const float av = a[r * rs];
      for (int j = 0; j < 8; j++) acc[r][j] += av * b[j];
    }
    a += cs;
    b += 8;
  }
  for (int r = 0; r < 4; r++)
    for (int j = 0; j < 8; j++) c[r * ldc + j] = accumulate ? c[r * ldc + j] + acc[r][j] : acc[r][j];
}

__attribute__((target("avx2,fma"))) void kernel_avx2_6x16(int kc, const float* a, long rs, long cs, const float* b,
                                                           float* c, int ldc, bool accumulate) {
  const float* a3 = a + 3 * rs;
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps(), c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps(), c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps(), c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  for (int k = 0; k < kc; k++) {
    const __m256 b0 = _mm256_loadu_ps(b);
    const __m256 b1 = _mm256_loadu_ps(b + 8);
    __m256 av = _mm256_broadcast_ss(a);
    c00 = _mm256_fmadd_ps(av, b0, c00);
    c01 = _mm256_fmadd_ps(av, b1, c01);
    av = _mm256_broadcast_ss(a + rs);
    c10 = _mm256_fmadd_ps(av, b0, c10);
    c11 = _mm256_fmadd_ps(av, b1, c11);
    av = _mm256_broadcast_ss(a + 2 * rs);
    c20 = _mm256_fmadd_ps(av, b0, c20);
    c21 = _mm256_fmadd_ps(av, b1, c21);
    av = _mm256_broadcast_ss(a3);
    c30 = _mm256_fmadd_ps(av, b0, c30);
    c31 = _mm256_fmadd_ps(av, b1, c31);
    av = _mm256_broadcast_ss(a3 + rs);
    c40 = _mm256_fmadd_ps(av, b0, c40);
    c41 = _mm256_fmadd_ps(av, b1, c41);
    av = _mm256_broadcast_ss(a3 + 2 * rs);
    c50 = _mm256_fmadd_ps(av, b0, c50);
    c51 = _mm256_fmadd_ps(av, b1, c51);
    a += cs;
    a3 += cs;
    b += 16;
  }
  __m256 rows[6][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  for (int r = 0; r < 6; r++) {
    float* row = c + r * ldc;
    if (accumulate) {
      rows[r][0] = _mm256_add_ps(rows[r][0], _mm256_loadu_ps(row));
      rows[r][1] = _mm256_add_ps(rows[r][1], _mm256_loadu_ps(row + 8));
    }
    _mm256_storeu_ps(row, rows[r][0]);
    _mm256_storeu_ps(row + 8, rows[r][1]);
  }
}

__attribute__((target("avx512f"))) void kernel_avx512_8x32(int kc, const float* a, long rs, long cs, const float* b,
                                                            float* c, int ldc, bool accumulate) {
  __m512 acc[8][2];
  for (int r = 0; r < 8; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  for (int k = 0; k < kc; k++) {
    const __m512 b0 = _mm512_loadu_ps(b);
    const __m512 b1 = _mm512_loadu_ps(b + 16);
#pragma GCC unroll 8
    for (int r = 0; r < 8; r++) {
      const __m512 av = _mm512_set1_ps(a[r * rs]);
      acc[r][0] = _mm512_fmadd_ps(av, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(av, b1, acc[r][1]);
    }
    a += cs;
    b += 32;
  }
  for (int r = 0; r < 8; r++) {
    float* row = c + r * ldc;
    if (accumulate) {
      acc[r][0] = _mm512_add_ps(acc[r][0], _mm512_loadu_ps(row));
      acc[r][1] = _mm512_add_ps(acc[r][1], _mm512_loadu_ps(row + 16));
    }
    _mm512_storeu_ps(row, acc[r][0]);
    _mm512_storeu_ps(row + 16, acc[r][1]);
  }
}

struct KernelSpec {
  int mr, nr;
  Kernel kernel;
};

Isa g_isa = detect_isa();

KernelSpec spec_for(Isa isa) {
  switch (isa) {
    case ISA_AVX512:
      return {8, 32, kernel_avx512_8x32};
    case ISA_AVX2:
      return {6, 16, kernel_avx2_6x16};
    default:
      return {4, 8, kernel_scalar_4x8};
  }
}

// op(A)[i0 .. i0+mc) x [k0 .. k0+kc) into MR-row panels, k-major inside a panel; rows past M are zero.
void pack_a(bool transA, const float* A, int M, int K, int i0, int mc, int k0, int kc, int mr, float* out) {
  for (int p = 0; p < mc; p += mr) {
    float* panel = out + static_cast<size_t>(p) * kc;
    const int rows = std::min(mr, mc - p);
    if (!transA) {
      for (int r = 0; r < mr; r++) {
        if (r < rows) {
          const float* src = A + static_cast<size_t>(i0 + p + r) * K + k0;
          for (int k = 0; k < kc; k++) panel[k * mr + r] = src[k];
        } else {
          for (int k = 0; k < kc; k++) panel[k * mr + r] = 0.f;
        }
      }
    } else {
      for (int k = 0; k < kc; k++) {
        const float* src = A + static_cast<size_t>(k0 + k) * M + i0 + p;
        float* dst = panel + k * mr;
        int r = 0;
        for (; r < rows; r++) dst[r] = src[r];
        for (; r < mr; r++) dst[r] = 0.f;
      }
    }
  }
}

// Eight rows of 8 floats (src, row stride ld) written as eight columns (dst, row stride ldd).
__attribute__((target("avx2"))) inline void transpose_8x8(const float* src, long ld, float* dst, long ldd) {
  const __m256 r0 = _mm256_loadu_ps(src), r1 = _mm256_loadu_ps(src + ld), r2 = _mm256_loadu_ps(src + 2 * ld),
               r3 = _mm256_loadu_ps(src + 3 * ld), r4 = _mm256_loadu_ps(src + 4 * ld), r5 = _mm256_loadu_ps(src + 5 * ld),
               r6 = _mm256_loadu_ps(src + 6 * ld), r7 = _mm256_loadu_ps(src + 7 * ld);
  const __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3),
               t3 = _mm256_unpackhi_ps(r2, r3), t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5),
               t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
  const __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE), s2 = _mm256_shuffle_ps(t1, t3, 0x44),
               s3 = _mm256_shuffle_ps(t1, t3, 0xEE), s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE),
               s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  _mm256_storeu_ps(dst, _mm256_permute2f128_ps(s0, s4, 0x20));
  _mm256_storeu_ps(dst + ldd, _mm256_permute2f128_ps(s1, s5, 0x20));
  _mm256_storeu_ps(dst + 2 * ldd, _mm256_permute2f128_ps(s2, s6, 0x20));
  _mm256_storeu_ps(dst + 3 * ldd, _mm256_permute2f128_ps(s3, s7, 0x20));
  _mm256_storeu_ps(dst + 4 * ldd, _mm256_permute2f128_ps(s0, s4, 0x31));
  _mm256_storeu_ps(dst + 5 * ldd, _mm256_permute2f128_ps(s1, s5, 0x31));
  _mm256_storeu_ps(dst + 6 * ldd, _mm256_permute2f128_ps(s2, s6, 0x31));
  _mm256_storeu_ps(dst + 7 * ldd, _mm256_permute2f128_ps(s3, s7, 0x31));
}

// kc rows of NR floats, source rows ld apart, into one packed panel. NR is a constant so the copy compiles to a few
// vector moves instead of a libc memcpy call per 64-byte row.
template <int NR>
void copy_panel_rows(const float* src, size_t ld, float* dst, int kc) {
  for (int k = 0; k < kc; k++) std::memcpy(dst + static_cast<size_t>(k) * NR, src + k * ld, sizeof(float) * NR);
}

// op(B)[k0 .. k0+kc) x [j0 .. j0+nc) into NR-column panels; columns past N are zero. A transposed B (rows of B are
// columns of op(B)) is turned in 8 x 8 blocks on AVX2 machines, the scalar loop only finishing the ragged edges.
void pack_b(bool transB, const float* B, int N, int K, int k0, int kc, int j0, int nc, int nr, float* out) {
  const bool blocked = transB && g_isa != ISA_SCALAR && nr % 8 == 0;
  for (int q = 0; q < nc; q += nr) {
    float* panel = out + static_cast<size_t>(q) * kc;
    const int cols = std::min(nr, nc - q);
    if (!transB) {
      const float* first = B + static_cast<size_t>(k0) * N + j0 + q;
      if (cols == nr && nr == 16) {
        copy_panel_rows<16>(first, N, panel, kc);
        continue;
      }
      if (cols == nr && nr == 32) {
        copy_panel_rows<32>(first, N, panel, kc);
        continue;
      }
      for (int k = 0; k < kc; k++) {
        const float* src = first + static_cast<size_t>(k) * N;
        float* dst = panel + k * nr;
        if (cols == nr) {
          std::memcpy(dst, src, sizeof(float) * nr);
        } else {
          int c = 0;
          for (; c < cols; c++) dst[c] = src[c];
          for (; c < nr; c++) dst[c] = 0.f;
        }
      }
    } else {
      int c0 = 0, kb = 0;
      if (blocked) {
        kb = kc / 8 * 8;
        for (; c0 + 8 <= cols; c0 += 8) {
          const float* src = B + static_cast<size_t>(j0 + q + c0) * K + k0;
          for (int k = 0; k < kb; k += 8) transpose_8x8(src + k, K, panel + static_cast<size_t>(k) * nr + c0, nr);
          for (int k = kb; k < kc; k++)
            for (int c = 0; c < 8; c++) panel[k * nr + c0 + c] = src[static_cast<size_t>(c) * K + k];
        }
      }
      for (int c = c0; c < nr; c++) {
        if (c < cols) {
          const float* src = B + static_cast<size_t>(j0 + q + c) * K + k0;
          for (int k = 0; k < kc; k++) panel[k * nr + c] = src[k];
        } else {
          for (int k = 0; k < kc; k++) panel[k * nr + c] = 0.f;
        }
      }
    }
  }
}

// Packed panels start on a cache line: a B row of the micro-kernel is 64 bytes, and an unaligned panel would split one
// of its two loads across lines on every k.
struct AlignedBuffer {
  float* ptr = nullptr;
  size_t capacity = 0;
  void reserve(size_t n) {
    if (n <= capacity) return;
    std::free(ptr);
    ptr = static_cast<float*>(std::aligned_alloc(64, (n * sizeof(float) + 63) / 64 * 64));
    if (!ptr) throw std::bad_alloc();
    capacity = n;
  }
  float* data() { return ptr; }
  ~AlignedBuffer() { std::free(ptr); }
};

struct Problem {
  bool transA, transB;
  int M, N, K;
  const float* A;
  const float* B;
  float* C;
  bool accumulate;
  const float* bias;
  Activation act;
};

// Computes C[rows r0..r1) x [cols c0..c1) with thread-private packing buffers. Full MR-row panels of A are read in
// place (see Kernel); only a ragged last panel is packed, zero-padded.
void gemm_block(const Problem& p, const KernelSpec& ks, int r0, int r1, int c0, int c1) {
  thread_local AlignedBuffer abuf, bbuf;
  const int mr = ks.mr, nr = ks.nr;
  abuf.reserve(static_cast<size_t>((MC + mr) * KC));
  bbuf.reserve(static_cast<size_t>((NC + nr) * KC));
  const long rs = p.transA ? 1 : p.K, cs = p.transA ? p.M : 1;
  // K in equal slices of at most KC (784 = 3 x 262, not 3 x 256 + 16): a thin last slice would pay a whole pass of
  // loading and storing C for a few FMAs.
  const int kc_step = p.K > 0 ? (p.K + (p.K + KC - 1) / KC - 1) / ((p.K + KC - 1) / KC) : KC;
  float tile[8 * 32];
  for (int jc = c0; jc < c1; jc += NC) {
    const int nc = std::min(NC, c1 - jc);
    for (int pc = 0; pc < p.K; pc += kc_step) {
      const int kc = std::min(kc_step, p.K - pc);
      const bool acc = p.accumulate || pc > 0;
      pack_b(p.transB, p.B, p.N, p.K, pc, kc, jc, nc, nr, bbuf.data());
      for (int ic = r0; ic < r1; ic += MC) {
        const int mc = std::min(MC, r1 - ic);
        const int full = mc / mr * mr;
        if (full < mc) pack_a(p.transA, p.A, p.M, p.K, ic + full, mc - full, pc, kc, mr, abuf.data());
        for (int jr = 0; jr < nc; jr += nr) {
          const int cols = std::min(nr, nc - jr);
          const float* bp = bbuf.data() + static_cast<size_t>(jr) * kc;
          for (int ir = 0; ir < mc; ir += mr) {
            const int rows = std::min(mr, mc - ir);
            const bool packed = ir >= full;
            const float* ap = packed ? abuf.data() : p.A + (ic + ir) * rs + pc * cs;
            const long ars = packed ? 1 : rs, acs = packed ? mr : cs;
            float* c = p.C + static_cast<size_t>(ic + ir) * p.N + jc + jr;
            if (rows == mr && cols == nr) {
              ks.kernel(kc, ap, ars, acs, bp, c, p.N, acc);
            } else {
              if (acc)
                for (int r = 0; r < rows; r++) std::memcpy(tile + r * nr, c + static_cast<size_t>(r) * p.N, sizeof(float) * cols);
              ks.kernel(kc, ap, ars, acs, bp, tile, nr, acc);
              for (int r = 0; r < rows; r++) std::memcpy(c + static_cast<size_t>(r) * p.N, tile + r * nr, sizeof(float) * cols);
            }
          }
        }
      }
    }
  }
  if (p.K == 0 && !p.accumulate)
    for (int r = r0; r < r1; r++) std::fill(p.C + static_cast<size_t>(r) * p.N + c0, p.C + static_cast<size_t>(r) * p.N + c1, 0.f);
  if (p.bias || p.act != ACT_LINEAR) {
    for (int r = r0; r < r1; r++) {
      float* row = p.C + static_cast<size_t>(r) * p.N;
      for (int j = c0; j < c1; j++) {
        float v = row[j] + (p.bias ? p.bias[j] : 0.f);
        if (p.act == ACT_RELU && !(v > 0.f)) v = 0.f;
        row[j] = v;
      }
    }
  }
}

}  // namespace

Isa detect_isa() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return ISA_AVX512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return ISA_AVX2;
  return ISA_SCALAR;
}

Isa current_isa() { return g_isa; }

Isa set_isa(Isa isa) {
  const Isa best = detect_isa();
  g_isa = isa > best ? best : isa;
  return g_isa;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case ISA_AVX512:
      return "avx512";
    case ISA_AVX2:
      return "avx2";
    default:
      return "scalar";
  }
}

void sgemm(bool transA, bool transB, int M, int N, int K, const float* A, const float* B, float* C, bool accumulate,
           const float* bias, Activation act) {
  if (M <= 0 || N <= 0) return;
  const Problem p{transA, transB, M, N, K, A, B, C, accumulate, bias, act};
  const KernelSpec ks = spec_for(g_isa);
  const int threads = pool_threads();
  const double flops = 2.0 * M * N * std::max(K, 1);
  if (threads <= 1 || flops < 2e5) {
    gemm_block(p, ks, 0, M, 0, N);
    return;
  }
  // Split the larger output dimension into tile-aligned parts; never split K.
  const bool split_cols = N >= M && N >= 2 * ks.nr;
  const int extent = split_cols ? N : M;
  const int unit = split_cols ? ks.nr : ks.mr;
  const int units = (extent + unit - 1) / unit;
  const int tasks = std::max(1, std::min(threads, units));
  const int per = (units + tasks - 1) / tasks;
  parallel_for(tasks, [&](int t) {
    const int lo = std::min(extent, t * per * unit);
    const int hi = std::min(extent, (t + 1) * per * unit);
    if (lo >= hi) return;
    if (split_cols)
      gemm_block(p, ks, 0, M, lo, hi);
    else
      gemm_block(p, ks, lo, hi, 0, N);
  });
}

}  // namespace ql

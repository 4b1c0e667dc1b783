// A BLIS-style packed SGEMM: B is packed into NR-wide column panels, A into MR-tall row panels, and a register-blocked
// micro-kernel (AVX-512 8x32, AVX2 6x16, portable 4x8) runs over KC-deep slices. The ISA is picked at load time with
// __builtin_cpu_supports, never -march=native, so one binary runs on any x86-64.
#include "gemm.h"

#include <immintrin.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "pool.h"

namespace ql {
namespace {

constexpr int KC = 256;
constexpr int MC = 96;   // a multiple of 6 and 8
constexpr int NC = 1024;

using Kernel = void (*)(int kc, const float* a, const float* b, float* c, int ldc, bool accumulate);

void kernel_scalar_4x8(int kc, const float* a, const float* b, float* c, int ldc, bool accumulate) {
  float acc[4][8] = {};
  for (int k = 0; k < kc; k++) {
    for (int r = 0; r < 4; r++) {
      const float av = a[r];
      for (int j = 0; j < 8; j++) acc[r][j] += av * b[j];
    }
    a += 4;
    b += 8;
  }
  for (int r = 0; r < 4; r++)
    for (int j = 0; j < 8; j++) c[r * ldc + j] = accumulate ? c[r * ldc + j] + acc[r][j] : acc[r][j];
}

__attribute__((target("avx2,fma"))) void kernel_avx2_6x16(int kc, const float* a, const float* b, float* c, int ldc,
                                                           bool accumulate) {
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps(), c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps(), c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps(), c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  for (int k = 0; k < kc; k++) {
    const __m256 b0 = _mm256_loadu_ps(b);
    const __m256 b1 = _mm256_loadu_ps(b + 8);
    __m256 av = _mm256_broadcast_ss(a + 0);
    c00 = _mm256_fmadd_ps(av, b0, c00);
    c01 = _mm256_fmadd_ps(av, b1, c01);
    av = _mm256_broadcast_ss(a + 1);
    c10 = _mm256_fmadd_ps(av, b0, c10);
    c11 = _mm256_fmadd_ps(av, b1, c11);
    av = _mm256_broadcast_ss(a + 2);
    c20 = _mm256_fmadd_ps(av, b0, c20);
    c21 = _mm256_fmadd_ps(av, b1, c21);
    av = _mm256_broadcast_ss(a + 3);
    c30 = _mm256_fmadd_ps(av, b0, c30);
    c31 = _mm256_fmadd_ps(av, b1, c31);
    av = _mm256_broadcast_ss(a + 4);
    c40 = _mm256_fmadd_ps(av, b0, c40);
    c41 = _mm256_fmadd_ps(av, b1, c41);
    av = _mm256_broadcast_ss(a + 5);
    c50 = _mm256_fmadd_ps(av, b0, c50);
    c51 = _mm256_fmadd_ps(av, b1, c51);
    a += 6;
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

__attribute__((target("avx512f"))) void kernel_avx512_8x32(int kc, const float* a, const float* b, float* c, int ldc,
                                                            bool accumulate) {
  __m512 acc[8][2];
  for (int r = 0; r < 8; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  for (int k = 0; k < kc; k++) {
    const __m512 b0 = _mm512_loadu_ps(b);
    const __m512 b1 = _mm512_loadu_ps(b + 16);
#pragma GCC unroll 8
    for (int r = 0; r < 8; r++) {
      const __m512 av = _mm512_set1_ps(a[r]);
      acc[r][0] = _mm512_fmadd_ps(av, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(av, b1, acc[r][1]);
    }
    a += 8;
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

// op(B)[k0 .. k0+kc) x [j0 .. j0+nc) into NR-column panels; columns past N are zero.
void pack_b(bool transB, const float* B, int N, int K, int k0, int kc, int j0, int nc, int nr, float* out) {
  for (int q = 0; q < nc; q += nr) {
    float* panel = out + static_cast<size_t>(q) * kc;
    const int cols = std::min(nr, nc - q);
    if (!transB) {
      for (int k = 0; k < kc; k++) {
        const float* src = B + static_cast<size_t>(k0 + k) * N + j0 + q;
        float* dst = panel + k * nr;
        int c = 0;
        for (; c < cols; c++) dst[c] = src[c];
        for (; c < nr; c++) dst[c] = 0.f;
      }
    } else {
      for (int c = 0; c < nr; c++) {
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

// Computes C[rows r0..r1) x [cols c0..c1) with thread-private packing buffers.
void gemm_block(const Problem& p, const KernelSpec& ks, int r0, int r1, int c0, int c1) {
  thread_local std::vector<float> abuf, bbuf;
  const int mr = ks.mr, nr = ks.nr;
  abuf.resize(static_cast<size_t>((MC + mr) * KC));
  bbuf.resize(static_cast<size_t>((NC + nr) * KC));
  float tile[8 * 32];
  for (int jc = c0; jc < c1; jc += NC) {
    const int nc = std::min(NC, c1 - jc);
    for (int pc = 0; pc < p.K; pc += KC) {
      const int kc = std::min(KC, p.K - pc);
      const bool acc = p.accumulate || pc > 0;
      pack_b(p.transB, p.B, p.N, p.K, pc, kc, jc, nc, nr, bbuf.data());
      for (int ic = r0; ic < r1; ic += MC) {
        const int mc = std::min(MC, r1 - ic);
        pack_a(p.transA, p.A, p.M, p.K, ic, mc, pc, kc, mr, abuf.data());
        for (int jr = 0; jr < nc; jr += nr) {
          const int cols = std::min(nr, nc - jr);
          const float* bp = bbuf.data() + static_cast<size_t>(jr) * kc;
          for (int ir = 0; ir < mc; ir += mr) {
            const int rows = std::min(mr, mc - ir);
            const float* ap = abuf.data() + static_cast<size_t>(ir) * kc;
            float* c = p.C + static_cast<size_t>(ic + ir) * p.N + jc + jr;
            if (rows == mr && cols == nr) {
              ks.kernel(kc, ap, bp, c, p.N, acc);
            } else {
              if (acc)
                for (int r = 0; r < rows; r++) std::memcpy(tile + r * nr, c + static_cast<size_t>(r) * p.N, sizeof(float) * cols);
              ks.kernel(kc, ap, bp, tile, nr, acc);
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

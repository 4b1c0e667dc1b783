#pragma once

namespace ql {

enum Isa { ISA_SCALAR = 0, ISA_AVX2 = 1, ISA_AVX512 = 2 };

Isa detect_isa();
Isa current_isa();
// Forces a kernel path (tests run every path the CPU supports); returns the path actually set.
Isa set_isa(Isa isa);
const char* isa_name(Isa isa);

enum Activation { ACT_LINEAR = 0, ACT_RELU = 1 };

// C[M,N] = op(A) . op(B) (+ C when accumulate) (+ bias[N]) then activation; row-major, no leading-dimension padding:
// A is [M,K] ([K,M] when transA), B is [K,N] ([N,K] when transB). Each output element is summed in a fixed k order
// by exactly one thread, so results do not depend on the thread count.
void sgemm(bool transA, bool transB, int M, int N, int K, const float* A, const float* B, float* C, bool accumulate,
           const float* bias, Activation act);

}  // namespace ql

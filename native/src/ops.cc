// Elementwise, reduction, softmax, convolution and pooling kernels in tfjs's semantics (NHWC, first maximum wins).
// Simple loops are compiled for AVX-512, AVX2 and baseline x86-64 by function multiversioning; work is split across
// the pool only by output ranges, so results do not depend on the thread count.
#include "ops.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "gemm.h"
#include "pool.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define QL_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define QL_CLONES
#endif

namespace ql {
namespace {

constexpr int64_t kParallelGrain = 1 << 15;

// Splits [0, n) into contiguous chunks across the pool when n is large enough to pay for it.
template <typename F>
void chunked(int64_t n, F&& body) {
  const int threads = pool_threads();
  if (threads <= 1 || n < kParallelGrain) {
    body(int64_t{0}, n);
    return;
  }
  const int tasks = static_cast<int>(std::min<int64_t>(threads, (n + kParallelGrain - 1) / kParallelGrain));
  const int64_t per = (n + tasks - 1) / tasks;
  parallel_for(tasks, [&](int t) {
    const int64_t lo = std::min(n, t * per), hi = std::min(n, (t + 1) * per);
    if (lo < hi) body(lo, hi);
  });
}

// Splits [0, rows) into one contiguous range per thread when the total work is large enough to pay for it.
template <typename F>
void split_rows(int64_t rows, int64_t work, F&& body) {
  const int threads = pool_threads();
  if (threads <= 1 || work < kParallelGrain || rows < 2) {
    body(int64_t{0}, rows);
    return;
  }
  const int tasks = static_cast<int>(std::min<int64_t>(threads, rows));
  const int64_t per = (rows + tasks - 1) / tasks;
  parallel_for(tasks, [&](int t) {
    const int64_t lo = std::min(rows, t * per), hi = std::min(rows, (t + 1) * per);
    if (lo < hi) body(lo, hi);
  });
}

template <int OP>
inline uint8_t compare_apply(float a, float b) {
  if constexpr (OP == CMP_EQUAL) return a == b;
  if constexpr (OP == CMP_NOT_EQUAL) return a != b;
  if constexpr (OP == CMP_GREATER) return a > b;
  if constexpr (OP == CMP_GREATER_EQUAL) return a >= b;
  if constexpr (OP == CMP_LESS) return a < b;
  if constexpr (OP == CMP_LESS_EQUAL) return a <= b;
  return 0;
}

// Offsets into a and b of a position over the first `axes` axes, stepped in row-major order like an odometer: a
// division per axis and step would cost more than a short row's arithmetic.
struct BroadcastWalk {
  const int64_t *shape, *as, *bs;
  int axes;
  int64_t idx[8] = {}, oa = 0, ob = 0;
  BroadcastWalk(const int64_t* shape_in, const int64_t* as_in, const int64_t* bs_in, int axes_in, int64_t start)
      : shape(shape_in), as(as_in), bs(bs_in), axes(axes_in) {
    // start > 0 only inside a non-empty range, where no axis has size 0
    for (int d = axes - 1; d >= 0 && start > 0; d--) {
      idx[d] = start % shape[d];
      start /= shape[d];
      oa += idx[d] * as[d];
      ob += idx[d] * bs[d];
    }
  }
  void step() {
    for (int d = axes - 1; d >= 0; d--) {
      oa += as[d];
      ob += bs[d];
      if (++idx[d] < shape[d]) return;
      oa -= as[d] * shape[d];
      ob -= bs[d] * shape[d];
      idx[d] = 0;
    }
  }
};

template <int OP>
void compare_impl(const float* a, const int64_t* as, const float* b, const int64_t* bs, uint8_t* out, const int64_t* shape,
                  int rank) {
  int64_t total = 1;
  for (int d = 0; d < rank; d++) total *= shape[d];
  BroadcastWalk walk(shape, as, bs, rank, 0);
  for (int64_t i = 0; i < total; i++, walk.step()) out[i] = compare_apply<OP>(a[walk.oa], b[walk.ob]);
}

template <BinaryOp OP>
inline float apply(float a, float b) {
  if constexpr (OP == BIN_ADD) return a + b;
  if constexpr (OP == BIN_SUB) return a - b;
  if constexpr (OP == BIN_MUL) return a * b;
  if constexpr (OP == BIN_DIV) return a / b;
  if constexpr (OP == BIN_MAX) return (a > b || std::isnan(a)) ? a : b;
  if constexpr (OP == BIN_MIN) return (a < b || std::isnan(a)) ? a : b;
  if constexpr (OP == BIN_SQDIFF) return (a - b) * (a - b);
  return 0.f;
}

template <BinaryOp OP>
QL_CLONES void row_ss(const float* a, const float* b, float* o, int64_t n) {
  for (int64_t i = 0; i < n; i++) o[i] = apply<OP>(a[i], b[i]);
}
template <BinaryOp OP>
QL_CLONES void row_s0(const float* a, float b, float* o, int64_t n) {
  for (int64_t i = 0; i < n; i++) o[i] = apply<OP>(a[i], b);
}
template <BinaryOp OP>
QL_CLONES void row_0s(float a, const float* b, float* o, int64_t n) {
  for (int64_t i = 0; i < n; i++) o[i] = apply<OP>(a, b[i]);
}

// Rows of a 2-D broadcast in one call (one multiversioned call per row cost more than a short row itself).
template <BinaryOp OP>
QL_CLONES void rows_2d(const float* a, int64_t ra, int64_t sa, const float* b, int64_t rb, int64_t sb, float* o,
                       int64_t rows, int64_t inner) {
  for (int64_t r = 0; r < rows; r++, a += ra, b += rb, o += inner) {
    if (sa == 1 && sb == 1)
      for (int64_t i = 0; i < inner; i++) o[i] = apply<OP>(a[i], b[i]);
    else if (sa == 1 && sb == 0)
      for (int64_t i = 0; i < inner; i++) o[i] = apply<OP>(a[i], b[0]);
    else if (sa == 0 && sb == 1)
      for (int64_t i = 0; i < inner; i++) o[i] = apply<OP>(a[0], b[i]);
    else
      for (int64_t i = 0; i < inner; i++) o[i] = apply<OP>(a[i * sa], b[i * sb]);
  }
}

template <BinaryOp OP>
void binary_impl(const float* a, const int64_t* as, const float* b, const int64_t* bs, float* out, const int64_t* shape,
                 int rank) {
  const int64_t inner = rank > 0 ? shape[rank - 1] : 1;
  const int64_t sa = rank > 0 ? as[rank - 1] : 0, sb = rank > 0 ? bs[rank - 1] : 0;
  int64_t outer = 1;
  for (int d = 0; d < rank - 1; d++) outer *= shape[d];
  auto run_rows = [&](int64_t lo, int64_t hi) {
    BroadcastWalk walk(shape, as, bs, rank - 1, lo);  // over the leading axes: one position per row
    for (int64_t r = lo; r < hi; r++, walk.step()) {
      const int64_t oa = walk.oa, ob = walk.ob;
      float* o = out + r * inner;
      if (sa == 1 && sb == 1)
        row_ss<OP>(a + oa, b + ob, o, inner);
      else if (sa == 1 && sb == 0)
        row_s0<OP>(a + oa, b[ob], o, inner);
      else if (sa == 0 && sb == 1)
        row_0s<OP>(a[oa], b + ob, o, inner);
      else
        for (int64_t i = 0; i < inner; i++) o[i] = apply<OP>(a[oa + i * sa], b[ob + i * sb]);
    }
  };
  if (outer == 1) {
    chunked(inner, [&](int64_t lo, int64_t hi) {
      if (sa == 1 && sb == 1) row_ss<OP>(a + lo, b + lo, out + lo, hi - lo);
      else if (sa == 1) row_s0<OP>(a + lo, b[0], out + lo, hi - lo);
      else if (sb == 1) row_0s<OP>(a[0], b + lo, out + lo, hi - lo);
      else for (int64_t i = lo; i < hi; i++) out[i] = apply<OP>(a[0], b[0]);
    });
    return;
  }
  if (rank == 2) {
    split_rows(outer, outer * inner, [&](int64_t lo, int64_t hi) {
      rows_2d<OP>(a + lo * as[0], as[0], sa, b + lo * bs[0], bs[0], sb, out + lo * inner, hi - lo, inner);
    });
    return;
  }
  split_rows(outer, outer * inner, run_rows);
}

template <UnaryOp OP>
inline float unary_apply(float v, float p0, float p1) {
  // written as selects (no isnan branch) so they vectorize; NaN fails every comparison and passes through
  if constexpr (OP == UN_RELU) return v < 0.f ? 0.f : v;
  if constexpr (OP == UN_STEP) return v > 0.f ? 1.f : (v != v ? v : p0);
  if constexpr (OP == UN_NEG) return -v;
  if constexpr (OP == UN_SQUARE) return v * v;
  if constexpr (OP == UN_SQRT) return std::sqrt(v);
  if constexpr (OP == UN_EXP) return std::exp(v);
  if constexpr (OP == UN_LOG) return std::log(v);
  if constexpr (OP == UN_LOG1P) return std::log1p(v);
  // tfjs (cpu and wasm) gives sign(NaN) = 0, unlike relu / step / clip
  if constexpr (OP == UN_SIGN) return v > 0.f ? 1.f : (v < 0.f ? -1.f : 0.f);
  if constexpr (OP == UN_ABS) return std::fabs(v);
  if constexpr (OP == UN_TANH) return std::tanh(v);
  if constexpr (OP == UN_SIGMOID) return 1.f / (1.f + std::exp(-v));
  if constexpr (OP == UN_SOFTPLUS) {
    // tfjs: softplus(x) = x for x > -log(eps) + 2 ... matches log(1 + e^x) in float32 within rounding
    return v > 15.942385f ? v : (v < -15.942385f ? std::exp(v) : std::log1p(std::exp(v)));
  }
  if constexpr (OP == UN_RECIPROCAL) return 1.f / v;
  if constexpr (OP == UN_CLIP) return v < p0 ? p0 : (v > p1 ? p1 : v);
  return v;
}

template <UnaryOp OP>
QL_CLONES void unary_loop(const float* x, float* o, int64_t n, float p0, float p1) {
  for (int64_t i = 0; i < n; i++) o[i] = unary_apply<OP>(x[i], p0, p1);
}

template <UnaryOp OP>
void unary_impl(const float* x, float* out, int64_t n, float p0, float p1) {
  chunked(n, [&](int64_t lo, int64_t hi) { unary_loop<OP>(x + lo, out + lo, hi - lo, p0, p1); });
}

// Per calling thread: JS worker threads may run convolutions at the same time.
std::vector<float>& scratch() {
  thread_local std::vector<float> buffer;
  return buffer;
}

// col[(b, oh, ow), (fh, fw, ci)] for images [b0, b1): the left operand of conv as a GEMM.
void im2col(const ConvShape& s, const float* x, float* col, int b0, int b1) {
  const int64_t K = static_cast<int64_t>(s.f_h) * s.f_w * s.in_c;
  parallel_for(b1 - b0, [&](int task) {
    const int b = b0 + task;
    for (int oh = 0; oh < s.out_h; oh++)
      for (int ow = 0; ow < s.out_w; ow++) {
        float* dst = col + ((static_cast<int64_t>(task) * s.out_h + oh) * s.out_w + ow) * K;
        for (int fh = 0; fh < s.f_h; fh++) {
          const int ih = oh * s.stride_h + fh * s.dil_h - s.pad_top;
          for (int fw = 0; fw < s.f_w; fw++) {
            const int iw = ow * s.stride_w + fw * s.dil_w - s.pad_left;
            float* d = dst + (static_cast<int64_t>(fh) * s.f_w + fw) * s.in_c;
            if (ih < 0 || ih >= s.in_h || iw < 0 || iw >= s.in_w) {
              std::memset(d, 0, sizeof(float) * s.in_c);
            } else {
              std::memcpy(d, x + ((static_cast<int64_t>(b) * s.in_h + ih) * s.in_w + iw) * s.in_c, sizeof(float) * s.in_c);
            }
          }
        }
      }
  });
}

// Images per im2col chunk: about 2 MB of columns, so a chunk is still in cache when the GEMM reads it back.
int images_per_chunk(const ConvShape& s) {
  const int64_t per_image = static_cast<int64_t>(s.out_h) * s.out_w * s.f_h * s.f_w * s.in_c;
  return static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(s.batch, (int64_t{1} << 19) / std::max<int64_t>(per_image, 1))));
}

// Runs body(b0, b1) over chunks of at most `chunk` images. With several threads and enough images each thread takes a
// contiguous share of the batch and works through it alone (its im2col columns stay in its own cache, and its GEMMs
// run inline), instead of every chunk's im2col and GEMM being split across threads with a wait after each. Every output
// row is still computed by exactly one GEMM in a fixed k order, so results do not depend on the thread count.
template <typename F>
void for_image_ranges(int batch, int chunk, F&& body) {
  const int threads = pool_threads();
  if (threads > 1 && batch >= 2 * threads) {
    const int per = (batch + threads - 1) / threads;
    parallel_for(threads, [&](int t) {
      const int lo = std::min(batch, t * per), hi = std::min(batch, (t + 1) * per);
      for (int b0 = lo; b0 < hi; b0 += chunk) body(b0, std::min(hi, b0 + chunk));
    });
    return;
  }
  for (int b0 = 0; b0 < batch; b0 += chunk) body(b0, std::min(batch, b0 + chunk));
}

// Parts a filter gradient's batch is split into (see conv2d_backprop_filter): enough for the threads of small machines.
constexpr int kFilterParts = 4;

// With few taps per output (K = fh*fw*cin, e.g. 25 for a 5x5 conv on one channel) im2col + GEMM spends its time
// packing; a direct loop over taps, vectorized across output channels, is several times faster.
constexpr int kDirectMaxK = 32;

QL_CLONES void conv_direct_image(const ConvShape& s, const float* x, const float* w, float* out, int b) {
  for (int oh = 0; oh < s.out_h; oh++)
    for (int ow = 0; ow < s.out_w; ow++) {
      float* acc = out + ((static_cast<int64_t>(b) * s.out_h + oh) * s.out_w + ow) * s.out_c;
      for (int o = 0; o < s.out_c; o++) acc[o] = 0.f;
      for (int fh = 0; fh < s.f_h; fh++) {
        const int ih = oh * s.stride_h + fh * s.dil_h - s.pad_top;
        if (ih < 0 || ih >= s.in_h) continue;
        for (int fw = 0; fw < s.f_w; fw++) {
          const int iw = ow * s.stride_w + fw * s.dil_w - s.pad_left;
          if (iw < 0 || iw >= s.in_w) continue;
          const float* px = x + ((static_cast<int64_t>(b) * s.in_h + ih) * s.in_w + iw) * s.in_c;
          const float* wk = w + (static_cast<int64_t>(fh) * s.f_w + fw) * s.in_c * s.out_c;
          for (int c = 0; c < s.in_c; c++) {
            const float xv = px[c];
            const float* row = wk + static_cast<int64_t>(c) * s.out_c;
            for (int o = 0; o < s.out_c; o++) acc[o] += xv * row[o];
          }
        }
      }
    }
}

// The same sums with an output pixel's NB x 8 channels held in registers (the loop above keeps them in memory, since
// out may alias w): taps in the same order, so the same results.
template <int NB>
__attribute__((target("avx2,fma"))) void conv_direct_image_avx2(const ConvShape& s, const float* x, const float* w, float* out, int b) {
  for (int oh = 0; oh < s.out_h; oh++)
    for (int ow = 0; ow < s.out_w; ow++) {
      __m256 acc[NB];
      for (int j = 0; j < NB; j++) acc[j] = _mm256_setzero_ps();
      for (int fh = 0; fh < s.f_h; fh++) {
        const int ih = oh * s.stride_h + fh * s.dil_h - s.pad_top;
        if (ih < 0 || ih >= s.in_h) continue;
        for (int fw = 0; fw < s.f_w; fw++) {
          const int iw = ow * s.stride_w + fw * s.dil_w - s.pad_left;
          if (iw < 0 || iw >= s.in_w) continue;
          const float* px = x + ((static_cast<int64_t>(b) * s.in_h + ih) * s.in_w + iw) * s.in_c;
          const float* wk = w + (static_cast<int64_t>(fh) * s.f_w + fw) * s.in_c * NB * 8;
          for (int c = 0; c < s.in_c; c++) {
            // multiply then add, rounded separately, as the portable loop does (-ffp-contract=off)
            const __m256 xv = _mm256_set1_ps(px[c]);
            for (int j = 0; j < NB; j++)
              acc[j] = _mm256_add_ps(acc[j], _mm256_mul_ps(xv, _mm256_loadu_ps(wk + c * NB * 8 + j * 8)));
          }
        }
      }
      float* dst = out + ((static_cast<int64_t>(b) * s.out_h + oh) * s.out_w + ow) * NB * 8;
      for (int j = 0; j < NB; j++) _mm256_storeu_ps(dst + j * 8, acc[j]);
    }
}

using DirectImage = void (*)(const ConvShape&, const float*, const float*, float*, int);

// The AVX2 instance pick(integral_constant<NB>) for out_c = 8 NB channels, NB in {1, 2, 4, 8}; else the portable one.
template <typename Fn, typename Pick>
Fn by_channel_blocks(const ConvShape& s, Fn portable, Pick pick) {
  if (current_isa() == ISA_SCALAR || s.out_c % 8 != 0) return portable;
  switch (s.out_c / 8) {
    case 1: return pick(std::integral_constant<int, 1>{});
    case 2: return pick(std::integral_constant<int, 2>{});
    case 4: return pick(std::integral_constant<int, 4>{});
    case 8: return pick(std::integral_constant<int, 8>{});
    default: return portable;
  }
}

DirectImage direct_image_for(const ConvShape& s) {
  return by_channel_blocks<DirectImage>(s, conv_direct_image, [](auto nb) -> DirectImage { return conv_direct_image_avx2<decltype(nb)::value>; });
}

void conv2d_direct(const ConvShape& s, const float* x, const float* w, float* out) {
  const DirectImage image = direct_image_for(s);
  parallel_for(s.batch, [&](int b) { image(s, x, w, out, b); });
}

QL_CLONES void filter_direct_range(const ConvShape& s, const float* x, const float* dy, float* dw, int k0, int k1) {
  for (int64_t i = static_cast<int64_t>(k0) * s.out_c; i < static_cast<int64_t>(k1) * s.out_c; i++) dw[i] = 0.f;
  // each k's (fh, fw, c), worked out once rather than by four divisions per output position
  std::vector<int> tap_h(k1 - k0), tap_w(k1 - k0), tap_c(k1 - k0);
  for (int k = k0; k < k1; k++) {
    tap_c[k - k0] = k % s.in_c;
    tap_w[k - k0] = (k / s.in_c) % s.f_w;
    tap_h[k - k0] = (k / s.in_c) / s.f_w;
  }
  for (int b = 0; b < s.batch; b++)
    for (int oh = 0; oh < s.out_h; oh++)
      for (int ow = 0; ow < s.out_w; ow++) {
        const float* g = dy + ((static_cast<int64_t>(b) * s.out_h + oh) * s.out_w + ow) * s.out_c;
        for (int k = k0; k < k1; k++) {
          const int ih = oh * s.stride_h + tap_h[k - k0] * s.dil_h - s.pad_top;
          const int iw = ow * s.stride_w + tap_w[k - k0] * s.dil_w - s.pad_left;
          if (ih < 0 || ih >= s.in_h || iw < 0 || iw >= s.in_w) continue;
          const float xv = x[((static_cast<int64_t>(b) * s.in_h + ih) * s.in_w + iw) * s.in_c + tap_c[k - k0]];
          float* __restrict row = dw + static_cast<int64_t>(k) * s.out_c;
          for (int o = 0; o < s.out_c; o++) row[o] += xv * g[o];
        }
      }
}

// The same sums with dW[k, :] held in NB x 8 registers across one output row at a time (the loop above loads and
// stores it at every output position): for each k, the positions are still added in (b, oh, ow) order.
template <int NB>
__attribute__((target("avx2,fma"))) void filter_direct_range_avx2(const ConvShape& s, const float* x, const float* dy, float* dw,
                                                                  int k0, int k1) {
  for (int64_t i = static_cast<int64_t>(k0) * NB * 8; i < static_cast<int64_t>(k1) * NB * 8; i++) dw[i] = 0.f;
  for (int b = 0; b < s.batch; b++)
    for (int oh = 0; oh < s.out_h; oh++) {
      const float* g_row = dy + (static_cast<int64_t>(b) * s.out_h + oh) * s.out_w * NB * 8;
      for (int k = k0; k < k1; k++) {
        const int c = k % s.in_c, fw = (k / s.in_c) % s.f_w, fh = (k / s.in_c) / s.f_w;
        const int ih = oh * s.stride_h + fh * s.dil_h - s.pad_top;
        if (ih < 0 || ih >= s.in_h) continue;
        float* row = dw + static_cast<int64_t>(k) * NB * 8;
        __m256 acc[NB];
        for (int j = 0; j < NB; j++) acc[j] = _mm256_loadu_ps(row + j * 8);
        const float* x_row = x + (static_cast<int64_t>(b) * s.in_h + ih) * s.in_w * s.in_c + c;
        for (int ow = 0; ow < s.out_w; ow++) {
          const int iw = ow * s.stride_w + fw * s.dil_w - s.pad_left;
          if (iw < 0 || iw >= s.in_w) continue;
          const __m256 xv = _mm256_set1_ps(x_row[static_cast<int64_t>(iw) * s.in_c]);
          const float* g = g_row + static_cast<int64_t>(ow) * NB * 8;
          for (int j = 0; j < NB; j++) acc[j] = _mm256_add_ps(acc[j], _mm256_mul_ps(xv, _mm256_loadu_ps(g + j * 8)));
        }
        for (int j = 0; j < NB; j++) _mm256_storeu_ps(row + j * 8, acc[j]);
      }
    }
}

using FilterRange = void (*)(const ConvShape&, const float*, const float*, float*, int, int);

FilterRange filter_range_for(const ConvShape& s) {
  return by_channel_blocks<FilterRange>(s, filter_direct_range, [](auto nb) -> FilterRange { return filter_direct_range_avx2<decltype(nb)::value>; });
}

// dW[k, :] summed over every output position in order; tasks own disjoint ranges of k.
void conv2d_backprop_filter_direct(const ConvShape& s, const float* x, const float* dy, float* dw) {
  const int K = s.f_h * s.f_w * s.in_c;
  const FilterRange range = filter_range_for(s);
  const int tasks = std::max(1, std::min(pool_threads(), K));
  const int per = (K + tasks - 1) / tasks;
  parallel_for(tasks, [&](int t) {
    const int k0 = std::min(K, t * per), k1 = std::min(K, (t + 1) * per);
    if (k0 < k1) range(s, x, dy, dw, k0, k1);
  });
}

bool is_pointwise(const ConvShape& s) {
  return s.f_h == 1 && s.f_w == 1 && s.stride_h == 1 && s.stride_w == 1 && s.pad_top == 0 && s.pad_left == 0 &&
         s.out_h == s.in_h && s.out_w == s.in_w;
}

}  // namespace

namespace {
// Merges neighbouring axes that both operands step through as one (outer stride = inner stride x inner size; a
// broadcast pair has 0 = 0 x size) and drops axes of size 1: [64, 28, 28, 32] + [32] becomes [50176, 32] + [32].
// Visits the same elements in the same order, so results are unchanged.
struct Coalesced {
  int64_t shape[8], as[8], bs[8];
  int rank = 0;
  Coalesced(const int64_t* shape_in, const int64_t* as_in, const int64_t* bs_in, int rank_in) {
    for (int d = 0; d < rank_in; d++) {
      if (shape_in[d] == 1) continue;
      if (rank > 0 && as[rank - 1] == as_in[d] * shape_in[d] && bs[rank - 1] == bs_in[d] * shape_in[d]) {
        shape[rank - 1] *= shape_in[d];
        as[rank - 1] = as_in[d];
        bs[rank - 1] = bs_in[d];
        continue;
      }
      shape[rank] = shape_in[d];
      as[rank] = as_in[d];
      bs[rank] = bs_in[d];
      rank++;
    }
    if (rank == 0) {  // a scalar, or all axes of size 1
      shape[0] = 1;
      as[0] = bs[0] = 0;
      rank = 1;
    }
  }
};
}  // namespace

void binary(BinaryOp op, const float* a, const int64_t* as_in, const float* b, const int64_t* bs_in, float* out,
            const int64_t* shape_in, int rank_in) {
  const Coalesced c(shape_in, as_in, bs_in, rank_in);
  const int64_t *as = c.as, *bs = c.bs, *shape = c.shape;
  const int rank = c.rank;
  switch (op) {
    case BIN_ADD: return binary_impl<BIN_ADD>(a, as, b, bs, out, shape, rank);
    case BIN_SUB: return binary_impl<BIN_SUB>(a, as, b, bs, out, shape, rank);
    case BIN_MUL: return binary_impl<BIN_MUL>(a, as, b, bs, out, shape, rank);
    case BIN_DIV: return binary_impl<BIN_DIV>(a, as, b, bs, out, shape, rank);
    case BIN_MAX: return binary_impl<BIN_MAX>(a, as, b, bs, out, shape, rank);
    case BIN_MIN: return binary_impl<BIN_MIN>(a, as, b, bs, out, shape, rank);
    case BIN_SQDIFF: return binary_impl<BIN_SQDIFF>(a, as, b, bs, out, shape, rank);
  }
}

void compare(CompareOp op, const float* a, const int64_t* as_in, const float* b, const int64_t* bs_in, uint8_t* out,
             const int64_t* shape_in, int rank_in) {
  const Coalesced c(shape_in, as_in, bs_in, rank_in);
  const int64_t *as = c.as, *bs = c.bs, *shape = c.shape;
  const int rank = c.rank;
  switch (op) {
    case CMP_EQUAL: return compare_impl<CMP_EQUAL>(a, as, b, bs, out, shape, rank);
    case CMP_NOT_EQUAL: return compare_impl<CMP_NOT_EQUAL>(a, as, b, bs, out, shape, rank);
    case CMP_GREATER: return compare_impl<CMP_GREATER>(a, as, b, bs, out, shape, rank);
    case CMP_GREATER_EQUAL: return compare_impl<CMP_GREATER_EQUAL>(a, as, b, bs, out, shape, rank);
    case CMP_LESS: return compare_impl<CMP_LESS>(a, as, b, bs, out, shape, rank);
    case CMP_LESS_EQUAL: return compare_impl<CMP_LESS_EQUAL>(a, as, b, bs, out, shape, rank);
  }
}

void unary(UnaryOp op, const float* x, float* out, int64_t n, float p0, float p1) {
  switch (op) {
    case UN_RELU: return unary_impl<UN_RELU>(x, out, n, p0, p1);
    case UN_STEP: return unary_impl<UN_STEP>(x, out, n, p0, p1);
    case UN_NEG: return unary_impl<UN_NEG>(x, out, n, p0, p1);
    case UN_SQUARE: return unary_impl<UN_SQUARE>(x, out, n, p0, p1);
    case UN_SQRT: return unary_impl<UN_SQRT>(x, out, n, p0, p1);
    case UN_EXP: return unary_impl<UN_EXP>(x, out, n, p0, p1);
    case UN_LOG: return unary_impl<UN_LOG>(x, out, n, p0, p1);
    case UN_LOG1P: return unary_impl<UN_LOG1P>(x, out, n, p0, p1);
    case UN_SIGN: return unary_impl<UN_SIGN>(x, out, n, p0, p1);
    case UN_ABS: return unary_impl<UN_ABS>(x, out, n, p0, p1);
    case UN_TANH: return unary_impl<UN_TANH>(x, out, n, p0, p1);
    case UN_SIGMOID: return unary_impl<UN_SIGMOID>(x, out, n, p0, p1);
    case UN_SOFTPLUS: return unary_impl<UN_SOFTPLUS>(x, out, n, p0, p1);
    case UN_RECIPROCAL: return unary_impl<UN_RECIPROCAL>(x, out, n, p0, p1);
    case UN_CLIP: return unary_impl<UN_CLIP>(x, out, n, p0, p1);
  }
}

template <ReduceOp OP>
QL_CLONES void reduce_rows(const float* p, float* acc, int64_t n, int64_t inner, int64_t lo, int64_t hi) {
  // rows of the reduced axis are visited in order, so each output sums in the same order as a strided loop would
  for (int64_t i = lo; i < hi; i++) acc[i] = OP == RED_MAX ? -std::numeric_limits<float>::infinity()
                                            : OP == RED_MIN ? std::numeric_limits<float>::infinity() : 0.f;
  for (int64_t k = 0; k < n; k++) {
    const float* row = p + k * inner;
    for (int64_t i = lo; i < hi; i++) {
      const float v = row[i];
      if constexpr (OP == RED_SUM || OP == RED_MEAN) acc[i] += v;
      if constexpr (OP == RED_MAX) acc[i] = (v > acc[i] || v != v) ? v : acc[i];
      if constexpr (OP == RED_MIN) acc[i] = (v < acc[i] || v != v) ? v : acc[i];
    }
  }
  if constexpr (OP == RED_MEAN)
    for (int64_t i = lo; i < hi; i++) acc[i] /= static_cast<float>(n);
}

// A large reduction over the leading axis (a bias gradient: [N, C] -> [C]) is cut into this many row ranges, each
// summed in order by one thread, and the part sums are combined in part order. The cut depends on the shape only,
// so results never depend on the thread count; each thread reads rows of the array that it (as an elementwise kernel
// split the same way) most likely wrote itself, instead of a column stripe of every row.
constexpr int kReduceParts = 4;

template <ReduceOp OP>
void reduce_leading_axis(const float* x, float* out, int64_t n, int64_t inner) {
  constexpr ReduceOp PART_OP = OP == RED_MEAN ? RED_SUM : OP;
  std::vector<float> partial(static_cast<size_t>(kReduceParts) * inner);
  const int64_t per = (n + kReduceParts - 1) / kReduceParts;
  auto part = [&](int p) {
    const int64_t lo = std::min(n, p * per), hi = std::min(n, (p + 1) * per);
    reduce_rows<PART_OP>(x + lo * inner, partial.data() + p * inner, hi - lo, inner, 0, inner);
  };
  const int tasks = std::min(pool_threads(), kReduceParts);
  if (tasks <= 1) {
    for (int p = 0; p < kReduceParts; p++) part(p);
  } else {
    parallel_for(tasks, [&](int t) {
      for (int p = t * kReduceParts / tasks; p < (t + 1) * kReduceParts / tasks; p++) part(p);
    });
  }
  for (int64_t i = 0; i < inner; i++) {
    float acc = partial[i];
    for (int p = 1; p < kReduceParts; p++) {
      const float v = partial[p * inner + i];
      if constexpr (PART_OP == RED_SUM) acc += v;
      if constexpr (PART_OP == RED_MAX) acc = (v > acc || v != v) ? v : acc;
      if constexpr (PART_OP == RED_MIN) acc = (v < acc || v != v) ? v : acc;
    }
    out[i] = OP == RED_MEAN ? acc / static_cast<float>(n) : acc;
  }
}

template <ReduceOp OP>
void reduce_impl(const float* x, float* out, int64_t outer, int64_t n, int64_t inner) {
  if (outer == 1 && inner > 1 && n >= kReduceParts && n * inner >= kParallelGrain) {
    reduce_leading_axis<OP>(x, out, n, inner);
    return;
  }
  if (inner == 1) {
    split_rows(outer, outer * n, [&](int64_t lo, int64_t hi) {
      for (int64_t o = lo; o < hi; o++) reduce_rows<OP>(x + o * n, out + o, n, 1, 0, 1);
    });
    return;
  }
  for (int64_t o = 0; o < outer; o++) {
    const float* p = x + o * n * inner;
    float* acc = out + o * inner;
    split_rows(inner, n * inner, [&](int64_t lo, int64_t hi) { reduce_rows<OP>(p, acc, n, inner, lo, hi); });
  }
}

void reduce(ReduceOp op, const float* x, float* out, int64_t outer, int64_t n, int64_t inner) {
  switch (op) {
    case RED_SUM: return reduce_impl<RED_SUM>(x, out, outer, n, inner);
    case RED_MAX: return reduce_impl<RED_MAX>(x, out, outer, n, inner);
    case RED_MIN: return reduce_impl<RED_MIN>(x, out, outer, n, inner);
    case RED_MEAN: return reduce_impl<RED_MEAN>(x, out, outer, n, inner);
  }
}

void arg_reduce(bool is_max, const float* x, int32_t* out, int64_t outer, int64_t n, int64_t inner) {
  for (int64_t o = 0; o < outer; o++)
    for (int64_t i = 0; i < inner; i++) {
      const float* p = x + o * n * inner + i;
      int32_t best = 0;
      float value = p[0];
      for (int64_t k = 1; k < n; k++) {
        const float v = p[k * inner];
        if (is_max ? v > value : v < value) {
          value = v;
          best = static_cast<int32_t>(k);
        }
      }
      out[o * inner + i] = best;
    }
}

void softmax(const float* x, float* out, int64_t rows, int64_t n) {
  split_rows(rows, rows * n, [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; r++) {
      const float* p = x + r * n;
      float* o = out + r * n;
      float m = -std::numeric_limits<float>::infinity();
      for (int64_t k = 0; k < n; k++) m = std::max(m, p[k]);
      float sum = 0.f;
      for (int64_t k = 0; k < n; k++) sum += (o[k] = std::exp(p[k] - m));
      for (int64_t k = 0; k < n; k++) o[k] /= sum;
    }
  });
}

QL_CLONES void scaled_subtract_loop(const float* x, const float* y, float alpha, float* out, int64_t n) {
  for (int64_t i = 0; i < n; i++) out[i] = x[i] - y[i] * alpha;
}

void scaled_subtract(const float* x, const float* y, float alpha, float* out, int64_t n) {
  chunked(n, [&](int64_t lo, int64_t hi) { scaled_subtract_loop(x + lo, y + lo, alpha, out + lo, hi - lo); });
}

QL_CLONES void relu_grad_loop(const float* dy, const float* y, float* out, int64_t n) {
  // dy * step(y) exactly as the two ops round it: step(NaN) is NaN, and 0 * dy keeps dy's sign and its NaN / Inf
  for (int64_t i = 0; i < n; i++) out[i] = y[i] > 0.f ? dy[i] : (y[i] != y[i] ? y[i] : dy[i] * 0.f);
}

void relu_grad(const float* dy, const float* y, float* out, int64_t n) {
  chunked(n, [&](int64_t lo, int64_t hi) { relu_grad_loop(dy + lo, y + lo, out + lo, hi - lo); });
}

QL_CLONES void sign_step_loop(const float* x, const float* g, float step, float lo, float hi, float* out, int64_t n) {
  // clip(x + sign(g) * step, lo, hi) rounded as the four ops are: the same sign and clip as the unary kernels
  for (int64_t i = 0; i < n; i++) out[i] = unary_apply<UN_CLIP>(x[i] + unary_apply<UN_SIGN>(g[i], 0.f, 0.f) * step, lo, hi);
}

void sign_step(const float* x, const float* g, float step, float lo, float hi, float* out, int64_t n) {
  chunked(n, [&](int64_t a, int64_t b) { sign_step_loop(x + a, g + a, step, lo, hi, out + a, b - a); });
}

double softmax_cross_entropy(const float* z, const int32_t* labels, int64_t rows, int64_t n, float* grad, float grad_scale) {
  double total = 0;
  for (int64_t r = 0; r < rows; r++) {
    const float* p = z + r * n;
    float m = -std::numeric_limits<float>::infinity();
    for (int64_t k = 0; k < n; k++) m = std::max(m, p[k]);
    float sum = 0.f;
    for (int64_t k = 0; k < n; k++) sum += std::exp(p[k] - m);
    const float lse = m + std::log(sum);
    const int32_t label = labels[r];
    // tfjs's oneHot gives a label outside [0, n) an all-zero target row: no loss and, exactly, no gradient
    const bool hit = label >= 0 && label < n;
    if (hit) total += static_cast<double>(lse) - p[label];
    if (grad) {
      float* g = grad + r * n;
      for (int64_t k = 0; k < n; k++) g[k] = hit ? (std::exp(p[k] - lse) - (k == label ? 1.f : 0.f)) * grad_scale : 0.f;
    }
  }
  return rows > 0 ? total / static_cast<double>(rows) : 0.0;
}

void conv2d(const ConvShape& s, const float* x, const float* w, float* out) {
  const int64_t rows_per_image = static_cast<int64_t>(s.out_h) * s.out_w;
  const int K = s.f_h * s.f_w * s.in_c;
  if (is_pointwise(s))
    return sgemm(false, false, static_cast<int>(s.batch * rows_per_image), s.out_c, K, x, w, out, false, nullptr, ACT_LINEAR);
  if (K <= kDirectMaxK) return conv2d_direct(s, x, w, out);
  const int chunk = images_per_chunk(s);
  for_image_ranges(s.batch, chunk, [&](int b0, int b1) {
    auto& col = scratch();
    col.resize(static_cast<size_t>((b1 - b0) * rows_per_image) * K);
    im2col(s, x, col.data(), b0, b1);
    sgemm(false, false, static_cast<int>((b1 - b0) * rows_per_image), s.out_c, K, col.data(), w, out + b0 * rows_per_image * s.out_c,
          false, nullptr, ACT_LINEAR);
  });
}

void conv2d_backprop_input(const ConvShape& s, const float* dy, const float* w, float* dx) {
  const int64_t rows_per_image = static_cast<int64_t>(s.out_h) * s.out_w;
  const int K = s.f_h * s.f_w * s.in_c;
  if (is_pointwise(s))
    return sgemm(false, true, static_cast<int>(s.batch * rows_per_image), K, s.out_c, dy, w, dx, false, nullptr, ACT_LINEAR);
  const int chunk = images_per_chunk(s);
  for_image_ranges(s.batch, chunk, [&](int b0, int b1) {
    auto& col = scratch();
    col.resize(static_cast<size_t>((b1 - b0) * rows_per_image) * K);
    sgemm(false, true, static_cast<int>((b1 - b0) * rows_per_image), K, s.out_c, dy + b0 * rows_per_image * s.out_c, w, col.data(),
          false, nullptr, ACT_LINEAR);
    const float* dcol = col.data();
    // col2im: each image's dx is summed by one task, in a fixed order
    parallel_for(b1 - b0, [&](int task) {
      const int b = b0 + task;
      float* img = dx + static_cast<int64_t>(b) * s.in_h * s.in_w * s.in_c;
      std::fill(img, img + static_cast<int64_t>(s.in_h) * s.in_w * s.in_c, 0.f);
      for (int oh = 0; oh < s.out_h; oh++)
        for (int ow = 0; ow < s.out_w; ow++) {
          const float* src = dcol + ((static_cast<int64_t>(task) * s.out_h + oh) * s.out_w + ow) * K;
          for (int fh = 0; fh < s.f_h; fh++) {
            const int ih = oh * s.stride_h + fh * s.dil_h - s.pad_top;
            if (ih < 0 || ih >= s.in_h) continue;
            for (int fw = 0; fw < s.f_w; fw++) {
              const int iw = ow * s.stride_w + fw * s.dil_w - s.pad_left;
              if (iw < 0 || iw >= s.in_w) continue;
              float* d = img + (static_cast<int64_t>(ih) * s.in_w + iw) * s.in_c;
              const float* v = src + (static_cast<int64_t>(fh) * s.f_w + fw) * s.in_c;
              for (int c = 0; c < s.in_c; c++) d[c] += v[c];
            }
          }
        }
    });
  });
}

void conv2d_backprop_filter(const ConvShape& s, const float* x, const float* dy, float* dw) {
  const int64_t rows_per_image = static_cast<int64_t>(s.out_h) * s.out_w;
  const int K = s.f_h * s.f_w * s.in_c;
  if (is_pointwise(s))
    return sgemm(true, false, K, s.out_c, static_cast<int>(s.batch * rows_per_image), x, dy, dw, false, nullptr, ACT_LINEAR);
  if (K <= kDirectMaxK) return conv2d_backprop_filter_direct(s, x, dy, dw);
  // dW sums over every image. The chunks are split into a fixed number of parts (a function of the shape alone): each
  // part accumulates its chunks in order, by whichever thread takes it, and the parts are added in order at the end.
  // The summation order is therefore the same for any thread count, while up to kFilterParts threads share the work.
  const int chunk = images_per_chunk(s);
  const int chunks = (s.batch + chunk - 1) / chunk;
  const int parts = std::max(1, std::min(kFilterParts, chunks));
  const int64_t filter_size = static_cast<int64_t>(K) * s.out_c;
  std::vector<float> partial(static_cast<size_t>(parts - 1) * filter_size);
  parallel_for(parts, [&](int part) {
    float* target = part == 0 ? dw : partial.data() + (part - 1) * filter_size;
    const int c0 = static_cast<int>(static_cast<int64_t>(part) * chunks / parts);
    const int c1 = static_cast<int>(static_cast<int64_t>(part + 1) * chunks / parts);
    auto& col = scratch();
    col.resize(static_cast<size_t>(chunk * rows_per_image) * K);
    for (int c = c0; c < c1; c++) {
      const int b0 = c * chunk, b1 = std::min(s.batch, b0 + chunk);
      im2col(s, x, col.data(), b0, b1);
      sgemm(true, false, K, s.out_c, static_cast<int>((b1 - b0) * rows_per_image), col.data(), dy + b0 * rows_per_image * s.out_c,
            target, c > c0, nullptr, ACT_LINEAR);
    }
  });
  for (int part = 1; part < parts; part++) {
    const float* add = partial.data() + (part - 1) * filter_size;
    chunked(filter_size, [&](int64_t lo, int64_t hi) { row_ss<BIN_ADD>(dw + lo, add + lo, dw + lo, hi - lo); });
  }
}

void max_pool(const ConvShape& s, const float* x, float* out) {
  parallel_for(s.batch, [&](int b) {
    for (int oh = 0; oh < s.out_h; oh++)
      for (int ow = 0; ow < s.out_w; ow++) {
        float* o = out + ((static_cast<int64_t>(b) * s.out_h + oh) * s.out_w + ow) * s.in_c;
        std::fill(o, o + s.in_c, -std::numeric_limits<float>::infinity());
        for (int fh = 0; fh < s.f_h; fh++) {
          const int ih = oh * s.stride_h + fh * s.dil_h - s.pad_top;
          if (ih < 0 || ih >= s.in_h) continue;
          for (int fw = 0; fw < s.f_w; fw++) {
            const int iw = ow * s.stride_w + fw * s.dil_w - s.pad_left;
            if (iw < 0 || iw >= s.in_w) continue;
            const float* p = x + ((static_cast<int64_t>(b) * s.in_h + ih) * s.in_w + iw) * s.in_c;
            for (int c = 0; c < s.in_c; c++) o[c] = (p[c] > o[c] || p[c] != p[c]) ? p[c] : o[c];
          }
        }
      }
  });
}

namespace {
// The first maximum in row-major window order wins, as in tfjs-cpu; written as selects, since which element wins is
// data-dependent and a branch on it mispredicts about half the time.
QL_CLONES void window_max(const float* __restrict v, int64_t index, float* __restrict best, int64_t* __restrict at, int n) {
  for (int c = 0; c < n; c++) {
    const bool take = at[c] < 0 || v[c] > best[c];
    best[c] = take ? v[c] : best[c];
    at[c] = take ? index + c : at[c];
  }
}
}  // namespace

void max_pool_grad(const ConvShape& s, const float* dy, const float* x, float* dx) {
  parallel_for(s.batch, [&](int b) {
    const int64_t base = static_cast<int64_t>(b) * s.in_h * s.in_w * s.in_c;
    std::fill(dx + base, dx + base + static_cast<int64_t>(s.in_h) * s.in_w * s.in_c, 0.f);
    std::vector<float> best(s.in_c);
    std::vector<int64_t> at(s.in_c);
    for (int oh = 0; oh < s.out_h; oh++)
      for (int ow = 0; ow < s.out_w; ow++) {
        std::fill(at.begin(), at.end(), -1);
        for (int fh = 0; fh < s.f_h; fh++) {
          const int ih = oh * s.stride_h + fh * s.dil_h - s.pad_top;
          if (ih < 0 || ih >= s.in_h) continue;
          for (int fw = 0; fw < s.f_w; fw++) {
            const int iw = ow * s.stride_w + fw * s.dil_w - s.pad_left;
            if (iw < 0 || iw >= s.in_w) continue;
            const int64_t pixel = base + (static_cast<int64_t>(ih) * s.in_w + iw) * s.in_c;
            window_max(x + pixel, pixel, best.data(), at.data(), s.in_c);
          }
        }
        const float* g = dy + ((static_cast<int64_t>(b) * s.out_h + oh) * s.out_w + ow) * s.in_c;
        for (int c = 0; c < s.in_c; c++)
          if (at[c] >= 0) dx[at[c]] += g[c];
      }
  });
}

void avg_pool(const ConvShape& s, const float* x, float* out) {
  parallel_for(s.batch, [&](int b) {
    for (int oh = 0; oh < s.out_h; oh++)
      for (int ow = 0; ow < s.out_w; ow++)
        for (int c = 0; c < s.in_c; c++) {
          float sum = 0.f;
          int count = 0;
          for (int fh = 0; fh < s.f_h; fh++) {
            const int ih = oh * s.stride_h + fh * s.dil_h - s.pad_top;
            if (ih < 0 || ih >= s.in_h) continue;
            for (int fw = 0; fw < s.f_w; fw++) {
              const int iw = ow * s.stride_w + fw * s.dil_w - s.pad_left;
              if (iw < 0 || iw >= s.in_w) continue;
              sum += x[((static_cast<int64_t>(b) * s.in_h + ih) * s.in_w + iw) * s.in_c + c];
              count++;
            }
          }
          out[((static_cast<int64_t>(b) * s.out_h + oh) * s.out_w + ow) * s.in_c + c] = sum / static_cast<float>(count);
        }
  });
}

// tfjs's AvgPoolGrad spreads dy / (filter area) over the in-bounds window, even where the forward divided by fewer.
void avg_pool_grad(const ConvShape& s, const float* dy, float* dx) {
  const float scale = 1.f / static_cast<float>(s.f_h * s.f_w);
  parallel_for(s.batch, [&](int b) {
    const int64_t base = static_cast<int64_t>(b) * s.in_h * s.in_w * s.in_c;
    std::fill(dx + base, dx + base + static_cast<int64_t>(s.in_h) * s.in_w * s.in_c, 0.f);
    for (int oh = 0; oh < s.out_h; oh++)
      for (int ow = 0; ow < s.out_w; ow++)
        for (int c = 0; c < s.in_c; c++) {
          const float g = dy[((static_cast<int64_t>(b) * s.out_h + oh) * s.out_w + ow) * s.in_c + c] * scale;
          for (int fh = 0; fh < s.f_h; fh++) {
            const int ih = oh * s.stride_h + fh * s.dil_h - s.pad_top;
            if (ih < 0 || ih >= s.in_h) continue;
            for (int fw = 0; fw < s.f_w; fw++) {
              const int iw = ow * s.stride_w + fw * s.dil_w - s.pad_left;
              if (iw < 0 || iw >= s.in_w) continue;
              dx[base + (static_cast<int64_t>(ih) * s.in_w + iw) * s.in_c + c] += g;
            }
          }
        }
  });
}

}  // namespace ql

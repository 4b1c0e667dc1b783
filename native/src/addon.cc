// N-API glue: JS passes Float32Array inputs and preallocated outputs plus sizes; nothing here allocates JS memory.
#include <node_api.h>

#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gemm.h"
#include "ops.h"
#include "pool.h"

namespace {

#define CHECK(call)                                              \
  do {                                                           \
    if ((call) != napi_ok) {                                     \
      napi_throw_error(env, nullptr, "quirklab_native: " #call); \
      return nullptr;                                            \
    }                                                            \
  } while (0)

struct Args {
  napi_env env;
  size_t argc = 16;
  napi_value argv[16];
  bool ok = true;

  Args(napi_env e, napi_callback_info info) : env(e) {
    if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) ok = false;
  }

  void fail(const std::string& message) {
    if (ok) napi_throw_type_error(env, nullptr, ("quirklab_native: " + message).c_str());
    ok = false;
  }

  template <typename T>
  T* array(size_t i, napi_typedarray_type want, size_t* length = nullptr) {
    if (!ok) return nullptr;
    if (i >= argc) {
      fail("missing argument " + std::to_string(i));
      return nullptr;
    }
    napi_valuetype vt;
    napi_typeof(env, argv[i], &vt);
    if (vt == napi_null || vt == napi_undefined) return nullptr;
    bool is_typed = false;
    napi_is_typedarray(env, argv[i], &is_typed);
    if (!is_typed) {
      fail("argument " + std::to_string(i) + " must be a typed array");
      return nullptr;
    }
    napi_typedarray_type type;
    size_t len;
    void* data;
    napi_value buffer;
    size_t offset;
    napi_get_typedarray_info(env, argv[i], &type, &len, &data, &buffer, &offset);
    if (type != want) {
      fail("argument " + std::to_string(i) + " has the wrong element type");
      return nullptr;
    }
    if (length) *length = len;
    return static_cast<T*>(data);
  }

  int64_t integer(size_t i) {
    if (!ok || i >= argc) {
      fail("missing integer argument " + std::to_string(i));
      return 0;
    }
    int64_t v = 0;
    if (napi_get_value_int64(env, argv[i], &v) != napi_ok) fail("argument " + std::to_string(i) + " must be a number");
    return v;
  }

  double number(size_t i) {
    if (!ok || i >= argc) {
      fail("missing number argument " + std::to_string(i));
      return 0;
    }
    double v = 0;
    if (napi_get_value_double(env, argv[i], &v) != napi_ok) fail("argument " + std::to_string(i) + " must be a number");
    return v;
  }
};

// gemm(a, b, c, batch, M, N, K, transA, transB, aBatchStride, bBatchStride, bias|null, act)
napi_value Gemm(napi_env env, napi_callback_info info) {
  Args args(env, info);
  const float* a = args.array<float>(0, napi_float32_array);
  const float* b = args.array<float>(1, napi_float32_array);
  float* c = args.array<float>(2, napi_float32_array);
  const int64_t batch = args.integer(3), M = args.integer(4), N = args.integer(5), K = args.integer(6);
  const bool ta = args.integer(7) != 0, tb = args.integer(8) != 0;
  const int64_t as = args.integer(9), bs = args.integer(10);
  const float* bias = args.array<float>(11, napi_float32_array);
  const int act = static_cast<int>(args.integer(12));
  if (!args.ok) return nullptr;
  for (int64_t i = 0; i < batch; i++)
    ql::sgemm(ta, tb, static_cast<int>(M), static_cast<int>(N), static_cast<int>(K), a + i * as, b + i * bs, c + i * M * N,
              false, bias, static_cast<ql::Activation>(act));
  return nullptr;
}

// binary(op, a, aStrides, b, bStrides, out, shape) with Int32Array strides and shape; op >= 100: comparison
// (op - 100) into a Uint8Array
napi_value Binary(napi_env env, napi_callback_info info) {
  Args args(env, info);
  const int op = static_cast<int>(args.integer(0));
  const float* a = args.array<float>(1, napi_float32_array);
  size_t rank = 0, rb = 0, rs = 0;
  const int32_t* as32 = args.array<int32_t>(2, napi_int32_array, &rank);
  const float* b = args.array<float>(3, napi_float32_array);
  const int32_t* bs32 = args.array<int32_t>(4, napi_int32_array, &rb);
  float* out = op >= 100 ? nullptr : args.array<float>(5, napi_float32_array);
  uint8_t* out8 = op >= 100 ? args.array<uint8_t>(5, napi_uint8_array) : nullptr;
  const int32_t* shape32 = args.array<int32_t>(6, napi_int32_array, &rs);
  if (!args.ok) return nullptr;
  if (rank != rb || rank != rs || rank > 8) {
    args.fail("binary: strides and shape must have the same rank <= 8");
    return nullptr;
  }
  int64_t as[8], bs[8], shape[8];
  for (size_t i = 0; i < rank; i++) {
    as[i] = as32[i];
    bs[i] = bs32[i];
    shape[i] = shape32[i];
  }
  if (op >= 100)
    ql::compare(static_cast<ql::CompareOp>(op - 100), a, as, b, bs, out8, shape, static_cast<int>(rank));
  else
    ql::binary(static_cast<ql::BinaryOp>(op), a, as, b, bs, out, shape, static_cast<int>(rank));
  return nullptr;
}

// unary(op, x, out, p0, p1)
napi_value Unary(napi_env env, napi_callback_info info) {
  Args args(env, info);
  const int op = static_cast<int>(args.integer(0));
  size_t n = 0;
  const float* x = args.array<float>(1, napi_float32_array, &n);
  float* out = args.array<float>(2, napi_float32_array);
  const float p0 = static_cast<float>(args.number(3)), p1 = static_cast<float>(args.number(4));
  if (!args.ok) return nullptr;
  ql::unary(static_cast<ql::UnaryOp>(op), x, out, static_cast<int64_t>(n), p0, p1);
  return nullptr;
}

// reduce(op, x, out, outer, n, inner); op -1 / -2: argmax / argmin into an Int32Array
napi_value Reduce(napi_env env, napi_callback_info info) {
  Args args(env, info);
  const int op = static_cast<int>(args.integer(0));
  const float* x = args.array<float>(1, napi_float32_array);
  const int64_t outer = args.integer(3), n = args.integer(4), inner = args.integer(5);
  if (op < 0) {
    int32_t* out = args.array<int32_t>(2, napi_int32_array);
    if (!args.ok) return nullptr;
    ql::arg_reduce(op == -1, x, out, outer, n, inner);
  } else {
    float* out = args.array<float>(2, napi_float32_array);
    if (!args.ok) return nullptr;
    ql::reduce(static_cast<ql::ReduceOp>(op), x, out, outer, n, inner);
  }
  return nullptr;
}

napi_value Softmax(napi_env env, napi_callback_info info) {
  Args args(env, info);
  const float* x = args.array<float>(0, napi_float32_array);
  float* out = args.array<float>(1, napi_float32_array);
  const int64_t rows = args.integer(2), n = args.integer(3);
  if (!args.ok) return nullptr;
  ql::softmax(x, out, rows, n);
  return nullptr;
}

// Arguments 0 and 1 (inputs) and 2 (output) of an elementwise kernel: float32 arrays of one length.
bool elementwise_arrays(Args& args, const char* name, const float** first, const float** second, float** out, size_t* n) {
  size_t n1 = 0, n2 = 0, n3 = 0;
  *first = args.array<float>(0, napi_float32_array, &n1);
  *second = args.array<float>(1, napi_float32_array, &n2);
  *out = args.array<float>(2, napi_float32_array, &n3);
  if (!args.ok) return false;
  if (!*first || !*second || !*out || n1 != n2 || n1 != n3) {
    args.fail(std::string(name) + ": both inputs and the output must be float32 arrays of one length");
    return false;
  }
  *n = n1;
  return true;
}

// scaledSubtract(x, y, out, alpha): out = x - y * alpha
napi_value ScaledSubtract(napi_env env, napi_callback_info info) {
  Args args(env, info);
  const float *x, *y;
  float* out;
  size_t n;
  if (!elementwise_arrays(args, "scaledSubtract", &x, &y, &out, &n)) return nullptr;
  const double alpha = args.number(3);
  if (!args.ok) return nullptr;
  ql::scaled_subtract(x, y, static_cast<float>(alpha), out, static_cast<int64_t>(n));
  return nullptr;
}

// reluGrad(dy, y, out): out = dy * step(y)
napi_value ReluGrad(napi_env env, napi_callback_info info) {
  Args args(env, info);
  const float *dy, *y;
  float* out;
  size_t n;
  if (!elementwise_arrays(args, "reluGrad", &dy, &y, &out, &n)) return nullptr;
  ql::relu_grad(dy, y, out, static_cast<int64_t>(n));
  return nullptr;
}

// signStep(x, g, out, step, lo, hi): out = clip(x + sign(g) * step, lo, hi)
napi_value SignStep(napi_env env, napi_callback_info info) {
  Args args(env, info);
  const float *x, *g;
  float* out;
  size_t n;
  if (!elementwise_arrays(args, "signStep", &x, &g, &out, &n)) return nullptr;
  const double step = args.number(3), lo = args.number(4), hi = args.number(5);
  if (!args.ok) return nullptr;
  ql::sign_step(x, g, static_cast<float>(step), static_cast<float>(lo), static_cast<float>(hi), out, static_cast<int64_t>(n));
  return nullptr;
}

// softmaxCrossEntropy(logits, labels (Int32Array), rows, n, grad|null, gradScale) -> mean loss
napi_value SoftmaxCrossEntropy(napi_env env, napi_callback_info info) {
  Args args(env, info);
  size_t z_len = 0, label_len = 0, grad_len = 0;
  const float* z = args.array<float>(0, napi_float32_array, &z_len);
  const int32_t* labels = args.array<int32_t>(1, napi_int32_array, &label_len);
  const int64_t rows = args.integer(2), n = args.integer(3);
  float* grad = args.array<float>(4, napi_float32_array, &grad_len);
  const double scale = args.number(5);
  if (!args.ok) return nullptr;
  if (!z || !labels || rows < 0 || n < 1 || z_len != static_cast<size_t>(rows * n) || label_len != static_cast<size_t>(rows) ||
      (grad && grad_len != z_len)) {
    args.fail("softmaxCrossEntropy: logits must be [rows, n], labels [rows] and grad like logits");
    return nullptr;
  }
  const double loss = ql::softmax_cross_entropy(z, labels, rows, n, grad, static_cast<float>(scale));
  napi_value result;
  CHECK(napi_create_double(env, loss, &result));
  return result;
}

bool conv_shape(Args& args, size_t i, ql::ConvShape* s) {
  size_t len = 0;
  const int32_t* v = args.array<int32_t>(i, napi_int32_array, &len);
  if (!args.ok) return false;
  if (len != 15) {
    args.fail("conv shape must have 15 entries");
    return false;
  }
  *s = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14]};
  return true;
}

// conv(kind, shape, first, second, out): kind 0 forward(x, w), 1 backprop input(dy, w), 2 backprop filter(x, dy)
napi_value Conv(napi_env env, napi_callback_info info) {
  Args args(env, info);
  const int kind = static_cast<int>(args.integer(0));
  ql::ConvShape s;
  if (!conv_shape(args, 1, &s)) return nullptr;
  const float* first = args.array<float>(2, napi_float32_array);
  const float* second = args.array<float>(3, napi_float32_array);
  float* out = args.array<float>(4, napi_float32_array);
  if (!args.ok) return nullptr;
  if (kind == 0) ql::conv2d(s, first, second, out);
  else if (kind == 1) ql::conv2d_backprop_input(s, first, second, out);
  else ql::conv2d_backprop_filter(s, first, second, out);
  return nullptr;
}

// pool(kind, shape, first, second|null, out): 0 max(x), 1 max grad(dy, x), 2 avg(x), 3 avg grad(dy)
napi_value Pool(napi_env env, napi_callback_info info) {
  Args args(env, info);
  const int kind = static_cast<int>(args.integer(0));
  ql::ConvShape s;
  if (!conv_shape(args, 1, &s)) return nullptr;
  const float* first = args.array<float>(2, napi_float32_array);
  const float* second = args.array<float>(3, napi_float32_array);
  float* out = args.array<float>(4, napi_float32_array);
  if (!args.ok) return nullptr;
  switch (kind) {
    case 0: ql::max_pool(s, first, out); break;
    case 1: ql::max_pool_grad(s, first, second, out); break;
    case 2: ql::avg_pool(s, first, out); break;
    default: ql::avg_pool_grad(s, first, out); break;
  }
  return nullptr;
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  Args args(env, info);
  const int64_t n = args.integer(0);
  if (!args.ok) return nullptr;
  ql::pool_set_threads(static_cast<int>(n));
  napi_value result;
  napi_create_int32(env, ql::pool_threads(), &result);
  return result;
}

// setIsa("avx512" | "avx2" | "scalar") -> the path actually in use (never one the CPU lacks)
napi_value SetIsa(napi_env env, napi_callback_info info) {
  Args args(env, info);
  char name[16] = {0};
  size_t len = 0;
  if (args.argc < 1 || napi_get_value_string_utf8(env, args.argv[0], name, sizeof(name), &len) != napi_ok) {
    napi_throw_type_error(env, nullptr, "quirklab_native: setIsa(name) needs a string");
    return nullptr;
  }
  const std::string want(name);
  const ql::Isa isa = want == "avx512" ? ql::ISA_AVX512 : want == "avx2" ? ql::ISA_AVX2 : ql::ISA_SCALAR;
  napi_value result;
  napi_create_string_utf8(env, ql::isa_name(ql::set_isa(isa)), NAPI_AUTO_LENGTH, &result);
  return result;
}

napi_value Describe(napi_env env, napi_callback_info) {
  napi_value obj, v;
  napi_create_object(env, &obj);
  napi_create_string_utf8(env, ql::isa_name(ql::current_isa()), NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, "isa", v);
  napi_create_string_utf8(env, ql::isa_name(ql::detect_isa()), NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, "bestIsa", v);
  napi_create_int32(env, ql::pool_threads(), &v);
  napi_set_named_property(env, obj, "threads", v);
  napi_create_int32(env, static_cast<int32_t>(std::thread::hardware_concurrency()), &v);
  napi_set_named_property(env, obj, "hardwareThreads", v);
  return obj;
}

napi_value Init(napi_env env, napi_value exports) {
  struct Entry {
    const char* name;
    napi_callback fn;
  } entries[] = {{"gemm", Gemm},
                 {"binary", Binary},
                 {"unary", Unary},
                 {"reduce", Reduce},
                 {"softmax", Softmax},
                 {"softmaxCrossEntropy", SoftmaxCrossEntropy},
                 {"scaledSubtract", ScaledSubtract},
                 {"reluGrad", ReluGrad},
                 {"signStep", SignStep},
                 {"conv", Conv},
                 {"pool", Pool},
                 {"setThreads", SetThreads},
                 {"setIsa", SetIsa},
                 {"describe", Describe}};
  for (const auto& e : entries) {
    napi_value fn;
    napi_create_function(env, e.name, NAPI_AUTO_LENGTH, e.fn, nullptr, &fn);
    napi_set_named_property(env, exports, e.name, fn);
  }
  // Init runs once per JS thread that loads the addon; the pool is process-wide, so size it once. (Worker threads'
  // own env is not visible to getenv: the JS side applies QUIRKLAB_THREADS with setThreads.)
  static std::once_flag sized;
  std::call_once(sized, [] {
    const char* env_threads = std::getenv("QUIRKLAB_THREADS");
    const int threads = env_threads ? std::atoi(env_threads) : static_cast<int>(std::thread::hardware_concurrency());
    ql::pool_set_threads(threads > 0 ? threads : 1);
  });
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)

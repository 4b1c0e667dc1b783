#pragma once
#include <cstdint>

namespace ql {

enum BinaryOp { BIN_ADD = 0, BIN_SUB, BIN_MUL, BIN_DIV, BIN_MAX, BIN_MIN, BIN_SQDIFF };
enum CompareOp { CMP_EQUAL = 0, CMP_NOT_EQUAL, CMP_GREATER, CMP_GREATER_EQUAL, CMP_LESS, CMP_LESS_EQUAL };
enum UnaryOp {
  UN_RELU = 0, UN_STEP, UN_NEG, UN_SQUARE, UN_SQRT, UN_EXP, UN_LOG, UN_LOG1P, UN_SIGN, UN_ABS,
  UN_TANH, UN_SIGMOID, UN_SOFTPLUS, UN_RECIPROCAL, UN_CLIP
};
enum ReduceOp { RED_SUM = 0, RED_MAX, RED_MIN, RED_MEAN };

// out has rank `rank` and shape out_shape; a_strides/b_strides are element strides per output axis (0 = broadcast).
void binary(BinaryOp op, const float* a, const int64_t* a_strides, const float* b, const int64_t* b_strides, float* out,
            const int64_t* out_shape, int rank);
// Elementwise comparison with broadcasting into 0/1 bytes (tfjs's bool storage).
void compare(CompareOp op, const float* a, const int64_t* a_strides, const float* b, const int64_t* b_strides, uint8_t* out,
             const int64_t* out_shape, int rank);
void unary(UnaryOp op, const float* x, float* out, int64_t n, float p0, float p1);
// x viewed as [outer, n, inner], reduced over the middle axis.
void reduce(ReduceOp op, const float* x, float* out, int64_t outer, int64_t n, int64_t inner);
void arg_reduce(bool is_max, const float* x, int32_t* out, int64_t outer, int64_t n, int64_t inner);
void softmax(const float* x, float* out, int64_t rows, int64_t n);
// out = x - y * alpha, rounded after the product as tfjs's sub(x, mul(y, alpha)) is (no fused multiply-add: the build
// passes -ffp-contract=off).
void scaled_subtract(const float* x, const float* y, float alpha, float* out, int64_t n);
// out = dy * step(y): a ReLU's backward from its output.
void relu_grad(const float* dy, const float* y, float* out, int64_t n);
// clip(x + sign(g) * step, lo, hi): one L-infinity ascent step (FGSM, PGD)
void sign_step(const float* x, const float* g, float step, float lo, float hi, float* out, int64_t n);
// Mean over rows of log-sum-exp(z) - z[label] (a row whose label is outside [0, n) adds 0, as with tfjs's oneHot);
// when grad is given, also (softmax(z) - onehot(label)) * grad_scale into it.
double softmax_cross_entropy(const float* z, const int32_t* labels, int64_t rows, int64_t n, float* grad, float grad_scale);

struct ConvShape {
  int batch, in_h, in_w, in_c, out_h, out_w, out_c, f_h, f_w, stride_h, stride_w, pad_top, pad_left, dil_h, dil_w;
};
void conv2d(const ConvShape& s, const float* x, const float* w, float* out);
void conv2d_backprop_input(const ConvShape& s, const float* dy, const float* w, float* dx);
void conv2d_backprop_filter(const ConvShape& s, const float* x, const float* dy, float* dw);

// Pools use ConvShape with out_c == in_c and the filter as the window.
void max_pool(const ConvShape& s, const float* x, float* out);
void max_pool_grad(const ConvShape& s, const float* dy, const float* x, float* dx);
void avg_pool(const ConvShape& s, const float* x, float* out);
void avg_pool_grad(const ConvShape& s, const float* dy, float* dx);

}  // namespace ql

#pragma once
// Every operation, listed once. Adding an op: write src/ops/<name>.cpp defining
// `const OpDef op_<name>` (with its attribute struct and AttrSchema, if it has attributes), add it
// here, and add its lines to the op test tables (CMake finds the file). See docs/adding_an_op.md.
// NOTE: an explicit list, not static self-registration, which static libraries silently drop.
#define TG_OPS(X)                                                                                  \
  X(add) X(subtract) X(multiply) X(divide) X(negative) X(exp) X(log) X(square) X(sqrt) X(sigmoid) \
  X(relu) X(tanh) X(matmul) X(softmax) X(log_softmax) X(softmax_cross_entropy_with_logits)        \
  X(reduce_sum) X(reduce_mean) X(reduce_max) X(reshape) X(transpose) X(argmax) X(equal)           \
  X(greater) X(cast) X(fill_like) X(sum_to) X(broadcast_like) X(apply_gradient_descent) X(custom) \
  X(one_hot) X(sparse_softmax_cross_entropy_with_logits) X(random_uniform_like) X(random_normal) \
  X(apply_momentum) X(apply_rms_prop) X(apply_adam) X(check_numerics) X(matmul_grad)              \
  X(identity) X(stop_gradient) X(reduce_min) X(reduce_prod) X(argmin) X(less) X(less_equal)       \
  X(greater_equal) X(not_equal) X(logical_and) X(logical_or) X(logical_not) X(maximum)            \
  X(minimum) X(pow) X(abs) X(strided_slice) X(strided_slice_grad)                              \
  X(conv2d) X(conv2d_backprop_input) X(conv2d_backprop_filter)                                 \
  X(max_pool) X(max_pool_grad) X(max_pool_grad_grad) X(avg_pool) X(avg_pool_grad) X(bias_add)     \
  X(bias_add_grad) X(pad) X(pad_grad)                                                           \
  X(fused_batch_norm) X(fused_batch_norm_grad) X(assign_moving_average) X(group) X(relu_grad)        \
  X(log1p) X(softplus) X(leaky_relu) X(sigmoid_cross_entropy_with_logits) \
  X(concat) X(concat_grad) X(gather) X(gather_grad) X(where) X(sequence_mask) X(block_lstm) X(block_lstm_grad) \
  X(assign) X(no_op) X(shape) X(truncated_normal) X(random_uniform) X(range) X(allreduce) X(broadcast) \
  X(pack_flat) X(unpack_flat)

#include "tensorgraph/op_def.h"

namespace tg::ops {
#define TG_DECLARE_OP(name) extern const OpDef op_##name;
TG_OPS(TG_DECLARE_OP)
#undef TG_DECLARE_OP
}  // namespace tg::ops

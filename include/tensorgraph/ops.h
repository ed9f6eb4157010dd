#pragma once
// Operation builders. Each adds a node to the graph of its inputs, checking dtypes and shapes at
// once (errors name the op, the input nodes and their shapes). numpy semantics throughout.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "tensorgraph/graph.h"

namespace tg {

/// Reduction axes: an int, a list, or none (every axis) — python's axis=None | int | list.
struct Axes {
  std::vector<std::int64_t> list;
  bool all = true;
  Axes() = default;
  Axes(int axis) : list{axis}, all(false) {}
  Axes(std::int64_t axis) : list{axis}, all(false) {}
  Axes(std::initializer_list<std::int64_t> axes) : list(axes), all(false) {}
  Axes(std::vector<std::int64_t> axes) : list(std::move(axes)), all(false) {}
};

// Optional arguments can be given by name, with designated initializers; the positional forms stay:
//   reduce_sum(x, {.axis = 1, .keepdims = true, .name = "total"});   reduce_sum(x, 1, true, "total")
//   matmul(a, b, {.transpose_b = true, .name = "logits"});            matmul(a, b, false, true)

// --- element-wise, with numpy broadcasting ---
/// x + y
Node add(const Node& x, const Node& y, const std::string& name = "");
/// x - y
Node subtract(const Node& x, const Node& y, const std::string& name = "");
/// x * y
Node multiply(const Node& x, const Node& y, const std::string& name = "");
/// x / y (IEEE for floats: x/0 = +-inf, 0/0 = NaN, and the gradients at y = 0 are inf/NaN likewise;
/// integer division truncates and a zero divisor is an Error)
Node divide(const Node& x, const Node& y, const std::string& name = "");
/// x == y as bool (not differentiable)
Node equal(const Node& x, const Node& y, const std::string& name = "");
/// x > y as bool (not differentiable)
Node greater(const Node& x, const Node& y, const std::string& name = "");
/// x >= y as bool (not differentiable)
Node greater_equal(const Node& x, const Node& y, const std::string& name = "");
/// x < y as bool (not differentiable)
Node less(const Node& x, const Node& y, const std::string& name = "");
/// x <= y as bool (not differentiable)
Node less_equal(const Node& x, const Node& y, const std::string& name = "");
/// x != y as bool (not differentiable; true where either is NaN)
Node not_equal(const Node& x, const Node& y, const std::string& name = "");
/// x and y, on bools (not differentiable)
Node logical_and(const Node& x, const Node& y, const std::string& name = "");
/// x or y, on bools (not differentiable)
Node logical_or(const Node& x, const Node& y, const std::string& name = "");
/// the larger of x and y (NaN propagates); the gradient goes to x where x >= y, else to y
Node maximum(const Node& x, const Node& y, const std::string& name = "");
/// the smaller of x and y (NaN propagates); the gradient goes to x where x <= y, else to y
Node minimum(const Node& x, const Node& y, const std::string& name = "");
/// x^y; dx = y x^(y-1), dy = log(x) x^y where x > 0 and 0 elsewhere (TensorFlow's rule). Integers are
/// exact (wrapping on overflow, as numpy) and a negative integer exponent is an Error at run time
Node pow(const Node& x, const Node& y, const std::string& name = "");
/// t clipped to [lo, hi]: maximum(minimum(t, hi), lo), TensorFlow's order, so at a bound the gradient
/// goes to t. The bounds broadcast against t and may not enlarge it (ShapeError, where shapes are known)
Node clip_by_value(const Node& t, const Node& clip_value_min, const Node& clip_value_max, const std::string& name = "");
/// clip_by_value with constant bounds of t's dtype
Node clip_by_value(const Node& t, double clip_value_min, double clip_value_max, const std::string& name = "");
/// -x
Node negative(const Node& x, const std::string& name = "");
/// ln(1 + x), accurate near 0; the gradient is dy / (1 + x)
Node log1p(const Node& x, const std::string& name = "");
/// |x|; the gradient is dy * sign(x), 0 at 0
Node abs(const Node& x, const std::string& name = "");
/// not x, on bools (not differentiable)
Node logical_not(const Node& x, const std::string& name = "");
/// x unchanged, as a new node; the gradient passes through
Node identity(const Node& x, const std::string& name = "");
/// x unchanged, but no gradient flows back through it (x is a constant to autodiff); a node reached
/// only through it gets a zero gradient
Node stop_gradient(const Node& x, const std::string& name = "");
/// e^x
Node exp(const Node& x, const std::string& name = "");
/// natural log; log(0) = -inf, log(x < 0) = NaN, and the gradient dy/x is +inf at +0 (numpy/IEEE)
Node log(const Node& x, const std::string& name = "");
/// x^2
Node square(const Node& x, const std::string& name = "");
/// sqrt(x)
Node sqrt(const Node& x, const std::string& name = "");
/// 1 / (1 + e^-x)
Node sigmoid(const Node& x, const std::string& name = "");
/// max(x, 0)
Node relu(const Node& x, const std::string& name = "");
/// tanh(x)
Node tanh(const Node& x, const std::string& name = "");
/// x unchanged, or NumericsError (naming the node, `message`, the NaN and Inf counts and the first
/// bad index) if x holds a NaN or Inf; ints and bools pass. The gradient is checked the same way.
Node check_numerics(const Node& x, const std::string& message, const std::string& name = "");
/// Converts to `dtype` (differentiable between float dtypes)
Node cast(const Node& x, DType dtype, const std::string& name = "");

// --- linear algebra ---
/// numpy dot for rank <= 2: matrix x matrix, matrix x vector, vector x matrix, vector x vector;
/// transpose flags apply to 2-D operands.
Node matmul(const Node& a, const Node& b, bool transpose_a = false, bool transpose_b = false,
            const std::string& name = "");
/// matmul's optional arguments by name.
struct MatmulOptions {
  bool transpose_a = false;
  bool transpose_b = false;
  std::string name = "";
};
Node matmul(const Node& a, const Node& b, const MatmulOptions& options);

// --- softmax family (last axis, numerically stable) ---
/// e^x / sum(e^x) over the last axis
Node softmax(const Node& x, const std::string& name = "");
/// x - log(sum(e^x)) over the last axis
Node log_softmax(const Node& x, const std::string& name = "");
/// -sum(labels * log_softmax(logits), last axis): one loss per row (TensorFlow's argument order)
Node softmax_cross_entropy_with_logits(const Node& labels, const Node& logits,
                                       const std::string& name = "");

/// -log softmax(logits)[label] per row, for integer class labels (int32/int64)
Node sparse_softmax_cross_entropy_with_logits(const Node& labels, const Node& logits,
                                              const std::string& name = "");
/// rows of `depth` zeros with a 1 at each integer index (not differentiable)
Node one_hot(const Node& indices, std::int64_t depth, DType dtype = DType::f32, const std::string& name = "");
/// one_hot's optional arguments by name.
struct OneHotOptions {
  DType dtype = DType::f32;
  std::string name = "";
};
Node one_hot(const Node& indices, std::int64_t depth, const OneHotOptions& options);

/// U[0, 1) numbers shaped like x, new on every run of a session, reproducible from `seed` (not
/// differentiable; feed the node a fixed value to freeze it, e.g. for a gradient check); GraphError
/// unless seed < 2^63 (it is an int64 attribute)
Node random_uniform_like(const Node& x, std::uint64_t seed, const std::string& name = "");
/// mean + stddev * N(0, 1) numbers of a fixed shape (tf.random_normal), new on every run of a
/// session, reproducible from `seed`; no gradient flows through them
Node random_normal(const Shape& shape, double mean = 0.0, double stddev = 1.0, DType dtype = DType::f32,
                   std::uint64_t seed = 0, const std::string& name = "");
/// mean + stddev * N(0, 1) numbers truncated to two standard deviations (tf.truncated_normal: a draw
/// further out is drawn again), of a fixed shape; new on every run, reproducible from `seed`
Node truncated_normal(const Shape& shape, double mean = 0.0, double stddev = 1.0, DType dtype = DType::f32,
                      std::uint64_t seed = 0, const std::string& name = "");
/// numbers in [minval, maxval) of a fixed shape (tf.random_uniform): uniform for float dtypes,
/// uniform integers for int32/int64; new on every run, reproducible from `seed`
Node random_uniform(const Shape& shape, double minval = 0.0, double maxval = 1.0, DType dtype = DType::f32,
                    std::uint64_t seed = 0, const std::string& name = "");
/// random_normal shaped like x and of its dtype, the shape taken at run time (x's values are not read)
Node random_normal_like(const Node& x, double mean = 0.0, double stddev = 1.0, std::uint64_t seed = 0,
                        const std::string& name = "");

// --- reductions ---
/// The reductions' optional arguments by name.
struct ReduceOptions {
  Axes axis = {};  // every axis when omitted
  bool keepdims = false;
  std::string name = "";
};
/// sum over `axis` (all when omitted)
Node reduce_sum(const Node& x, const Axes& axis = {}, bool keepdims = false, const std::string& name = "");
Node reduce_sum(const Node& x, const ReduceOptions& options);
/// A braced list of axes, reduce_sum(x, {0, 1}); {} is every axis, as when omitted.
/// NOTE: this overload makes a plain braced list mean axes, not ReduceOptions.
Node reduce_sum(const Node& x, std::initializer_list<std::int64_t> axis, bool keepdims = false,
                const std::string& name = "");
/// mean over `axis`
Node reduce_mean(const Node& x, const Axes& axis = {}, bool keepdims = false, const std::string& name = "");
Node reduce_mean(const Node& x, const ReduceOptions& options);
Node reduce_mean(const Node& x, std::initializer_list<std::int64_t> axis, bool keepdims = false,
                 const std::string& name = "");
/// max over `axis`; the gradient is shared equally between tied maxima
Node reduce_max(const Node& x, const Axes& axis = {}, bool keepdims = false, const std::string& name = "");
Node reduce_max(const Node& x, const ReduceOptions& options);
Node reduce_max(const Node& x, std::initializer_list<std::int64_t> axis, bool keepdims = false,
                const std::string& name = "");
/// min over `axis`; the gradient is shared equally between tied minima
Node reduce_min(const Node& x, const Axes& axis = {}, bool keepdims = false, const std::string& name = "");
Node reduce_min(const Node& x, const ReduceOptions& options);
Node reduce_min(const Node& x, std::initializer_list<std::int64_t> axis, bool keepdims = false,
                const std::string& name = "");
/// product over `axis`; the gradient is the product of the other elements of each group, right
/// when the group holds zeros (second derivatives at zeros are not)
Node reduce_prod(const Node& x, const Axes& axis = {}, bool keepdims = false, const std::string& name = "");
Node reduce_prod(const Node& x, const ReduceOptions& options);
Node reduce_prod(const Node& x, std::initializer_list<std::int64_t> axis, bool keepdims = false,
                 const std::string& name = "");
/// index of the (first) max along `axis`, as int64 (not differentiable)
Node argmax(const Node& x, std::int64_t axis, const std::string& name = "");
/// index of the (first) min along `axis`, as int64 (not differentiable)
Node argmin(const Node& x, std::int64_t axis, const std::string& name = "");

// --- shape ---
/// the same elements in shape `shape` (one dim may be -1)
Node reshape(const Node& x, const Shape& shape, const std::string& name = "");
/// permutes axes (reverses them when `perm` is empty)
Node transpose(const Node& x, const std::vector<std::int64_t>& perm = {}, const std::string& name = "");

/// A slice as TensorFlow's strided_slice describes it (Python's x[...] builds one): entry i of
/// begin, end and strides, with bit i of each mask, describes index i of x[...]. Bounds count from the
/// end when negative and clamp as python's; strides may be negative, not 0. E.g. x[1:, ::2, 0] is
/// {.begin = {1, 0, 0}, .end = {0, 0, 1}, .strides = {1, 2, 1}, .end_mask = 0b011, .shrink_axis_mask = 0b100}.
struct SliceSpec {
  std::vector<std::int64_t> begin{}, end{}, strides{};  // strides empty: all 1
  std::int64_t begin_mask = 0;        // bit i: begin[i] ignored, entry i starts at its first element
  std::int64_t end_mask = 0;          // bit i: end[i] ignored, entry i runs to the end
  std::int64_t ellipsis_mask = 0;     // bit i: entry i is `...`, every dimension not indexed (one at most)
  std::int64_t new_axis_mask = 0;     // bit i: entry i inserts a dimension of 1 (None)
  std::int64_t shrink_axis_mask = 0;  // bit i: entry i is the integer index begin[i]; its dimension goes
};
/// x[spec] (numpy's basic indexing); the gradient scatters dy into zeros of x's shape
Node strided_slice(const Node& x, const SliceSpec& spec, const std::string& name = "");
/// the inputs joined along `axis` (tf.concat): equal ranks and dtypes, the other dimensions equal
Node concat(const std::vector<Node>& values, std::int64_t axis, const std::string& name = "");
/// every input's elements, one input after another, in one 1-D tensor (one dtype; one copy each:
/// a fusion buffer, as DistributedOptimizer packs a step's gradients)
Node pack_flat(const std::vector<Node>& values, const std::string& name = "");
/// packed[offset : offset + |shape|] in `shape` (packed 1-D, `shape` fully known): a piece of pack_flat's buffer
Node unpack_flat(const Node& packed, std::int64_t offset, const Shape& shape, const std::string& name = "");
/// x split along `axis` into `num` equal parts (tf.split with a number; the dimension must be known
/// and divisible)
std::vector<Node> split(const Node& x, std::int64_t num, std::int64_t axis = 0, const std::string& name = "");
/// x split along `axis` into parts of the given sizes (one may be -1: the rest)
std::vector<Node> split(const Node& x, const std::vector<std::int64_t>& size_splits, std::int64_t axis,
                        const std::string& name = "");
/// the inputs (one shape) stacked along a new axis `axis` (tf.stack)
Node stack(const std::vector<Node>& values, std::int64_t axis = 0, const std::string& name = "");
/// x's slices along `axis`, that axis removed (tf.unstack); the dimension must be known
std::vector<Node> unstack(const Node& x, std::int64_t axis = 0, const std::string& name = "");
/// x[begin[i] : begin[i] + size[i]] along each axis i (tf.slice); size -1 runs to the end
Node slice(const Node& x, const std::vector<std::int64_t>& begin, const std::vector<std::int64_t>& size,
           const std::string& name = "");
/// x with the order of elements reversed along each of `axes` (tf.reverse)
Node reverse(const Node& x, const std::vector<std::int64_t>& axes, const std::string& name = "");
/// x with a dimension of 1 inserted at `axis` (tf.expand_dims; -1 appends)
Node expand_dims(const Node& x, std::int64_t axis, const std::string& name = "");
/// params[..., indices, ...] along `axis` (tf.gather; integer indices, checked at run time); the
/// gradient scatter-adds dy into zeros of params' shape (gather_grad)
Node gather(const Node& params, const Node& indices, std::int64_t axis = 0, const std::string& name = "");
/// x where condition else y, element-wise (TF1's tf.where): bool condition, numpy broadcasting, and a
/// rank-1 condition against a higher-rank x choosing whole rows, as TF1 does
Node where(const Node& condition, const Node& x, const Node& y, const std::string& name = "");
/// mask[..., j] = j < lengths[...] for j < maxlen (tf.sequence_mask); maxlen -1: max(lengths)
Node sequence_mask(const Node& lengths, std::int64_t maxlen = -1, DType dtype = DType::boolean,
                   const std::string& name = "");
/// tf.clip_by_global_norm: every t * clip_norm / max(global_norm, clip_norm), where global_norm =
/// sqrt(sum of every t's squares); returns the clipped list and global_norm
std::pair<std::vector<Node>, Node> clip_by_global_norm(const std::vector<Node>& t_list, double clip_norm,
                                                       const std::string& name = "");
/// sqrt(sum of the squares of every element of every t) (tf.global_norm)
Node global_norm(const std::vector<Node>& t_list, const std::string& name = "");
/// tensor padded along each axis i by paddings[i] = {before, after} (tf.pad): mode "CONSTANT" fills with
/// constant_values, "REFLECT" mirrors without the edge (paddings < size), "SYMMETRIC" with it (paddings
/// <= size); the gradient slices back and folds the mirrored elements onto their sources (pad_grad)
Node pad(const Node& tensor, const std::vector<std::pair<std::int64_t, std::int64_t>>& paddings,
         const std::string& mode = "CONSTANT", double constant_values = 0, const std::string& name = "");

// --- constants and fills ---
/// a constant of `shape` filled with 0 (TensorFlow's default dtype, float32)
Node zeros(const Shape& shape, DType dtype = DType::f32, const std::string& name = "");
/// a constant of `shape` filled with 1
Node ones(const Shape& shape, DType dtype = DType::f32, const std::string& name = "");
/// a constant of `dims` filled with `value`; DTypeError if an integer dtype cannot hold it
Node fill(const Shape& dims, double value, DType dtype = DType::f32, const std::string& name = "");
/// zeros shaped like x (its run-time shape), of x's dtype
Node zeros_like(const Node& x, const std::string& name = "");
/// ones shaped like x (its run-time shape), of x's dtype
Node ones_like(const Node& x, const std::string& name = "");

/// a 0-d value of x's dtype (a constant when that dtype is known): how `x * 2.0` reads 2.0
Node scalar_like(const Node& x, double value);

// --- used by autodiff, public for completeness ---
/// a tensor shaped like x filled with `value`; DTypeError if x is int32/int64 and `value` does not fit
Node fill_like(const Node& x, double value, const std::string& name = "");
/// g summed over the axes numpy broadcasting added to reach g's shape from like's shape
Node sum_to(const Node& g, const Node& like, const std::string& name = "");
/// y broadcast to like's shape (numpy rules)
Node broadcast_like(const Node& y, const Node& like, const std::string& name = "");
/// the adjoint of strided_slice(x, spec): dy scattered into zeros of x's shape (x gives only its shape)
Node strided_slice_grad(const Node& x, const Node& dy, const SliceSpec& spec, const std::string& name = "");
/// concat's adjoint for input `index`: dy's part along `axis` where that input went (the inputs
/// give their shapes only)
Node concat_grad(const Node& dy, const std::vector<Node>& inputs, std::int64_t axis, std::int64_t index,
                 const std::string& name = "");
/// gather's adjoint: dy scatter-added at `indices` along `axis` into zeros of params' shape
Node gather_grad(const Node& params, const Node& indices, const Node& dy, std::int64_t axis = 0,
                 const std::string& name = "");
/// pad's adjoint: grad (shaped like pad's output) summed back onto the elements of the unpadded tensor
Node pad_grad(const Node& grad, const std::vector<std::pair<std::int64_t, std::int64_t>>& paddings,
              const std::string& mode = "CONSTANT", const std::string& name = "");
/// x reshaped to like's run-time shape (same number of elements)
Node reshape_like(const Node& x, const Node& like, const std::string& name = "");
/// the gradient of matmul(a, b, transpose_a, transpose_b) for the incoming gradient dc, with
/// respect to a (operand 0) or b (operand 1), for operands of any rank 1 or 2, read at run time
Node matmul_grad(const Node& a, const Node& b, const Node& dc, int operand, bool transpose_a = false,
                 bool transpose_b = false, const std::string& name = "");
/// variable -= (variable - value) (1 - decay), in place (TF's assign_moving_average; an update:
/// no value, runs after every other node of its run). decay a scalar of the variable's dtype.
Node assign_moving_average(const Node& variable, const Node& value, const Node& decay, const std::string& name = "");
Node assign_moving_average(const Node& variable, const Node& value, double decay, const std::string& name = "");
/// TF's tf.group: a node whose run runs `inputs` (which may be updates); no value.
Node group(const std::vector<Node>& inputs, const std::string& name = "");
/// TF's tf.no_op: an update that does nothing.
Node no_op(const std::string& name = "");
/// variable = value, in place (TF's tf.assign): an update, no value; value has the variable's dtype
/// and shape.
Node assign(const Node& variable, const Node& value, const std::string& name = "");
/// An update setting each Variable to its initial value (TF's variables_initializer): the node it
/// was made from (drawn again: fresh random numbers) or the value it was given. no_op when empty.
Node variables_initializer(const std::vector<Node>& variables, const std::string& name = "init");
/// variables_initializer of every Variable of the default graph (TF's global_variables_initializer).
Node global_variables_initializer();
/// start, start + delta, ... below limit (TF's tf.range; scalars of one number dtype, the length known
/// at run time).
Node range(const Node& start, const Node& limit, const Node& delta, const std::string& name = "");
/// x's dimensions at run time (TF's tf.shape): rank-1, int32 or int64.
Node shape(const Node& x, DType out_type = DType::i32, const std::string& name = "");

Node operator+(const Node& a, const Node& b);
Node operator-(const Node& a, const Node& b);
Node operator*(const Node& a, const Node& b);
Node operator/(const Node& a, const Node& b);
Node operator-(const Node& a);
Node operator+(const Node& a, double b);
Node operator-(const Node& a, double b);
Node operator*(const Node& a, double b);
Node operator/(const Node& a, double b);
Node operator+(double a, const Node& b);
Node operator-(double a, const Node& b);
Node operator*(double a, const Node& b);
Node operator/(double a, const Node& b);

}  // namespace tg

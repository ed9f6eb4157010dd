// float32 LSTM layers through oneDNN's lstm_forward / lstm_backward (one layer, one direction).
// oneDNN's gates are i, f, c̃, o where TensorFlow's kernel holds i, j (= c̃), f, o: the kernel and
// bias are copied with gates 1 and 2 swapped (the forget bias added to f), and the weights'
// gradients swapped back. User memory uses the plain tags (tnc sequences, ldnc states, ldigo
// weights); the primitives choose their weights' layouts and we reorder into them. The forward op
// runs forward_inference; the gradient runs forward_training again (for the workspace), then
// backward. Primitives are cached per (pass, sizes, threads) on each thread (onednn::cached), and
// each thread keeps one scratch arena for weights, workspace and states, reused across calls.
#include "lstm.h"

#ifndef TG_HAVE_DNNL
namespace tg::kernels {
bool lstm_forward_dnnl(const LstmDims&, const float*, const float*, const float*, const float*, const float*, double,
                       float*, float*) {
  return false;
}
bool lstm_backward_dnnl(const LstmDims&, const float*, const float*, const float*, const float*, const float*, double,
                        const float*, const float*, float*, float*, float*, float*, float*) {
  return false;
}
}  // namespace tg::kernels
#else
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "dnnl_support.h"
#include "gemm.h"

namespace tg::kernels {
namespace {
using dnnl::memory;
using tag = memory::format_tag;
constexpr auto f32 = memory::data_type::f32;
constexpr auto l2r = dnnl::rnn_direction::unidirectional_left2right;
// oneDNN's gate g is TensorFlow's gate kSwap[g] (and the other way round).
constexpr int kSwap[4] = {0, 2, 1, 3};

struct Descs {
  memory::desc x, state, w_layer, w_iter, bias, h;
};
Descs user_descs(const LstmDims& d) {
  return {memory::desc({d.T, d.B, d.I}, f32, tag::tnc), memory::desc({1, 1, d.B, d.U}, f32, tag::ldnc),
          memory::desc({1, 1, d.I, 4, d.U}, f32, tag::ldigo), memory::desc({1, 1, d.U, 4, d.U}, f32, tag::ldigo),
          memory::desc({1, 1, 4, d.U}, f32, tag::ldgo), memory::desc({d.T, d.B, d.U}, f32, tag::tnc)};
}
memory::desc any(const memory::desc& m) { return memory::desc(m.dims(), f32, tag::any); }

struct Forward {
  dnnl::lstm_forward prim;
  memory::desc w_layer, w_iter, workspace;  // the primitive's choices
  dnnl::reorder to_w_layer, to_w_iter;
};
struct Backward {
  Forward fwd;  // forward_training
  dnnl::lstm_backward prim;
  memory::desc w_layer, w_iter, dw_layer, dw_iter;
  dnnl::reorder to_w_layer, to_w_iter, from_dw_layer, from_dw_iter;
};

dnnl::reorder reorder(const memory::desc& from, const memory::desc& to) {
  const auto& e = onednn::engine();
  return dnnl::reorder(dnnl::reorder::primitive_desc(e, from, e, to));
}

dnnl::lstm_forward::primitive_desc forward_pd(const LstmDims& d, dnnl::prop_kind kind) {
  const Descs u = user_descs(d);
  // NOTE: oneDNN takes dst_iter and dst_iter_c together or neither: h_T (the sequence's last row
  // already) goes to scratch, and its gradient is zero (dh holds all of h_T's).
  return dnnl::lstm_forward::primitive_desc(
      dnnl::lstm_forward::desc(kind, l2r, u.x, u.state, u.state, any(u.w_layer), any(u.w_iter), u.bias, u.h, u.state,
                               u.state),
      onednn::engine());
}
Forward make_forward(const dnnl::lstm_forward::primitive_desc& pd, const LstmDims& d) {
  const Descs u = user_descs(d);
  return {dnnl::lstm_forward(pd), pd.weights_layer_desc(), pd.weights_iter_desc(), pd.workspace_desc(),
          reorder(u.w_layer, pd.weights_layer_desc()), reorder(u.w_iter, pd.weights_iter_desc())};
}
Backward make_backward(const LstmDims& d) {
  const Descs u = user_descs(d);
  const auto fwd = forward_pd(d, dnnl::prop_kind::forward_training);
  const dnnl::lstm_backward::primitive_desc pd(
      dnnl::lstm_backward::desc(dnnl::prop_kind::backward, l2r, u.x, u.state, u.state, any(u.w_layer), any(u.w_iter),
                                u.bias, u.h, u.state, u.state, u.x, u.state, u.state, any(u.w_layer), any(u.w_iter),
                                u.bias, u.h, u.state, u.state),
      onednn::engine(), fwd);
  return {make_forward(fwd, d),
          dnnl::lstm_backward(pd),
          pd.weights_layer_desc(),
          pd.weights_iter_desc(),
          pd.diff_weights_layer_desc(),
          pd.diff_weights_iter_desc(),
          reorder(u.w_layer, pd.weights_layer_desc()),
          reorder(u.w_iter, pd.weights_iter_desc()),
          reorder(pd.diff_weights_layer_desc(), u.w_layer),
          reorder(pd.diff_weights_iter_desc(), u.w_iter)};
}

std::string key(const char* pass, const LstmDims& d) {
  return std::string(pass) + " T=" + std::to_string(d.T) + " B=" + std::to_string(d.B) + " I=" + std::to_string(d.I) +
         " U=" + std::to_string(d.U);
}

// This thread's scratch, handed out in 64-byte aligned pieces; it only grows, so a training loop
// allocates (and faults its pages in) once.
class Arena {
 public:
  void reset(std::size_t bytes) {
    if (store_.size() < bytes / sizeof(float) + 16) store_.assign(bytes / sizeof(float) + 16, 0.0f);
    next_ = reinterpret_cast<std::uintptr_t>(store_.data());
  }
  float* take(std::size_t bytes) {
    next_ = (next_ + 63) & ~std::uintptr_t{63};
    float* p = reinterpret_cast<float*>(next_);
    next_ += bytes;
    return p;
  }
  static std::size_t padded(std::size_t bytes) { return bytes + 64; }

 private:
  std::vector<float> store_;
  std::uintptr_t next_ = 0;
};
Arena& arena() {
  thread_local Arena a;
  return a;
}

// The kernel [I+U,4U] and bias [4U] in oneDNN's gate order, the forget bias added to f.
void to_dnnl_gates(const LstmDims& d, const float* K, const float* bias, double forget_bias, float* W, float* b) {
  const std::int64_t U = d.U;
  for (std::int64_t r = 0; r < d.I + d.U; ++r)
    for (int g = 0; g < 4; ++g) std::memcpy(W + (r * 4 + g) * U, K + (r * 4 + kSwap[g]) * U, U * sizeof(float));
  for (int g = 0; g < 4; ++g)
    for (std::int64_t u = 0; u < U; ++u)
      b[g * U + u] = bias[kSwap[g] * U + u] + (g == 1 ? static_cast<float>(forget_bias) : 0.0f);
}
void from_dnnl_gates(const LstmDims& d, const float* dW, const float* db, float* dK, float* dbias) {
  const std::int64_t U = d.U;
  for (std::int64_t r = 0; r < d.I + d.U; ++r)
    for (int g = 0; g < 4; ++g) std::memcpy(dK + (r * 4 + kSwap[g]) * U, dW + (r * 4 + g) * U, U * sizeof(float));
  for (int g = 0; g < 4; ++g) std::memcpy(dbias + kSwap[g] * U, db + g * U, U * sizeof(float));
}

bool empty(const LstmDims& d) { return d.T <= 0 || d.B <= 0 || d.I <= 0 || d.U <= 0; }
std::size_t floats(std::int64_t n) { return static_cast<std::size_t>(n) * sizeof(float); }
}  // namespace

bool lstm_forward_dnnl(const LstmDims& d, const float* x, const float* c0, const float* h0, const float* K,
                       const float* bias, double forget_bias, float* h, float* c_last) {
  if (empty(d)) return false;
  const int threads = threads_for(d.work());
  const std::string what = "block_lstm: oneDNN LSTM " + key("forward", d);
  const Forward& f = onednn::cached<Forward>(key("forward", d), threads, [&] {
    return onednn::checked(what, [&] { return make_forward(forward_pd(d, dnnl::prop_kind::forward_inference), d); });
  });
  const Descs u = user_descs(d);
  const auto& e = onednn::engine();
  const std::size_t w_user = floats((d.I + d.U) * 4 * d.U), b_user = floats(4 * d.U);
  Arena& a = arena();
  const std::size_t state = floats(d.B * d.U);
  a.reset(Arena::padded(w_user) + Arena::padded(b_user) + Arena::padded(f.w_layer.get_size()) +
          Arena::padded(f.w_iter.get_size()) + Arena::padded(f.workspace.get_size()) + Arena::padded(state));
  float* W = a.take(w_user);
  float* b = a.take(b_user);
  to_dnnl_gates(d, K, bias, forget_bias, W, b);
  memory wl_user(u.w_layer, e, W), wi_user(u.w_iter, e, W + d.I * 4 * d.U);
  memory wl(f.w_layer, e, a.take(f.w_layer.get_size())), wi(f.w_iter, e, a.take(f.w_iter.get_size()));
  onednn::execute(f.to_w_layer, {{DNNL_ARG_FROM, wl_user}, {DNNL_ARG_TO, wl}}, threads, what);
  onednn::execute(f.to_w_iter, {{DNNL_ARG_FROM, wi_user}, {DNNL_ARG_TO, wi}}, threads, what);
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC_LAYER, memory(u.x, e, const_cast<float*>(x))},
      {DNNL_ARG_SRC_ITER, memory(u.state, e, const_cast<float*>(h0))},
      {DNNL_ARG_SRC_ITER_C, memory(u.state, e, const_cast<float*>(c0))},
      {DNNL_ARG_WEIGHTS_LAYER, wl},
      {DNNL_ARG_WEIGHTS_ITER, wi},
      {DNNL_ARG_BIAS, memory(u.bias, e, b)},
      {DNNL_ARG_DST_LAYER, memory(u.h, e, h)},
      {DNNL_ARG_DST_ITER, memory(u.state, e, a.take(state))},
      {DNNL_ARG_DST_ITER_C, memory(u.state, e, c_last)}};
  if (f.workspace.get_size()) args.emplace(DNNL_ARG_WORKSPACE, memory(f.workspace, e, a.take(f.workspace.get_size())));
  onednn::execute(f.prim, args, threads, what);
  return true;
}

bool lstm_backward_dnnl(const LstmDims& d, const float* x, const float* c0, const float* h0, const float* K,
                        const float* bias, double forget_bias, const float* dh, const float* dc_last, float* dx,
                        float* dc0, float* dh0, float* dK, float* dbias) {
  if (empty(d)) return false;
  const int threads = threads_for(d.work());
  const std::string what = "block_lstm_grad: oneDNN LSTM " + key("backward", d);
  const Backward& k = onednn::cached<Backward>(key("backward", d), threads,
                                               [&] { return onednn::checked(what, [&] { return make_backward(d); }); });
  const Descs u = user_descs(d);
  const auto& e = onednn::engine();
  const std::size_t w_user = floats((d.I + d.U) * 4 * d.U), b_user = floats(4 * d.U), seq = floats(d.T * d.B * d.U),
                    state = floats(d.B * d.U);
  const std::size_t sizes[] = {w_user, b_user, k.fwd.w_layer.get_size(), k.fwd.w_iter.get_size(),
                               k.fwd.workspace.get_size(), seq, state, k.w_layer.get_size(), k.w_iter.get_size(),
                               k.dw_layer.get_size(), k.dw_iter.get_size(), w_user, b_user, state, state};
  std::size_t total = 0;
  for (std::size_t s : sizes) total += Arena::padded(s);
  Arena& a = arena();
  a.reset(total);
  float* W = a.take(w_user);
  float* b = a.take(b_user);
  to_dnnl_gates(d, K, bias, forget_bias, W, b);
  memory wl_user(u.w_layer, e, W), wi_user(u.w_iter, e, W + d.I * 4 * d.U);
  const memory src_layer(u.x, e, const_cast<float*>(x)), src_iter(u.state, e, const_cast<float*>(h0)),
      src_iter_c(u.state, e, const_cast<float*>(c0)), bias_m(u.bias, e, b);
  // forward_training: its outputs and the workspace the backward pass reads
  memory fwl(k.fwd.w_layer, e, a.take(k.fwd.w_layer.get_size())), fwi(k.fwd.w_iter, e, a.take(k.fwd.w_iter.get_size()));
  onednn::execute(k.fwd.to_w_layer, {{DNNL_ARG_FROM, wl_user}, {DNNL_ARG_TO, fwl}}, threads, what);
  onednn::execute(k.fwd.to_w_iter, {{DNNL_ARG_FROM, wi_user}, {DNNL_ARG_TO, fwi}}, threads, what);
  const memory workspace(k.fwd.workspace, e, a.take(k.fwd.workspace.get_size()));
  const memory h(u.h, e, a.take(seq)), h_last(u.state, e, a.take(state)), c_last(u.state, e, a.take(state));
  float* dh_last = a.take(state);
  std::memset(dh_last, 0, state);
  onednn::execute(k.fwd.prim,
                  {{DNNL_ARG_SRC_LAYER, src_layer},
                   {DNNL_ARG_SRC_ITER, src_iter},
                   {DNNL_ARG_SRC_ITER_C, src_iter_c},
                   {DNNL_ARG_WEIGHTS_LAYER, fwl},
                   {DNNL_ARG_WEIGHTS_ITER, fwi},
                   {DNNL_ARG_BIAS, bias_m},
                   {DNNL_ARG_DST_LAYER, h},
                   {DNNL_ARG_DST_ITER, h_last},
                   {DNNL_ARG_DST_ITER_C, c_last},
                   {DNNL_ARG_WORKSPACE, workspace}},
                  threads, what);
  // backward: the weights in its own layouts; its weight gradients accumulate, so they start at zero
  memory bwl(k.w_layer, e, a.take(k.w_layer.get_size())), bwi(k.w_iter, e, a.take(k.w_iter.get_size()));
  onednn::execute(k.to_w_layer, {{DNNL_ARG_FROM, wl_user}, {DNNL_ARG_TO, bwl}}, threads, what);
  onednn::execute(k.to_w_iter, {{DNNL_ARG_FROM, wi_user}, {DNNL_ARG_TO, bwi}}, threads, what);
  float* dwl_data = a.take(k.dw_layer.get_size());
  float* dwi_data = a.take(k.dw_iter.get_size());
  std::memset(dwl_data, 0, k.dw_layer.get_size());
  std::memset(dwi_data, 0, k.dw_iter.get_size());
  float* dW = a.take(w_user);
  float* db = a.take(b_user);
  std::memset(db, 0, b_user);
  const memory dwl(k.dw_layer, e, dwl_data), dwi(k.dw_iter, e, dwi_data);
  onednn::execute(k.prim,
                  {{DNNL_ARG_SRC_LAYER, src_layer},
                   {DNNL_ARG_SRC_ITER, src_iter},
                   {DNNL_ARG_SRC_ITER_C, src_iter_c},
                   {DNNL_ARG_WEIGHTS_LAYER, bwl},
                   {DNNL_ARG_WEIGHTS_ITER, bwi},
                   {DNNL_ARG_BIAS, bias_m},
                   {DNNL_ARG_DST_LAYER, h},
                   {DNNL_ARG_DST_ITER, h_last},
                   {DNNL_ARG_DST_ITER_C, c_last},
                   {DNNL_ARG_WORKSPACE, workspace},
                   {DNNL_ARG_DIFF_DST_LAYER, memory(u.h, e, const_cast<float*>(dh))},
                   {DNNL_ARG_DIFF_DST_ITER, memory(u.state, e, dh_last)},
                   {DNNL_ARG_DIFF_DST_ITER_C, memory(u.state, e, const_cast<float*>(dc_last))},
                   {DNNL_ARG_DIFF_SRC_LAYER, memory(u.x, e, dx)},
                   {DNNL_ARG_DIFF_SRC_ITER, memory(u.state, e, dh0)},
                   {DNNL_ARG_DIFF_SRC_ITER_C, memory(u.state, e, dc0)},
                   {DNNL_ARG_DIFF_WEIGHTS_LAYER, dwl},
                   {DNNL_ARG_DIFF_WEIGHTS_ITER, dwi},
                   {DNNL_ARG_DIFF_BIAS, memory(u.bias, e, db)}},
                  threads, what);
  onednn::execute(k.from_dw_layer, {{DNNL_ARG_FROM, dwl}, {DNNL_ARG_TO, memory(u.w_layer, e, dW)}}, threads, what);
  onednn::execute(k.from_dw_iter, {{DNNL_ARG_FROM, dwi}, {DNNL_ARG_TO, memory(u.w_iter, e, dW + d.I * 4 * d.U)}},
                  threads, what);
  from_dnnl_gates(d, dW, db, dK, dbias);
  return true;
}

}  // namespace tg::kernels
#endif

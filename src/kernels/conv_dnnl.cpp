// float32 convolution through oneDNN's convolution_forward / _backward_data / _backward_weights.
// User memory is described with the plain tags (nhwc or nchw images, hwio filters, as TensorFlow
// stores them); the primitives choose their own layout (format_tag::any) and we reorder only
// where their choice differs. Primitives and reorders are cached per (pass, geometry, threads) on
// each thread (onednn::cached).
#ifdef TG_HAVE_DNNL
#include <optional>

#include "conv.h"
#include "dnnl_support.h"
#include "gemm.h"

namespace tg::kernels {
namespace {
using dnnl::memory;
using tag = memory::format_tag;

// One operand or result: its DNNL_ARG_*, the user's layout, the primitive's, and the reorder
// between them when they differ (user -> primitive for an operand, back for the result).
struct Operand {
  int arg = 0;
  memory::desc user, prim;
  std::optional<dnnl::reorder> reorder;
};
struct Cached {
  dnnl::primitive prim;
  Operand a, b, out;
};

Operand operand(int arg, const memory::desc& user, const memory::desc& prim, bool result) {
  Operand o{arg, user, prim, std::nullopt};
  const auto& e = onednn::engine();
  if (user != prim)
    o.reorder = result ? dnnl::reorder(dnnl::reorder::primitive_desc(e, prim, e, user))
                       : dnnl::reorder(dnnl::reorder::primitive_desc(e, user, e, prim));
  return o;
}

Cached build(ConvPass pass, const ConvGeometry& g) {
  using namespace dnnl;
  const auto f32 = memory::data_type::f32;
  const tag image = g.format == DataFormat::nhwc ? tag::nhwc : tag::nchw;
  const memory::dims xd{g.n, g.ic, g.ih, g.iw}, wd{g.oc, g.ic, g.kh, g.kw}, yd{g.n, g.oc, g.oh, g.ow};
  const memory::desc x_user(xd, f32, image), w_user(wd, f32, tag::hwio), y_user(yd, f32, image);
  // NOTE: NHWC images stay NHWC (oneDNN's JIT kernels take them as they are); NCHW ones let the
  // primitive choose (it picks a blocked layout). The filters are reordered to the primitive's
  // layout in every case.
  const tag act = g.format == DataFormat::nhwc ? tag::nhwc : tag::any;
  const memory::desc x_any(xd, f32, act), w_any(wd, f32, tag::any), y_any(yd, f32, act);
  // NOTE: oneDNN counts dilation from 0 (dense), TensorFlow from 1.
  const memory::dims s{g.sh, g.sw}, d{g.dh - 1, g.dw - 1}, pl{g.pt, g.pl}, pr{g.pb, g.pr};
  const auto& e = onednn::engine();
  const convolution_forward::primitive_desc fwd(
      convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, x_any, w_any, y_any, s,
                                d, pl, pr),
      e);
  switch (pass) {
    case ConvPass::forward:
      return {convolution_forward(fwd), operand(DNNL_ARG_SRC, x_user, fwd.src_desc(), false),
              operand(DNNL_ARG_WEIGHTS, w_user, fwd.weights_desc(), false),
              operand(DNNL_ARG_DST, y_user, fwd.dst_desc(), true)};
    case ConvPass::backward_data: {
      const convolution_backward_data::primitive_desc bwd(
          convolution_backward_data::desc(algorithm::convolution_direct, x_any, w_any, y_any, s, d, pl, pr), e, fwd);
      return {convolution_backward_data(bwd), operand(DNNL_ARG_DIFF_DST, y_user, bwd.diff_dst_desc(), false),
              operand(DNNL_ARG_WEIGHTS, w_user, bwd.weights_desc(), false),
              operand(DNNL_ARG_DIFF_SRC, x_user, bwd.diff_src_desc(), true)};
    }
    case ConvPass::backward_weights: {
      const convolution_backward_weights::primitive_desc bwd(
          convolution_backward_weights::desc(algorithm::convolution_direct, x_any, w_any, y_any, s, d, pl, pr), e,
          fwd);
      return {convolution_backward_weights(bwd), operand(DNNL_ARG_SRC, x_user, bwd.src_desc(), false),
              operand(DNNL_ARG_DIFF_DST, y_user, bwd.diff_dst_desc(), false),
              operand(DNNL_ARG_DIFF_WEIGHTS, w_user, bwd.diff_weights_desc(), true)};
    }
  }
  throw std::logic_error("conv2d: unknown pass");
}

}  // namespace

void conv2d_dnnl(ConvPass pass, const ConvGeometry& g, const float* a, const float* b, float* out,
                 const std::string& what) {
  const int threads = threads_for(g.work());
  const Cached& c = onednn::cached<Cached>(std::to_string(static_cast<int>(pass)) + g.str(), threads, [&] {
    return onednn::checked(what + ": conv2d " + g.str(), [&] { return build(pass, g); });
  });
  const auto& e = onednn::engine();
  std::unordered_map<int, memory> args;
  for (const auto& [op, data] : {std::pair<const Operand*, const float*>{&c.a, a}, {&c.b, b}}) {
    memory user(op->user, e, const_cast<float*>(data));
    if (!op->reorder) {
      args.emplace(op->arg, user);
      continue;
    }
    memory mine(op->prim, e);
    onednn::execute(*op->reorder, {{DNNL_ARG_FROM, user}, {DNNL_ARG_TO, mine}}, threads, what);
    args.emplace(op->arg, mine);
  }
  memory result(c.out.user, e, out);
  memory mine = c.out.reorder ? memory(c.out.prim, e) : result;
  args.emplace(c.out.arg, mine);
  onednn::execute(c.prim, args, threads, what);
  if (c.out.reorder) onednn::execute(*c.out.reorder, {{DNNL_ARG_FROM, mine}, {DNNL_ARG_TO, result}}, threads, what);
}

}  // namespace tg::kernels
#endif

// The pooling ops' attributes and geometry (see pooling.h).
#include "pooling.h"

namespace tg::ops {

const AttrSchema kPoolAttrs = AttrSchema::of<PoolAttrs>({{"ksize", &PoolAttrs::ksize},
                                                         {"strides", &PoolAttrs::strides},
                                                         {"padding", &PoolAttrs::padding},
                                                         {"data_format", &PoolAttrs::data_format}});

kernels::PoolGeom pool_geom(const Shape& x, const PoolAttrs& a, const char* what) {
  using namespace kernels;
  const DataFormat f = parse_data_format(a.data_format, what);
  const Padding p = parse_padding(a.padding, what);
  const std::vector<std::int64_t> k = spatial_pair(a.ksize, f, what, "ksize");
  const std::vector<std::int64_t> s = spatial_pair(a.strides, f, what, "strides");
  const Image im = image_of(x, f, (std::string(what) + " argument 'value'").c_str());
  const Window wh = window(im.h, k[0], s[0], 1, p, what), ww = window(im.w, k[1], s[1], 1, p, what);
  return {.format = f, .n = im.n, .h = im.h, .w = im.w, .c = im.c, .oh = wh.out, .ow = ww.out, .kh = k[0],
          .kw = k[1], .sh = s[0], .sw = s[1], .pad_top = wh.pad_before, .pad_left = ww.pad_before,
          .pad_bottom = wh.pad_after, .pad_right = ww.pad_after};
}

Shape pooled_shape(const Shape& x, const PoolAttrs& a, const char* what) {
  const kernels::PoolGeom g = pool_geom(x, a, what);
  if (!x.rank_known()) return Shape::unknown_dims(4);
  return kernels::shape_of({g.n, g.oh, g.ow, g.c}, g.format);
}

TypeShape infer_pool(const InferCtx& c, const char* what) {
  require_float(c.input(0).dtype, what);
  return {c.input(0).dtype, pooled_shape(c.input(0).shape, c.attrs.as<PoolAttrs>(), what)};
}

TypeShape infer_pool_grad(const InferCtx& c, int g, int out, const char* what) {
  const TypeShape &x = c.input(0), &dy = c.input(g);
  require_float(x.dtype, what);
  const DType d = common_dtype(x, dy);
  const Shape want = pooled_shape(x.shape, c.attrs.as<PoolAttrs>(), what);
  if (!agree(want, dy.shape))
    throw ShapeError(std::string(what) + ": argument 'grad' has shape " + dy.shape.str() +
                     ", expected the pooled shape " + want.str());
  return {d, c.input(out).shape};
}

}  // namespace tg::ops

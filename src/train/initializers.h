#pragma once
// The layers' seeded kernel initialisers and Variables (dense and the convolutions share them).
#include <functional>
#include <string>

#include "tensorgraph/layers.h"
#include "tensorgraph/tensor.h"

namespace tg::layers::detail {

/// A kernel of `shape`: Glorot uniform U(±sqrt(6 / (fan_in + fan_out))) or He normal N(0, 2 / fan_in);
/// automatic: He before a relu, Glorot otherwise.
Tensor initial_kernel(const Shape& shape, std::int64_t fan_in, std::int64_t fan_out, Init init,
                      Activation activation, Rng& rng, DType dtype);
/// x's dtype, float64 when unknown; DTypeError naming the layer when it is not a float.
DType layer_dtype(const Node& x, const std::string& layer);
/// Variables made in x's graph, whatever graph is the default.
Node variable_in_graph_of(const Node& x, const Tensor& value, const std::string& name, bool trainable = true);
/// A layer's Variable `name` in x's graph: with `reuse` the one made before, which must be a Variable
/// of `shape` and `dtype` (GraphError naming `layer` otherwise); else a new one valued make().
Node layer_variable(const Node& x, const std::string& layer, const std::string& name, const Shape& shape,
                    DType dtype, bool reuse, const std::function<Tensor()>& make, bool trainable = true);
/// z through `activation`.
Node activate(const Node& z, Activation activation);

}  // namespace tg::layers::detail

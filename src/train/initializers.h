#pragma once
// The layers' seeded kernel initialisers (dense and conv2d share them).
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
Node variable_in_graph_of(const Node& x, const Tensor& value, const std::string& name);
/// z through `activation`.
Node activate(const Node& z, Activation activation);

}  // namespace tg::layers::detail

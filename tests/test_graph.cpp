// Graph and nodes: default graph, names, static shapes and dtypes, build-time errors, DOT.
#include <gtest/gtest.h>

#include "graph/topo_order.h"
#include "tensorgraph/tensorgraph.h"

using namespace tg;

TEST(Graph, AsDefaultSwitchesWhereNodesGo) {
  Graph g1, g2;
  g1.as_default();
  Node a = placeholder();
  g2.as_default();
  Node b = placeholder();
  EXPECT_TRUE(a.graph() == g1);
  EXPECT_TRUE(b.graph() == g2);
  EXPECT_EQ(g1.num_nodes(), 1);
  EXPECT_EQ(g2.num_nodes(), 1);
  EXPECT_TRUE(Graph::get_default() == g2);
}

TEST(Graph, NamesAreUniqueAndLookedUp) {
  Graph().as_default();
  Node x = placeholder(DType::f64, {2}, "x");
  Node x1 = placeholder(DType::f64, {2}, "x");
  Node s = add(x, x1);
  Node s1 = add(x, x1);
  EXPECT_EQ(x.name(), "x");
  EXPECT_EQ(x1.name(), "x_1");
  EXPECT_EQ(s.name(), "add");
  EXPECT_EQ(s1.name(), "add_1");
  EXPECT_EQ(Graph::get_default().node("add_1"), s1);
  EXPECT_THROW(Graph::get_default().node("nope"), GraphError);
  EXPECT_EQ(s.type(), "add");
  EXPECT_EQ(x.type(), "Placeholder");
}

TEST(Graph, DefaultNamesTakeTheFirstFreeSuffix) {
  // TensorFlow's rule, kept while names are found in constant time: a name the user took is
  // skipped, and an op whose shape check failed takes no name.
  Graph g;
  g.as_default();
  Node x = placeholder(DType::f64, {2}, "x");
  EXPECT_EQ(add(x, x).name(), "add");
  EXPECT_EQ(add(x, x).name(), "add_1");
  EXPECT_EQ(add(x, x, "add_3").name(), "add_3");
  EXPECT_EQ(add(x, x).name(), "add_2");
  EXPECT_EQ(add(x, x).name(), "add_4");
  Node y = placeholder(DType::f64, {3}, "y");
  EXPECT_THROW(add(x, y), ShapeError);
  EXPECT_EQ(add(x, x).name(), "add_5");
  EXPECT_EQ(add(x, x, "add").name(), "add_6");  // a requested name that is taken follows the same rule
  for (int i = 0; i < 20000; ++i) add(x, x);  // linear: quadratic search took seconds here
  EXPECT_EQ(add(x, x).name(), "add_20007");
  EXPECT_EQ(g.node("add_20007").type(), "add");
}

TEST(Graph, InputsAndConsumersAreRecorded) {
  Graph().as_default();
  Node a = Variable(Tensor{1.0}), b = Variable(Tensor{2.0});
  Node c = multiply(a, b);
  Node d = add(c, a);
  EXPECT_EQ(c.inputs(), (std::vector<Node>{a, b}));
  EXPECT_EQ(a.consumers(), (std::vector<Node>{c, d}));
  EXPECT_EQ(Graph::get_default().variables().size(), 2u);
}

TEST(Graph, StaticShapesWithUnknownBatch) {
  Graph().as_default();
  Node X = placeholder(DType::f32, {kUnknownDim, 784});
  Node W = Variable(Tensor::zeros({784, 10}, DType::f32));
  Node b = Variable(Tensor::zeros({10}, DType::f32));
  Node y = add(matmul(X, W), b);
  EXPECT_EQ(y.shape(), (Shape{kUnknownDim, 10}));
  EXPECT_EQ(y.dtype(), DType::f32);
  EXPECT_EQ(reduce_sum(y, 1).shape(), (Shape{kUnknownDim}));
  EXPECT_EQ(reduce_sum(y).shape(), Shape{});
  Node untyped = placeholder();
  EXPECT_FALSE(untyped.shape().rank_known());
  EXPECT_EQ(matmul(untyped, W).dtype(), DType::f32);  // the known input decides
}

TEST(Graph, MatmulShapeErrorAtBuildTimeNamesOpInputsAndShapes) {
  Graph().as_default();
  Node a = placeholder(DType::f64, {3, 2}, "a");
  Node b = placeholder(DType::f64, {3, 2}, "b");
  try {
    matmul(a, b);
    FAIL() << "matmul of [3, 2] and [3, 2] must not build";
  } catch (const ShapeError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("matmul"), std::string::npos) << m;
    EXPECT_NE(m.find("'a' [3, 2]"), std::string::npos) << m;
    EXPECT_NE(m.find("'b' [3, 2]"), std::string::npos) << m;
    EXPECT_NE(m.find("inner dimensions"), std::string::npos) << m;
  }
  EXPECT_EQ(Graph::get_default().num_nodes(), 2);  // nothing half-added
}

TEST(Graph, DtypeMismatchIsATypeErrorAtBuildTime) {
  Graph().as_default();
  Node a = placeholder(DType::f32, {2}, "a");
  Node b = placeholder(DType::f64, {2}, "b");
  try {
    add(a, b);
    FAIL();
  } catch (const DTypeError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("float32"), std::string::npos) << m;
    EXPECT_NE(m.find("float64"), std::string::npos) << m;
  }
}

TEST(Graph, NodesOfAnotherGraphCannotBeMixed) {
  Graph g1, g2;
  g1.as_default();
  Node a = placeholder();
  g2.as_default();
  Node b = placeholder();
  EXPECT_THROW(add(a, b), GraphError);
}

TEST(Graph, DotShowsForwardAndGradientNodesWithShapes) {
  Graph g;
  g.as_default();
  Node x = placeholder(DType::f64, {kUnknownDim, 2}, "x");
  Node W = Variable(Tensor::zeros({2, 3}), "W");
  Node loss = reduce_sum(sigmoid(matmul(x, W)), {}, false, "loss");
  gradients(loss, {W});
  std::string dot = g.to_dot();
  EXPECT_EQ(dot.rfind("digraph tensorgraph {", 0), 0u);
  EXPECT_NE(dot.find("x\\nPlaceholder float64 [?, 2]"), std::string::npos) << dot;
  EXPECT_NE(dot.find("W\\nVariable float64 [2, 3]"), std::string::npos);
  EXPECT_NE(dot.find("gradients/"), std::string::npos);
  EXPECT_NE(dot.find("style=dashed"), std::string::npos);
  // One edge per input.
  std::size_t edges = 0, inputs = 0;
  for (std::size_t p = dot.find("->"); p != std::string::npos; p = dot.find("->", p + 1)) ++edges;
  for (const Node& n : g.nodes()) inputs += n.inputs().size();
  EXPECT_EQ(edges, inputs);
}

TEST(Graph, DotForwardOnlyHidesGradientsAndOptimizers) {
  Graph g;
  g.as_default();
  Node x = placeholder(DType::f64, {kUnknownDim, 2}, "x");
  Node W = Variable(Tensor::zeros({2, 3}), "W");
  Node loss = reduce_sum(sigmoid(matmul(x, W, false, false, "logits")), {}, false, "loss");
  const train::AdamOptimizer adam(0.1);
  train::GradsAndVars pairs = adam.compute_gradients(loss);
  pairs[0].first = multiply(pairs[0].first, scalar(0.5, DType::f64), "halved");  // a clipped gradient
  adam.apply_gradients(pairs, "update");
  train::GradientDescentOptimizer(0.1).minimize(loss);
  const std::string all = g.to_dot(), forward = g.to_dot({.forward_only = true});
  for (const char* name : {"gradients/", "halved", "update", "W/Adam_m", "update/step", "GradientDescent"}) {
    EXPECT_NE(all.find(name), std::string::npos) << name;
    EXPECT_EQ(forward.find(name), std::string::npos) << name << " in\n" << forward;
  }
  for (const char* name : {"x\\nPlaceholder", "W\\nVariable", "logits\\nmatmul", "loss\\nreduce_sum"})
    EXPECT_NE(forward.find(name), std::string::npos) << name << " missing from\n" << forward;
  EXPECT_EQ(forward.find("style=dashed"), std::string::npos);
  // Edges only between the nodes shown: x -> logits, W -> logits, logits -> sigmoid -> loss.
  std::size_t edges = 0;
  for (std::size_t p = forward.find("->"); p != std::string::npos; p = forward.find("->", p + 1)) ++edges;
  EXPECT_EQ(edges, 4u) << forward;
  EXPECT_EQ(Graph().to_dot({.forward_only = true}), Graph().to_dot());
}

TEST(Graph, OperatorsBuildElementwiseOps) {
  Graph().as_default();
  Node a = Variable(Tensor{1.0, 2.0}), b = Variable(Tensor{3.0, 5.0});
  Session s;
  EXPECT_EQ(s.run(a + b).to_vector<double>(), (std::vector<double>{4, 7}));
  EXPECT_EQ(s.run(a - b).to_vector<double>(), (std::vector<double>{-2, -3}));
  EXPECT_EQ(s.run(a * b).to_vector<double>(), (std::vector<double>{3, 10}));
  EXPECT_EQ(s.run(b / a).to_vector<double>(), (std::vector<double>{3, 2.5}));
  EXPECT_EQ(s.run(-a).to_vector<double>(), (std::vector<double>{-1, -2}));
  EXPECT_EQ(s.run(1.0 - a * 2.0).to_vector<double>(), (std::vector<double>{-1, -3}));
  Node f = Variable(Tensor{1.f, 2.f});
  EXPECT_EQ((f * 2.0).dtype(), DType::f32);  // a double scalar takes the node's dtype
}

// --- open attributes: one schema per op, read and built generically ---
TEST(Attrs, BuiltByNameConvertedToEachFieldsTypeAndReadTyped) {
  Graph g;
  g.as_default();
  Node x = placeholder(DType::f64, {2, 3}, "x");
  const OpDef& sum = *find_op("reduce_sum");
  // 1 (an int) becomes the int list axes; a whole float is an int; unknown names are refused.
  Node s = make_op(sum, {x}, sum.attrs->from({{"axes", std::int64_t{1}}, {"keepdims", true}}, sum.name));
  EXPECT_EQ(s.shape(), (Shape{2, 1}));
  EXPECT_EQ(std::get<std::vector<std::int64_t>>(s.attr("axes")), std::vector<std::int64_t>{1});
  EXPECT_EQ(s.attr_values().size(), 3u);
  const OpDef& cast_def = *find_op("cast");
  EXPECT_EQ(make_op(cast_def, {x}, cast_def.attrs->from({{"dtype", std::string("float32")}}, "cast")).dtype(), DType::f32);
  const OpDef& argmax_def = *find_op("argmax");
  EXPECT_EQ(std::get<std::int64_t>(make_op(argmax_def, {x}, argmax_def.attrs->from({{"axis", 1.0}}, "argmax")).attr("axis")), 1);
  auto message = [](auto&& f) {
    try {
      f();
    } catch (const GraphError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message([&] { sum.attrs->from({{"axis", std::int64_t{1}}}, "reduce_sum"); }),
            "op 'reduce_sum' has no attribute 'axis' (it has axes, all_axes, keepdims)");
  EXPECT_EQ(message([&] { argmax_def.attrs->from({{"axis", 1.5}}, "argmax"); }),
            "op 'argmax': attribute 'axis' must be int, got float 1.5");
  EXPECT_EQ(message([&] { cast_def.attrs->from({{"dtype", std::string("float16")}}, "cast"); }),
            "op 'cast': attribute 'dtype': unknown dtype \"float16\"");
  EXPECT_EQ(message([&] { make_op(sum, {x}, cast_def.attrs->defaults()); }),
            "reduce_sum: the attributes given are not this op's attribute struct");
  EXPECT_EQ(message([&] { make_op(*find_op("add"), {x, x}, sum.attrs->defaults()); }), "add takes no attributes");
}

TEST(Attrs, DefaultsFillInAndTextShowsOnlyWhatDiffers) {
  Graph g;
  g.as_default();
  Node a = placeholder(DType::f64, {2, 2}, "a");
  Node m = make_op(*find_op("matmul"), {a, a});  // no attributes given: the op's defaults
  EXPECT_FALSE(std::get<bool>(m.attr("transpose_a")));
  EXPECT_EQ(m.op()->attrs->str(m.attrs()), "");
  Node t = matmul(a, a, false, true);
  EXPECT_EQ(t.op()->attrs->str(t.attrs()), "transpose_b=true");
  EXPECT_NE(g.to_dot().find("transpose_b=true"), std::string::npos);
  EXPECT_THROW(m.attr("perm"), GraphError);
  EXPECT_TRUE(a.attr_values().empty());
}

// --- the one graph walk (src/graph/topo_order.h) ---

TEST(TopoOrder, InputsComeFirstEachNodeOnceAndStopsAtFedNodes) {
  Graph g;
  g.as_default();
  Node a = placeholder(DType::f64, {}, "a");
  Node b = exp(a), c = log(a);
  Node d = add(b, c);  // a diamond: a feeds b and c, both feed d
  Node e = multiply(d, b);
  const std::vector<int> order = detail::topo_order(g.impl(), {e.id()});
  ASSERT_EQ(order.size(), 5u);
  std::vector<int> pos(static_cast<std::size_t>(g.num_nodes()), -1);
  for (std::size_t i = 0; i < order.size(); ++i) pos[static_cast<std::size_t>(order[i])] = static_cast<int>(i);
  for (int id : order)
    for (const Node& in : g.node(id).inputs()) EXPECT_LT(pos[static_cast<std::size_t>(in.id())], pos[static_cast<std::size_t>(id)]);
  // Stopping at d (as if fed): only d and its consumer e remain, plus b, which e reads directly.
  const std::vector<int> pruned = detail::topo_order(g.impl(), {e.id()}, [&](int id) { return id == d.id(); });
  EXPECT_EQ(std::count(pruned.begin(), pruned.end(), c.id()), 0) << "c lies behind the fed node only";
  EXPECT_EQ(std::count(pruned.begin(), pruned.end(), b.id()), 1);
}

// A chain 150,000 ops deep (300,000 nodes with its gradient): running and differentiating it walk
// the graph without recursion (a recursive walk would overflow an 8 MB stack at this depth).
TEST(TopoOrder, AChainOneHundredFiftyThousandOpsDeepRunsAndDifferentiates) {
  Graph g;
  g.as_default();
  Node x = placeholder(DType::f64, {}, "x");
  Node y = x;
  for (int i = 0; i < 150000; ++i) y = negative(y);  // y = x after an even number of negations
  Node dx = gradients(y, {x})[0];
  Session s(g);
  const std::vector<Tensor> out = s.run({y, dx}, {{x, Tensor::scalar(2.5)}});
  EXPECT_EQ(out[0].flat(0), 2.5);
  EXPECT_EQ(out[1].flat(0), 1.0);
}

// --- optional arguments by name (designated initializers) build what the positional forms build ---
TEST(OptionsByName, BuildTheSameNodesAsThePositionalForms) {
  Graph g;
  g.as_default();
  Node x = placeholder(DType::f64, {2, 3}, "x");
  Node total = reduce_sum(x, {.axis = 1, .keepdims = true, .name = "total"});
  EXPECT_EQ(total.name(), "total");
  EXPECT_EQ(total.shape(), (Shape{2, 1}));
  EXPECT_EQ(total.attr_values(), reduce_sum(x, 1, true).attr_values());
  EXPECT_EQ(reduce_mean(x, {.name = "m"}).shape(), Shape{});  // axis omitted: every axis
  EXPECT_EQ(reduce_max(x, {}).shape(), Shape{});               // a plain {} still means every axis
  EXPECT_EQ(reduce_sum(x, {0, 1}, true).shape(), (Shape{1, 1}));
  EXPECT_EQ(reduce_sum(x, {1}).shape(), (Shape{2}));
  Node w = placeholder(DType::f64, {4, 3}, "w");
  Node p = matmul(x, w, {.transpose_b = true, .name = "logits"});
  EXPECT_EQ(p.name(), "logits");
  EXPECT_EQ(p.shape(), (Shape{2, 4}));
  EXPECT_EQ(p.attr_values(), matmul(x, w, false, true).attr_values());
  Node labels = placeholder(DType::i64, {2}, "labels");
  EXPECT_EQ(one_hot(labels, 5, {.dtype = DType::f64}).dtype(), DType::f64);
  Rng rng(1);
  Node h = layers::dense(x, 8, rng, {.activation = layers::Activation::relu, .name = "hidden"});
  EXPECT_EQ(h.type(), "relu");
  EXPECT_NO_THROW(g.node("hidden/kernel"));
  Node training = placeholder(DType::boolean, {}, "training");
  EXPECT_NO_THROW(layers::dropout(h, 0.5, training, {.seed = 7, .name = "drop"}));
  EXPECT_NO_THROW(g.node("drop/random"));
}

// TF's control dependencies: operations made inside run after the deps (values unused); leaves,
// operations made outside and the gradients' data flow are untouched.
TEST(ControlDependencies, OperationsMadeInsideRunAfterTheDepsAndOnlyThose) {
  Graph g;
  g.as_default();
  Node v = Variable(Tensor::scalar(0.0), "v");
  Node inc = assign(v, v + 1.0, "inc");
  Node u = Variable(Tensor::scalar(0.0), "u");
  Node twice = assign(u, u + 10.0, "ten");
  Node x = placeholder(DType::f64, {}, "x");
  Node y, k, z, w;
  {
    ControlDependencies deps({inc});
    k = constant(Tensor::scalar(2.0), "two");
    y = multiply(x, k, "y");
    {
      ControlDependencies more({twice, inc});  // accumulates; inc once
      z = exp(x, "z");
    }
  }
  w = x * 3.0;
  EXPECT_EQ(y.control_inputs(), std::vector<Node>{inc});
  EXPECT_EQ(z.control_inputs(), (std::vector<Node>{inc, twice}));
  EXPECT_TRUE(k.control_inputs().empty());  // a constant is a leaf
  EXPECT_TRUE(w.control_inputs().empty());
  EXPECT_TRUE(g.control_dependencies().empty());  // restored
  EXPECT_TRUE(inc.consumers().empty());           // a control edge is no data edge
  Session s;
  EXPECT_EQ(s.run(y, {{x, Tensor::scalar(1.5)}}).item<double>(), 3.0);
  EXPECT_EQ(s.run(v).item<double>(), 1.0);  // inc ran first
  s.run(y, {{x, Tensor::scalar(1.5)}});
  EXPECT_EQ(s.run(v).item<double>(), 2.0);
  s.run(w, {{x, Tensor::scalar(1.5)}});
  EXPECT_EQ(s.run(v).item<double>(), 2.0);  // w was made outside
  s.run(z, {{x, Tensor::scalar(0.0)}});
  EXPECT_EQ(s.run(v).item<double>(), 3.0);  // both updates, each once
  EXPECT_EQ(s.run(u).item<double>(), 10.0);
  // gradients follow the data flow: dy/dx is 2; the seed reads y (TensorFlow's ones_like(y)), so
  // y's control input runs with it, as in TensorFlow
  Node dy = gradients(y, {x})[0];
  EXPECT_TRUE(dy.control_inputs().empty());
  EXPECT_EQ(s.run(dy, {{x, Tensor::scalar(1.5)}}).item<double>(), 2.0);
  EXPECT_EQ(s.run(v).item<double>(), 4.0);
  EXPECT_NE(g.to_dot().find("[style=dotted]"), std::string::npos);
  Graph other;
  EXPECT_THROW(other.set_control_dependencies({inc}), GraphError);
}

TEST(ControlDependencies, GradientsBuiltInsideAreNotReusedOutside) {
  Graph g;
  g.as_default();
  Node v = Variable(Tensor::scalar(0.0), "v");
  Node inc = assign(v, v + 1.0);
  Node x = Variable(Tensor::scalar(2.0), "x");
  Node loss = square(x);
  std::map<Node, Node> inside;
  {
    ControlDependencies deps({inc});
    inside = all_gradients(loss);
  }
  const std::map<Node, Node> outside = all_gradients(loss);
  Session s;
  EXPECT_EQ(s.run(outside.at(x)).item<double>(), 4.0);
  EXPECT_EQ(s.run(v).item<double>(), 0.0);  // the outside gradient carries no control inputs
  EXPECT_EQ(s.run(inside.at(x)).item<double>(), 4.0);
  EXPECT_EQ(s.run(v).item<double>(), 1.0);
}

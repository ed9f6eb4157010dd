// Cross-language check of model files (python/tests/test_model_io.py runs it):
//   model_io_tool predict <prefix> <in.safetensors> <out.safetensors>
//     imports the model, feeds each input tensor to the node of its name, saves the outputs
//   model_io_tool train <prefix> <in.safetensors> <out.safetensors>
//     trains a small MLP (placeholder "x" [?, 4] float32), exports it, saves its predictions
#include <cstring>
#include <iostream>

#include "tensorgraph/random.h"
#include "tensorgraph/tensorgraph.h"

using namespace tg;

namespace {
void predict(Session& s, const std::vector<Node>& outputs, const std::map<std::string, Node>& nodes,
             const std::string& in, const std::string& out) {
  FeedDict feeds;
  for (auto& [name, t] : load_safetensors(in)) feeds.set(nodes.at(name), t);
  std::vector<Tensor> vals = s.run(outputs, feeds);
  std::vector<std::pair<std::string, Tensor>> saved;
  for (std::size_t i = 0; i < outputs.size(); ++i) saved.emplace_back(outputs[i].name(), vals[i]);
  save_safetensors(out, saved);
}
}  // namespace

int main(int argc, char** argv) try {
  if (argc != 5) {
    std::cerr << "usage: model_io_tool predict|train <prefix> <in.safetensors> <out.safetensors>\n";
    return 2;
  }
  if (std::strcmp(argv[1], "predict") == 0) {
    LoadedModel m = import_model(argv[2]);
    Session s(m.graph);
    predict(s, m.outputs, m.nodes, argv[3], argv[4]);
    return 0;
  }
  Graph g;
  g.as_default();
  Rng rng(7);
  Node x = placeholder(DType::f32, {kUnknownDim, 4}, "x");
  Node y = placeholder(DType::f32, {kUnknownDim, 3}, "y");
  Node w1 = Variable(Tensor::randn({4, 8}, rng, DType::f32, 0, 0.5), "w1");
  Node b1 = Variable(Tensor::zeros({8}, DType::f32), "b1");
  Node w2 = Variable(Tensor::randn({8, 3}, rng, DType::f32, 0, 0.5), "w2");
  Node b2 = Variable(Tensor::zeros({3}, DType::f32), "b2");
  Node h = relu(add(matmul(x, w1), b1), "hidden");
  Node logits = add(matmul(h, w2), b2, "logits");
  Node probs = softmax(logits, "probs");
  Node loss = reduce_mean(softmax_cross_entropy_with_logits(y, logits));
  Node step = train::GradientDescentOptimizer(0.1).minimize(loss);
  Tensor xs = Tensor::randn({16, 4}, rng, DType::f32);
  Tensor ys(DType::f32, {16, 3});
  for (int i = 0; i < 16; ++i) ys.data<float>()[i * 3 + i % 3] = 1;
  Session s(g);
  for (int i = 0; i < 20; ++i) s.run(step, {{x, xs}, {y, ys}});
  export_model(s, {probs}, argv[2]);
  predict(s, {probs}, {{"x", x}}, argv[3], argv[4]);
  return 0;
} catch (const std::exception& e) {
  std::cerr << "model_io_tool: " << e.what() << "\n";
  return 1;
}

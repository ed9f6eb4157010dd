// Variable(node): TensorFlow's tf.Variable(initial_value) given a node (tf.Variable(tf.zeros([3]))).
// The node is run once, now, in a session of its own, for the value every session starts from;
// the Variable remembers the node, which an initializer runs again.
#include "tensorgraph/session.h"

namespace tg {

Node Variable(const Node& initial_value, const std::string& name, bool trainable) {
  if (!initial_value.valid()) throw GraphError("Variable: the initial value is an invalid node");
  Tensor value;
  try {
    value = Session(initial_value.graph()).run(initial_value);
  } catch (const FeedError& e) {
    throw FeedError(std::string("Variable: the initial value '") + initial_value.name() +
                    "' must be computable without feeds: " + e.what());
  }
  if (!value.defined())
    throw GraphError("Variable: the initial value '" + initial_value.name() + "' is an update, not a value");
  return Variable(value, initial_value, name, trainable);
}

}  // namespace tg

#pragma once
// tensorgraph: computational graphs with the TensorFlow 1.x programming model.
//
//   #include <tensorgraph/tensorgraph.h>
//   using namespace tg;
//   Node A = Variable(Tensor{{1.0, 0.0}, {0.0, -1.0}});
//   Node b = Variable(Tensor{1.0, 1.0});
//   Node x = placeholder();
//   Node z = add(matmul(A, x), b);
//   Session session;
//   std::cout << session.run(z, {{x, Tensor{1.0, 2.0}}});  // [2, -1]
#include "tensorgraph/autodiff.h"
#include "tensorgraph/csv.h"
#include "tensorgraph/custom_op.h"
#include "tensorgraph/dataset.h"
#include "tensorgraph/distributed.h"
#include "tensorgraph/error.h"
#include "tensorgraph/gradient_checker.h"
#include "tensorgraph/idx.h"
#include "tensorgraph/layers.h"
#include "tensorgraph/nn.h"
#include "tensorgraph/rnn.h"
#include "tensorgraph/model_io.h"
#include "tensorgraph/trainer.h"
#include "tensorgraph/graph.h"
#include "tensorgraph/op_def.h"
#include "tensorgraph/ops.h"
#include "tensorgraph/saver.h"
#include "tensorgraph/session.h"
#include "tensorgraph/tensor.h"
#include "tensorgraph/threads.h"
#include "tensorgraph/train.h"

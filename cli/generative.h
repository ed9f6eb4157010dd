#pragma once
// The CLI's generative models of Fashion-MNIST images (28 x 28, fed flattened, grey levels in
// [0, 1]): a dense autoencoder, a variational autoencoder and a GAN. Rebuilt from the task and
// model stored in the checkpoint's metadata.
#include <string>
#include <vector>

#include "tensorgraph/tensorgraph.h"

namespace tgcli {

struct GenerativeSpec {
  enum class Task { autoencoder, vae, gan };
  Task task = Task::autoencoder;
  /// autoencoder and vae: the encoder's sizes, 784 first and the code last (the decoder mirrors
  /// them); gan: the generator's, the noise first and 784 last (the discriminator mirrors them).
  std::vector<std::int64_t> sizes;
  /// gan "dcgan": a convolutional generator (dense to 7x7x64, two stride-2 transposed 4x4
  /// convolutions with batch normalisation and relu) and discriminator (two stride-2 4x4
  /// convolutions, 32 and 64 channels, leaky relu, a dense logit), noise of 64.
  bool dcgan = false;
  std::string task_name() const;  // "autoencoder", "vae" or "gan"
  std::string str() const;        // "784-64", "dcgan"
  std::int64_t latent() const { return dcgan ? 64 : task == Task::gan ? sizes.front() : sizes.back(); }
  /// The model for `task` (autoencoder, vae or gan) from `model` (empty: the task's default:
  /// 784-64, 784-400-20, 64-256-512-784); throws std::invalid_argument naming what is wrong.
  static GenerativeSpec parse(const std::string& task, const std::string& model);
};

struct GenerativeModel {
  GenerativeSpec spec;
  tg::Node images;   // [n, 784] f32 in [0, 1]: the input (autoencoders), the real images (gan)
  tg::Node code;     // the autoencoder's code, the VAE's mean (invalid for the gan)
  tg::Node z;        // the decoder's or generator's input: fed to decode or to generate
  tg::Node decoded;  // [n, 784] images in [0, 1] from z
  tg::Node loss;     // autoencoder: MSE per pixel; vae: -ELBO in nats per image; gan: the discriminator's
  tg::Node g_loss;   // gan: the generator's loss (non-saturating: -ln D(G(z)))
  tg::Node training;  // gan: fed true while training (the dense discriminator's dropout, the dcgan generator's batch statistics)
  tg::Node train_op, g_train_op;  // one Adam step (gan: the discriminator's, then the generator's)
  std::vector<tg::Node> variables;  // the model's weights (saved; the optimizers' state is not)
};

/// Builds the model in the default graph: Adam at `learning_rate` (gan: beta1 0.5), weights and
/// biases seeded by `seed` (U(+-1/sqrt(fan_in)), torch.nn.Linear's default).
GenerativeModel build_generative(const GenerativeSpec& spec, double learning_rate, std::uint64_t seed);

}  // namespace tgcli

// The commands (cli/generative_commands.cpp).
#include <functional>

#include "options.h"

namespace tgcli {
/// `tensorgraph train --task autoencoder|vae|gan`: trains, writes model.safetensors (after every
/// epoch), metrics, loss curves and pictures to --output; returns the exit status.
int train_generative(const CommandLine& c);
/// Class probabilities [n, 10] of images [n, 784] in [0, 1], by a classifier loaded from a checkpoint.
using Classify = std::function<tg::Tensor(const tg::Tensor& images)>;
/// `tensorgraph generate`: a grid of samples (an autoencoder: reconstructions) to --output; with a
/// classifier, the classes it sees in them. Returns the exit status.
int generate_command(const CommandLine& c, const Classify& classify);
}  // namespace tgcli

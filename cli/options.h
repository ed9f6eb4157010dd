#pragma once
// The command line of `tensorgraph` (CLI11): subcommands train, evaluate and predict, each with
// its typed, range-checked options, --help per subcommand and --version.
#include <cstdint>
#include <map>
#include <string>
#include <variant>

namespace tgcli {

struct CommandLine {
  std::string command;  // train, evaluate, predict or generate
  // train
  std::string task = "classifier";  // classifier, autoencoder, vae, gan or charlm
  std::string corpus = "/usr/share/games/fortunes/computers";  // charlm: --text
  std::int64_t seq_len = 64;                                     // charlm: the window
  std::string model = "784-256-128-10";
  int epochs = 10;
  std::int64_t batch_size = 64;
  std::string optimizer = "adam";
  double learning_rate = 0.001, dropout = 0, validation = 0.1;
  std::string schedule = "constant";  // the learning rate over the run: constant or cosine
  int patience = 0;
  std::uint64_t seed = 0;
  std::string output = "out/fashion-mnist";
  bool resume = false;
  // evaluate and predict
  std::string checkpoint = "out/fashion-mnist/model.safetensors";
  std::int64_t index = 0, count = 5;
  // generate
  std::int64_t samples = 64;
  std::string image = "generated.png", classifier;
  std::int64_t length = 400;  // charlm: characters to write
  double temperature = 0.8;   // charlm: logits divided by it before sampling
  // every command
  int threads = 0;
  std::string data = "/usr/share/datasets/fashion-mnist";
  /// Each option of the command by name (no "--"), as given or its default: what checkpoints
  /// and metrics.json record and --resume compares. Whole numbers are in canonical decimal.
  std::map<std::string, std::string> text;
};

/// The command to run, or the exit status to end with when there is none: 0 after --help or
/// --version (printed to stdout), 2 after an error that names the option (on stderr).
std::variant<CommandLine, int> parse_command_line(int argc, char** argv);

}  // namespace tgcli

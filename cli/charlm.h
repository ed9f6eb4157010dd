#pragma once
// The CLI's character-level language model: windows of bytes of a text, an embedding, LSTM layers
// (tg::nn::lstm_cell, several through multi_rnn_cell) unrolled over the window, a dense layer to the
// next byte's logits. `tensorgraph train --task charlm --text FILE`, `tensorgraph generate`.
#include "options.h"

namespace tgcli {
/// Trains on --text (the last 10% held out for validation); writes model.safetensors after every
/// epoch (the vocabulary in its metadata), metrics, loss.png and sample.txt; returns the exit status.
int train_charlm(const CommandLine& c);
/// Prints --length characters sampled from the checkpoint's model at --temperature (seed --seed).
int generate_text(const CommandLine& c, const std::map<std::string, std::string>& meta);
}  // namespace tgcli

#pragma once
// The safetensors format (https://github.com/huggingface/safetensors), readable by its Python and
// Rust libraries: an 8-byte little-endian header length N, N bytes of JSON
//   {"__metadata__":{"format":"tensorgraph"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}
// padded with spaces to a multiple of 8, then the raw little-endian data of every tensor.
// Every failure throws tg::IoError with a message naming the file and what is wrong.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tensorgraph/tensor.h"

namespace tg {

/// Writes `tensors` (in order) to `path` atomically: a crash or error leaves any old file intact.
/// "format": "tensorgraph" is added to `metadata` unless it sets "format".
void save_safetensors(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata = {});
/// Reads every tensor of a safetensors file, in file order, after verifying the whole layout.
std::vector<std::pair<std::string, Tensor>> load_safetensors(const std::string& path);
/// The "__metadata__" strings of a safetensors file (the header is verified as by the loader).
std::map<std::string, std::string> load_safetensors_metadata(const std::string& path);

}  // namespace tg

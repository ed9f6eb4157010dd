#pragma once
// Exceptions thrown by tensorgraph. Every message names the node (or file), what was given and
// what was expected. The Python module maps ShapeError -> ValueError, DTypeError -> TypeError,
// NumericsError -> FloatingPointError.
#include <stdexcept>
#include <string>

namespace tg {

/// Base of every tensorgraph error.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};
/// Incompatible or invalid shapes (build time or feed time).
struct ShapeError : Error {
  using Error::Error;
};
/// Incompatible or unsupported dtypes.
struct DTypeError : Error {
  using Error::Error;
};
/// A placeholder the fetches need was not fed, or a feed is not usable.
struct FeedError : Error {
  using Error::Error;
};
/// Misuse of the graph API (nodes of another graph, unknown names, bad arguments).
struct GraphError : Error {
  using Error::Error;
};
/// A file could not be read or written.
struct IoError : Error {
  using Error::Error;
};
/// check_numerics found NaN or Inf values (the message names the node, counts and first index).
struct NumericsError : Error {
  using Error::Error;
};

}  // namespace tg

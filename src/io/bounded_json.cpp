// parse_json / dump_json: nlohmann-json with tensorgraph's bounds (see bounded_json.h).
#include "bounded_json.h"

#include <set>
#include <vector>

namespace tg::io {

Json parse_json(std::string_view text, const JsonLimits& limits) {
  std::vector<std::set<std::string>> keys;  // the keys seen in each open object
  std::size_t values = 0;
  auto count = [&] {
    if (++values > limits.max_values) throw JsonError("more than " + std::to_string(limits.max_values) + " values");
  };
  const Json::parser_callback_t bound = [&](int depth, Json::parse_event_t event, Json& parsed) {
    using E = Json::parse_event_t;
    switch (event) {
      case E::object_start:
      case E::array_start:
        if (depth >= limits.max_depth)
          throw JsonError("nesting deeper than " + std::to_string(limits.max_depth) + " levels");
        if (event == E::object_start) keys.emplace_back();
        break;
      case E::key:
        // NOTE: nlohmann keeps the last of duplicate keys; a file that says two things is refused.
        if (!keys.back().insert(parsed.get<std::string>()).second)
          throw JsonError("duplicate key \"" + parsed.get<std::string>() + "\"");
        break;
      case E::object_end:
        keys.pop_back();
        count();
        break;
      case E::array_end:
      case E::value:
        count();
        break;
    }
    return true;
  };
  try {
    return Json::parse(text.begin(), text.end(), bound);
  } catch (const Json::exception& e) {
    // e.g. "[json.exception.parse_error.101] parse error at line 1, column 3: ..."
    const std::string what = e.what();
    const std::size_t close = what.find("] ");
    throw JsonError(close == std::string::npos ? what : what.substr(close + 2));
  }
}

std::string dump_json(const Json& j, int indent) {
  try {
    return j.dump(indent, ' ', false, Json::error_handler_t::strict);
  } catch (const Json::exception& e) {
    const std::string what = e.what();
    const std::size_t close = what.find("] ");
    throw JsonError(close == std::string::npos ? what : what.substr(close + 2));
  }
}

}  // namespace tg::io

#include "checkpoint.h"

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace tgcli {
using namespace tg;

namespace {

// Doubles as text that reads back to the same bits ("inf" and "nan" included).
std::string exact(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}
std::string exact(const std::optional<double>& v) { return v ? exact(*v) : ""; }

double number(const std::string& text, const std::string& what, const std::string& path) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end) throw IoError("'" + path + "': checkpoint field " + what + " is not a number: '" + text + "'");
  return v;
}

// One epoch per line: epoch,train_loss,train_accuracy,val_loss,val_accuracy,seconds (empty: absent).
std::string history_text(const train::History& h) {
  std::ostringstream os;
  for (const auto& e : h.epochs)
    os << e.epoch << ',' << exact(e.train_loss) << ',' << exact(e.train_accuracy) << ',' << exact(e.val_loss) << ','
       << exact(e.val_accuracy) << ',' << exact(e.seconds) << '\n';
  return os.str();
}

std::vector<train::EpochMetrics> history_from(const std::string& text, const std::string& path) {
  std::vector<train::EpochMetrics> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string x; std::getline(fields, x, ',');) f.push_back(x);
    if (line.back() == ',') f.emplace_back();
    if (f.size() != 6) throw IoError("'" + path + "': a checkpoint history line has " + std::to_string(f.size()) + " fields");
    auto opt = [&](const std::string& x, const char* what) {
      return x.empty() ? std::optional<double>() : std::optional<double>(number(x, what, path));
    };
    train::EpochMetrics m;
    m.epoch = static_cast<int>(number(f[0], "epoch", path));
    m.train_loss = number(f[1], "train_loss", path);
    m.train_accuracy = opt(f[2], "train_accuracy");
    m.val_loss = opt(f[3], "val_loss");
    m.val_accuracy = opt(f[4], "val_accuracy");
    m.seconds = number(f[5], "seconds", path);
    out.push_back(m);
  }
  return out;
}

}  // namespace

void TrainingCheckpoint::write(Session& s, const train::FitState& st) const {
  std::vector<std::pair<std::string, Tensor>> tensors;
  const std::vector<Tensor> values = s.values(all);  // read together: one step's state
  for (std::size_t i = 0; i < all.size(); ++i) tensors.emplace_back(all[i].name(), values[i]);
  for (std::size_t i = 0; i < st.best_values.size() && i < model_vars.size(); ++i)
    tensors.emplace_back("best:" + model_vars[i].name(), st.best_values[i]);
  std::map<std::string, std::string> meta;
  for (const auto& [k, v] : options) meta["option." + k] = v;
  const train::History& h = st.history;
  meta["fit.epoch"] = std::to_string(st.epoch);
  meta["fit.step"] = std::to_string(st.step);
  meta["fit.best"] = exact(st.best);
  meta["fit.since_best"] = std::to_string(st.since_best);
  meta["fit.runs"] = std::to_string(st.runs);
  meta["fit.best_epoch"] = std::to_string(h.best_epoch);
  meta["fit.stopped_early"] = h.stopped_early ? "1" : "0";
  if (h.non_finite)
    meta["fit.non_finite"] = std::to_string(h.non_finite->epoch) + "," + std::to_string(h.non_finite->step) + "," +
                             exact(h.non_finite->loss);
  meta["fit.history"] = history_text(h);
  save_safetensors(path, tensors, meta);  // atomic: a crash leaves the previous checkpoint whole
}

train::FitState TrainingCheckpoint::read(Session& s) const {
  const auto meta = load_safetensors_metadata(path);
  for (const auto& [k, v] : options) {
    auto it = meta.find("option." + k);
    if (it == meta.end() && k == "schedule" && v == "constant") continue;  // written before --schedule existed
    if (it == meta.end() || it->second != v)
      throw IoError("--resume: '" + path + "' was trained with --" + k + " " +
                    (it == meta.end() ? std::string("(not recorded)") : it->second) + ", this run asks for " + v +
                    " (resume with the same options, or train anew into another --output)");
  }
  auto field = [&](const char* key) {
    auto it = meta.find(key);
    if (it == meta.end()) throw IoError("'" + path + "' is not a training checkpoint (no \"" + key + "\" metadata)");
    return it->second;
  };
  train::FitState st;
  st.epoch = static_cast<int>(number(field("fit.epoch"), "fit.epoch", path));
  st.step = static_cast<std::int64_t>(number(field("fit.step"), "fit.step", path));
  st.best = number(field("fit.best"), "fit.best", path);
  st.since_best = static_cast<int>(number(field("fit.since_best"), "fit.since_best", path));
  st.runs = static_cast<std::uint64_t>(number(field("fit.runs"), "fit.runs", path));
  st.history.best_epoch = static_cast<int>(number(field("fit.best_epoch"), "fit.best_epoch", path));
  st.history.stopped_early = field("fit.stopped_early") == "1";
  st.history.epochs = history_from(field("fit.history"), path);
  if (auto it = meta.find("fit.non_finite"); it != meta.end()) {
    train::NonFinite nf;
    std::istringstream f(it->second);
    std::string a, b, c;
    std::getline(f, a, ',');
    std::getline(f, b, ',');
    std::getline(f, c);
    nf.epoch = static_cast<int>(number(a, "fit.non_finite", path));
    nf.step = static_cast<std::int64_t>(number(b, "fit.non_finite", path));
    nf.loss = number(c, "fit.non_finite", path);
    st.history.non_finite = nf;
  }
  train::Saver(all).restore(s, path);  // every Variable; "best:" tensors are extra, read below
  if (st.history.best_epoch > 0) {
    std::map<std::string, Tensor> file;
    for (auto& [name, t] : load_safetensors(path)) file.emplace(name, std::move(t));
    for (const Node& v : model_vars) {
      auto it = file.find("best:" + v.name());
      if (it == file.end()) throw IoError("'" + path + "': no best value of '" + v.name() + "'");
      st.best_values.push_back(it->second);
    }
  }
  return st;
}

}  // namespace tgcli

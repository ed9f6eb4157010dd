#!/usr/bin/env bash
# Prints the line count of the core library (src/ + include/ without I/O), the I/O part
# (src/io/ and its public headers), the Python bindings, the CLI and the plot component, so that
# growth is a visible decision (.ci/run prints it on every run).
set -euo pipefail
cd "$(dirname "$0")/.."
count() { cat "$@" 2>/dev/null | wc -l; }
io_headers=()
for h in file safetensors model_io csv idx; do
  [ -f "include/tensorgraph/$h.h" ] && io_headers+=("include/tensorgraph/$h.h")
done
core=$(find src include -name '*.h' -o -name '*.cpp' | grep -v '^src/io/' | grep -v -x -F "$(printf '%s\n' "${io_headers[@]}")")
printf 'line count: core (src/ + include/, without I/O) %6d\n' "$(count $core)"
printf 'line count: I/O (src/io/ + its headers)         %6d\n' "$(count src/io/*.h src/io/*.cpp "${io_headers[@]}")"
printf 'line count: Python bindings (python/src + .py)  %6d\n' "$(count python/src/*.h python/src/*.cpp python/tensorgraph/*.py)"
printf 'line count: CLI (cli/)                          %6d\n' "$(find cli -name '*.h' -o -name '*.cpp' | xargs cat | wc -l)"
printf 'line count: plots (plot/)                       %6d\n' "$(find plot -name '*.h' -o -name '*.cpp' | xargs cat | wc -l)"

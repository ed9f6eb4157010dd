#!/usr/bin/env bash
# Installs what tensorgraph needs from Debian's packages (only the missing ones), builds it in
# ./build, and makes `import tensorgraph` work for Debian's /usr/bin/python3 from any directory
# (a .pth file pointing at build/python). Safe to run again: it does only what is left to do.
set -euo pipefail
cd "$(dirname "$0")/.."

# C++: compiler, CMake, GoogleTest, zlib (gzip'd IDX files, CRC-32), OpenBLAS (float64 matmul), oneDNN
# (float32 matmul: twice OpenBLAS's speed on the MLP's products, bench/RESULTS.md), nlohmann-json
# (model files, safetensors headers, the CLI's metrics.json; header-only, fuzzed upstream); for
# the CLI and the examples: cairo and DejaVu Sans (anti-aliased plots with a real font), CLI11
# (the command line); Fashion-MNIST. Python: headers, pybind11, numpy; pytest, torch (the tests'
# independent gradient oracle) and matplotlib (the tutorial's plots). fortunes: the texts the
# character-level language model learns from (examples/python/charlm.py). python3-protobuf:
# tf.summary's event files (TensorBoard's protocol buffers, encoded by the library, not by hand).
# Open MPI (libopenmpi-dev, openmpi-bin): data-parallel training over several processes
# (tensorgraph.distributed, `mpirun -np N tensorgraph train`), on an established transport.
packages=(g++ cmake make pkg-config libgtest-dev zlib1g-dev libopenblas-dev libdnnl-dev
          libcairo2-dev fonts-dejavu-core libcli11-dev nlohmann-json3-dev dataset-fashion-mnist fortunes
          libopenmpi-dev openmpi-bin
          python3 python3-dev pybind11-dev python3-pybind11
          python3-numpy python3-pytest python3-torch python3-matplotlib python3-protobuf)
source scripts/install-packages.sh
install_packages "${packages[@]}"
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPython3_EXECUTABLE=/usr/bin/python3
cmake --build build -j "$(nproc)"

site=$(/usr/bin/python3 -c 'import site; print(site.getsitepackages()[0])')
pth="$site/tensorgraph.pth"
if [ "$(cat "$pth" 2>/dev/null)" != "$PWD/build/python" ]; then
  $sudo_cmd mkdir -p "$site"
  echo "$PWD/build/python" | $sudo_cmd tee "$pth" > /dev/null
  echo "setup: /usr/bin/python3 now imports tensorgraph from $PWD/build/python"
fi

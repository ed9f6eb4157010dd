#!/usr/bin/env bash
# The main job: sets everything up, then trains part V's two-layer network, printing its loss,
# and saves the decision boundary picture to out/part5_decision_boundary.png.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
mkdir -p out
./build/examples/part5_multilayer_perceptron out/part5_decision_boundary.png

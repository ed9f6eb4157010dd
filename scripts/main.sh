#!/usr/bin/env bash
# The main job: sets everything up, runs the tutorial's part V example (its loss every 100 steps,
# then the decision boundary in out/part5_decision_boundary.png), then `tensorgraph train` with
# the convolutional network (--model cnn, its defaults otherwise) on Fashion-MNIST: checkpoint,
# metrics and plots in out/fashion-mnist/.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
mkdir -p out
./build/examples/part5_multilayer_perceptron out/part5_decision_boundary.png
./build/cli/tensorgraph train --model cnn --output out/fashion-mnist

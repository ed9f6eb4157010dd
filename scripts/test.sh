#!/usr/bin/env bash
# Sets everything up, then runs every test (GoogleTest through CTest).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"

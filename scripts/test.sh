#!/usr/bin/env bash
# The whole test suite (README's second command). Installs system packages it needs when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/tinhgon-target}"
cargo test --workspace --no-fail-fast

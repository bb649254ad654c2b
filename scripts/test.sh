#!/usr/bin/env bash
# The whole test suite (README's second command). On a fresh Debian machine it first installs the
# system programs the tests drive for real: PostgreSQL (throwaway servers), Chromium + chromedriver
# (browser tests), LibreOffice + poppler (opening the generated DOCX/XLSX), nginx (two instances behind
# a proxy), then runs every test once.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui libreoffice-calc-nogui)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
fc-list 2>/dev/null | grep -qi "liberation serif" || need+=(fonts-liberation)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "== missing system packages (install them as root): ${need[*]}" >&2
    exit 1
  fi
fi

# schemathesis (PyPI) drives the JSON API from its OpenAPI document (crates/web/tests/schemathesis.rs).
venv=/var/tmp/tinhgon-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
  echo "== installing schemathesis into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q schemathesis
fi
export TINHGON_SCHEMATHESIS="$venv/bin/schemathesis"

# A target directory outside the clone lets repeated runs (and CI) reuse the build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/tinhgon-target}"
export CARGO_TERM_COLOR=never
cargo test --workspace --no-fail-fast

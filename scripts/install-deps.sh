#!/usr/bin/env bash
# Installs the Debian 12 packages certreg needs to build, run and test. Idempotent: packages that are
# already installed are skipped, and apt-get update runs at most once, only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost1.74-dev libsimdjson-dev libsqlite3-dev libpq-dev libssl-dev
  libspdlog-dev libfmt-dev libcli11-dev nlohmann-json3-dev libjemalloc-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 curl
  postgresql-15 postgresql-client-15
  wrk clang-format
  # make test-sanitize, make test-tsan, make fuzz: clang with its sanitizer and libFuzzer
  # runtimes, and llvm-symbolizer for readable reports.
  clang-14 libclang-rt-14-dev llvm-14
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Installs every build and test dependency of earshot from Debian's apt (bookworm); clang and libFuzzer
# are for the sanitizer and fuzz builds (make asan, make fuzz).
# Idempotent: packages already present are left alone. Nothing is fetched from any other network.
set -euo pipefail
PKGS=(
  build-essential cmake ninja-build pkg-config ccache
  libsndfile1-dev libsoxr-dev libkissfft-dev
  libcli11-dev nlohmann-json3-dev libtomlplusplus-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev librapidcheck-dev
  libcairo2-dev fonts-dejavu-core sox
  festival festvox-us-slt-hts
  python3-numpy python3-scipy python3-soundfile
  pybind11-dev python3-pybind11 python3-dev python3-pytest python3-setuptools python3-pip python3-venv python3-wheel
  python3-dask python3-distributed
  clang libfuzzer-14-dev libclang-rt-14-dev
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-deps: all ${#PKGS[@]} packages present"
fi

#!/usr/bin/env bash
# Sets up what SupportScope needs on this machine, idempotently:
#   - on Debian/Ubuntu, the system libraries Qt needs (offscreen and on a real screen), and with
#     --test also LibreOffice Calc and poppler (the report tests recalculate and read exports)
#     and PostgreSQL's server programs (the database tests start a throw-away server);
#     installed with apt-get when run as root, otherwise the exact apt-get line is printed;
#   - a virtual environment in .venv (created or reused) with the app installed (editable),
#     and with --test the test tools too.
# Usage: tools/setup.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

qt_debs=(libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6
  libdbus-1-3 libglib2.0-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
  libxcb-xfixes0 libxrender1 libxi6 libsm6 libice6 fonts-dejavu-core)
test_debs=(libreoffice-calc-nogui poppler-utils postgresql)

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  wanted=("${qt_debs[@]}")
  [ "$with_tests" = 1 ] && wanted+=("${test_debs[@]}")
  python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null \
    || wanted+=(python3-venv)
  missing=()
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "setup: installing system packages: ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "setup: these system packages are missing; install them with:"
      echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}"
    fi
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating the virtual environment in .venv"
  python3 -m venv .venv
fi
extra=""
# the tests build and run the PyInstaller bundle too (tests/test_bundle.py)
[ "$with_tests" = 1 ] && extra="[test,bundle]"
stamp=".venv/.supportscope-installed$extra"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ ! -x .venv/bin/supportscope ]; then
  echo "setup: installing SupportScope$extra into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$extra"
  touch "$stamp"
fi

#!/usr/bin/env bash
# Set up (if needed) and run SupportScope on the default database. Extra arguments go to main.py.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
exec .venv/bin/python main.py "$@"

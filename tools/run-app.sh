#!/usr/bin/env bash
# Set up (if needed) and run SupportScope: with no arguments the window on the default (or last)
# database; with arguments, the headless command they name (e.g. `rank EVAL`).
# Runs the `supportscope` command installed in .venv, not main.py from the checkout, so that a
# packaging mistake shows here as it would for anyone who installed the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
exec .venv/bin/supportscope "$@"

#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite, Qt offscreen. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh --test
export QT_QPA_PLATFORM=offscreen
# One worker per core (SUPPORTSCOPE_TEST_WORKERS=0 runs in this process, e.g. to debug);
# each test file stays on one worker, so a file's fixtures and timings stay together.
exec .venv/bin/python -m pytest -n "${SUPPORTSCOPE_TEST_WORKERS:-auto}" --dist loadfile "$@"

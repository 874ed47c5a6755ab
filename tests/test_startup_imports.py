"""The first window imports only what it shows: NumPy, openpyxl, XlsxWriter and reportlab load
when an analysis, an import or an export first needs them (issue 12: start fast). Checked in a
fresh interpreter, since this test process has long imported them all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LATER = ("numpy", "openpyxl", "xlsxwriter", "reportlab")

PROBE = """
import json, sys
import ui.main_window
imported = [name for name in {later!r} if name in sys.modules]
from ui.app import create_main_window, make_application
from ui.settings import AppSettings
app = make_application()
window = create_main_window({db!r}, AppSettings(), paint_first=True)
painted = [name for name in {later!r} if name in sys.modules]
print(json.dumps({{"module": imported, "window": painted, "shown": window.isVisible()}}))
"""


def test_the_first_window_imports_no_numpy_openpyxl_or_reportlab(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    env["XDG_CONFIG_HOME"] = env["XDG_DATA_HOME"] = str(tmp_path)
    code = PROBE.format(later=LATER, db=str(tmp_path / "first.db"))
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found == {"module": [], "window": [], "shown": True}

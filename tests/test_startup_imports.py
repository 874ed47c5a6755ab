"""The first window imports only what it shows (issue 12: start fast).

The frame paints before SQLAlchemy, jsonschema, alembic and the views are imported; the built
window still leaves NumPy, openpyxl and reportlab until an analysis, an import or an export
first needs them. Checked in a fresh interpreter, since this test process has long imported
them all, going through `ui.app.start_window`, the path `supportscope-window` takes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from evaluator.db import open_database

ROOT = Path(__file__).resolve().parents[1]
AFTER_PAINT = ("sqlalchemy", "jsonschema", "alembic", "ui.session", "ui.scoring")
LATER = ("numpy", "openpyxl", "reportlab", "xlsxwriter")

PROBE = """
import json, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QMainWindow
from ui.app import make_application, start_window
watched = {watched!r}
at_paint = []

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if not at_paint and event.type() == QEvent.Type.Paint and isinstance(obj, QMainWindow):
            at_paint.append(sorted(name for name in watched if name in sys.modules))
        return False

app = make_application()
recorder = FirstPaint()
app.installEventFilter(recorder)
window = start_window({db!r})
window.session.wait_for_open()
print(json.dumps({{
    "at paint": at_paint[0] if at_paint else None,
    "built": sorted(name for name in {later!r} if name in sys.modules),
    "opened": window.session.location,
    "tabs": window.tabs.count(),
}}))
"""


def probe(tmp_path: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    env["XDG_CONFIG_HOME"] = env["XDG_DATA_HOME"] = str(tmp_path)
    db = str(tmp_path / "first.db")
    open_database(db).close()  # an existing (empty) database, as on a second start
    code = PROBE.format(watched=AFTER_PAINT + LATER, later=LATER, db=db)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_frame_paints_before_sqlalchemy_and_the_window_leaves_numpy_for_later(
    tmp_path: Path,
) -> None:
    found = probe(tmp_path)
    assert found["at paint"] == []  # nothing heavy before the first paint
    assert found["built"] == []  # nor NumPy, openpyxl or reportlab once built
    assert found["opened"] == str(tmp_path / "first.db")  # and the database did open
    assert found["tabs"] >= 4

"""The window needs PySide6-Essentials only: no QtCharts nor any other PySide6-Addons module.

PySide6-Addons weighs about 440 MB installed and was needed for one chart; the charts are now
painted with QPainter (ui/charting.py), and pyproject.toml no longer depends on it. A module of
the Addons wheel imported anywhere in ui/ or main.py would make every installation fail at
start-up, so both the source and a started window's loaded modules are checked.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.test_architecture import ROOT

# The Qt modules of the PySide6-Essentials wheel (6.6 to 6.11); everything else is Addons.
ESSENTIALS = {
    "QtConcurrent",
    "QtCore",
    "QtDBus",
    "QtDesigner",
    "QtGui",
    "QtHelp",
    "QtNetwork",
    "QtOpenGL",
    "QtOpenGLWidgets",
    "QtPrintSupport",
    "QtQml",
    "QtQuick",
    "QtQuickControls2",
    "QtQuickTest",
    "QtQuickWidgets",
    "QtSql",
    "QtSvg",
    "QtSvgWidgets",
    "QtTest",
    "QtUiTools",
    "QtWidgets",
    "QtXml",
}


def qt_modules_named(path: Path) -> set[str]:
    """The PySide6 submodules a source file names (import statements or dotted text)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            module = node.module
            imported = [f"{module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            imported = [alias.name for alias in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            imported = [node.value]  # importlib.import_module("PySide6.QtCharts")
        else:
            continue
        for name in imported:
            parts = name.split(".")
            if parts[0] == "PySide6" and len(parts) > 1 and parts[1].startswith("Qt"):
                names.add(parts[1])
    return names


def test_no_source_file_uses_a_pyside6_addons_module():
    sources = [ROOT / "main.py", *sorted((ROOT / "ui").rglob("*.py"))]
    offenders = {
        f"{path.relative_to(ROOT)}: {sorted(extra)}"
        for path in sources
        if (extra := qt_modules_named(path) - ESSENTIALS)
    }
    assert offenders == set()


def test_the_checker_sees_qtcharts(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from PySide6.QtCharts import QChart\nimport PySide6.QtMultimedia\n"
        "from PySide6 import QtWebEngineCore\nfrom PySide6.QtGui import QColor\n",
        "utf-8",
    )
    assert qt_modules_named(sample) - ESSENTIALS == {"QtCharts", "QtMultimedia", "QtWebEngineCore"}


def test_a_started_window_loads_no_addons_module(tmp_path):
    code = (
        "import sys; from ui.app import create_main_window, make_application\n"
        "import cli; assert cli.run(['--db', sys.argv[1], 'demo']) == 0\n"
        "app = make_application(); w = create_main_window(sys.argv[1]); w.show(); "
        "app.processEvents()\n"
        "print(sorted({m.split('.')[1] for m in sys.modules if m.startswith('PySide6.Qt')}))"
    )
    env = {
        "QT_QPA_PLATFORM": "offscreen",
        "SUPPORTSCOPE_NO_SETTINGS": "1",
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "a.db")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    loaded = set(ast.literal_eval(result.stdout.strip().splitlines()[-1]))
    assert {"QtCore", "QtGui", "QtWidgets"} <= loaded
    assert loaded <= ESSENTIALS


def test_pyproject_does_not_depend_on_pyside6_addons():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    requirements = [r.lower() for r in project["dependencies"]]
    assert any(r.startswith("pyside6-essentials") for r in requirements)
    assert not any(r.startswith(("pyside6-addons", "pyside6>", "pyside6=")) for r in requirements)

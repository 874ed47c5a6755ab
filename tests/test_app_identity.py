"""The app as a desktop sees it: icon, Linux menu entry, licence, and a window entry point that
starts (and, with SUPPORTSCOPE_EXIT_AFTER_START=1, quits once shown, as the bundle check uses it).
"""

from __future__ import annotations

import ast
import configparser
import os
import subprocess
import sys
import tomllib
from pathlib import Path

from PIL import Image

from criteria.demo import DEMO_NAME
from tests.test_architecture import ROOT
from ui.app import DESKTOP_FILE, app_icon

PACKAGING = ROOT / "packaging"


def _python(code: str, tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        SUPPORTSCOPE_NO_SETTINGS="1",
        SUPPORTSCOPE_LOG_DIR=str(tmp_path / "logs"),
        HOME=str(tmp_path),
        **extra,
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=180,
    )  # fmt: skip


def test_application_names_the_desktop_file_and_carries_the_icon(tmp_path):
    code = (
        "from ui.app import make_application\n"
        "app = make_application()\n"
        "print(app.desktopFileName())\n"
        "print(sorted(s.width() for s in app.windowIcon().availableSizes()))"
    )
    result = _python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    name, sizes = result.stdout.split("\n")[:2]
    assert name == DESKTOP_FILE == "supportscope"
    assert {16, 32, 48, 256} <= set(ast.literal_eval(sizes))


def test_desktop_entry_matches_the_app(qapp):
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(PACKAGING / f"{DESKTOP_FILE}.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application" and section["Name"] == "SupportScope"
    assert section["Icon"] == DESKTOP_FILE and section["Terminal"] == "false"
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    # the window entry point is a gui-script: Windows starts it without a console
    assert section["Exec"].split()[0] in scripts["gui-scripts"]
    assert not app_icon().isNull()


def test_icon_files_hold_every_size_a_desktop_asks_for():
    with Image.open(PACKAGING / "supportscope.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
    with Image.open(PACKAGING / "supportscope.icns") as icns:
        assert icns.size[0] >= 256
    with Image.open(ROOT / "ui" / "icons" / "supportscope-256.png") as png:
        assert png.size == (256, 256) and png.mode == "RGBA"
        assert png.getpixel((0, 0))[3] == 0  # transparent corner, opaque middle
        assert png.getpixel((128, 128))[3] == 255
    assert "<svg" in (PACKAGING / "supportscope.svg").read_text("utf-8")


def test_licence_is_mit_for_the_contributors():
    text = (ROOT / "LICENSE").read_text("utf-8")
    assert text.startswith("MIT License")
    assert "SupportScope contributors" in text


def test_window_entry_point_starts_and_quits_when_asked(tmp_path):
    db = tmp_path / "committee.db"
    code = (
        "import sys, cli, main\n"
        f"assert cli.run(['--db', {str(db)!r}, 'demo']) == 0\n"
        f"sys.exit(main.window(['--db', {str(db)!r}]))"
    )
    result = _python(code, tmp_path, SUPPORTSCOPE_EXIT_AFTER_START="1")
    assert result.returncode == 0, result.stderr
    log = (tmp_path / "logs" / "supportscope.log").read_text("utf-8")
    assert "window shown: " in log
    assert DEMO_NAME in log.split("window shown: ")[1].splitlines()[0]

"""Supportable: the log file and crash file, the error texts naming them, and the Help menu
(user guide, log folder, About with copyable support details)."""

from __future__ import annotations

import importlib.util
import io
import logging
import subprocess
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication

from cli import commands
from cli.runner import run
from evaluator import logs
from evaluator.version import app_version
from ui import errors, help_dialogs
from ui.help_dialogs import AboutDialog, GuideDialog
from ui.main_window import MainWindow
from ui.settings import AppSettings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "logs"
    monkeypatch.setenv("SUPPORTSCOPE_LOG_DIR", str(folder))
    yield folder
    handler = logs._state.pop("handler", None)  # leave no handler on a deleted folder
    if isinstance(handler, logging.Handler):
        logging.getLogger().removeHandler(handler)
        handler.close()


def test_the_shipped_guide_is_the_readmes_workflows() -> None:
    spec = importlib.util.spec_from_file_location("make_guide", ROOT / "tools" / "make_guide.py")
    assert spec is not None and spec.loader is not None
    make_guide = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_guide)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert help_dialogs.guide_text() == make_guide.guide_from_readme(readme), (
        "ui/help/guide.md is out of date: run python tools/make_guide.py"
    )
    assert "### Committee chair" in help_dialogs.guide_text()
    assert "![" not in help_dialogs.guide_text()  # no images in the window's guide


def test_log_file_rotates_and_setting_up_twice_keeps_one_handler(log_dir: Path) -> None:
    first = logs.setup_logging()
    second = logs.setup_logging()
    assert first == second == log_dir / "supportscope.log"
    ours = [h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]
    assert [h.baseFilename for h in ours] == [str(first)]
    assert ours[0].maxBytes == logs.MAX_BYTES and ours[0].backupCount == logs.KEEP
    logging.getLogger("supportscope.test").warning("a line for support")
    ours[0].flush()
    assert "a line for support" in first.read_text(encoding="utf-8")


def test_a_hard_crash_is_written_to_the_crash_file(tmp_path: Path) -> None:
    folder = tmp_path / "crash-logs"
    code = (
        "import faulthandler; from evaluator.logs import setup_logging; setup_logging(); "
        "faulthandler._sigsegv()"
    )
    env = {"SUPPORTSCOPE_LOG_DIR": str(folder), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True)
    assert done.returncode != 0
    crash = (folder / "crash.log").read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in crash


def test_cli_internal_error_names_the_log_file_holding_the_traceback(
    log_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("the flux capacitor is empty")

    monkeypatch.setitem(commands.HANDLERS, "catalogs", broken)
    err = io.StringIO()
    assert run(["catalogs"], io.StringIO(), err) == 1
    log_file = log_dir / "supportscope.log"
    assert err.getvalue() == (
        "internal error: RuntimeError: the flux capacitor is empty (please report this; the "
        f"details are in {log_file})\n"
    )
    text = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "in broken" in text


def test_the_window_error_box_names_the_log_file(qtbot, log_dir: Path, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(errors, "show_error", lambda _p, text, _t="": shown.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install_excepthook()
    try:
        raise RuntimeError("the flux capacitor is empty")
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert f"The details are in the log file {log_dir / 'supportscope.log'}" in shown[0]
    assert "Help ▸ Open log folder" in shown[0]


def window(qtbot) -> MainWindow:
    main = MainWindow(settings=AppSettings())
    qtbot.addWidget(main)
    return main


def test_help_menu_guide_log_folder_and_about(qtbot, log_dir, tmp_path, monkeypatch) -> None:
    main = window(qtbot)
    assert main.start_page.open_location(str(tmp_path / "help.db"), create=True)
    main.menus.guide.trigger()
    guide = main.findChild(GuideDialog, "guideDialog")
    assert guide is not None and guide.isVisible()
    assert "Committee member: score on a laptop" in guide.browser.toPlainText()
    main.menus.guide.trigger()  # the same guide comes forward, not a second one
    assert len(main.findChildren(GuideDialog)) == 1

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    main.menus.logs.trigger()
    assert [u.toLocalFile() for u in opened] == [str(log_dir)] and log_dir.is_dir()

    about = AboutDialog(main.session.location, main)
    qtbot.addWidget(about)
    details = about.details.toPlainText().splitlines()
    assert details[:3] == [
        f"SupportScope {app_version()}",
        f"Database: {tmp_path / 'help.db'}",
        f"Log file: {log_dir / 'supportscope.log'}",
    ]
    assert any(line.startswith("PySide6 6.") for line in details)
    assert any(line.startswith("SQLAlchemy 2.") for line in details)
    about.copy_button.click()
    assert QGuiApplication.clipboard().text() == about.details.toPlainText()

"""Global options as a user types them (`--db` anywhere, `--version`), when the window opens,
and the one version every place shows."""

from __future__ import annotations

import argparse
import importlib.metadata
import io
from pathlib import Path

import pytest

import main
from cli import run
from cli.parser import build_parser
from criteria.demo import DEMO_NAME
from evaluator import version as version_module
from evaluator.version import app_version, checkout_version

ROOT = Path(__file__).resolve().parents[1]


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def ok(*argv: str) -> str:
    code, out, err = call(*argv)
    assert (code, err) == (0, ""), err
    return out


def evaluations(db: Path) -> list[str]:
    """The names `list` prints for this database (first column)."""
    return [line.split("  ")[0] for line in ok("list", "--db", str(db)).splitlines()]


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_before_or_after_a_command(tmp_path, where):
    db = tmp_path / "portfolio.db"
    argv = ["demo", "--name", "Demo RFP"]
    ok(*(["--db", str(db), *argv] if where == "before" else [*argv, "--db", str(db)]))
    assert evaluations(db) == ["Demo RFP"]


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "{db}", "candidate", "add", "Harbor RFP", "Zephyr Care IT"],
        ["candidate", "--db", "{db}", "add", "Harbor RFP", "Zephyr Care IT"],
        ["candidate", "add", "Harbor RFP", "Zephyr Care IT", "--db", "{db}"],
        ["candidate", "add", "--db", "{db}", "Harbor RFP", "Zephyr Care IT"],
    ],
    ids=["first", "between", "last", "amid-arguments"],
)
def test_db_anywhere_in_a_nested_command(tmp_path, argv):
    db = tmp_path / "harbor.db"
    ok("new", "Harbor RFP", "--catalog", "ehr-direct", "--db", str(db))
    out = ok(*(str(db) if word == "{db}" else word for word in argv))
    assert "Zephyr Care IT" in out
    shown = ok("--db", str(db), "show", "Harbor RFP")
    assert "Zephyr Care IT" in shown


def test_the_last_db_given_wins(tmp_path):
    first, last = tmp_path / "first.db", tmp_path / "last.db"
    ok("--db", str(first), "demo", "--db", str(last))
    assert evaluations(last) == [DEMO_NAME]
    assert not first.exists()


def _leaf_parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [(path, parser)]
    leaves = []
    for name, child in subs[0].choices.items():
        leaves += _leaf_parsers(child, (*path, name))
    return leaves


def test_every_command_takes_db():
    leaves = _leaf_parsers(build_parser())
    assert len(leaves) >= 20  # the walk found the grammar, not an empty tree
    for path, parser in leaves:
        assert "--db" in parser.format_help(), " ".join(path)


def test_version_is_the_package_metadata_version():
    expected = importlib.metadata.version("supportscope")
    assert ok("--version") == f"SupportScope {expected}\n"
    assert ok("--db", "ignored.db", "--version") == f"SupportScope {expected}\n"


def test_version_from_a_checkout_never_installed(monkeypatch):
    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    app_version.cache_clear()
    try:
        assert app_version() == checkout_version(ROOT / "pyproject.toml")
        assert app_version() not in {"", version_module.UNKNOWN}
    finally:
        app_version.cache_clear()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[project]\nname = "x"\nversion = "2.3.4"\n', "2.3.4"),
        ('[project]\nname = "x"\n', "unknown"),
        ("[project]\nversion = 7\n", "unknown"),
        ("not = toml = at all", "unknown"),
    ],
)
def test_checkout_version(tmp_path, text, expected):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(text, "utf-8")
    assert checkout_version(pyproject) == expected
    assert checkout_version(tmp_path / "missing.toml") == "unknown"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (True, None)),
        (["--db", "c.db"], (True, "c.db")),
        (["--db=c.db"], (True, "c.db")),
        (["--db", "c.db", "demo"], (False, None)),
        (["demo", "--db", "c.db"], (False, None)),
        (["--version"], (False, None)),
        (["--help"], (False, None)),
    ],
)
def test_which_words_open_the_window(argv, expected):
    assert main.window_database(argv) == expected


def test_main_with_only_db_opens_the_window_on_it(monkeypatch, tmp_path):
    import ui.app

    opened: list[str | None] = []
    monkeypatch.setattr(ui.app, "run_app", lambda db=None: opened.append(db) or 0)
    db = str(tmp_path / "c.db")
    assert main.main(["--db", db]) == 0
    assert main.main([]) == 0
    assert main.window(["--db", db]) == 0
    assert opened == [db, None, db]
    assert main.main(["--db", db, "demo"]) == 0  # a command: headless, no window
    assert opened == [db, None, db]
    assert evaluations(Path(db)) == [DEMO_NAME]


def test_about_box_shows_the_version(qtbot, monkeypatch):
    from ui import help_dialogs
    from ui.main_window import MainWindow
    from ui.settings import AppSettings

    shown: list[str] = []
    monkeypatch.setattr(
        help_dialogs.AboutDialog, "exec", lambda self: shown.append(self.details.toPlainText())
    )
    window = MainWindow(settings=AppSettings())
    qtbot.addWidget(window)
    (about,) = (
        action
        for menu in window.menuBar().actions()
        for action in menu.menu().actions()
        if action.text() == "&About SupportScope"
    )
    about.trigger()
    assert len(shown) == 1 and shown[0].startswith(f"SupportScope {app_version()}\n")

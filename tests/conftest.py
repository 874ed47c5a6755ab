"""Test-wide set-up: Qt runs offscreen, and nothing touches the user's real data or settings."""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SUPPORTSCOPE_NO_SETTINGS", "1")
_SANDBOX = tempfile.mkdtemp(prefix="supportscope-tests-")
os.environ["SUPPORTSCOPE_DB"] = os.path.join(_SANDBOX, "default.db")
os.environ["SUPPORTSCOPE_CATALOGS"] = os.path.join(_SANDBOX, "catalogs")
os.environ["SUPPORTSCOPE_CONFIG"] = os.path.join(_SANDBOX, "config")
os.environ["SUPPORTSCOPE_LOG_DIR"] = os.path.join(_SANDBOX, "logs")

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

# Qt's own file dialog keeps its history in the "QtProject" settings: in the sandbox too
QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, _SANDBOX)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, _SANDBOX)

from tests import core_fixtures, pg  # noqa: E402


def _backends() -> list[str]:
    """The database back ends to run the `backend` tests on (SUPPORTSCOPE_TEST_BACKENDS narrows)."""
    wanted = os.environ.get("SUPPORTSCOPE_TEST_BACKENDS", "sqlite,postgresql")
    return [name for name in ("sqlite", "postgresql") if name in wanted.split(",")]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests that use the `backend` fixture run once per back end (SQLite-only ones once)."""
    if "backend" in metafunc.fixturenames:
        names = _backends()
        if metafunc.definition.get_closest_marker("sqlite_only"):
            names = [name for name in names if name == "sqlite"]
        metafunc.parametrize("backend", names, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Where `core_fixtures.new_db`, `populated` and `target` put this test's databases."""
    if request.param == "postgresql":
        pg.server()  # skipped (failed in CI) here when no server can be started
    chosen = core_fixtures.Backend(request.param)
    previous = core_fixtures.use_backend(chosen)
    yield chosen
    core_fixtures.use_backend(previous)
    chosen.close()


@pytest.fixture
def pg_url():  # type: ignore[no-untyped-def]
    """The URL of a new, empty database on the session's PostgreSQL server."""
    server = pg.server()
    name = server.database()
    yield server.url(name)
    server.drop(name)


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages the window shows (instead of blocking on a modal box), in order."""
    from ui import errors

    messages: list[str] = []
    monkeypatch.setattr(
        errors, "show_error", lambda _parent, text, _title="": messages.append(text)
    )
    return messages


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    pg.stop_server()

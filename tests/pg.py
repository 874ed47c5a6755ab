"""A throw-away PostgreSQL server for the test session, and a fresh database for each test.

The server is Debian's `postgresql` package (tools/setup.sh --test installs it), started with
`initdb` + `pg_ctl` in a temporary folder on a private port of 127.0.0.1 (trust authentication,
fsync off: nothing in it outlives the run), and stopped when the session ends. PostgreSQL refuses
to run as root, so as root the folder belongs to the `postgres` OS user and the programs run as
that user through `runuser`.

Where no server can be started the PostgreSQL tests are skipped, saying why, except when the
environment variable CI is "true": there they fail, so CI never passes without them.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

SERVER_USER = "postgres"
ADMIN_ROLE = "postgres"
TEMPLATE = "supportscope_template"


def unavailable(reason: str) -> None:
    """Skip the test (fail it in CI) because PostgreSQL cannot be used here."""
    message = f"PostgreSQL tests not run: {reason}"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI must run them)", pytrace=False)
    pytest.skip(message)


def _bin_dir() -> Path | None:
    """The folder of initdb/pg_ctl: pg_config's answer, else Debian's newest version folder."""
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        found = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=True
        ).stdout.strip()
        if (Path(found) / "pg_ctl").exists():
            return Path(found)
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3])
    )
    if versions:
        return Path(versions[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).resolve().parent if on_path else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """One running PostgreSQL server; `database()` hands out fresh databases on it."""

    def __init__(self) -> None:
        self.bin = _bin_dir()
        if self.bin is None:
            raise RuntimeError(
                "no PostgreSQL server programs (install Debian's 'postgresql' package: "
                "bash tools/setup.sh --test does it as root)"
            )
        self.as_root = os.geteuid() == 0
        self.folder = Path(tempfile.mkdtemp(prefix="supportscope-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._names = itertools.count(1)
        self._admin = None
        self.template_ready = False
        if self.as_root:
            try:
                account = pwd.getpwnam(SERVER_USER)
            except KeyError:
                raise RuntimeError(f"running as root and no '{SERVER_USER}' OS user") from None
            os.chown(self.folder, account.pw_uid, account.pw_gid)

    def _run(self, *argv: str) -> None:
        command = [str(self.bin / argv[0]), *argv[1:]]
        if self.as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise RuntimeError(f"{argv[0]} failed: {' '.join(detail)}")

    def start(self) -> None:
        self._run(
            "initdb", "-D", str(self.data), "-U", ADMIN_ROLE, "-A", "trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=400"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self) -> None:
        if self._admin is not None:
            with contextlib.suppress(Exception):
                self._admin.close()
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str, user: str = ADMIN_ROLE, password: str = "") -> str:
        secret = f":{password}" if password else ""
        return f"postgresql+psycopg://{user}{secret}@127.0.0.1:{self.port}/{database}"

    def admin(self):  # type: ignore[no-untyped-def]
        """An autocommit connection to the maintenance database (for CREATE/DROP DATABASE)."""
        if self._admin is None:
            import psycopg

            for attempt in range(50):
                try:
                    self._admin = psycopg.connect(
                        host="127.0.0.1", port=self.port, user=ADMIN_ROLE, dbname="postgres",
                        autocommit=True,
                    )  # fmt: skip
                    break
                except psycopg.OperationalError:
                    if attempt == 49:
                        raise
                    time.sleep(0.1)
        return self._admin

    def database(self, *, migrated: bool = False) -> str:
        """A new database's name: empty, or (faster) a copy of one migrated to the newest schema."""
        name = f"t{next(self._names)}_{os.getpid()}"
        if migrated:
            self._ensure_template()
            self.admin().execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
        else:
            self.admin().execute(f'CREATE DATABASE "{name}"')
        return name

    def drop(self, name: str) -> None:
        with contextlib.suppress(Exception):
            self.admin().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _ensure_template(self) -> None:
        if self.template_ready:
            return
        from evaluator.db import open_database

        self.admin().execute(f'CREATE DATABASE "{TEMPLATE}"')
        open_database(self.url(TEMPLATE)).close()
        self.template_ready = True


_server: Server | None = None
_failure: str | None = None


def server() -> Server:
    """The session's server, started on first use; skips (fails in CI) when it cannot start."""
    global _server, _failure
    if _server is None and _failure is None:
        try:
            import psycopg  # noqa: F401
        except ImportError:
            _failure = "the psycopg driver is not installed (pip install -e '.[test]')"
        else:
            candidate = None
            try:
                candidate = Server()
                candidate.start()
                candidate.admin()
                _server = candidate
            except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
                _failure = str(exc)
                if candidate is not None:
                    candidate.stop()
            except Exception as exc:  # psycopg's errors
                _failure = f"{exc.__class__.__name__}: {exc}"
                if candidate is not None:
                    candidate.stop()
    if _server is None:
        unavailable(_failure or "unknown reason")
    assert _server is not None
    return _server


def stop_server() -> None:
    global _server
    if _server is not None:
        _server.stop()
        _server = None

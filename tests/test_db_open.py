"""Opening a database safely: URLs and passwords (defect 7), network shares (8), damaged files
(9), and mistyped paths (10). Driven through `open_database` and the CLI, as a user would."""

from __future__ import annotations

import io
import os
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from cli import run
from evaluator import netfs
from evaluator.db import DatabaseError, database_url, open_database

SECRET = "hunter2-Secret"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


# ---- defect 7: URLs and passwords -----------------------------------------------------------


def test_supportscope_db_may_be_a_url(monkeypatch):
    url = "postgresql+psycopg://ann@db.example.invalid:5432/committee"
    monkeypatch.setenv("SUPPORTSCOPE_DB", url)
    assert database_url(None) == url
    monkeypatch.setenv("SUPPORTSCOPE_DB", "postgresql://ann@db.example.invalid/committee")
    assert database_url(None) == "postgresql+psycopg://ann@db.example.invalid/committee"


def test_connection_error_never_shows_the_password():
    url = f"postgresql+psycopg://ann:{SECRET}@127.0.0.1:1/committee"
    with pytest.raises(DatabaseError) as caught:
        open_database(url)
    assert SECRET not in str(caught.value) and "127.0.0.1" in str(caught.value)
    code, out, err = cli("list", "--db", url)
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1
    assert SECRET not in out + err and "internal error" not in err


def test_bad_url_never_shows_the_password():
    for url in (f"nosuchdriver://ann:{SECRET}@host/db", f"postgresql+psycopg://ann:{SECRET}@h:x/d"):
        code, _, err = cli("list", "--db", url)
        assert code == 2 and SECRET not in err, err


def test_missing_postgresql_driver_says_which_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now fails
    url = f"postgresql+psycopg://ann:{SECRET}@127.0.0.1:1/committee"
    with pytest.raises(DatabaseError, match=r'pip install "supportscope\[postgres\]"'):
        open_database(url)
    code, _, err = cli("list", "--db", url)
    assert code == 2 and "supportscope[postgres]" in err and "internal error" not in err
    assert SECRET not in err


def test_a_server_database_is_remembered_without_its_password(pg_url):
    from sqlalchemy.engine import make_url

    url = make_url(pg_url).set(password=SECRET).render_as_string(hide_password=False)
    db = open_database(url)  # the test server trusts 127.0.0.1: the password is not needed
    try:
        assert SECRET not in db.url and SECRET not in repr(db.engine.url)
        assert make_url(db.url).database == make_url(pg_url).database
    finally:
        db.close()
    reopened = open_database(db.url)  # as the recent-files list would reopen it
    reopened.close()


# ---- defect 8: network shares -----------------------------------------------------------------

MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 22 0:35 / /mnt/share rw,relatime shared:20 - nfs4 fs.example.invalid:/export rw,vers=4.2
41 40 8:2 / /mnt/share/local rw,relatime shared:21 - ext4 /dev/sdb1 rw
42 22 0:36 / /mnt/my\\040office rw,relatime - cifs //nas.example.invalid/office rw
43 22 0:37 / /home/ann/remote rw,nosuid - fuse.sshfs ann@host.example.invalid:/ rw
"""


def test_network_file_systems_are_found_by_longest_mount_point():
    def kind(path: str) -> str | None:
        return netfs.network_filesystem(path, MOUNTINFO)

    assert kind("/mnt/share/committee.db") == "nfs4"
    assert kind("/mnt/share/deep/er/committee.db") == "nfs4"
    assert kind("/mnt/share/local/committee.db") is None  # a local disk mounted inside
    assert kind("/mnt/shared/committee.db") is None  # a prefix of the name is not a folder
    assert kind("/mnt/my office/committee.db") == "cifs"  # \040 is a space
    assert kind("/home/ann/remote/x.db") == "fuse.sshfs"
    assert kind("/home/ann/x.db") is None
    mounts = "fs:/export /mnt/share nfs rw 0 0\n/dev/sda1 / ext4 rw 0 0\n"  # /proc/mounts
    assert netfs.network_filesystem("/mnt/share/x.db", mounts) == "nfs"


def test_windows_unc_paths_and_remote_drives():
    assert netfs.windows_network(r"\\nas\committee\x.db") == "UNC share"
    assert netfs.windows_network(r"Z:\x.db", drive_type=lambda root: 4) == "network drive"
    assert netfs.windows_network(r"C:\x.db", drive_type=lambda root: 3) is None


def test_sqlite_on_a_network_share_is_refused(tmp_path, monkeypatch):
    share = tmp_path.resolve() / "share"
    share.mkdir()
    table = MOUNTINFO + f"50 22 0:40 / {share} rw - nfs4 fs.example.invalid:/x rw\n"
    monkeypatch.setattr(netfs, "_linux_table", lambda: table)
    if not sys.platform.startswith("linux"):
        pytest.skip("the mount table is read on Linux")
    code, _, err = cli("new", "Harbor RFP", "--catalog", "ehr-direct", "--db", str(share / "c.db"))
    assert code == 2 and "network file system (nfs4)" in err and "PostgreSQL" in err
    assert not (share / "c.db").exists()
    open_database(tmp_path / "local.db").close()  # elsewhere all is well


# ---- defect 9: a damaged file ---------------------------------------------------------------


def _damaged_demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    assert cli("demo", "--db", str(path))[0] == 0
    size = path.stat().st_size
    assert size > 40_000 and not Path(f"{path}-wal").exists()  # checkpointed on close
    with open(path, "r+b") as handle:  # the test damages the file; the app never opens it
        handle.seek((size // 2) // 4096 * 4096)
        handle.write(b"\xa5" * 4096)
    con = sqlite3.connect(path)
    try:
        damaged = con.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    except sqlite3.DatabaseError:  # "database disk image is malformed"
        damaged = True
    con.close()
    assert damaged
    return path


def test_a_damaged_database_refuses_writes_and_names_the_newest_backup(tmp_path):
    path = _damaged_demo(tmp_path)
    older = tmp_path / "demo.db.20261101T090000Z.bak"
    newer = tmp_path / "demo.db.20261130T090000Z.bak"
    for backup, age in ((older, 7200), (newer, 60)):
        backup.write_bytes(b"a backup")
        os.utime(backup, (time.time() - age, time.time() - age))
    before = path.read_bytes()
    code, _, err = cli(
        "score", "Cedar Hollow EHR Support Review", "--db", str(path),
        "--evaluator", "Dr. Mara Ellison", "--candidate", "Orbis Support Co",
        "--criterion", "tiers.l1-helpdesk", "3", "--why", "after the damage",
    )  # fmt: skip
    assert code == 2 and err.count("\n") == 1, err
    assert "damaged" in err and "restore" in err and newer.name in err, err
    assert "try again" not in err
    assert path.read_bytes() == before


def test_a_damaged_database_without_backups_says_so(tmp_path):
    path = _damaged_demo(tmp_path)
    with pytest.raises(DatabaseError, match="damaged") as caught:
        open_database(path)
    assert "none was found" in str(caught.value) and "try again" not in str(caught.value)


def test_a_check_beside_the_read_refuses_the_damaged_file_before_anything_is_trusted(tmp_path):
    """The window checks a file while it reads it (the check reads every page without the
    interpreter lock): the verdict is waited for before what was read is shown, and a write
    on a file whose check failed is refused with the same way out."""
    path = _damaged_demo(tmp_path)
    before = path.read_bytes()
    db = open_database(path, check_meanwhile=True)  # returns at once: the check runs beside
    try:
        with pytest.raises(DatabaseError, match="damaged"):
            db.confirm_integrity()
        assert db.damaged
        with pytest.raises(DatabaseError, match="damaged"), db.transaction():
            pass  # no write transaction begins
    finally:
        db.close()
    assert path.read_bytes() == before
    healthy = tmp_path / "healthy.db"
    assert cli("demo", "--db", str(healthy))[0] == 0
    db = open_database(healthy, check_meanwhile=True)
    db.confirm_integrity()
    assert not db.damaged
    db.close()


def test_the_window_refuses_a_damaged_file_and_keeps_what_was_open(tmp_path, qtbot):
    from ui.session import EvaluationSession

    healthy = tmp_path / "healthy.db"
    assert cli("demo", "--db", str(healthy))[0] == 0
    path = _damaged_demo(tmp_path)
    session = EvaluationSession()
    said: list[str] = []
    session.errorRaised.connect(said.append)
    assert session.open_database(str(healthy)) and session.data is not None
    shown = session.data.id
    assert not session.open_database(str(path))
    assert len(said) == 1 and "damaged" in said[0] and "restore" in said[0], said
    assert session.location == str(healthy) and session.data.id == shown
    session.close_database()


# ---- defect 10: only creating commands create -----------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "Harbor RFP"],
        ["list"],
        ["rank", "Harbor RFP"],
        ["status", "Harbor RFP", "scoring"],
        ["candidate", "add", "Harbor RFP", "Zephyr Care IT"],
    ],
)
def test_a_mistyped_path_creates_nothing(tmp_path, argv):
    missing = tmp_path / "no" / "such" / "x.db"
    code, _, err = cli(*argv, "--db", str(missing))
    assert code == 2
    assert f"no database at {missing}: check the path, or create one with 'new' or 'demo'" in err
    assert not (tmp_path / "no").exists()


def test_creating_commands_create_the_file_and_its_folders(tmp_path):
    path = tmp_path / "new" / "folder" / "x.db"
    assert cli("catalogs", "--db", str(path))[0] == 0 and not (tmp_path / "new").exists()
    assert cli("new", "Harbor RFP", "--catalog", "ehr-direct", "--db", str(path))[0] == 0
    assert path.exists()
    assert cli("show", "Harbor RFP", "--db", str(path))[0] == 0
    assert cli("demo", "--db", str(tmp_path / "d" / "demo.db"))[0] == 0
    with pytest.raises(DatabaseError, match="no database at"):
        open_database(tmp_path / "other" / "y.db", create=False)
    assert not (tmp_path / "other").exists()

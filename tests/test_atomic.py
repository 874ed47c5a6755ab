"""Atomic writes: all or nothing, and ordinary file permissions."""

from __future__ import annotations

import os
import stat

import pytest

from evaluator.atomic import atomic_path, write_text_atomic


def test_success_replaces_and_failure_keeps_old_bytes(tmp_path):
    target = tmp_path / "report.txt"
    write_text_atomic(target, "first")
    with pytest.raises(RuntimeError), atomic_path(target) as temp:
        temp.write_text("half-written")
        raise RuntimeError("renderer crashed")
    assert target.read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]  # no temp file left behind


def test_new_file_gets_umask_permissions_and_existing_keeps_its_own(tmp_path):
    old = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.txt"
        write_text_atomic(fresh, "x")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        fresh.chmod(0o600)
        write_text_atomic(fresh, "y")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        write_text_atomic(tmp_path / "nope" / "x.txt", "x")

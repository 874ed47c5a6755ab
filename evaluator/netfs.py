"""Is a file on a network file system? SQLite's locking is unreliable there (NFS, SMB/CIFS, ...),
so two committee members at one shared file can lose each other's changes: such files are
refused and the committee is pointed to a shared PostgreSQL server instead.

Linux reads the mount table (/proc/self/mountinfo; the longest mount point that contains the
file decides); Windows asks for UNC paths and GetDriveTypeW; macOS asks statfs for the file
system's name. Where none of that works the answer is "not known to be remote" (None).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath, PureWindowsPath

# Linux names in the mount table, and macOS names from statfs
NETWORK_TYPES = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "smb2", "ncpfs", "afs", "9p", "ceph",
        "fuse.sshfs", "sshfs", "davfs", "fuse.davfs2", "webdav", "afpfs", "glusterfs",
        "fuse.glusterfs", "lustre", "gpfs", "fuse.rclone",
    }
)  # fmt: skip
DRIVE_REMOTE = 4  # GetDriveTypeW


def _unescape(field: str) -> str:
    """Mount tables write spaces, tabs, newlines and backslashes in paths as octal escapes."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def parse_mount_table(text: str) -> list[tuple[str, str]]:
    """(mount point, file system type) pairs from /proc/self/mountinfo or /proc/mounts text."""
    mounts: list[tuple[str, str]] = []
    for line in text.splitlines():
        fields = line.split()
        if " - " in line and "-" in fields:  # mountinfo: ... mountpoint ... - fstype source ...
            separator = fields.index("-")
            if len(fields) > max(4, separator + 1):
                mounts.append((_unescape(fields[4]), fields[separator + 1]))
        elif len(fields) >= 3:  # /proc/mounts: source mountpoint fstype options ...
            mounts.append((_unescape(fields[1]), fields[2]))
    return mounts


def filesystem_type(path: str | Path, mounts: list[tuple[str, str]]) -> str | None:
    """The type of the file system `path` lies on: the longest mount point that contains it
    (later mounts over the same point win, as in the kernel)."""
    target = PurePosixPath(path)
    best: tuple[int, str] | None = None
    for mount_point, fstype in mounts:
        point = PurePosixPath(mount_point)
        if target == point or point in target.parents:
            depth = len(point.parts)
            if best is None or depth >= best[0]:
                best = (depth, fstype)
    return best[1] if best else None


def _linux_table() -> str | None:
    for name in ("/proc/self/mountinfo", "/proc/mounts"):
        with contextlib.suppress(OSError):
            return Path(name).read_text(encoding="utf-8", errors="replace")
    return None


def windows_network(path: str, drive_type: Callable[[str], int] | None = None) -> str | None:
    """'UNC share' or 'network drive' for a Windows path on a server; None for a local one."""
    pure = PureWindowsPath(path)
    drive = pure.drive
    if drive.startswith(("\\\\", "//")):
        return "UNC share"
    if not drive:
        return None
    if drive_type is None:
        import ctypes

        drive_type = ctypes.windll.kernel32.GetDriveTypeW  # type: ignore[attr-defined]
    return "network drive" if drive_type(drive + "\\") == DRIVE_REMOTE else None


def _macos_type(path: Path) -> str | None:
    """statfs's f_fstypename (64-bit struct statfs: the name starts at byte 72)."""
    import ctypes
    import ctypes.util

    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    buffer = ctypes.create_string_buffer(4096)
    if libc.statfs(os.fsencode(path), buffer) != 0:
        return None
    return buffer.raw[72:88].split(b"\0", 1)[0].decode("ascii", "replace") or None


def _resolved(path: Path) -> Path:
    """The path with symbolic links resolved as far as it exists (a file not created yet sits
    in a folder that may be a link onto a share)."""
    path = path.absolute()
    for existing in (path, *path.parents):
        if existing.exists():
            return existing.resolve() / path.relative_to(existing)
    return path


def network_filesystem(path: str | Path, mount_table: str | None = None) -> str | None:
    """The network file system `path` is on ('nfs4', 'cifs', 'UNC share', ...), or None.

    `mount_table` replaces the Linux mount table (for tests)."""
    if sys.platform == "win32" and mount_table is None:
        try:
            return windows_network(str(Path(path).absolute()))
        except (OSError, AttributeError, ValueError):
            return None
    resolved = _resolved(Path(path))
    if sys.platform == "darwin" and mount_table is None:
        try:
            kind = _macos_type(resolved)
        except (OSError, AttributeError, ValueError):
            return None
        return kind if kind in NETWORK_TYPES else None
    table = mount_table if mount_table is not None else _linux_table()
    if table is None:
        return None
    kind = filesystem_type(resolved, parse_mount_table(table))
    return kind if kind in NETWORK_TYPES else None

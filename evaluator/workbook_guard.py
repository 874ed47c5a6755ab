"""Open workbooks from the outside world without trusting them.

Questionnaires and scoresheets come back by e-mail from vendors and committee members: renamed,
half-downloaded, saved by the wrong program, or built to hurt. Before openpyxl parses anything,
this module reads the file into memory once (so no handle stays open and the bytes checked are
the bytes parsed), tells the usual wrong files apart from their first bytes
(evaluator/workbook_sniff.py), checks the zip central directory against size, ratio and member
limits, and proves every member expands to exactly what it declares. Each refusal is one
sentence that names the file and says what to do (evaluator/workbook_rejection.py). Cells are
then read only inside explicit bounds, never a sheet's declared dimension
(evaluator/workbook_cells.py).
"""

from __future__ import annotations

import hashlib
import io
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

# bounded cell reads, the refusals and the sniffing of wrong files live in their own modules
from evaluator.live_files import live_database_of
from evaluator.workbook_cells import (
    MAX_COLUMNS,
    MAX_ROWS,
    CellValue,
    HeaderRow,
    find_header_row,
    read_range,
)
from evaluator.workbook_rejection import (
    MB,
    RESAVE,
    SEND_AGAIN,
    WRONG_FILE,
    RejectReason,
    WorkbookRejected,
    parse_rejection,
    size_text,
)
from evaluator.workbook_sniff import (
    EXCEL_SUFFIXES,
    OLE2_MAGIC,
    ZIP_MAGICS,
    is_zip,
    rejection_for_non_zip,
)

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

_CHUNK = 256 * 1024
_R = RejectReason
WORKBOOK_MAIN_TYPES = (
    b"spreadsheetml.sheet.main+xml",
    b"spreadsheetml.template.main+xml",
    b"ms-excel.sheet.macroenabled.main+xml",
    b"ms-excel.template.macroenabled.main+xml",
)
MACRO_NOTICE = "contains macros; macros ignored, only the cell values were read"


@dataclass(frozen=True)
class Limits:
    """What an honest questionnaire or scoresheet never exceeds (a 500-row sheet is ~0.3 MB)."""

    max_file_bytes: int = 30 * MB
    max_members: int = 1_000
    max_member_bytes: int = 50 * MB
    max_total_bytes: int = 150 * MB
    max_ratio: float = 100.0  # uncompressed / compressed
    ratio_grace_bytes: int = 1 * MB  # smaller members may compress better: they cannot hurt


@dataclass(frozen=True)
class WorkbookInfo:
    """What the checks learnt; `sha256` is for the audit log, `notices` are for the user."""

    file_name: str
    size_bytes: int
    sha256: str
    member_count: int
    uncompressed_bytes: int
    has_macros: bool
    notices: tuple[str, ...] = ()


@dataclass
class CheckedWorkbook:
    """A verified workbook (read-only openpyxl) with what the checks found; closes on exit."""

    info: WorkbookInfo
    workbook: Workbook

    def close(self) -> None:
        self.workbook.close()

    def __enter__(self) -> CheckedWorkbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---- the checks before parsing ------------------------------------------------------------


def inspect_workbook(path: Path, limits: Limits = Limits()) -> WorkbookInfo:
    """Check a file from its bytes and zip central directory only; raise WorkbookRejected."""
    path = Path(path)
    return _inspect_bytes(path, _read_file(path, limits), limits)


def _read_file(path: Path, limits: Limits) -> bytes:
    name = path.name or str(path)
    if live_database_of(path) is not None:  # reading it would drop SQLite's locks on it
        raise WorkbookRejected(
            name,
            "belongs to a database in use, not an Excel workbook",
            "choose the filled workbook instead",
            _R.OTHER_FORMAT,
        )
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise WorkbookRejected(
                name, "is a folder, not a file", "choose the workbook file inside it", _R.MISSING
            )
        if not stat.S_ISREG(status.st_mode):
            raise WorkbookRejected(name, "is not a regular file", WRONG_FILE, _R.UNREADABLE)
        if status.st_size > limits.max_file_bytes:
            raise _too_large(name, status.st_size, limits)
        with path.open("rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
    except FileNotFoundError:
        raise WorkbookRejected(
            name,
            "was not found",
            "check the file name and folder, then import it again",
            _R.MISSING,
        ) from None
    except OSError as exc:
        raise WorkbookRejected(
            name,
            f"could not be read ({exc.strerror or exc})",
            "check that you may open it and that no other program holds it, then try again",
            _R.UNREADABLE,
        ) from None
    if not data:
        raise WorkbookRejected(
            name,
            "is empty (0 bytes)",
            "ask the sender for the filled workbook again, then import it",
            _R.EMPTY,
        )
    if len(data) > limits.max_file_bytes:
        raise _too_large(name, len(data), limits)
    return data


def _too_large(name: str, size: int, limits: Limits) -> WorkbookRejected:
    return WorkbookRejected(
        name,
        f"is {size_text(size)}, more than the {size_text(limits.max_file_bytes)} a workbook "
        "here may have",
        "remove pictures and extra sheets in Excel, save it, and import it again",
        _R.TOO_LARGE,
    )


def _inspect_bytes(path: Path, data: bytes, limits: Limits) -> WorkbookInfo:
    if not is_zip(data):
        raise rejection_for_non_zip(path.name, path.suffix, data)
    return _inspect_zip(path.name, data, limits)


def _inspect_zip(name: str, data: bytes, limits: Limits) -> WorkbookInfo:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            total = _check_central_directory(name, infos, limits)
            names = {info.filename for info in infos}
            _reject_other_packages(name, archive, names)
            content_types = _member_head(archive, "[Content_Types].xml").lower()
    except WorkbookRejected:
        raise
    except Exception as exc:  # zipfile, zlib, lzma and bz2 each raise their own errors
        truncated = isinstance(exc, zipfile.BadZipFile) and "not a zip file" in str(exc)
        if truncated:
            problem = "is incomplete (it was probably cut off while downloading or copying)"
            raise WorkbookRejected(name, problem, SEND_AGAIN, _R.TRUNCATED) from None
        problem = "is damaged (its zip structure cannot be read)"
        raise WorkbookRejected(name, problem, SEND_AGAIN, _R.DAMAGED) from None
    if not any(main_type in content_types for main_type in WORKBOOK_MAIN_TYPES):
        raise WorkbookRejected(
            name, "is a zip archive but not an Excel workbook", WRONG_FILE, _R.NOT_WORKBOOK
        )
    has_macros = "xl/vbaProject.bin" in names or b"macroenabled" in content_types
    return WorkbookInfo(
        file_name=name,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        member_count=len(infos),
        uncompressed_bytes=total,
        has_macros=has_macros,
        notices=(f"{name} {MACRO_NOTICE}.",) if has_macros else (),
    )


def _check_central_directory(name: str, infos: list[zipfile.ZipInfo], limits: Limits) -> int:
    """Refuse zip bombs from the declared sizes alone: no byte is decompressed here."""
    if len(infos) > limits.max_members:
        raise _bomb(name, f"holds {len(infos):,} parts (limit {limits.max_members:,})")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise WorkbookRejected(name, "is an encrypted zip archive", SEND_AGAIN, _R.ENCRYPTED)
        if info.file_size > limits.max_member_bytes:
            raise _bomb(
                name,
                f"has a part ({info.filename}) that expands to {info.file_size:,} bytes "
                f"(limit {limits.max_member_bytes:,})",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_grace_bytes and ratio > limits.max_ratio:
            raise _bomb(name, f"has a part ({info.filename}) compressed {ratio:,.0f} to 1")
        total += info.file_size
        if total > limits.max_total_bytes:
            raise _bomb(name, f"expands to more than {size_text(limits.max_total_bytes)}")
    return total


def _bomb(name: str, detail: str) -> WorkbookRejected:
    return WorkbookRejected(
        name, f"was refused as a likely zip bomb because it {detail}", SEND_AGAIN, _R.ZIP_BOMB
    )


def _reject_other_packages(name: str, archive: zipfile.ZipFile, names: set[str]) -> None:
    """Name the zip-based formats people confuse with .xlsx, so the remedy fits."""
    if "mimetype" in names and _member_head(archive, "mimetype").startswith(
        b"application/vnd.oasis.opendocument.spreadsheet"
    ):
        problem = "is an OpenDocument spreadsheet (.ods)"
        raise WorkbookRejected(name, problem, RESAVE, _R.OTHER_FORMAT)
    if "xl/workbook.bin" in names:
        raise WorkbookRejected(name, "is an Excel Binary Workbook (.xlsb)", RESAVE, _R.OTHER_FORMAT)
    for marker, kind in (("word/document.xml", "Word"), ("ppt/presentation.xml", "PowerPoint")):
        if marker in names:
            problem = f"is a {kind} document, not an Excel workbook"
            raise WorkbookRejected(name, problem, WRONG_FILE, _R.NOT_WORKBOOK)


def _member_head(archive: zipfile.ZipFile, member: str, size: int = 256 * 1024) -> bytes:
    """The first bytes of a small member (a substring search, not a parse), or b"" if absent."""
    try:
        with archive.open(member) as handle:
            return handle.read(size)
    except KeyError:
        return b""


def _verify_members(name: str, data: bytes) -> None:
    """Expand every member in bounded steps: none may exceed, or differ from, its declaration.

    Deflated members (all that Excel writes) are inflated here from their raw bytes, stopping
    one step past the declared size, so a member that lies about its size is caught however far
    it would expand. openpyxl then reads these same bytes through zipfile, which never returns
    more than the declared size either.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if info.compress_type == zipfile.ZIP_DEFLATED:
                    produced, crc = _inflate_bounded(_raw_member(data, info), info.file_size)
                else:
                    produced, crc = _read_bounded(archive, info)
                if produced > info.file_size:
                    detail = (
                        f"has a part ({info.filename}) that expands beyond the size it declares"
                    )
                    raise _bomb(name, detail)
                if produced != info.file_size or crc != info.CRC:
                    raise zipfile.BadZipFile(f"{info.filename} does not match its declaration")
    except WorkbookRejected:
        raise
    except Exception:  # zlib, lzma, bz2 and zipfile all have their own errors for bad data
        problem = "is damaged (its contents do not match the sizes and checksums it declares)"
        raise WorkbookRejected(name, problem, SEND_AGAIN, _R.DAMAGED) from None


def _raw_member(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """A member's compressed bytes, located through its local header."""
    start = info.header_offset
    if data[start : start + 4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"{info.filename} has no local header")
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    begin = start + 30 + name_length + extra_length
    return data[begin : begin + info.compress_size]


def _inflate_bounded(raw: bytes, declared: int) -> tuple[int, int]:
    """Size and CRC of what a raw deflate stream expands to, stopping just past `declared`."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = crc = 0
    pending = raw
    while produced <= declared and not inflater.eof:
        chunk = inflater.decompress(pending, _CHUNK)
        pending = inflater.unconsumed_tail
        if not chunk and not pending:
            break  # the input ended before the stream did
        produced += len(chunk)
        crc = zlib.crc32(chunk, crc)
    return produced, crc


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    """The same for other compression methods, via zipfile (which stops at the declared size)."""
    produced = crc = 0
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            produced += len(chunk)
            crc = zlib.crc32(chunk, crc)
    return produced, crc


# ---- opening with openpyxl ------------------------------------------------------------------


def defusedxml_active() -> bool:
    """True when openpyxl parses XML through defusedxml (entity expansion refused)."""
    from openpyxl.xml import DEFUSEDXML, LXML, functions

    def defused(function: Any) -> bool:
        return getattr(function, "__module__", "").startswith("defusedxml")

    return (
        bool(DEFUSEDXML)
        and defused(functions.iterparse)
        and (LXML or defused(functions.fromstring))
    )


def open_workbook_checked(
    path: Path, limits: Limits = Limits(), *, data_only: bool = True
) -> CheckedWorkbook:
    """Check, verify and load a workbook read-only from the very bytes that were checked.

    `data_only=False` gives formula text instead of saved values; an importer uses it to tell
    a formula cell without a saved value from a blank one.
    """
    if not defusedxml_active():
        raise RuntimeError("defusedxml is not active for openpyxl: reinstall defusedxml")
    from openpyxl import load_workbook

    path = Path(path)
    data = _read_file(path, limits)
    info = _inspect_bytes(path, data, limits)
    _verify_members(path.name, data)
    source = _NamedBytes(data, path.name)
    try:
        workbook = load_workbook(source, read_only=True, data_only=data_only, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds of error on hostile XML
        raise parse_rejection(path.name, exc) from None
    from evaluator.workbook_rows import stream_sheets

    stream_sheets(workbook)  # the same rows, without openpyxl's per-cell cost past the bounds
    return CheckedWorkbook(info, workbook)


class _NamedBytes(io.BytesIO):
    """In-memory file with a name: zipfile keeps it as the archive's filename, for messages."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name


def safe_open_workbook(
    path: Path, limits: Limits = Limits(), *, data_only: bool = True
) -> Workbook:
    """The checked read-only openpyxl workbook alone; the caller closes it."""
    return open_workbook_checked(path, limits, data_only=data_only).workbook


# imported only to be re-exported: the guard's import path predates the split
__all__ = [
    "EXCEL_SUFFIXES",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "OLE2_MAGIC",
    "ZIP_MAGICS",
    "CellValue",
    "HeaderRow",
    "find_header_row",
    "read_range",
]

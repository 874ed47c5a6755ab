"""Tell the usual wrong files apart from their first bytes, so a refusal says what the file is.

People send a renamed CSV, a web page saved as .xls, an old Excel 97-2003 workbook, a
password-protected one (an OLE2 container too), or a PDF. `rejection_for_non_zip` names them;
zip-based files (.xlsx and its look-alikes) are checked by evaluator/workbook_guard.py.
"""

from __future__ import annotations

import codecs
import csv

from evaluator.workbook_rejection import RESAVE, WRONG_FILE, RejectReason, WorkbookRejected

_R = RejectReason
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xltx", ".xltm"})
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# Stream names inside an OLE2 container are stored as UTF-16LE.
OLE_ENCRYPTION_STREAMS = tuple(
    n.encode("utf-16-le") for n in ("EncryptionInfo", "EncryptedPackage")
)
OLE_WORKBOOK_STREAMS = tuple(n.encode("utf-16-le") for n in ("Workbook", "Book"))


def is_zip(data: bytes) -> bool:
    return data[:4] in ZIP_MAGICS


def rejection_for_non_zip(name: str, suffix: str, data: bytes) -> WorkbookRejected:
    """Why a file that is not a zip archive cannot be an .xlsx, in the user's words."""
    if data.startswith(OLE2_MAGIC):
        return _ole2_rejection(name, data)
    if data.startswith(b"%PDF"):
        return WorkbookRejected(
            name, "is a PDF document, not an Excel workbook", WRONG_FILE, _R.OTHER_FORMAT
        )
    text = _as_text(data[: 64 * 1024])
    if text is not None:
        return _text_rejection(name, suffix, text)
    return WorkbookRejected(
        name,
        "is not an Excel workbook (its contents are not recognised)",
        WRONG_FILE,
        _R.OTHER_FORMAT,
    )


def _ole2_rejection(name: str, data: bytes) -> WorkbookRejected:
    """Old binary Office files and password-protected OOXML both live in an OLE2 container."""
    if any(stream in data for stream in OLE_ENCRYPTION_STREAMS):
        return WorkbookRejected(
            name,
            "is password-protected",
            "open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt "
            "with Password), save it, and import it again",
            _R.ENCRYPTED,
        )
    if any(stream in data for stream in OLE_WORKBOOK_STREAMS):
        return WorkbookRejected(name, "is an old Excel 97-2003 workbook (.xls)", RESAVE, _R.OLD_XLS)
    return WorkbookRejected(
        name,
        "is an old-format Office document, not an Excel workbook",
        WRONG_FILE,
        _R.OTHER_FORMAT,
    )


def _as_text(sample: bytes) -> str | None:
    """The sample decoded as text, or None when it looks binary."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if sample.startswith(bom):
            return sample[len(bom) :].decode(encoding, errors="replace")
    if b"\x00" in sample:
        return None
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in b"\t\n\r\f")
    if controls > len(sample) // 100:
        return None
    return sample.decode("utf-8", errors="replace")


def _text_rejection(name: str, suffix: str, text: str) -> WorkbookRejected:
    head = text.lstrip("\ufeff \t\r\n")[:4096].lower()
    if head.startswith(("<!doctype html", "<html")) or "<html" in head or "<table" in head:
        return WorkbookRejected(
            name, "is a web page (HTML), not an Excel workbook", RESAVE, _R.HTML
        )
    if "urn:schemas-microsoft-com:office:spreadsheet" in head:
        return WorkbookRejected(name, "is an Excel 2003 XML spreadsheet", RESAVE, _R.OTHER_FORMAT)
    renamed = f"renamed {suffix}" if suffix.lower() in EXCEL_SUFFIXES else "not an Excel workbook"
    delimiter = _csv_delimiter(text)
    if delimiter is not None:
        kind = "a tab-separated text file" if delimiter == "\t" else "a CSV text file"
        return WorkbookRejected(name, f"is {kind} {renamed}", RESAVE, _R.CSV)
    return WorkbookRejected(name, f"is a plain text file, {renamed}", WRONG_FILE, _R.TEXT)


def _csv_delimiter(text: str) -> str | None:
    """The delimiter that splits the first lines into the same number (≥ 2) of fields."""
    lines = [line for line in text.splitlines() if line.strip()][:20]
    if len(lines) < 2:  # one line of prose with a comma is not a table
        return None
    if not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may end mid-line
    for delimiter in (",", ";", "\t"):
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if widths and widths[0] >= 2 and widths.count(widths[0]) >= 0.8 * len(widths):
            return delimiter
    return None

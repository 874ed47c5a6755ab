"""Build the wrong, damaged and hostile files that people send back, in a test's tmp_path.

Each builder writes one file and returns its path; nothing binary is committed. Names are
fictitious vendors.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from datetime import date
from pathlib import Path

from openpyxl import Workbook

SHEET1 = "xl/worksheets/sheet1.xml"
WORKBOOK = "xl/workbook.xml"
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def write_valid_workbook(path: Path, rows: int = 3) -> Path:
    """A small questionnaire as openpyxl writes it: a header row then `rows` answers."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Questionnaire"
    sheet.append(["Question id", "Question", "Answer", "Comment"])
    for number in range(1, rows + 1):
        sheet.append([f"q{number}", f"Question {number}?", number * 10, f"note {number}"])
    sheet["C2"] = 0.35
    sheet["C2"].number_format = "0%"
    if rows >= 2:
        sheet["C3"] = date(2024, 3, 31)
    workbook.save(path)
    return path


def write_csv_renamed(path: Path) -> Path:
    path.write_text(
        "Question id,Question,Answer\nq1,Do you offer 24/7 support?,Yes\nq2,Level 4 staff,12\n"
    )
    return path


def _ole2(stream_names: list[str]) -> bytes:
    """An OLE2 header followed by directory entries naming the given streams (UTF-16LE)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff"
    header = header.ljust(512, b"\x00")
    entries = b""
    for name in ["Root Entry", *stream_names]:
        encoded = (name + "\x00").encode("utf-16-le")
        entry = encoded.ljust(64, b"\x00") + struct.pack("<H", len(encoded))
        entries += entry.ljust(128, b"\x00")
    return header + entries.ljust(512, b"\x00") + bytes(1024)


def write_old_xls(path: Path) -> Path:
    path.write_bytes(_ole2(["Workbook", "\x05SummaryInformation"]))
    return path


def write_encrypted_ooxml(path: Path) -> Path:
    """What Excel writes for a password-protected .xlsx: an OLE2 file with encryption streams."""
    path.write_bytes(_ole2(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"]))
    return path


def write_empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def write_truncated(path: Path) -> Path:
    """A valid workbook cut in half, as an interrupted download leaves it."""
    data = write_valid_workbook(path, rows=50).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def write_zip_bomb(path: Path, member_bytes: int, members: int = 1) -> Path:
    """A workbook-looking zip whose members are `member_bytes` of zeros each, streamed in."""
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        for index in range(members):
            with archive.open(f"xl/worksheets/sheet{index + 1}.xml", "w", force_zip64=True) as out:
                left = member_bytes
                while left > 0:
                    out.write(chunk[: min(left, len(chunk))])
                    left -= len(chunk)
    return path


def write_many_members(path: Path, count: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        for index in range(count):
            archive.writestr(f"xl/media/part{index}.xml", "<a/>")
    return path


def write_not_a_workbook_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("invoice.txt", "Fictitious Vendor Ltd - invoice 42")
        archive.writestr("logo.svg", "<svg/>")
    return path


def write_html_renamed(path: Path) -> Path:
    path.write_text(
        '<html xmlns:o="urn:schemas-microsoft-com:office:office">\n<head><meta charset="utf-8">'
        "</head>\n<body><table><tr><td>q1</td><td>Yes</td></tr></table></body></html>\n"
    )
    return path


def replace_members(source: Path, target: Path, replacements: dict[str, bytes]) -> Path:
    """Copy a zip, replacing or adding members."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename not in replacements:
                new.writestr(info, old.read(info))
        for name, data in replacements.items():
            new.writestr(name, data)
    return target


def with_first_sheet(path: Path, sheet: str) -> Path:
    """A valid workbook at `path` whose first worksheet's XML is replaced by `sheet`."""
    plain = write_valid_workbook(path.with_name("plain-" + path.name))
    return replace_members(plain, path, {SHEET1: sheet.encode()})


def write_macro_workbook(path: Path) -> Path:
    """A normal workbook with a VBA project added, as a .xlsm carries it."""
    plain = write_valid_workbook(path.with_name("plain-" + path.name))
    return replace_members(plain, path, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake vba"})


def write_billion_laughs(path: Path) -> Path:
    """Entities that expand to 10^9 'lol's, in the first worksheet."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        f'<worksheet xmlns="{SHEET_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
        "<is><t>&lol9;</t></is></c></row></sheetData></worksheet>"
    )
    return with_first_sheet(path, sheet)


def write_external_entity(path: Path) -> Path:
    """A workbook part whose sheet name would pull in a local file (XXE)."""
    plain = write_valid_workbook(path.with_name("plain-" + path.name))
    with zipfile.ZipFile(plain) as archive:
        workbook_xml = archive.read(WORKBOOK).decode()
    start = workbook_xml.index("<workbook")
    hostile = '<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + workbook_xml[
        start:
    ].replace('name="Questionnaire"', 'name="&xxe;"')
    assert "&xxe;" in hostile
    return replace_members(plain, path, {WORKBOOK: (workbook_xml[:start] + hostile).encode()})


def write_broken_sheet_data(path: Path) -> Path:
    """Well-formed up to the dimension, broken inside the rows: fails only when cells are read."""
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{SHEET_NS}"><dimension ref="A1:D4"/>'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>q1</t></is></c><c r="B1"'
    )
    return with_first_sheet(path, sheet)


def write_lying_dimension(path: Path, rows: int = 5) -> Path:
    """A sheet that declares the whole grid (A1:XFD1048576) but holds a few rows."""
    cells = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>q{r}</t></is></c><c r="B{r}"><v>{r}</v>'
        "</c></row>"
        for r in range(1, rows + 1)
    )
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{SHEET_NS}"><dimension ref="A1:XFD1048576"/>'
        f'<sheetData>{cells}<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        "</worksheet>"
    )
    return with_first_sheet(path, sheet)


def write_lying_sizes(path: Path, real_bytes: int, declared_bytes: int) -> Path:
    """A workbook whose sheet member declares `declared_bytes` but expands to `real_bytes`.

    The checksum is made to match the declared prefix, so only a reader that counts what it
    decompresses, or a parser that meets the cut-off XML, notices.
    """
    head = f'<?xml version="1.0"?><worksheet xmlns="{SHEET_NS}"><sheetData>'.encode()
    body = head + b" " * (real_bytes - len(head))
    plain = write_valid_workbook(path.with_name("plain-" + path.name))
    replace_members(plain, path, {SHEET1: body})
    return _patch_headers(path, SHEET1, crc=zlib.crc32(body[:declared_bytes]), size=declared_bytes)


def write_bad_checksum(path: Path) -> Path:
    """A valid workbook with one flipped bit in the sheet's declared CRC."""
    write_valid_workbook(path)
    with zipfile.ZipFile(path) as archive:
        crc = archive.getinfo(SHEET1).CRC
    return _patch_headers(path, SHEET1, crc=crc ^ 1)


def _patch_headers(path: Path, member: str, crc: int, size: int | None = None) -> Path:
    """Rewrite a member's CRC (and uncompressed size) in its local and central headers."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    # (signature, offset of the name length, of the name, of the CRC; sizes follow the CRC)
    for signature, length_at, name_at, crc_at in (
        (b"PK\x03\x04", 26, 30, 14),
        (b"PK\x01\x02", 28, 46, 16),
    ):
        header = data.find(signature)
        while header != -1:
            name_length = struct.unpack_from("<H", data, header + length_at)[0]
            if data[header + name_at : header + name_at + name_length] == name:
                struct.pack_into("<I", data, header + crc_at, crc)
                if size is not None:
                    struct.pack_into("<I", data, header + crc_at + 8, size)
            header = data.find(signature, header + 4)
    path.write_bytes(bytes(data))
    return path


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="'
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)


def write_ods_renamed(path: Path) -> Path:
    """A LibreOffice OpenDocument spreadsheet given an .xlsx name."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return path


def write_pdf_renamed(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    return path

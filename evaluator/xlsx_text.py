"""The one safe way to put text into a workbook we write: the report, questionnaire, scoresheet.

Names, justifications and answers come from users and vendors. Written naively, openpyxl turns
a string that starts with "=" into a live formula (a candidate called `=HYPERLINK(...)` becomes
a link in every file sent out), turns "#N/A" into an error value, refuses control characters
with an exception (a pasted BEL in a justification crashed the export) and lets Excel cut text
at 32,767 characters without a word. So:

* `set_text` / `put_text` always write a string cell. Text a spreadsheet would read as a
  formula or an error value (= + - @ tab CR LF, #) gets a quote prefix, so that editing the
  cell in Excel keeps it text; the stored value itself is unchanged (a re-import reads back
  exactly what was written).
* Control characters become their visible Unicode "control pictures" (BEL -> U+2407); CR and
  CRLF become LF, which is what every XML reader makes of them anyway; characters XML cannot
  carry at all (lone surrogates, U+FFFE, U+FFFF) become U+FFFD.
* Text longer than a cell holds is cut with an explicit marker and a cell note.
* Only `set_formula` / `put_formula` write formulas, and only from the code's own text.
* `plain_text` cleans user text bound for places that are not cells: document properties,
  data-validation prompts, page headers and footers.

`stored_text` says what a cell will hold for a given text, so that readers and digests can
compare like with like.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

MAX_CELL_CHARS = 32_767  # Excel's limit, counted in UTF-16 code units
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
TRUNCATION_NOTE = (
    "This text was longer than the 32,767 characters an Excel cell can hold and has been "
    "shortened; the marker at its end says so."
)
NOTE_AUTHOR = "SupportScope"

_NEWLINES_RE = re.compile(r"\r\n?")
# Controls XML 1.0 forbids (all of C0 but TAB, LF, CR), DEL, and what XML cannot carry at all.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNENCODABLE_RE = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _picture(match: re.Match[str]) -> str:
    """U+0000..U+001F become U+2400..U+241F (␀, ␇, ␛...); DEL becomes ␡ (U+2421)."""
    code = ord(match.group(0))
    return "\u2421" if code == 0x7F else chr(0x2400 + code)


def clean_text(text: str) -> str:
    """`text` with every character a workbook cannot show or carry replaced visibly."""
    if text.isprintable():  # fast path: no controls, no surrogates, no line breaks
        return text
    text = _NEWLINES_RE.sub("\n", text)
    text = _CONTROL_RE.sub(_picture, text)
    return _UNENCODABLE_RE.sub("\ufffd", text)


def utf16_length(text: str) -> int:
    """Length as Excel counts it: characters outside the BMP take two units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _cut_utf16(text: str, units: int) -> str:
    """The longest prefix of `text` that takes at most `units` UTF-16 code units."""
    if utf16_length(text) <= units:
        return text
    return text.encode("utf-16-le")[: 2 * units].decode("utf-16-le", errors="ignore")


def fit_text(text: str) -> tuple[str, bool]:
    """`text` within Excel's cell limit; over-long text ends in an explicit marker."""
    if 2 * len(text) <= MAX_CELL_CHARS:  # fast path: a code point is at most 2 UTF-16 units
        return text, False
    length = utf16_length(text)
    if length <= MAX_CELL_CHARS:
        return text, False
    marker = (
        f" [… TRUNCATED: the full text has {length:,} characters, more than a cell holds; "
        "see SupportScope or the PDF report for all of it]"
    )
    return _cut_utf16(text, MAX_CELL_CHARS - utf16_length(marker)) + marker, True


def stored_text(value: object) -> str:
    """Exactly the string a cell holds after `set_text(cell, value)`."""
    return fit_text(clean_text("" if value is None else str(value)))[0]


def needs_quote_prefix(text: str) -> bool:
    """Would a spreadsheet read this as a formula (or an error) when the cell is edited?"""
    return text.startswith(FORMULA_TRIGGERS) or text.startswith("#")


class SafeText(NamedTuple):
    """What a text cell holds for some user text, and how it must be written."""

    text: str  # cleaned, within the cell limit (with a marker when cut)
    quoted: bool  # needs the quote prefix, so that editing it keeps it text
    cut: bool  # shortened: the cell gets a note and the workbook says so


def safe_text(value: object) -> SafeText:
    """The one rule for user text in a cell, whichever library writes the workbook (openpyxl
    here, XlsxWriter in reports/xlsx/cells.py)."""
    text, cut = fit_text(clean_text("" if value is None else str(value)))
    return SafeText(text, needs_quote_prefix(text), cut)


def plain_text(value: object, limit: int | None = None) -> str:
    """User text for a place that is not a cell: cleaned, on one line, at most `limit` chars."""
    text = " ".join(clean_text("" if value is None else str(value)).split())
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text


@dataclass
class Truncations:
    """Cells whose text had to be shortened, so the workbook can say so on its first sheet."""

    cells: list[str] = field(default_factory=list)  # "Sheet!B12"


def set_text(cell: Any, value: object, truncations: Truncations | None = None) -> Any:
    """Write `value` (user text or not) into `cell` as a string cell, whatever it looks like."""
    from openpyxl.comments import Comment

    text, quoted, cut = safe_text(value)
    cell.value = text
    cell.data_type = "s"  # never a formula ("=...") nor an error ("#N/A")
    if quoted:
        cell.quotePrefix = True  # editing the cell in Excel keeps it text
    if cut:
        cell.comment = Comment(TRUNCATION_NOTE, NOTE_AUTHOR)
        if truncations is not None:
            truncations.cells.append(f"{cell.parent.title}!{cell.coordinate}")
    return cell


def put_text(
    ws: Any, row: int, column: int, value: object, truncations: Truncations | None = None
) -> Any:
    """`set_text` on the cell at (row, column)."""
    return set_text(ws.cell(row=row, column=column), value, truncations)


def set_formula(cell: Any, formula: str, number_format: str = "") -> Any:
    """A formula the code wrote itself (references, numbers, its own words; never user text)."""
    if not formula.startswith("="):
        raise ValueError(f"not a formula: {formula!r}")
    cell.value = formula
    if number_format:
        cell.number_format = number_format
    return cell


def put_formula(ws: Any, row: int, column: int, formula: str, number_format: str = "") -> Any:
    """`set_formula` on the cell at (row, column)."""
    return set_formula(ws.cell(row=row, column=column), formula, number_format)


def set_properties(
    workbook: Any, *, title: object = "", subject: object = "", creator: object = NOTE_AUTHOR
) -> None:
    """Document properties (File > Info) of an openpyxl workbook (`document_properties`)."""
    for name, text in document_properties(title=title, subject=subject, creator=creator).items():
        setattr(workbook.properties, name, text)


def document_properties(
    *, title: object = "", subject: object = "", creator: object = NOTE_AUTHOR
) -> dict[str, str]:
    """Title, subject and creator cleaned for File > Info: they may name an evaluation,
    candidate or author, and a control character there would make the whole file unreadable."""
    return {
        "title": plain_text(title, 255),
        "subject": plain_text(subject, 255),
        "creator": plain_text(creator, 255) or NOTE_AUTHOR,
    }


def write_table(
    path: str | Path,
    headers: Sequence[str],
    widths: Sequence[float],
    rows: Iterable[Sequence[object]],
    *,
    sheet_name: str,
    title: str,
    wrap: Container[int] | None = None,
) -> None:
    """A one-sheet workbook of text (the audit trail, an import's problems): bold headers, the
    header row frozen, a filter, every cell through `put_text`, saved through atomic.py.
    `wrap` names the 1-based columns whose text wraps (all when None)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from evaluator.atomic import atomic_path

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    set_properties(workbook, title=title)
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        put_text(sheet, 1, column, header).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    wrapped = Alignment(wrap_text=True, vertical="top")
    count = 0
    for count, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            cell = put_text(sheet, count + 1, column, value)
            if wrap is None or column in wrap:
                cell.alignment = wrapped
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    with atomic_path(path) as temp:
        workbook.save(temp)

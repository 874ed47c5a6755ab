"""Table cells that cost what they show: plain text on one line is drawn as a string.

A reportlab `Paragraph` parses its markup and breaks its lines each time a table measures or
draws it; most of the report's cells are a figure or a short name that fits on one line. Such a
cell is given as `CellText` and `table()` makes it a plain string with its style's font, colour
and alignment as cell style commands, which reportlab draws at the same place: the baseline one
font size below the cell's top padding, rows as high as the style's leading. Text that does not
fit on one line, or has line breaks, becomes the `Paragraph` it would have been.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Table
from reportlab.platypus.paragraph import Paragraph as _Paragraph

_ALIGN = {TA_RIGHT: "RIGHT", TA_CENTER: "CENTER"}  # anything else is drawn from the left
_FIT = 0.001  # points of slack, so that a line a Paragraph would break is never a string


class Paragraph(_Paragraph):
    """reportlab's Paragraph, its lines broken once per width.

    A table measures its cells, a keep-together block its content and the frame each flowable
    again before drawing them: the same paragraph is wrapped to the same width up to five times,
    and breaking lines is most of what a Paragraph costs. The result depends on the width only.
    """

    _wrapped_to: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth == self._wrapped_to and hasattr(self, "blPara"):  # split() may drop it
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_to = availWidth
        return size


@dataclass(frozen=True, slots=True)
class CellText:
    """Plain text (already drawable in the report's font) for a table cell, in `style`."""

    text: str
    style: ParagraphStyle

    def paragraph(self) -> Paragraph:
        return Paragraph(escape(self.text).replace("\n", "<br/>"), self.style)


def _one_line(text: str) -> bool:
    """Text a Paragraph would set exactly as written: no line breaks, no runs of spaces."""
    return bool(text) and text.isprintable() and text == text.strip() and "  " not in text


def table(data: Sequence[Sequence[object]], **options: object) -> Table:
    """A `Table(data, **options)` whose `CellText` cells are strings where they fit on one
    line (see the module), else Paragraphs; in a cell holding a list they are Paragraphs."""
    result = Table(data, **options)  # type: ignore[arg-type]
    widths = result._argW
    styles = result._cellStyles
    commands: list[tuple] = []
    for r, row in enumerate(result._cellvalues):
        for c, cell in enumerate(row):
            if isinstance(cell, CellText):
                row[c] = _settle(cell, widths[c], styles[r][c], (c, r), commands)
            elif isinstance(cell, list):
                row[c] = [x.paragraph() if isinstance(x, CellText) else x for x in cell]
    if commands:
        result.setStyle(merged(commands))
    return result


def _settle(cell: CellText, width: object, cell_style, at: tuple[int, int], commands: list):  # type: ignore[no-untyped-def]
    """The string for `cell` (adding the style commands it needs), or its Paragraph."""
    style, text = cell.style, cell.text
    align = _ALIGN.get(style.alignment, "LEFT")
    indent = style.leftIndent
    plain = isinstance(width, (int, float)) and _one_line(text) and not style.rightIndent
    if not plain or (indent and align != "LEFT"):
        return cell.paragraph()
    room = width - cell_style.leftPadding - cell_style.rightPadding - indent
    if stringWidth(text, style.fontName, style.fontSize) > room - _FIT:
        return cell.paragraph()
    if indent:  # a string starts at the padding: the indent joins it
        commands.append(("LEFTPADDING", at, at, cell_style.leftPadding + indent))
    if (cell_style.fontname, cell_style.fontsize, cell_style.leading) != (
        style.fontName,
        style.fontSize,
        style.leading,
    ):
        commands.append(("FONT", at, at, style.fontName, style.fontSize, style.leading))
    if cell_style.color != style.textColor:
        commands.append(("TEXTCOLOR", at, at, style.textColor))
    if cell_style.alignment.replace("CENTRE", "CENTER") != align:
        commands.append(("ALIGN", at, at, align))
    return text


def merged(commands: Sequence[tuple]) -> list[tuple]:
    """Single-cell commands with equal values down a column merged into one range each."""
    out: list[tuple] = []
    open_runs: dict[tuple, int] = {}  # (op, column, values) -> index in `out` of its last run
    for command in commands:
        op, (c, r), _end, *values = command
        key = (op, c, *values)
        at = open_runs.get(key)
        if at is not None and out[at][2][1] == r - 1:
            out[at] = (op, out[at][1], (c, r), *values)
        else:
            open_runs[key] = len(out)
            out.append(command)
    return out

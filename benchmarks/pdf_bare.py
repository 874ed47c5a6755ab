"""The PDF report's bare baseline: reportlab's platypus writing the same content directly.

`BarePdf(report)` first reads the content out of the report (untimed): the report's sections
are made once and turned into plain data, namely each paragraph's text and style, each table's
grid of cell texts with its column widths and style commands, the charts, spacers and page
breaks. `write(path)` (timed) then does what a developer writing this document straight with
reportlab would do, in one build pass:

- every paragraph a `Paragraph` (markup parsed, lines broken) in the same style;
- every table a `Table` with the same column widths and style commands (header repeated,
  rows split as the report's), nested tables where the report nests them; a cell that is plain
  text on one line is a plain string with its font, colour and alignment as cell style commands
  (what reportlab draws fastest), any other cell a `Paragraph`;
- the same charts: the report's reportlab `Drawing`s themselves (chart widgets holding their
  data; reportlab lays a chart out each time it draws it, so nothing is saved by reusing it);
- the same page breaks, conditional page breaks and keep-togethers, on Letter pages with the
  report's margins, the DejaVu Sans family embedded (subset), a running header and footer
  ("Page N": one pass knows no total) and the DRAFT watermark.

It leaves out what only the app does: computing the figures and sentences from the report data,
bookmarks, the contents' page numbers (blank cells) and "of M" in the footer. The result has the
report's pages: at 50 x 200 x 10 the same 53, identical when rendered but for those numbers.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from reports.pdf import story_parts
from reports.pdf.cells import merged
from reports.pdf.document import COVER_BAND_HEIGHT, HEADER_GAP, MARGIN, PAGE_SIZE
from reports.pdf.styles import MUTED, RULE, make_theme

Spec = tuple  # ("p", text, style) | ("t", TableSpec) | ("keep", [Spec]) | ... (see _spec)


@dataclass
class TableSpec:
    """A table as plain data: cells are strings, paragraph specs or lists of specs."""

    cells: list[list[Any]]
    widths: list[Any]
    heights: list[Any]
    commands: list[tuple]
    repeat_rows: int
    split_in_row: int
    h_align: str


@contextmanager
def _recording_table_styles() -> Iterator[None]:
    """Tables keep their style commands only in processed form: remember them as given."""
    original = Table.setStyle

    def record(self, style):  # type: ignore[no-untyped-def]
        commands = style.getCommands() if hasattr(style, "getCommands") else style
        self._given_commands = [*getattr(self, "_given_commands", []), *commands]
        original(self, style)

    Table.setStyle = record  # type: ignore[method-assign]
    try:
        yield
    finally:
        Table.setStyle = original  # type: ignore[method-assign]


class BarePdf:
    """The report's content as plain data, and reportlab laying it out (see the module)."""

    def __init__(self, report) -> None:  # type: ignore[no-untyped-def]
        theme = make_theme(report.meta.branding)
        width = PAGE_SIZE[0] - 2 * MARGIN
        height = PAGE_SIZE[1] - 2 * MARGIN - 0.15 * 72
        self.styles: dict[int, Any] = {}  # id -> a copy of the style (made before timing)
        with _recording_table_styles():
            flowables = [f for make in story_parts(report, theme, width, height) for f in make()]
        self.specs = [self._spec(f) for f in flowables]
        self.fonts = theme.fonts
        self.accent = theme.accent
        meta = report.meta
        self.header = (meta.evaluation_name, meta.branding.firm_name.strip() or "SupportScope")
        client = f" · {meta.client}" if meta.client else ""
        state = "Final" if meta.is_final else "Draft"
        self.footer = f"Confidential{client} · {state} · {meta.generated_at:%d %b %Y}"
        self.cover_line = getattr(meta, "cover_line", "EHR support evaluation — client report")
        self.draft = not meta.is_final

    # ---- reading the content (untimed) -----------------------------------------------------

    def _style(self, style):  # type: ignore[no-untyped-def]
        return self.styles.setdefault(id(style), copy.copy(style))

    def _spec(self, flowable) -> Spec:  # type: ignore[no-untyped-def]
        if isinstance(flowable, Paragraph):
            return ("p", flowable.text, self._style(flowable.style))
        if isinstance(flowable, Table):
            return ("t", self._table(flowable))
        if isinstance(flowable, KeepTogether):
            return ("keep", [self._spec(f) for f in flowable._content])
        if isinstance(flowable, Drawing):
            return ("d", flowable)  # chart widgets: reportlab lays them out when drawing
        if isinstance(flowable, CondPageBreak):
            return ("cond", flowable.height)
        if isinstance(flowable, PageBreak):
            return ("break",)
        if isinstance(flowable, NextPageTemplate):
            return ("template", flowable.action[1])
        if isinstance(flowable, Spacer):
            return ("space", flowable.width, flowable.height)
        return ("space", 0, 0)  # a page reference: its number is known only at the end

    def _table(self, table) -> TableSpec:  # type: ignore[no-untyped-def]

        added: list[tuple] = []  # the plain cells' font, colour and alignment
        cells: list[list[Any]] = []
        for r, row in enumerate(table._cellvalues):
            out = []
            for c, cell in enumerate(row):
                if isinstance(cell, (list, tuple)):
                    out.append([self._spec(f) for f in cell])
                    continue
                if not isinstance(cell, Paragraph):
                    out.append(self._spec(cell) if not isinstance(cell, str) else cell)
                    continue
                style, text = cell.style, cell.text
                plain = " ".join(html.unescape(text).split())
                column = table._argW[c]
                cell_style = table._cellStyles[r][c]
                room = (
                    column - cell_style.leftPadding - cell_style.rightPadding
                    if isinstance(column, (int, float))
                    else 0
                )
                one_line = "<" not in text and not style.leftIndent and not style.rightIndent
                if one_line and stringWidth(plain, style.fontName, style.fontSize) <= room:
                    align = {TA_RIGHT: "RIGHT", TA_CENTER: "CENTER"}.get(style.alignment, "LEFT")
                    added += [
                        ("FONT", (c, r), (c, r), style.fontName, style.fontSize, style.leading),
                        ("TEXTCOLOR", (c, r), (c, r), style.textColor),
                        ("ALIGN", (c, r), (c, r), align),
                    ]
                    out.append(plain)
                else:
                    out.append(("p", text, self._style(style)))
            cells.append(out)
        return TableSpec(
            cells,
            list(table._argW),
            list(table._argH),
            [*getattr(table, "_given_commands", []), *merged(added)],
            table.repeatRows,
            table.splitInRow,
            table.hAlign,
        )

    # ---- laying it out (timed) -------------------------------------------------------------

    def write(self, path: Path) -> None:

        doc = BaseDocTemplate(
            str(path),
            pagesize=PAGE_SIZE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 0.15 * 72,
            bottomMargin=MARGIN,
            initialFontName=self.fonts.regular,
        )
        w, h = PAGE_SIZE
        cover = Frame(MARGIN, MARGIN, w - 2 * MARGIN, h - 2 * MARGIN - COVER_BAND_HEIGHT)
        body = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height)
        doc.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[cover], onPage=self._cover_page),
                PageTemplate(id="body", frames=[body], onPage=self._body_page),
            ]
        )
        doc.build([self._flowable(spec) for spec in self.specs])

    def _flowable(self, spec: Spec):  # type: ignore[no-untyped-def]
        kind = spec[0]
        if kind == "p":
            return Paragraph(spec[1], spec[2])
        if kind == "t":
            t: TableSpec = spec[1]
            return Table(
                [[self._cell(cell) for cell in row] for row in t.cells],
                colWidths=t.widths,
                rowHeights=t.heights,
                style=t.commands,
                repeatRows=t.repeat_rows,
                splitInRow=t.split_in_row,
                hAlign=t.h_align,
            )
        if kind == "keep":
            return KeepTogether([self._flowable(s) for s in spec[1]])
        if kind == "d":
            return spec[1]
        if kind == "cond":
            return CondPageBreak(spec[1])
        if kind == "break":
            return PageBreak()
        if kind == "template":
            return NextPageTemplate(spec[1])
        return Spacer(spec[1], spec[2])

    def _cell(self, cell):  # type: ignore[no-untyped-def]
        if isinstance(cell, str):
            return cell
        if isinstance(cell, list):
            return [self._flowable(spec) for spec in cell]
        return self._flowable(cell)

    def _watermark(self, canvas) -> None:  # type: ignore[no-untyped-def]

        if not self.draft:
            return
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#9AA5B1"))
        canvas.setFillAlpha(0.13)
        canvas.translate(306, 396)
        canvas.rotate(45)
        canvas.setFont(self.fonts.bold, 130)
        canvas.drawCentredString(0, -45, "DRAFT")
        canvas.restoreState()

    def _cover_page(self, canvas, doc) -> None:  # type: ignore[no-untyped-def]

        w, h = PAGE_SIZE
        canvas.saveState()
        canvas.setFillColor(self.accent)
        canvas.rect(0, h - COVER_BAND_HEIGHT, w, COVER_BAND_HEIGHT, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(self.fonts.bold, 20)
        canvas.drawString(MARGIN, h - COVER_BAND_HEIGHT / 2 + 2, self.header[1])
        canvas.setFont(self.fonts.regular, 10)
        canvas.drawString(MARGIN, h - COVER_BAND_HEIGHT / 2 - 16, self.cover_line)
        canvas.restoreState()
        self._watermark(canvas)

    def _body_page(self, canvas, doc) -> None:  # type: ignore[no-untyped-def]

        w, h = PAGE_SIZE
        canvas.saveState()
        canvas.setFont(self.fonts.bold, 8)
        canvas.setFillColor(self.accent)
        canvas.drawString(MARGIN, h - HEADER_GAP, self.header[0])
        canvas.setFont(self.fonts.regular, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(w - MARGIN, h - HEADER_GAP, self.header[1])
        canvas.setStrokeColor(self.accent)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, h - HEADER_GAP - 5, w - MARGIN, h - HEADER_GAP - 5)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, HEADER_GAP + 10, w - MARGIN, HEADER_GAP + 10)
        canvas.drawString(MARGIN, HEADER_GAP, self.footer)
        canvas.drawRightString(w - MARGIN, HEADER_GAP, f"Page {doc.page}")
        canvas.restoreState()
        self._watermark(canvas)

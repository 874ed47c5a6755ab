"""Building blocks the sections share: headings with bookmarks, data tables, key figures."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Table

from reports.model import ConsensusDecision
from reports.pdf.cells import CellText, Paragraph, table
from reports.pdf.document import Heading
from reports.pdf.styles import RULE, Theme, gate_colour

Cell = Flowable | CellText | str

# The numbered sections: key (for the cover's contents) -> heading.
SECTIONS = {
    "summary": "1  Executive summary",
    "categories": "2  Category comparison",
    "profiles": "3  Candidate profiles",
    "committee": "4  Committee and consensus",
    "sensitivity": "5  Sensitivity of the result",
    "agreement": "6  Committee agreement",
    "method": "Appendix A  Methodology",
    "detail": "Appendix B  Criterion detail",  # only when asked for (write_pdf(appendix=True))
}

# The body reads in an hour at any scale: beyond these sizes it lists the most consequential
# rows and leaves the rest to the workbook and the optional appendix B (sections_detail).
CHARTS_UP_TO = 12  # candidates: beyond, the per-category and profile charts only repeat tables
LISTED_ROWS = 20  # disagreements and consensus decisions listed in section 4
METHOD_ROWS = 60  # criteria tree nodes listed in full in appendix A (else the categories)
RUBRICS_LISTED = 30  # rubrics printed in appendix A (else in appendix B)


def profile_key(number: int) -> str:
    return f"profile-{number}"


def section_heading(theme: Theme, key: str) -> Flowable:
    return heading(theme, SECTIONS[key], 0, key=key)


def heading(
    theme: Theme, title: str, level: int, *, bookmark: bool = True, key: str | None = None
) -> Flowable:
    """A section heading; levels 0 and 1 become PDF bookmarks at the same depth, and a `key`
    lets the contents on the cover show its page number."""
    style = (theme.h1, theme.h2, theme.h3)[min(level, 2)]
    if bookmark and level <= 1:
        return Heading(theme.esc(title), style, level, theme.fonts.drawable(title), key)
    return Paragraph(theme.esc(title), style)


def part(theme: Theme, title: str, *intro: str) -> list[Flowable]:
    """A part's start: on a new page unless two inches are left, its heading, its paragraphs."""
    return [CondPageBreak(2 * 72), heading(theme, title, 1), *(theme.p(text) for text in intro)]


def header_row(
    theme: Theme, titles: Sequence[str], right: Sequence[int] = (), size: float | None = None
) -> list[Cell]:
    style = theme.header_cell
    if size is not None:
        style = style.clone("header_small", fontSize=size, leading=size + 2)
    style_right = style.clone("header_right", alignment=2)
    return [theme.t(title, style_right if i in right else style) for i, title in enumerate(titles)]


def data_table(
    theme: Theme,
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    *,
    right: Sequence[int] = (),
    extra: Sequence[tuple] = (),
    zebra: bool = True,
    header_size: float | None = None,
) -> Table:
    """A table with a repeated header row that may split between rows and inside rows."""
    data = [header_row(theme, header, right, header_size), *[list(row) for row in rows]]
    return table(
        data,
        colWidths=list(widths),
        repeatRows=1,
        splitInRow=1,
        hAlign="LEFT",
        style=theme.table_style(extra, zebra=zebra, rows=len(data)),
    )


def key_figures(
    theme: Theme,
    items: Sequence[tuple[str, str]],
    width: float,
    colours: Sequence[colors.Color | None] = (),
) -> Table:
    """A row of boxed figures: big value above a small label (rank, total, completeness...);
    `colours` may set a value's colour (a gate state's), else the accent colour is used."""
    value_style = theme.cell_bold.clone("figure", fontSize=15, leading=18, textColor=theme.accent)
    label_style = theme.small_muted.clone("figure_label", fontSize=7.5, leading=9)
    column = width / max(1, len(items))
    values, labels = [], []
    for i, (value, label) in enumerate(items):
        colour = colours[i] if i < len(colours) else None
        text = theme.fonts.drawable(value)
        # a long value ("✗ Disqualified") shrinks to stay on one line rather than wrap
        room = column - 18
        size = min(15.0, max(9.0, 15.0 * room / max(1.0, stringWidth(text, theme.fonts.bold, 15))))
        style = value_style.clone(
            "figure_v", fontSize=size, textColor=colour or theme.accent, leading=18
        )
        values.append(theme.t(value, style))
        labels.append(theme.t(label, label_style))
    # the value above its label, as two stacked paragraphs in one cell would be
    return table(
        [values, labels],
        colWidths=[column] * len(items),
        hAlign="LEFT",
        style=[
            theme.font_command,
            ("BACKGROUND", (0, 0), (-1, -1), theme.accent_light),
            ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, 0), 6),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 0),
            ("TOPPADDING", (0, 1), (-1, 1), 0),
            ("BOTTOMPADDING", (0, 1), (-1, 1), 6),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ],
    )


def note(theme: Theme, text: str) -> Paragraph:
    return Paragraph(theme.esc(text), theme.small_muted)


def empty_note(theme: Theme, text: str) -> Table:
    """A quiet box saying that a part has nothing to show, so no section is left blank."""
    return table(
        [[theme.t(text, theme.small_muted)]],
        colWidths=["100%"],
        hAlign="LEFT",
        style=[theme.font_command, ("BOX", (0, 0), (-1, -1), 0.5, RULE)],
    )


def decision_cell(decision: ConsensusDecision, theme: Theme) -> CellText:
    """A consensus decision's value; a gate's as its state: "✗ Failed" in red."""
    state = decision.gate_state
    if state is None:
        return theme.t(decision.value_label, theme.cell_bold)
    style = theme.cell_bold.clone("decision_gate", textColor=gate_colour(state))
    return theme.t(theme.gate_label(state), style)

"""The report's look: colours, paragraph styles, table styles, and safe text for Paragraphs.

Every piece of text that reaches a reportlab Paragraph goes through `esc` (or `rich` for
generated narrative), which escapes markup: a vendor called ``<b>Acme</b> & Co`` is printed as
written, never interpreted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from evaluator.domain import GateState
from evaluator.gates import GATE_LOOKS
from reports.branding import Branding
from reports.model import Narrative
from reports.pdf.cells import CellText, Paragraph
from reports.pdf.fonts import FontSet, report_fonts

INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#5F6B76")
RULE = colors.HexColor("#C9D1D9")
ZEBRA = colors.HexColor("#F4F6F8")


def gate_colour(state: GateState) -> colors.Color:
    """A gate state's colour, from the one table the window uses too (evaluator.gates)."""
    return colors.HexColor(GATE_LOOKS[state].colour)


PASS_COLOUR = gate_colour(GateState.PASSED)
FAIL_COLOUR = gate_colour(GateState.FAILED)
PENDING_COLOUR = gate_colour(GateState.PENDING)

# Category colours for the charts: distinguishable, print-safe, colour-blind friendly (Okabe-Ito
# inspired, darkened for white labels), cycled when there are more categories.
CATEGORY_PALETTE = tuple(
    colors.HexColor(code)
    for code in (
        "#1F4E79",
        "#E69F00",
        "#009E73",
        "#56B4E9",
        "#CC79A7",
        "#D55E00",
        "#0072B2",
        "#8C8C3A",
        "#7F5A9B",
        "#4D4D4D",
    )
)


def mix(colour: colors.Color, other: colors.Color, share: float) -> colors.Color:
    """`share` of `other` blended into `colour` (0 keeps `colour`)."""
    share = min(1.0, max(0.0, share))
    return colors.Color(
        colour.red + (other.red - colour.red) * share,
        colour.green + (other.green - colour.green) * share,
        colour.blue + (other.blue - colour.blue) * share,
    )


def category_colour(index: int) -> colors.Color:
    return CATEGORY_PALETTE[index % len(CATEGORY_PALETTE)]


@dataclass(frozen=True)
class Theme:
    """Colours and styles for one report (the accent colour comes from the branding)."""

    fonts: FontSet
    accent: colors.Color
    accent_light: colors.Color
    body: ParagraphStyle
    small: ParagraphStyle
    small_muted: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    cell_center: ParagraphStyle
    header_cell: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    lead: ParagraphStyle

    def esc(self, text: object) -> str:
        """Plain text made safe for Paragraph markup; line breaks kept as breaks."""
        drawable = self.fonts.drawable(str(text))
        return escape(drawable).replace("\n", "<br/>")

    def gate_mark(self, state: GateState) -> str:
        """A gate state's symbol (✓ ✗ ?), or its plain stand-in when the font lacks it."""
        look = GATE_LOOKS[state]
        return look.symbol if ord(look.symbol) in self.fonts.coverage else look.plain_symbol

    def gate_label(self, state: GateState) -> str:
        """Symbol and label, as a report table shows a gate: "✗ Failed"."""
        return f"{self.gate_mark(state)} {GATE_LOOKS[state].label}"

    def p(self, text: object, style: ParagraphStyle | None = None) -> Paragraph:
        """A Paragraph of plain (escaped) text."""
        return Paragraph(self.esc(text), style or self.body)

    def t(self, text: object, style: ParagraphStyle | None = None) -> CellText:
        """Plain text for a table cell: drawn as a string when it fits on one line."""
        return CellText(self.fonts.drawable(str(text)), style or self.cell)

    def rich(self, narrative: Narrative, style: ParagraphStyle | None = None) -> Paragraph:
        """A Paragraph of generated text: strong spans bold, every span escaped."""
        markup = "".join(
            f"<b>{self.esc(span.text)}</b>" if span.strong else self.esc(span.text)
            for span in narrative
        )
        return Paragraph(markup, style or self.body)

    @property
    def font_command(self) -> tuple:
        """Tables set a cell font even for Paragraph cells: make it ours, not Helvetica."""
        return ("FONT", (0, 0), (-1, -1), self.fonts.regular, 8, 10)

    def table_style(
        self, extra: Sequence[tuple] = (), *, zebra: bool = True, rows: int = 0
    ) -> TableStyle:
        """Header in the accent colour, hairline rules, optional zebra striping."""
        commands: list[tuple] = [
            self.font_command,
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("BACKGROUND", (0, 0), (-1, 0), self.accent),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
        if zebra and rows > 2:
            commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]))
        commands.extend(extra)
        return TableStyle(commands)


def _heading(
    name: str,
    parent: ParagraphStyle,
    font: str,
    size: tuple[float, float],
    colour: colors.Color,
    space: tuple[float, float],
) -> ParagraphStyle:
    """A heading's style: `font` at `size` (font size, leading), `space` before and after;
    kept with what follows, so no heading is stranded at the foot of a page."""
    return ParagraphStyle(
        name,
        parent=parent,
        fontName=font,
        fontSize=size[0],
        leading=size[1],
        textColor=colour,
        spaceBefore=space[0],
        spaceAfter=space[1],
        keepWithNext=1,
    )


def make_theme(branding: Branding) -> Theme:
    fonts = report_fonts()
    accent = colors.HexColor(branding.accent)
    base = ParagraphStyle(
        "body",
        fontName=fonts.regular,
        fontSize=9.5,
        leading=13,
        textColor=INK,
        spaceAfter=5,
    )
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, spaceAfter=2)
    cell = ParagraphStyle("cell", parent=base, fontSize=8, leading=10, spaceAfter=0)
    return Theme(
        fonts=fonts,
        accent=accent,
        accent_light=mix(accent, colors.white, 0.88),
        body=base,
        small=small,
        small_muted=ParagraphStyle("small_muted", parent=small, textColor=MUTED),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=fonts.bold),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        header_cell=ParagraphStyle(
            "header_cell", parent=cell, fontName=fonts.bold, textColor=colors.white
        ),
        h1=_heading("h1", base, fonts.bold, (18, 22), accent, (0, 10)),
        h2=_heading("h2", base, fonts.bold, (12.5, 16), accent, (10, 5)),
        h3=_heading("h3", base, fonts.bold, (10, 13), INK, (8, 3)),
        lead=ParagraphStyle("lead", parent=base, fontSize=10.5, leading=15, spaceAfter=8),
    )

"""Cheap table cells (reports/pdf/cells.py): a plain one-line cell is drawn as a string at the
place and height its Paragraph had; anything else stays a Paragraph; paragraphs break their
lines once per width and still split across pages."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Table

from reports.pdf.cells import CellText, Paragraph, merged, table
from reports.pdf.fonts import report_fonts

FONTS = report_fonts()
CELL = ParagraphStyle("cell", fontName=FONTS.regular, fontSize=8, leading=10)
RIGHT = ParagraphStyle("right", parent=CELL, alignment=TA_RIGHT, textColor=colors.red)
STYLE = [("FONT", (0, 0), (-1, -1), FONTS.regular, 8, 10), ("TOPPADDING", (0, 0), (-1, -1), 3)]


def test_a_one_line_cell_is_a_string_in_its_styles_font_colour_and_alignment():
    made = table(
        [[CellText("Category 1", CELL), CellText("52.7%", RIGHT)]], colWidths=[90, 60], style=STYLE
    )
    assert made._cellvalues[0] == ["Category 1", "52.7%"]
    right = made._cellStyles[0][1]
    assert (right.alignment, right.color, right.fontsize, right.leading) == (
        "RIGHT",
        colors.red,
        8,
        10,
    )
    assert made._cellStyles[0][0].alignment == "LEFT"  # what the table had: no command added


def test_text_that_would_wrap_or_has_line_breaks_stays_a_paragraph():
    long = "A criterion name long enough that it has to wrap inside a narrow column"
    made = table(
        [[CellText(long, CELL), CellText("two\nlines", CELL), CellText("a <b> & c", CELL)]],
        colWidths=[60, 60, 200],
        style=STYLE,
    )
    first, second, third = made._cellvalues[0]
    assert isinstance(first, Paragraph) and isinstance(second, Paragraph)
    assert third == "a <b> & c"  # markup characters in plain text are printed as written
    in_list = table([[[CellText("x", CELL)]]], colWidths=[60], style=STYLE)
    assert isinstance(in_list._cellvalues[0][0][0], Paragraph)


def test_string_rows_are_as_high_as_the_paragraph_rows_they_replace():
    cells = [CellText("Category 1", CELL), CellText("5.3 / 10.5", RIGHT)]
    strings = table([cells, cells], colWidths=[90, 60], style=STYLE)
    paragraphs = Table(
        [[Paragraph(c.text, c.style) for c in cells]] * 2, colWidths=[90, 60], style=STYLE
    )
    assert strings.wrap(150, 500) == paragraphs.wrap(150, 500)
    assert strings._rowHeights == paragraphs._rowHeights


def test_an_indent_becomes_padding():
    indented = ParagraphStyle("indent", parent=CELL, leftIndent=16)
    made = table([[CellText("Criterion c1.1", indented)]], colWidths=[120], style=STYLE)
    assert made._cellvalues[0][0] == "Criterion c1.1"
    assert made._cellStyles[0][0].leftPadding == 6 + 16  # reportlab's default padding is 6


def test_commands_down_a_column_are_merged():
    commands = [("ALIGN", (1, r), (1, r), "RIGHT") for r in range(5)]
    commands.insert(2, ("ALIGN", (2, 2), (2, 2), "RIGHT"))
    assert merged(commands) == [
        ("ALIGN", (1, 0), (1, 4), "RIGHT"),
        ("ALIGN", (2, 2), (2, 2), "RIGHT"),
    ]


def test_a_paragraph_wrapped_again_to_the_same_width_keeps_its_lines_and_still_splits():
    text = " ".join(["word"] * 200)
    paragraph = Paragraph(text, CELL)
    width, height = paragraph.wrap(200, 1000)
    lines = paragraph.blPara
    assert paragraph.wrap(200, 1000) == (width, height) and paragraph.blPara is lines
    assert paragraph.wrap(100, 1000)[1] > height  # a new width breaks the lines again
    first, rest = paragraph.split(100, 50)
    assert first.height <= 50 and rest.wrap(100, 1000)[1] > 0
    assert paragraph.split(100, 5) == []  # no room: the paragraph moves on whole
    assert paragraph.wrap(100, 1000)[1] > height  # and can be laid out again

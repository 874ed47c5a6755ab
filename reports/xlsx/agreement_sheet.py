"""The workbook's Agreement sheet: Kendall's W with its reading, each member's leniency and where
they stand apart, every rated criterion's spread, and the ranking on normalised scores beside the
raw one, labelled as not applied.

Values are stored as the app computed them (not formulas). Names come from users, so every name
goes through the safe writer (`put_text`): text stays text, never a formula.
"""

from __future__ import annotations

from reports.agreement_data import NOT_APPLIED
from reports.model import ReportData
from reports.xlsx import cells
from reports.xlsx.cells import NOTE_FONT, Sheet, Style, Truncations, put_number, put_text

COLUMN_WIDTHS = (40, 12, 12, 14, 12, 12, 60)
Value = str | float | int | None


def write_agreement(ws: Sheet, report: ReportData, accent: Style, cuts: Truncations) -> None:
    section = report.agreement
    assert section is not None  # the sheet is made only for a report that has the section
    cells.title_and_summary(ws, "Committee agreement", section.summary, cuts, COLUMN_WIDTHS)
    ws.height(2, 78)
    put_text(ws, 3, 1, "Kendall's W", look=cells.BOLD)
    put_number(ws, 3, 2, section.w, "0.000")
    put_text(ws, 3, 3, f"{section.w_words} agreement" if section.w_words else "not computed")

    def table(top: int, titles: list[str], rows: list[tuple[Value, ...]], formats: str) -> int:
        """A header at `top` and the rows below it (text through the safe writer, numbers in
        the column's format from `formats`, one letter a column); returns the last row."""
        cells.header(ws, top, titles, accent)
        for row, values in enumerate(rows, start=top + 1):
            for column, value in enumerate(values, start=1):
                if isinstance(value, str):
                    put_text(ws, row, column, value, cuts)
                else:
                    put_number(ws, row, column, value, FORMATS[formats[column - 1]])
        return top + len(rows)

    row = table(5, MEMBER_TITLES, [
        (m.name, m.leniency, m.cells, m.apart_text, None, None, m.apart_detail)
        for m in section.members
    ], "-+-----") + 1  # fmt: skip
    put_text(ws, row, 1, LENIENCY, look=NOTE_FONT)
    put_text(ws, row + 2, 1, "Spread of the members' scores per criterion", look=cells.BOLD)
    flagged = f"Flagged (spread of {section.threshold:g} points or more)"
    row = table(row + 3, ["Criterion", "Cells", "Mean SD", "Mean range", "Max range", flagged], [
        (s.name, s.cells, s.mean_sd, s.mean_range, s.max_range, s.flagged)
        for s in section.spreads
    ], "--22--") + 2  # fmt: skip
    put_text(ws, row, 1, "Ranking on normalised scores (not applied)", look=cells.BOLD)
    put_text(ws, row + 1, 1, NOT_APPLIED, look=NOTE_FONT)
    row = table(row + 2, RANKING_TITLES, [
        (r.name, r.rank, r.total, r.normalised_rank, r.normalised_total,
         "Yes" if r.moved else "No")
        for r in section.ranking
    ], "--p-p-")  # fmt: skip
    if section.ranking_sentence:
        put_text(ws, row + 1, 1, section.ranking_sentence, cuts, NOTE_FONT)
    ws.freeze(6, 2)
    cells.print_setup(ws, 5)


FORMATS = {"-": "", "+": "+0.00;-0.00;0.00", "2": "0.00", "p": cells.POINTS}
MEMBER_TITLES = ["Member", "Leniency (points)", "Cells compared", "Stands apart on", "", "",
                 "Where, by how much (mean distance; signed deviation)"]  # fmt: skip
RANKING_TITLES = ["Candidate", "Rank", "Total", "Normalised rank (not applied)",
                  "Normalised total (not applied)", "Rank changes"]  # fmt: skip
LENIENCY = (
    "Leniency: mean of (the member's score minus the other members' mean) over the cells they "
    "share with a colleague; above 0, more generous than the others."
)

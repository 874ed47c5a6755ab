"""The workbook's Sensitivity sheet: what would flip the winner (every category and criterion),
chances of winning with rank ranges, and the ranking under each weighting set.

Values are stored as the app computed them (not formulas: a simulation cannot be a formula), so
the sheet says which seed reproduces them. Names come from users, so every name goes through the
safe writer (`put_text`, `user_header`): text stays text, never a formula.
"""

from __future__ import annotations

from reports.model import ReportData
from reports.sensitivity_model import SensitivitySection
from reports.xlsx.cells import (
    BOLD,
    NOTE_FONT,
    PERCENT,
    POINTS,
    Sheet,
    Style,
    Truncations,
    header,
    plus,
    print_setup,
    put_number,
    put_text,
    style,
    title_and_summary,
    user_header,
)

FLIP_HEADER = (
    "Category or criterion", "Kind", "Share now", "Raw weight", "Change to flip (points)",
    "Share at flip", "Raw weight at flip", "New leader", "Verdict",
)  # fmt: skip
SHARE_FORMAT = "0.0%"
RAW_FORMAT = "0.###"


def write_sensitivity(ws: Sheet, report: ReportData, accent: Style, cuts: Truncations) -> None:
    section = report.sensitivity
    assert section is not None  # the sheet is made only for a report that has the section
    sizes = [44, 10, 11, 11, 14, 11, 13, 32, 30]
    title_and_summary(ws, "Sensitivity of the result", section.summary, cuts, sizes)
    ws.height(2, 48)
    row = _flips(ws, section, accent, cuts, 4)
    row = _odds(ws, section, accent, cuts, row + 2)
    _sets(ws, section, accent, cuts, row + 2)
    ws.freeze(5, 2)
    print_setup(ws, 4)


def _flips(
    ws: Sheet, section: SensitivitySection, accent: Style, cuts: Truncations, top: int
) -> int:
    header(ws, top, FLIP_HEADER, accent)
    row = top
    for line in section.flips:
        row += 1
        indented = style(indent=2 * line.depth)
        put_text(
            ws, row, 1, line.name, cuts, plus(indented, BOLD) if line.is_category else indented
        )
        put_text(ws, row, 2, "Category" if line.is_category else "Criterion")
        put_number(ws, row, 3, line.weight, SHARE_FORMAT)
        put_number(ws, row, 4, line.raw_weight, RAW_FORMAT)
        put_number(ws, row, 5, line.change_points, "+0.0;-0.0")
        put_number(ws, row, 6, line.flip_weight, SHARE_FORMAT)
        put_number(ws, row, 7, line.flip_raw_weight, RAW_FORMAT)
        put_text(ws, row, 8, line.new_leader, cuts)
        verdict = {"holds": "Holds: no weight of it changes the leader",
                   "alone": "Alone under its parent: its share cannot change"}  # fmt: skip
        put_text(ws, row, 9, verdict.get(line.verdict, ""))
    if not section.flips:
        row += 1
        put_text(ws, row, 1, "No candidate can be ranked, so nothing can flip.", look=NOTE_FONT)
    return row


def _odds(
    ws: Sheet, section: SensitivitySection, accent: Style, cuts: Truncations, top: int
) -> int:
    low, high = section.rank_percentiles
    put_text(ws, top, 1, "Chances of winning and rank ranges", look=BOLD)
    put_text(ws, top + 1, 1, f"{section.settings}. Reproduce with: sensitivity EVAL --draws "
             f"{section.draws} --seed {section.seed}", look=NOTE_FONT)  # fmt: skip
    row = top + 2
    if section.close_call:
        text = (
            f"Close call: {section.leader} ranks first in only "
            f"{100 * (section.leader_chance or 0):.1f}% of the draws (below "
            f"{100 * section.close_call_below:.0f}%)."
        )
        put_text(ws, row, 1, text, cuts, BOLD)
        row += 1
    header(ws, row, ["Candidate", "Chance of ranking first", f"Rank, {low}th percentile",
                     "Median rank", f"Rank, {high}th percentile"], accent)  # fmt: skip
    for line in section.odds:
        row += 1
        put_text(ws, row, 1, line.name, cuts)
        if line.chance is None:
            put_text(ws, row, 2, "Disqualified: not ranked")
            continue
        put_number(ws, row, 2, line.chance, PERCENT)
        put_number(ws, row, 3, line.rank_low)
        put_number(ws, row, 4, line.rank_median)
        put_number(ws, row, 5, line.rank_high)
    return row


def _sets(
    ws: Sheet, section: SensitivitySection, accent: Style, cuts: Truncations, top: int
) -> None:
    put_text(ws, top, 1, "Rankings under each weighting set (rank, then total)", look=BOLD)
    row = top + 1
    header(ws, row, ["Candidate"], accent)
    for i, column in enumerate(section.sets):
        user_header(ws, row, 2 + 2 * i, f"{column.name}: rank", accent, cuts)
        user_header(ws, row, 3 + 2 * i, f"{column.name}: total", accent, cuts)
    for c, name in enumerate(section.candidates):
        row += 1
        put_text(ws, row, 1, name, cuts)
        for i, column in enumerate(section.sets):
            put_number(ws, row, 2 + 2 * i, column.ranks[c])
            put_number(ws, row, 3 + 2 * i, column.totals[c], POINTS)
    row += 1
    put_text(ws, row, 1, section.sets_sentence, cuts)
    for column in section.sets:
        for text in (
            f"{column.name}: {column.note}" if column.note else "",
            f"{column.name} cannot be ranked: {column.error}" if column.error else "",
        ):
            if text:
                row += 1
                put_text(ws, row, 1, text, cuts, NOTE_FONT)

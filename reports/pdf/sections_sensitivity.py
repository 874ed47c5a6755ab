"""Section 5 of the PDF: how robust the result is (what would flip the winner, chances of winning
and rank ranges, the ranking under each stakeholder group's weights). Drawn from
`report.sensitivity` (a report built without it says so in one line)."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table

from reports.model import ReportData
from reports.pdf.blocks import data_table, empty_note, key_figures, note, part, section_heading
from reports.pdf.cells import Paragraph
from reports.pdf.charts import shorten
from reports.pdf.styles import MUTED, PENDING_COLOUR, RULE, Theme, mix
from reports.sensitivity_model import FlipLine, SensitivitySection
from reports.text import NO_VALUE, number, percent, points

FULL_TABLE_LIMIT = 40  # more rows: the categories and the nearest criteria (the workbook has all)
CHART_ROWS = 12
CAPTION_GAP = 8  # points between the chart's axis caption and what follows it
SET_COLUMNS_PER_TABLE = 5


def sensitivity(report: ReportData, theme: Theme, width: float) -> list[Flowable]:
    section = report.sensitivity
    if section is None:
        note_text = "The sensitivity analysis was not run for this report."
        return [section_heading(theme, "sensitivity"), empty_note(theme, note_text), PageBreak()]
    story: list[Flowable] = [
        section_heading(theme, "sensitivity"),
        theme.p(section.summary, theme.lead),
        key_figures(theme, _figures(section), width),
        *_flips(section, theme, width),
        *_odds(section, theme, width),
        *_sets(section, theme, width),
        PageBreak(),
    ]
    return story


def _figures(section: SensitivitySection) -> list[tuple[str, str]]:
    nearest = section.nearest[0] if section.nearest else None
    flip = "None" if nearest is None else f"{abs(nearest.change_points or 0):.1f} pts"
    sets = {True: "Holds", False: "Changes", None: NO_VALUE}[section.holds]
    return [
        (percent(section.leader_chance, 0), "Leader's chance of ranking first"),
        (flip, "Smallest single weight change that flips the winner"),
        (sets, "Winner under every weighting set"),
    ]


def _flips(section: SensitivitySection, theme: Theme, width: float) -> list[Flowable]:
    story = part(
        theme,
        "What would change the winner",
        "For each category and criterion: the smallest change of its weight, its siblings "
        "keeping their proportions, at which another candidate draws level with the leader "
        "and then leads. Changes are in points of the item's share of the whole evaluation.",
    )
    if not section.flips:
        return [*story, empty_note(theme, "No candidate can be ranked, so nothing can flip.")]
    chart = flip_chart(section, theme, width)
    if chart is not None:  # with room under its axis caption before the table's header
        story.extend([chart, Spacer(1, CAPTION_GAP)])
    full = len(section.flips) <= FULL_TABLE_LIMIT
    lines = section.flips if full else _categories_and_nearest(section)
    story.append(_flip_table(lines, theme, width))
    if not full:
        story.append(
            note(
                theme,
                f"Shown: every category and the {len(section.nearest)} criteria whose weight "
                "flips the winner soonest. The workbook's Sensitivity sheet lists every criterion.",
            )
        )
    story.append(
        note(
            theme,
            "Holds: no weight of that item changes the leader. Alone: the only weighted "
            "item under its parent, so its share cannot change.",
        )
    )
    return story


def raw_text(weight: float) -> str:
    """A raw weight at a flip point, short enough for a column: 0.5, 60.5, 1,292."""
    return number(weight, 2 if weight < 10 else 1 if weight < 100 else 0)


def _categories_and_nearest(section: SensitivitySection) -> tuple[FlipLine, ...]:
    keep = {line.key for line in section.nearest}
    return tuple(line for line in section.flips if line.is_category or line.key in keep)


def _flip_table(lines: tuple[FlipLine, ...], theme: Theme, width: float) -> Table:
    rows = []
    for line in lines:
        style = theme.cell_bold if line.is_category else theme.cell
        name = theme.t(line.name, style.clone("indent", leftIndent=8 * line.depth))
        if line.change_points is None:
            change, at, leader = NO_VALUE, NO_VALUE, line.verdict.capitalize()
        else:
            change = f"{line.change_points:+.1f} pts"
            at = f"{percent(line.flip_weight, 1)} (raw {raw_text(line.flip_raw_weight or 0)})"
            leader = line.new_leader
        rows.append(
            [
                name,
                theme.t(percent(line.weight, 1), theme.cell_right),
                theme.t(number(line.raw_weight), theme.cell_right),
                theme.t(change, theme.cell_right),
                theme.t(at, theme.cell_right),
                theme.t(leader),
            ]
        )
    return data_table(
        theme,
        ["Category or criterion", "Share", "Raw", "Change", "Flips at", "New leader"],
        rows,
        [w * width for w in (0.32, 0.08, 0.07, 0.1, 0.19, 0.24)],
        right=(1, 2, 3, 4),
    )


def flip_chart(section: SensitivitySection, theme: Theme, width: float) -> Drawing | None:
    """Bars of the change each flipping item needs (lower to the left, raise to the right),
    nearest first, each labelled with who takes the lead."""
    lines = section.nearest[:CHART_ROWS]
    if not lines:
        return None
    fonts, size, row = theme.fonts, 7.5, 15.0
    label_width = 0.3 * width
    leader_width = 0.22 * width
    plot = width - label_width - leader_width - 12
    reach = max(abs(line.change_points or 0) for line in lines) or 1.0
    height = row * len(lines) + 22
    drawing = Drawing(width, height)
    drawing.initialFontName = fonts.regular
    zero = label_width + plot / 2
    drawing.add(Line(zero, 12, zero, height - 4, strokeColor=MUTED, strokeWidth=0.6))
    for i, line in enumerate(lines):
        y = height - 8 - row * (i + 1)
        length = (line.change_points or 0) / reach * (plot / 2 - 4)
        colour = theme.accent if length > 0 else mix(theme.accent, colors.white, 0.45)
        drawing.add(Rect(min(zero, zero + length), y + 2, abs(length), row - 5,
                         fillColor=colour, strokeColor=None))  # fmt: skip
        name = shorten(fonts.drawable(line.name), fonts.regular, size, label_width - 6)
        drawing.add(String(label_width - 6, y + 4, name, fontName=fonts.regular,
                           fontSize=size, textAnchor="end"))  # fmt: skip
        tag = f"{line.change_points:+.1f}  {line.new_leader}"
        tag = shorten(fonts.drawable(tag), fonts.regular, size, leader_width + plot / 2 - 8)
        x = zero + 4 if length < 0 else zero + length + 4
        drawing.add(String(x, y + 4, tag, fontName=fonts.regular, fontSize=size,
                           fillColor=MUTED))  # fmt: skip
    axis = "Change of share needed (points): lower to the left, raise to the right"
    drawing.add(String(zero, 1, axis, fontName=fonts.regular, fontSize=7, fillColor=MUTED,
                       textAnchor="middle"))  # fmt: skip
    drawing.add(Line(label_width, 10, label_width + plot, 10, strokeColor=RULE, strokeWidth=0.4))
    return drawing


def _odds(section: SensitivitySection, theme: Theme, width: float) -> list[Flowable]:
    low, high = section.rank_percentiles
    story = part(
        theme,
        "Chances of winning and rank ranges",
        "The candidates were re-ranked many times with the weights drawn around the current "
        "ones (a Dirichlet distribution in every group of sibling criteria) and each cell's "
        "committee scores resampled (a bootstrap of the members who scored it). "
        f"Settings: {section.settings}. The same seed gives the same figures "
        f"(sensitivity EVAL --draws {section.draws} --seed {section.seed}).",
    )
    if section.close_call:
        story.append(_close_call_box(section, theme, width))
    rows = [
        [
            theme.t(line.name, theme.cell_bold if line.name == section.leader else theme.cell),
            theme.t(NO_VALUE if line.chance is None else percent(line.chance, 1), theme.cell_right),
            theme.t(_range(line.rank_low, line.rank_high), theme.cell_right),
            theme.t(
                NO_VALUE if line.rank_median is None else str(line.rank_median), theme.cell_right
            ),
        ]
        for line in section.odds
    ]
    if rows:
        story.append(
            data_table(
                theme,
                [
                    "Candidate",
                    "Chance of ranking first",
                    f"Ranks ({low}th to {high}th pct.)",
                    "Median rank",
                ],
                rows,
                [w * width for w in (0.46, 0.18, 0.2, 0.16)],
                right=(1, 2, 3),
            )
        )
    else:
        story.append(empty_note(theme, "No candidates."))
    return story


def _range(low: int | None, high: int | None) -> str:
    if low is None or high is None:
        return "not ranked"
    return str(low) if low == high else f"{low} to {high}"


def _close_call_box(section: SensitivitySection, theme: Theme, width: float) -> Flowable:
    text = (
        f"Close call: {section.leader} ranks first in only "
        f"{percent(section.leader_chance, 0)} of the draws, below the "
        f"{percent(section.close_call_below, 0)} the report treats as a clear result."
    )
    style = theme.cell_bold.clone("close_call", fontSize=9, leading=12)
    return KeepTogether(
        Table(
            [[Paragraph(theme.esc(text), style)]],
            colWidths=[width],
            hAlign="LEFT",
            style=[
                theme.font_command,
                ("BACKGROUND", (0, 0), (-1, -1), mix(PENDING_COLOUR, colors.white, 0.82)),
                ("BOX", (0, 0), (-1, -1), 0.8, PENDING_COLOUR),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ],
        )
    )


def _sets(section: SensitivitySection, theme: Theme, width: float) -> list[Flowable]:
    story = part(
        theme,
        "Rankings under each stakeholder group's weights",
        "Each weighting set is a stakeholder group's own full set of weights (clinical, IT, "
        "finance, ...). The scores stay the same; only the weights change. Each cell shows "
        "the rank and the total.",
    )
    if len(section.sets) <= 1:
        return [*story, empty_note(theme, section.sets_sentence)]
    for start in range(1, len(section.sets), SET_COLUMNS_PER_TABLE):
        columns = [section.sets[0], *section.sets[start : start + SET_COLUMNS_PER_TABLE]]
        rows = [
            [theme.t(name, theme.cell_bold if name == section.leader else theme.cell)]
            + [theme.t(_cell(column, i), theme.cell_right) for column in columns]
            for i, name in enumerate(section.candidates)
        ]
        share = 0.62 / len(columns)
        story.append(
            data_table(
                theme,
                ["Candidate", *(column.name for column in columns)],
                rows,
                [0.38 * width, *([share * width] * len(columns))],
                right=tuple(range(1, len(columns) + 1)),
            )
        )
    story.append(theme.p(section.sets_sentence, theme.body.clone("verdict", spaceBefore=6)))
    notes = [f"{c.name}: {c.note}" for c in section.sets if c.note]
    notes += [f"{c.name} cannot be ranked: {c.error}" for c in section.sets if c.error]
    notes += [
        f"{c.name} does not name {c.missing} criteria added since; they keep their current weight."
        for c in section.sets
        if c.missing
    ]
    story += [note(theme, text) for text in notes]
    return story


def _cell(column, i: int) -> str:  # type: ignore[no-untyped-def]
    rank, total = column.ranks[i], column.totals[i]
    if column.error or rank is None or total is None:
        return NO_VALUE
    return f"{rank}  ({points(total)})"

"""One concise profile per candidate: key figures, categories against the best, strengths and
weaknesses, the gates not passed and key questionnaire answers. About half a page each, so that
50 candidates still read in an hour; each member's scores and justifications are in the workbook
and, when asked for, in appendix B (sections_detail)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from evaluator.domain import GateState
from reports.model import CandidateSection, Contribution, ReportData
from reports.pdf.blocks import (
    CHARTS_UP_TO,
    data_table,
    empty_note,
    heading,
    key_figures,
    profile_key,
    section_heading,
)
from reports.pdf.cells import Paragraph, table
from reports.pdf.charts import candidate_chart
from reports.pdf.styles import FAIL_COLOUR, PASS_COLOUR, Theme, gate_colour, mix
from reports.text import NO_VALUE, percent, points


def profiles_intro(report: ReportData, theme: Theme, appendix: bool = False) -> list[Flowable]:
    return [
        section_heading(theme, "profiles"),
        theme.p(
            "One profile per candidate, in ranking order. Category scores are the share of each "
            "category's points the candidate earned, set against the best qualified candidate. "
            "Strengths are the criteria adding the most points; weaknesses those where the most "
            "points are lost. Criteria not answered or not scored yet are listed apart: they "
            "count as zero in the total but are neither strengths nor weaknesses. Each "
            "member's score and justification, criterion by criterion, is in the Excel "
            "workbook (Scores sheet)"
            + (", and in appendix B." if appendix else "; export with the appendix to print them."),
        ),
    ]


def _figures(section: CandidateSection, theme: Theme, width: float) -> Table:
    row = section.row
    state = row.gate_state
    status = row.status_label if state is None else f"{theme.gate_mark(state)} {row.status_label}"
    return key_figures(
        theme,
        [
            (row.rank_label, "Rank"),
            (points(row.total), "Total points (of 100)"),
            (percent(row.completeness), "Completeness"),
            (status, row.kind_label),
        ],
        width,
        colours=(None, None, None, None if state is None else gate_colour(state)),
    )


COMPACT = (("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5))


def _category_rows(section: CandidateSection, theme: Theme, width: float) -> Table:
    """Compact rows: the category comparison (section 2) names the best candidates."""
    rows = []
    for item in section.categories:
        gap = None
        if item.score is not None and item.best_score is not None:
            gap = item.score - item.best_score
        gap_text = NO_VALUE if gap is None else ("best" if abs(gap) < 1e-9 else percent(gap))
        rows.append(
            [
                theme.t(item.name),
                theme.t(f"{points(item.points)} / {points(item.max_points)}", theme.cell_right),
                theme.t(percent(item.score), theme.cell_right),
                theme.t(percent(item.best_score), theme.cell_right),
                theme.t(gap_text, theme.cell_right),
            ]
        )
    widths = [0.38, 0.2, 0.14, 0.14, 0.14]
    return data_table(
        theme,
        ["Category", "Points", "Score", "Best", "Gap"],
        rows,
        [w * width for w in widths],
        right=(1, 2, 3, 4),
        extra=COMPACT,
    )


def _contribution_cell(items: Sequence[Contribution], theme: Theme, strong: bool) -> list:
    if not items:
        return [theme.p("None to report.", theme.small_muted)]
    cells = []
    for item in items:
        figure = item.points if strong else item.forgone
        verb = "earns" if strong else "forgoes"
        markup = (  # the value and its source are in the workbook's Matrix sheet
            f"<b>{theme.esc(item.name)}</b> <font size=7 color='#5F6B76'>"
            f"{theme.esc(item.category_name)} · {verb} {points(figure)} of "
            f"{points(100 * item.effective_weight)} pts</font>"
        )
        cells.append(Paragraph(markup, theme.cell.clone("highlight", spaceAfter=2)))
    return cells


def _strengths(section: CandidateSection, theme: Theme, width: float) -> Table:
    """Strengths above weaknesses, in one column beside the category table."""
    title = theme.cell_bold.clone("sw_title", fontSize=8.5, spaceAfter=2)
    return table(
        [
            [theme.t("Strengths", title)],
            [_contribution_cell(section.strengths, theme, strong=True)],
            [theme.t("Weaknesses", title)],
            [_contribution_cell(section.weaknesses, theme, strong=False)],
        ],
        colWidths=[width],
        hAlign="LEFT",
        style=[
            theme.font_command,
            ("BACKGROUND", (0, 0), (0, 1), mix(PASS_COLOUR, colors.white, 0.9)),
            ("BACKGROUND", (0, 2), (0, 3), mix(FAIL_COLOUR, colors.white, 0.9)),
            ("LINEBELOW", (0, 1), (0, 1), 3, colors.white),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ],
    )


def _side_by_side(section: CandidateSection, theme: Theme, width: float) -> Table:
    """The category table and the strengths and weaknesses in two columns: half a page."""
    left, right = 0.56 * width, 0.44 * width - 10
    columns: list[Flowable] = []
    if section.categories:
        columns = [
            heading(theme, "Category scores against the best candidate", 2),
            _category_rows(section, theme, left),
        ]
    return Table(
        [
            [
                columns,
                [heading(theme, "Strengths and weaknesses", 2), _strengths(section, theme, right)],
            ]
        ],
        colWidths=[left + 10, right],
        hAlign="LEFT",
        style=[
            theme.font_command,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            *(
                (side, (0, 0), (-1, -1), 0)
                for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING")
            ),
        ],
    )


def _missing(section: CandidateSection, theme: Theme) -> list[Flowable]:
    """Criteria without a value, apart from the weaknesses: missing data is not a weakness."""
    if not section.missing:
        return []
    items = "; ".join(
        f"<b>{theme.esc(item.name)}</b> ({theme.esc(item.reason)}, {points(item.max_points)} pts)"
        for item in section.missing
    )
    return [
        Spacer(1, 4),
        Paragraph(
            f"<b>Not answered or not scored yet</b> (counted as zero, not as weaknesses): {items}.",
            theme.small_muted,
        ),
    ]


def _gates(section: CandidateSection, theme: Theme, width: float) -> list[Flowable]:
    """The gates not passed in a table with their basis; the passed ones named in one line."""
    if not section.gates:
        return [empty_note(theme, "This evaluation has no pass/fail gates.")]
    open_gates = [gate for gate in section.gates if gate.state is not GateState.PASSED]
    passed = "; ".join(gate.name for gate in section.gates if gate.state is GateState.PASSED)
    passed_line = Paragraph(
        f"<b>{theme.esc(theme.gate_label(GateState.PASSED))}:</b> {theme.esc(passed)}.",
        theme.small_muted,
    )
    if not open_gates:
        return [passed_line]
    rows, extra = [], []
    for i, gate in enumerate(open_gates, start=1):
        colour = gate_colour(gate.state)
        style = theme.cell_bold.clone("gate_state", textColor=colour)
        rows.append(
            [
                theme.t(gate.name),
                theme.t(theme.gate_label(gate.state), style),
                theme.t(gate.basis),
            ]
        )
        extra.append(("BACKGROUND", (1, i), (1, i), mix(colour, colors.white, 0.88)))
    table = data_table(
        theme,
        ["Gate", "Result", "Basis"],
        rows,
        [0.38 * width, 0.12 * width, 0.5 * width],
        extra=extra,
    )
    return [table, Spacer(1, 2), passed_line] if passed else [table]


def _key_answers(section: CandidateSection, theme: Theme, width: float) -> Flowable:
    rows = []
    for answer in section.key_answers:
        question = Paragraph(
            f"<b>{theme.esc(answer.criterion_name)}</b><br/><font size=7 color='#5F6B76'>"
            f"{theme.esc(answer.question)}</font>",
            theme.cell,
        )
        rows.append([question, theme.t(answer.answer, theme.cell_bold), theme.t(answer.comment)])
    return data_table(
        theme, ["Question", "Answer", "Comment"], rows, [0.5 * width, 0.25 * width, 0.25 * width]
    )


def candidate_profile(
    report: ReportData,
    section: CandidateSection,
    number: int,
    theme: Theme,
    width: float,
    height: float,
    lead: Sequence[Flowable] = (),
) -> list[Flowable]:
    """Kept on one page where it fits; profiles follow each other without page breaks. `lead`
    (the section's intro) is kept with the profile so it never stands alone on a page."""
    row = section.row
    story: list[Flowable] = [
        *lead,
        heading(theme, f"3.{number}  {row.name}", 1, key=profile_key(number)),
        _figures(section, theme, width),
        Spacer(1, 6),
    ]
    if section.notes.strip():
        story.append(theme.p(section.notes, theme.small_muted))
    story.append(theme.rich(section.overview))
    record = dict(report.track_records).get(row.name)
    if record:
        story += [heading(theme, "Delivered for this client before", 2), theme.p(record)]
    story.append(_side_by_side(section, theme, width))
    if section.categories and len(report.ranking) <= CHARTS_UP_TO:
        story += [Spacer(1, 6), candidate_chart(section, theme, width, height - 30)]
    story += [
        *_missing(section, theme),
        heading(theme, "Gate results", 2),
        *_gates(section, theme, width),
    ]
    if section.key_answers:
        story += [
            heading(theme, "Key questionnaire answers", 2),
            _key_answers(section, theme, width),
        ]
    # A profile that fits on the rest of a page goes there, else on the next (KeepTogether
    # always asks to be split, so none may be nested inside this one).
    return [KeepTogether(story), Spacer(1, 14)]

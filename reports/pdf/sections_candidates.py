"""One profile per candidate: key figures, categories against the best, strengths and weaknesses,
gates, key questionnaire answers, consensus decisions and the committee's justifications."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from reports.model import ABSTAIN, CandidateSection, Contribution, Justification, ReportData
from reports.pdf.blocks import (
    data_table,
    decision_cell,
    empty_note,
    heading,
    key_figures,
    note,
    profile_key,
    section_heading,
)
from reports.pdf.charts import candidate_chart
from reports.pdf.styles import FAIL_COLOUR, PASS_COLOUR, RULE, Theme, gate_colour, mix
from reports.text import NO_VALUE, SOURCE_LABELS, number, percent, points


def profiles_intro(report: ReportData, theme: Theme) -> list[Flowable]:
    return [
        section_heading(theme, "profiles"),
        theme.p(
            "One profile per candidate, in ranking order. Category scores are the share of each "
            "category's points the candidate earned, set against the best qualified candidate. "
            "Strengths are the criteria adding the most points; weaknesses those where the most "
            "points are lost. Criteria not answered or not scored yet are listed apart: they "
            "count as zero in the total but are neither strengths nor weaknesses.",
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


def _category_rows(section: CandidateSection, theme: Theme, width: float) -> Table:
    rows = []
    for item in section.categories:
        gap = None
        if item.score is not None and item.best_score is not None:
            gap = item.score - item.best_score
        gap_text = NO_VALUE if gap is None else ("best" if abs(gap) < 1e-9 else percent(gap))
        rows.append(
            [
                theme.p(item.name, theme.cell),
                Paragraph(f"{points(item.points)} / {points(item.max_points)}", theme.cell_right),
                Paragraph(percent(item.score), theme.cell_right),
                Paragraph(percent(item.best_score), theme.cell_right),
                theme.p(", ".join(item.best_names) or NO_VALUE, theme.cell),
                Paragraph(gap_text, theme.cell_right),
            ]
        )
    widths = [0.29, 0.14, 0.09, 0.09, 0.28, 0.11]
    return data_table(
        theme,
        ["Category", "Points", "Score", "Best", "Best candidate", "Gap"],
        rows,
        [w * width for w in widths],
        right=(1, 2, 3, 5),
    )


def _contribution_cell(items: Sequence[Contribution], theme: Theme, strong: bool) -> list:
    if not items:
        return [theme.p("None to report.", theme.small_muted)]
    cells = []
    for item in items:
        figure = item.points if strong else item.forgone
        verb = "earns" if strong else "forgoes"
        value = NO_VALUE if item.value is None else number(item.value)
        markup = (
            f"<b>{theme.esc(item.name)}</b><br/>"
            f"<font size=7 color='#5F6B76'>{theme.esc(item.category_name)} · value {value} "
            f"({theme.esc(SOURCE_LABELS[item.source])}) · {verb} {points(figure)} of "
            f"{points(100 * item.effective_weight)} pts</font>"
        )
        cells.append(Paragraph(markup, theme.cell.clone("highlight", spaceAfter=4)))
    return cells


def _strengths(section: CandidateSection, theme: Theme, width: float) -> list[Flowable]:
    half = width / 2
    green = mix(PASS_COLOUR, colors.white, 0.9)
    red = mix(FAIL_COLOUR, colors.white, 0.9)
    title = theme.cell_bold.clone("sw_title", fontSize=8.5, spaceAfter=4)
    table = Table(
        [
            [Paragraph("Strengths", title), Paragraph("Weaknesses", title)],
            [
                _contribution_cell(section.strengths, theme, strong=True),
                _contribution_cell(section.weaknesses, theme, strong=False),
            ],
        ],
        colWidths=[half, half],
        hAlign="LEFT",
        style=[
            theme.font_command,
            ("BACKGROUND", (0, 0), (0, -1), green),
            ("BACKGROUND", (1, 0), (1, -1), red),
            ("LINEAFTER", (0, 0), (0, -1), 3, colors.white),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
        ],
    )
    return [table, *_missing(section, theme)]


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


def _gates(section: CandidateSection, theme: Theme, width: float) -> Flowable:
    if not section.gates:
        return empty_note(theme, "This evaluation has no pass/fail gates.")
    rows, extra = [], []
    for i, gate in enumerate(section.gates, start=1):
        colour = gate_colour(gate.state)
        style = theme.cell_bold.clone("gate_state", textColor=colour)
        rows.append(
            [
                theme.p(gate.name, theme.cell),
                Paragraph(theme.esc(theme.gate_label(gate.state)), style),
                theme.p(gate.basis, theme.cell),
            ]
        )
        extra.append(("BACKGROUND", (1, i), (1, i), mix(colour, colors.white, 0.88)))
    return data_table(
        theme,
        ["Gate", "Result", "Basis"],
        rows,
        [0.38 * width, 0.12 * width, 0.5 * width],
        extra=extra,
    )


def _key_answers(section: CandidateSection, theme: Theme, width: float) -> Flowable:
    if not section.key_answers:
        return empty_note(theme, "No questionnaire question is marked as a key answer.")
    rows = []
    for answer in section.key_answers:
        question = Paragraph(
            f"<b>{theme.esc(answer.criterion_name)}</b><br/><font size=7 color='#5F6B76'>"
            f"{theme.esc(answer.question)}</font>",
            theme.cell,
        )
        rows.append(
            [question, theme.p(answer.answer, theme.cell_bold), theme.p(answer.comment, theme.cell)]
        )
    return data_table(
        theme, ["Question", "Answer", "Comment"], rows, [0.5 * width, 0.25 * width, 0.25 * width]
    )


def _decisions(section: CandidateSection, theme: Theme, width: float) -> list[Flowable]:
    if not section.decisions:
        return []
    rows = [
        [
            theme.p(d.criterion_name, theme.cell),
            decision_cell(d, theme),
            theme.p(d.note, theme.cell),
        ]
        for d in section.decisions
    ]
    return [
        heading(theme, "Consensus decisions", 2),
        data_table(
            theme,
            ["Criterion", "Decision", "Note"],
            rows,
            [0.35 * width, 0.13 * width, 0.52 * width],
        ),
    ]


def _justification_intro(section: CandidateSection) -> str:
    text = "Each member's score and reasons, criterion by criterion."
    if section.justifications_omitted:
        text = (
            "Each member's score and reasons for the most heavily weighted criteria and those "
            "where the committee disagreed. The justifications for the other "
            f"{section.justifications_omitted} scored criteria are in the Excel workbook "
            "(Scores sheet)."
        )
    return text


def _justifications(
    section: CandidateSection, theme: Theme, width: float, scale_max: float
) -> list[list[Flowable]]:
    """Per criterion: its name, then each member's score and reasons."""
    if not section.justifications:
        return [[empty_note(theme, "No committee scores recorded for this candidate yet.")]]
    groups: dict[str, list[Justification]] = {}
    for item in section.justifications:
        groups.setdefault(item.criterion_key, []).append(item)
    title_style = theme.cell_bold.clone(
        "justification_title", fontSize=8.5, spaceBefore=6, spaceAfter=2, textColor=theme.accent
    )
    role = theme.small_muted.clone("role", fontSize=7, leading=9, spaceAfter=0)
    story: list[list[Flowable]] = []
    for items in groups.values():
        rows = [
            [
                [theme.p(item.evaluator_name, theme.cell), theme.p(item.evaluator_role, role)],
                ABSTAIN if item.abstained else f"{number(item.value)} / {number(scale_max)}",
                theme.p(item.text.strip() or "(no justification given)", theme.cell),
            ]
            for item in items
        ]
        table = Table(
            rows,
            colWidths=[0.23 * width, 0.11 * width, 0.66 * width],  # room for "abstain"
            splitInRow=1,
            hAlign="LEFT",
            style=[
                theme.font_command,
                ("FONT", (1, 0), (1, -1), theme.fonts.bold, 8),
                ("ALIGN", (1, 0), (1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEABOVE", (0, 0), (-1, 0), 0.6, theme.accent),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ],
        )
        story.append([Paragraph(theme.esc(items[0].criterion_name), title_style), table])
    return story


def candidate_profile(
    report: ReportData,
    section: CandidateSection,
    number: int,
    theme: Theme,
    width: float,
    height: float,
) -> list[Flowable]:
    row = section.row
    story: list[Flowable] = [
        heading(theme, f"3.{number}  {row.name}", 1, key=profile_key(number)),
        _figures(section, theme, width),
        Spacer(1, 8),
    ]
    if section.notes.strip():
        story.append(theme.p(section.notes, theme.small_muted))
    story.append(theme.rich(section.overview))
    if section.categories:
        story += [
            heading(theme, "Category scores against the best candidate", 2),
            _category_rows(section, theme, width),
            Spacer(1, 6),
            candidate_chart(section, theme, width, height - 30),
        ]
    story += [
        CondPageBreak(1.6 * 72),
        KeepTogether(
            [heading(theme, "Strengths and weaknesses", 2), *_strengths(section, theme, width)]
        ),
        CondPageBreak(1.2 * 72),
        heading(theme, "Gate results", 2),
        _gates(section, theme, width),
        CondPageBreak(1.2 * 72),
        heading(theme, "Key questionnaire answers", 2),
        _key_answers(section, theme, width),
        *_decisions(section, theme, width),
    ]
    groups = _justifications(section, theme, width, report.meta.scale.maximum)
    intro = [
        heading(theme, "Committee justifications", 2),
        note(theme, _justification_intro(section)),
    ]
    # A heading never ends a page alone, and a short group is never split from its title.
    story.append(KeepTogether(intro + groups[0]))
    story += [KeepTogether(group) for group in groups[1:]]
    story.append(PageBreak())
    return story

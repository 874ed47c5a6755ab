"""Section 6 of the PDF: how the committee agrees. Kendall's W with its reading, each member's
leniency and where they stand apart, the criteria whose scores spread most, and the ranking on
normalised scores beside the raw one, labelled as not applied. Drawn from `report.agreement`;
kept to a page or two at committee scale (the workbook's Agreement sheet has every criterion and
candidate)."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, PageBreak

from reports.agreement_data import NOT_APPLIED, AgreementSection, signed
from reports.model import ReportData
from reports.pdf.blocks import data_table, empty_note, heading, key_figures, note, section_heading
from reports.pdf.cells import Paragraph
from reports.pdf.styles import Theme
from reports.text import NO_VALUE, number, points

RANKS_SHOWN = 10  # candidates in the top ten of either ranking are listed


def agreement(report: ReportData, theme: Theme, width: float) -> list[Flowable]:
    section = report.agreement
    if section is None:
        text = "How the members agree is measured for a committee of two members or more."
        return [section_heading(theme, "agreement"), empty_note(theme, text), PageBreak()]
    return [
        section_heading(theme, "agreement"),
        theme.p(section.summary, theme.lead),
        key_figures(theme, _figures(section), width),
        *_members(section, theme, width),
        *_widest(section, theme, width),
        *_ranking(section, theme, width),
        PageBreak(),
    ]


def _figures(section: AgreementSection) -> list[tuple[str, str]]:
    w = NO_VALUE if section.w is None else f"{section.w:.2f}"
    flagged = sum(s.flagged for s in section.spreads)
    cells = sum(s.cells for s in section.spreads)
    moved = sum(1 for line in section.ranking if line.moved)
    return [
        (w, f"Kendall's W: {section.w_words} agreement" if section.w_words else "Kendall's W"),
        (f"{flagged} of {cells}", f"Cells spread by {number(section.threshold)} points or more"),
        (str(moved), "Candidates whose rank normalising would change (not applied)"),
    ]


def _members(section: AgreementSection, theme: Theme, width: float) -> list[Flowable]:
    rows = [
        [
            theme.t(m.name),
            theme.t(NO_VALUE if m.leniency is None else signed(m.leniency), theme.cell_right),
            theme.t(str(m.cells), theme.cell_right),
            theme.t(m.apart_text or NO_VALUE),
        ]
        for m in section.members
    ]
    return [
        *_opening(theme, "Members: leniency and where they stand apart"),
        note(
            theme,
            "Leniency: the mean of (the member's score minus the other members' mean) over the "
            "cells (candidate and criterion) they share with a colleague; above 0 they score "
            "higher than the others. Stands apart on: the criteria where their scores are "
            "furthest from the others' on average, with the direction in points.",
        ),
        data_table(
            theme,
            ["Member", "Leniency", "Cells", "Stands apart on"],
            rows,
            [w * width for w in (0.24, 0.11, 0.09, 0.56)],
            right=(1, 2),
        ),
    ]


def _widest(section: AgreementSection, theme: Theme, width: float) -> list[Flowable]:
    story = _opening(theme, "Where the members' scores spread most")
    if not section.widest:
        return [*story, empty_note(theme, "No criterion has two members' differing scores yet.")]
    rows = [
        [
            theme.t(s.name),
            theme.t(str(s.cells), theme.cell_right),
            theme.t(_two(s.mean_sd), theme.cell_right),
            theme.t(_two(s.mean_range), theme.cell_right),
            theme.t(NO_VALUE if s.max_range is None else number(s.max_range), theme.cell_right),
            Paragraph(_bold(str(s.flagged), s.flagged > 0), theme.cell_right),
        ]
        for s in section.widest
    ]
    rated = len(section.spreads)
    shown = "every criterion" if len(section.widest) == rated else (
        f"the {len(section.widest)} of {rated} criteria with the widest spread"
    )  # fmt: skip
    return [
        *story,
        data_table(
            theme,
            ["Criterion", "Cells", "Mean SD", "Mean range", "Max range", "Flagged"],
            rows,
            [w * width for w in (0.44, 0.09, 0.11, 0.13, 0.12, 0.11)],
            right=(1, 2, 3, 4, 5),
        ),
        note(
            theme,
            f"Shown: {shown}, by the mean standard deviation of the members' scores per "
            f"candidate. Flagged: candidates whose scores spread by {number(section.threshold)} "
            "points or more (the consensus agenda's threshold). The workbook's Agreement sheet "
            "lists every criterion.",
        ),
    ]


def _ranking(section: AgreementSection, theme: Theme, width: float) -> list[Flowable]:
    story = _opening(theme, "Ranking on normalised scores (not applied)")
    story.append(
        theme.p(
            "Each member's scores as z-scores (their own mean and spread) mapped back to the "
            "scale with the committee's pooled mean and spread: the ranking if no member were "
            f"more generous or stricter than the others. {NOT_APPLIED}"
        )
    )
    beyond = RANKS_SHOWN + 1
    top = [
        line
        for line in section.ranking
        if min(line.rank or beyond, line.normalised_rank or beyond) <= RANKS_SHOWN
    ]
    if not top:
        return [*story, empty_note(theme, "No candidate can be ranked yet.")]
    rows = [
        [
            theme.t(line.name),
            theme.t(_rank(line.rank), theme.cell_right),
            theme.t(points(line.total), theme.cell_right),
            Paragraph(_bold(_rank(line.normalised_rank), line.moved), theme.cell_right),
            theme.t(points(line.normalised_total), theme.cell_right),
        ]
        for line in top
    ]
    story.append(
        data_table(
            theme,
            ["Candidate", "Rank", "Total", "Normalised rank (not applied)", "Normalised total"],
            rows,
            [w * width for w in (0.4, 0.1, 0.12, 0.22, 0.16)],
            right=(1, 2, 3, 4),
        )
    )
    if len(top) < len(section.ranking):
        story.append(
            note(
                theme,
                f"Shown: the candidates in the top {RANKS_SHOWN} of either ranking; the "
                "workbook's Agreement sheet lists them all.",
            )
        )
    return story


def _opening(theme: Theme, title: str) -> list[Flowable]:
    """A part's heading, on a new page when too little of this one is left for its start."""
    return [CondPageBreak(1.5 * 72), heading(theme, title, 1)]


def _two(value: float | None) -> str:
    return NO_VALUE if value is None else f"{value:.2f}"


def _rank(rank: int | None) -> str:
    return NO_VALUE if rank is None else str(rank)


def _bold(figure: str, bold: bool) -> str:
    """A figure (digits, never user text) set in bold where it deserves the eye."""
    return f"<b>{figure}</b>" if bold else figure

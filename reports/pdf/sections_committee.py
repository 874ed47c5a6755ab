"""Section 4 of the PDF: the committee (who, declarations with dates, submissions, excuses),
the process record (phases, the chair's looks at live results, finalisation, reopening, with
reasons), where the committee disagreed, and its consensus decisions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from reportlab.platypus import CondPageBreak, Flowable, PageBreak

from reports.model import (
    ABSTAIN,
    CommitteeMember,
    ConsensusDecision,
    DisagreementItem,
    ProcessEvent,
    ReportData,
)
from reports.pdf.blocks import (
    LISTED_ROWS,
    data_table,
    decision_cell,
    empty_note,
    heading,
    note,
    section_heading,
)
from reports.pdf.cells import CellText, Paragraph
from reports.pdf.styles import Theme
from reports.text import NO_VALUE, number

WHEN = "%Y-%m-%d %H:%M"
MUTED = "#5F6B76"
# steps a challenge looks for first: set in bold in the process record
MARKED_STEPS = {"live view", "finalise", "reopen"}
T = TypeVar("T", DisagreementItem, ConsensusDecision)


def when(moment: datetime | None) -> str:
    """A UTC time as the report prints it (the column headers say UTC)."""
    return NO_VALUE if moment is None else f"{moment:{WHEN}}"


def committee(
    report: ReportData, theme: Theme, width: float, appendix: bool = False
) -> list[Flowable]:
    chair = f" The chair is {report.chair}." if report.chair else ""
    story: list[Flowable] = [
        section_heading(theme, "committee"),
        theme.p(
            "Who scored, in what role, what each member declared about conflicts of interest "
            "and when (every declaration is kept: a member who declared again is listed with "
            "the earlier declarations too), and when each submitted their scores or why the "
            "chair excused them. Every score is kept with its justification (in the workbook's "
            f"Scores sheet); an abstention reads '{ABSTAIN}' and counts in no aggregate.{chair}"
        ),
        _members(report, theme, width),
        CondPageBreak(1.5 * 72),
        *process_record(report, theme, width),
        CondPageBreak(1.5 * 72),
        *_disagreements(report, theme, width, appendix),
        CondPageBreak(1.5 * 72),
        *_decisions(report, theme, width, appendix),
        PageBreak(),
    ]
    return story


def _members(report: ReportData, theme: Theme, width: float) -> Flowable:
    if not report.committee:
        return empty_note(theme, "No committee members recorded.")
    rows = [
        [
            Paragraph(
                f"<b>{theme.esc(m.name)}</b><br/>"
                f"<font size=7 color='{MUTED}'>{theme.esc(m.role or 'no role given')}</font>",
                theme.cell,
            ),
            _declarations(m, theme),
            Paragraph(_scores(m), theme.cell_right),
            _submission(m, theme),
        ]
        for m in report.committee
    ]
    return data_table(
        theme,
        ["Member", "Conflict-of-interest declarations (UTC)", "Scores", "Submitted (UTC)"],
        rows,
        [w * width for w in (0.22, 0.46, 0.12, 0.20)],
        right=(2,),
    )


def _declarations(member: CommitteeMember, theme: Theme) -> Paragraph | CellText:
    if not member.declarations:
        fallback = member.conflict_of_interest or "Not declared"
        return theme.t(fallback)
    lines = []
    for line in member.declarations:
        text = f"<b>{when(line.at)}</b>  {theme.esc(line.text)}"
        if not line.current:
            text = f"<font color='{MUTED}'>{text} (earlier)</font>"
        lines.append(text)
    return Paragraph("<br/>".join(lines), theme.cell)


def _scores(member: CommitteeMember) -> str:
    text = str(member.scores_given)
    if member.abstentions:
        text += f"<br/><font size=7 color='{MUTED}'>{member.abstentions} abstained</font>"
    return text


def _submission(member: CommitteeMember, theme: Theme) -> Paragraph:
    parts = []
    if member.submitted:
        parts.append(theme.esc(when(member.submitted_at)) if member.submitted_at else "Submitted")
    if member.excused:
        parts.append(f"<b>Excused:</b> {theme.esc(member.excused)}")
    if not parts:
        parts.append(f"<font color='{MUTED}'>Not submitted</font>")
    return Paragraph("<br/>".join(parts), theme.cell)


def process_record(report: ReportData, theme: Theme, width: float) -> list[Flowable]:
    story: list[Flowable] = [
        heading(theme, "Process record", 1),
        theme.p(
            "Each step of the committee process as the audit trail records it: the phases, the "
            "chair's looks at live results while members scored blind, excuses, reopened "
            "scoresheets, finalisation and reopening, with who, when (UTC), from where and why."
        ),
    ]
    if report.process:
        story.append(
            data_table(
                theme,
                ["When (UTC)", "Who", "Step", "Why"],
                [_event_row(event, theme) for event in report.process],
                [w * width for w in (0.15, 0.21, 0.30, 0.34)],
            )
        )
    else:
        story.append(empty_note(theme, "No step of the committee process is recorded yet."))
    if report.meta.is_final:
        story.append(heading(theme, "Open when it was finalised", 2, bookmark=False))
        if report.open_when_final:
            story.append(
                note(
                    theme,
                    f"The evaluation was finalised with {len(report.open_when_final)} items "
                    "still open, which needs a reason (in the process record above):",
                )
            )
            story += [theme.p(f"• {item}", theme.small) for item in report.open_when_final]
        else:
            story.append(note(theme, "Nothing was open on the checklist when it was finalised."))
    return story


def _event_row(event: ProcessEvent, theme: Theme) -> list[Flowable | CellText]:
    who = f"<b>{theme.esc(event.actor or NO_VALUE)}</b>"
    if event.context:
        who += f"<br/><font size=7 color='{MUTED}'>{theme.esc(event.context)}</font>"
    step = theme.cell_bold if event.kind in MARKED_STEPS else theme.cell
    return [
        theme.t(when(event.at)),
        Paragraph(who, theme.cell),
        theme.t(event.what, step),
        theme.t(event.why or NO_VALUE),
    ]


def by_consequence(report: ReportData, items: Sequence[T], limit: int | None) -> list[T]:
    """The `limit` items weighing most (effective weight x spread, or weight for a decision),
    most consequential first; all of them, in their order, when `limit` is None."""
    if limit is None:
        return list(items)
    weights = {node.key: node.effective_weight or 0.0 for node in report.method}

    def weight(item: T) -> float:
        if getattr(item, "is_gate", False):
            return 2.0  # a gate decision disqualifies or qualifies: above any weight
        return weights.get(item.criterion_key, 0.0) * getattr(item, "spread", 1.0)

    return sorted(items, key=weight, reverse=True)[:limit]


def _shown_note(theme: Theme, shown: int, total: int, what: str, appendix: bool) -> list[Flowable]:
    """Says that the body lists only the most consequential rows, and where the rest are."""
    if shown >= total:
        return []
    rest = "appendix B lists them all" if appendix else "an export with the appendix lists them all"
    return [
        note(
            theme,
            f"The {shown} most consequential of {total:,} {what}, by effective "
            f"weight{' × spread' if what == 'disagreements' else ''}; {rest}.",
        )
    ]


def _disagreements(
    report: ReportData, theme: Theme, width: float, appendix: bool
) -> list[Flowable]:
    story: list[Flowable] = [
        heading(theme, "Where the committee disagreed", 1),
        theme.p(
            f"A criterion is flagged when the members' scores for a candidate differ by "
            f"{number(report.disagreement_threshold)} points or more (abstentions take no part). "
            "The consensus column shows what the committee then agreed; without a decision the "
            "aggregate of the scores stands."
        ),
    ]
    if not report.disagreements:
        return [*story, empty_note(theme, "No criterion reached the disagreement threshold.")]
    shown = by_consequence(report, report.disagreements, LISTED_ROWS)
    total = len(report.disagreements)
    table = disagreement_table(report, shown, theme, width)
    return [*story, *_shown_note(theme, len(shown), total, "disagreements", appendix), table]


def disagreement_table(
    report: ReportData, items: Sequence[DisagreementItem], theme: Theme, width: float
) -> Flowable:
    rows = []
    for item in items:
        scores = "; ".join(
            f"{name}: {ABSTAIN if value is None else number(value)}" for name, value in item.scores
        )
        if item.decision is not None:
            label = item.decision.value_label
            if item.decision.gate_state is not None:
                label = theme.gate_label(item.decision.gate_state)
            decided = f"{label}. {item.decision.note}".strip()
        else:
            decided = "No consensus recorded; the aggregate stands."
        rows.append(
            [
                theme.t(item.candidate_name),
                theme.t(item.criterion_name),
                theme.t(scores),
                theme.t(number(item.spread), theme.cell_right),
                theme.t(decided),
            ]
        )
    return data_table(
        theme,
        ["Candidate", "Criterion", "Scores", "Spread", "Consensus"],
        rows,
        [w * width for w in (0.17, 0.2, 0.25, 0.08, 0.3)],
        right=(3,),
    )


def _decisions(report: ReportData, theme: Theme, width: float, appendix: bool) -> list[Flowable]:
    story: list[Flowable] = [heading(theme, "Consensus decisions", 1)]
    if not report.decisions:
        note_text = "The committee has not recorded any consensus decision."
        return [*story, empty_note(theme, note_text)]
    shown = by_consequence(report, report.decisions, LISTED_ROWS)
    total = len(report.decisions)
    table = decision_table(shown, theme, width)
    return [*story, *_shown_note(theme, len(shown), total, "decisions", appendix), table]


def decision_table(items: Sequence[ConsensusDecision], theme: Theme, width: float) -> Flowable:
    rows = [
        [
            theme.t(d.candidate_name),
            theme.t(d.criterion_name),
            decision_cell(d, theme),
            theme.t(d.note),
        ]
        for d in items
    ]
    return data_table(
        theme,
        ["Candidate", "Criterion", "Decision", "Note"],
        rows,
        [w * width for w in (0.2, 0.25, 0.12, 0.43)],
    )

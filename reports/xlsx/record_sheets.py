"""The record part of the workbook: every score, decision, answer and audit entry, as Excel
tables with filters. All their text comes from users, so every cell goes through `put_text`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from evaluator.gates import gate_look
from reports.model import ABSTAIN, ConsensusDecision, ReportData
from reports.xlsx.cells import (
    DATE_TIME,
    PLAIN,
    TOP,
    WRAP_TOP,
    Sheet,
    Style,
    Truncations,
    add_table,
    fit_height,
    gate_font,
    header,
    plus,
    print_setup,
    put_number,
    put_text,
    title_block,
    widths,
)

RECORDS_TOP = 4  # the header row of each record table


@dataclass(frozen=True)
class Marked:
    """A value with a look of its own (a gate decision in its state's colour)."""

    value: object
    look: Style


# str -> text cell, int/float/None -> number, datetime -> date cell, Marked -> with its look
Row = Sequence[object]


def _records(
    ws: Sheet,
    title: str,
    note: str,
    table: str,
    columns: Sequence[tuple[str, float]],
    rows: Sequence[Row],
    accent: Style,
    cuts: Truncations,
    wrap: Sequence[int] = (),
) -> None:
    """A titled sheet holding one Excel table; `wrap` lists the 1-based columns to wrap.

    Table names differ from sheet names ("ScoresTable" on "Scores") so that no name clashes.
    """
    title_block(ws, title, [note])
    top = RECORDS_TOP
    titles = [name for name, _ in columns]
    header(ws, top, titles, accent)
    # each column's look in a one-line row and in a taller one, whose other cells line up with
    # the top of its wrapped text
    short = [WRAP_TOP if c in wrap else PLAIN for c in range(1, len(columns) + 1)]
    tall = [WRAP_TOP if c in wrap else TOP for c in range(1, len(columns) + 1)]
    wrapped = [(c - 1, columns[c - 1][1]) for c in wrap]
    for row, values in enumerate(rows, start=top + 1):
        high = fit_height(ws, row, [(values[c], width) for c, width in wrapped])
        looks = tall if high else short
        for column, value in enumerate(values, start=1):
            look = looks[column - 1]
            if isinstance(value, Marked):
                value, look = value.value, plus(look, value.look)
            if isinstance(value, str):
                put_text(ws, row, column, value, cuts, look)
            elif isinstance(value, datetime):
                put_number(ws, row, column, value, DATE_TIME, look)
            else:
                put_number(ws, row, column, value, look=look)  # type: ignore[arg-type]
    if not rows:
        put_text(ws, top + 1, 1, "Nothing recorded yet.")
    add_table(ws, table, top, titles, top + len(rows), accent)
    widths(ws, [width for _, width in columns])
    ws.freeze(top + 1, 1)
    print_setup(ws, top)


def _naive_utc(moment: datetime | None) -> datetime | None:
    """Excel has no time zones: store UTC wall-clock time (the column says UTC)."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def write_scores(ws: Sheet, report: ReportData, accent: Style, cuts: Truncations) -> None:
    _records(
        ws,
        "Scores",
        "Every committee member's score with the justification given (for an abstention, its "
        "reason); filter by any column. Only scores marked Counted enter the aggregate.",
        "ScoresTable",
        [
            ("Candidate", 28),
            ("Category", 24),
            ("Criterion key", 26),
            ("Criterion", 34),
            ("Member", 22),
            ("Role", 22),
            ("Score", 9),
            ("Justification", 80),
            ("Counted", 22),
        ],
        [
            (
                s.candidate_name,
                s.category_name,
                s.criterion_key,
                s.criterion_name,
                s.evaluator_name,
                s.evaluator_role,
                ABSTAIN if s.abstained else s.value,
                s.justification,
                s.counted_label,
            )
            for s in report.scores
        ],
        accent,
        cuts,
        wrap=(8,),
    )


def write_consensus(ws: Sheet, report: ReportData, accent: Style, cuts: Truncations) -> None:
    _records(
        ws,
        "Consensus",
        "The committee's agreed values; each overrides the members' aggregate for its cell.",
        "ConsensusTable",
        [
            ("Candidate", 28),
            ("Criterion key", 26),
            ("Criterion", 34),
            ("Decision", 12),
            ("Value", 8),
            ("Note", 80),
        ],
        [
            (d.candidate_name, d.criterion_key, d.criterion_name, _decision(d), d.value, d.note)
            for d in report.decisions
        ],
        accent,
        cuts,
        wrap=(6,),
    )


def _decision(decision: ConsensusDecision) -> str | Marked:
    """'4 / 5', or for a gate its state with its symbol, in its colour: '✗ Failed'."""
    state = decision.gate_state
    if state is None:
        return decision.value_label
    return Marked(gate_look(state).labelled, gate_font(state))


def write_responses(ws: Sheet, report: ReportData, accent: Style, cuts: Truncations) -> None:
    _records(
        ws,
        "Responses",
        "The candidates' questionnaire answers: as read by SupportScope and as written.",
        "ResponsesTable",
        [
            ("Candidate", 28),
            ("Criterion key", 26),
            ("Question", 60),
            ("Answer", 26),
            ("As written", 26),
            ("Comment", 40),
            ("Key answer", 10),
        ],
        [
            (
                r.candidate_name,
                r.criterion_key,
                r.question,
                r.answer,
                r.raw,
                r.comment,
                "Yes" if r.is_key else "No",
            )
            for r in report.responses
        ],
        accent,
        cuts,
        wrap=(3, 6),
    )


def write_audit(ws: Sheet, report: ReportData, accent: Style, cuts: Truncations) -> None:
    summary = report.audit_summary
    head = f" The chain's head hash is {summary.head_hash}." if summary.head_hash else ""
    _records(
        ws,
        "Audit",
        "Who changed what, when (UTC), from where, from what to what, and why. Entries are "
        "never deleted; each is sealed with the hash of the one before it (a hash chain)." + head,
        "AuditTable",
        [
            ("When (UTC)", 17),
            ("Who", 20),
            ("Action", 16),
            ("Target", 40),
            ("Old value", 20),
            ("New value", 20),
            ("Why", 60),
            ("From (OS user@machine)", 22),
            ("Entry hash", 68),
        ],
        [
            (
                _naive_utc(e.at),
                e.actor,
                e.action,
                e.target,
                e.old,
                e.new,
                e.why,
                e.context,
                e.hash,
            )
            for e in report.audit
        ],
        accent,
        cuts,
        wrap=(4, 7),
    )


def write_committee(ws: Sheet, report: ReportData, accent: Style, cuts: Truncations) -> None:
    chair = f" The chair is {report.chair}." if report.chair else ""
    _records(
        ws,
        "Committee",
        "Each member: the current conflict-of-interest declaration and when it was made (every "
        "declaration is on the Declarations sheet), scores and abstentions, when they "
        "submitted (UTC), or why the chair excused them." + chair,
        "CommitteeTable",
        [
            ("Member", 24),
            ("Role", 24),
            ("Current declaration", 48),
            ("Declared (UTC)", 17),
            ("Declarations made", 13),
            ("Scores", 9),
            ("Abstentions", 12),
            ("Submitted (UTC)", 17),
            ("Excused (reason)", 40),
        ],
        [
            (
                m.name,
                m.role,
                m.declarations[-1].text
                if m.declarations
                else m.conflict_of_interest or "Not declared",
                _naive_utc(m.declarations[-1].at) if m.declarations else None,
                len(m.declarations),
                m.scores_given,
                m.abstentions,
                _naive_utc(m.submitted_at),
                m.excused,
            )
            for m in report.committee
        ],
        accent,
        cuts,
        wrap=(3, 9),
    )


def write_declarations(ws: Sheet, report: ReportData, accent: Style, cuts: Truncations) -> None:
    _records(
        ws,
        "Declarations",
        "Every conflict-of-interest declaration each member made, oldest first: a new "
        "declaration never replaces an earlier one in the record; the current one counts.",
        "DeclarationsTable",
        [("Member", 24), ("Declared (UTC)", 17), ("Declaration", 70), ("Current", 10)],
        [
            (m.name, _naive_utc(d.at), d.text, "Yes" if d.current else "No")
            for m in report.committee
            for d in m.declarations
        ],
        accent,
        cuts,
        wrap=(3,),
    )


def write_process(ws: Sheet, report: ReportData, accent: Style, cuts: Truncations) -> None:
    rows: list[Row] = [
        (_naive_utc(e.at), e.actor, e.what, e.why, e.context) for e in report.process
    ]
    finalised = [e for e in report.process if e.kind == "finalise"]
    if finalised and report.open_when_final:
        last = finalised[-1]
        rows += [
            (_naive_utc(last.at), last.actor, f"Open when finalised: {item}", "", last.context)
            for item in report.open_when_final
        ]
    _records(
        ws,
        "Process",
        "The committee process as the audit trail records it: phases, the chair's looks at "
        "live results during blind scoring, excuses, reopened scoresheets, finalisation (and "
        "what was still open then) and reopening, with who, when (UTC), why and from where.",
        "ProcessTable",
        [
            ("When (UTC)", 17),
            ("Who", 22),
            ("Step", 48),
            ("Why", 60),
            ("From (OS user@machine)", 24),
        ],
        rows,
        accent,
        cuts,
        wrap=(3, 4),
    )


SheetWriter = Callable[[Sheet, ReportData, Style, Truncations], None]
RECORD_SHEETS: tuple[tuple[str, SheetWriter], ...] = (
    ("Scores", write_scores),
    ("Consensus", write_consensus),
    ("Responses", write_responses),
    ("Committee", write_committee),
    ("Declarations", write_declarations),
    ("Process", write_process),
    ("Audit", write_audit),
)

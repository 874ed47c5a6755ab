"""What a member's scoresheet allows now, and why: the phase, who is working in the window, the
member's conflict-of-interest declaration and whether they submitted.

The core enforces all of it (evaluator/changes/rules.py); the sheet says it before the user
tries, so the grid is read-only when a score would be refused and the banner says why. Plain
reads of the session's snapshot, shared by the grid model and the view.
"""

from __future__ import annotations

from evaluator.domain import EvaluationData, Evaluator, Status
from ui.session import EvaluationSession


def may_act_for(session: EvaluationSession, member_id: int) -> bool:
    """This window may change the member's sheet: the member, the chair, or the one person
    setting up an evaluation that has no chair yet."""
    identity = session.identity
    if identity is None:
        return session.data is not None and not session.data.chair
    return identity.chair or identity.evaluator_id == member_id


def is_mine(session: EvaluationSession, member_id: int | None) -> bool:
    """The member is the person working in this window."""
    identity = session.identity
    return identity is not None and member_id is not None and identity.evaluator_id == member_id


def locked_to(session: EvaluationSession) -> int | None:
    """The member a member's window is locked to (None: the chair or set-up sees every sheet)."""
    identity = session.identity
    return identity.evaluator_id if identity is not None and not identity.chair else None


def uncovered(data: EvaluationData, member: Evaluator) -> list[int]:
    """Candidates the member's declaration does not cover (all of them when never declared)."""
    ids = [c.id for c in data.candidates]
    if member.declaration is None:
        return ids
    return [c for c in ids if c not in member.declaration.covers]


def asks_declaration(session: EvaluationSession, member: Evaluator | None) -> bool:
    """The declaration prompt is shown: the member (or the one person setting up) has not
    declared, or a candidate was added since, while scoring is still to come or going on."""
    data = session.data
    if data is None or member is None or session.read_only:
        return False
    if data.status not in (Status.DRAFT, Status.SCORING) or member.submitted:
        return False
    identity = session.identity
    who_declares = is_mine(session, member.id) or (identity is None and not data.chair)
    return who_declares and (member.declaration is None or bool(uncovered(data, member)))


def sheet_editable(session: EvaluationSession, member: Evaluator | None) -> bool:
    """Scores may be typed on this sheet now (per candidate, the declaration must cover it)."""
    data = session.data
    return (
        data is not None
        and member is not None
        and data.status is Status.SCORING
        and not member.submitted
        and member.declaration is not None
        and may_act_for(session, member.id)
        and not (session.is_chair and session.blind)
    )


def banner(session: EvaluationSession, member: Evaluator | None, submitted_on: str) -> str:
    """Why the shown sheet is read-only (or "" when it is not, or the prompt says it)."""
    data = session.data
    if data is None and session.opening:
        return "Opening the evaluation…"
    if data is None:
        return "Open an evaluation to score it."
    if session.read_only:
        return "This evaluation is final: the scores are read-only (the audit trail keeps them)."
    if not data.evaluators:
        return "Add committee members in the Committee tab to score."
    if session.needs_identity:
        return (
            f"This evaluation has a chair ({data.chair}): say who you are, a committee member "
            "or the chair, to score."
        )
    if member is None:
        return ""
    mine = is_mine(session, member.id)
    if member.submitted:
        on = f" on {submitted_on}" if submitted_on else ""
        if mine:
            return f"Submitted{on} — only the chair can reopen your sheet."
        return f"{member.name} submitted{on} — the chair can reopen the sheet (Committee tab)."
    if data.status is Status.DRAFT:
        return (
            "Scoring has not started: the chair moves the evaluation to scoring when the set-up "
            "is done."
        )
    if data.status is Status.CONSENSUS:
        return (
            "Scoring is closed: the committee now agrees consensus values (Consensus tab), so "
            "the scores are read-only."
        )
    if session.is_chair and session.blind:
        return (
            "Members' scores stay hidden from the chair until every member has submitted or "
            "been excused."
        )
    if not may_act_for(session, member.id):
        return f"{member.name}'s sheet: only they (or the chair) can change it."
    if member.excused:
        return f"Excused by the chair ({member.excused}): the committee does not wait for these."
    return ""


def declaration_text(member: Evaluator | None, names: dict[int, str]) -> str:
    """What the member declared, as the committee reads it (a conflict stands out)."""
    if member is None:
        return ""
    if member.declaration is None:
        return "Not declared yet: conflicts of interest are declared before scoring"
    text = member.declaration.describe(names)
    return f"⚠ {text}" if member.declaration.conflicted else text


def hidden_text(session: EvaluationSession, member: Evaluator | None, names: dict[int, str]) -> str:
    """The line saying which candidates the sheet leaves out (a declared conflict)."""
    if member is None or member.declaration is None or not member.declaration.conflicted:
        return ""
    who = ", ".join(names.get(c, "a candidate") for c in member.declaration.conflicted)
    whose = "your" if is_mine(session, member.id) else "their"
    return (
        f"Not shown: {who} — a declared conflict of interest; {whose} scores for it would not "
        "count."
    )


def why_read_only(score_cell: bool, declaring: Evaluator | None, banner: str) -> str:
    """Why typing on a cell changed nothing: a computed row, a declaration still to make (by
    `declaring`), or the sheet's state (`banner`, the line above it)."""
    if not score_cell:
        return "This row is computed by SupportScope (answers, gates): it is not scored."
    if declaring is not None:
        return (
            f"{declaring.name} declares conflicts of interest first (the panel above this "
            "sheet): then the sheet can be scored."
        )
    return f"This sheet cannot be changed now. {banner}".strip()

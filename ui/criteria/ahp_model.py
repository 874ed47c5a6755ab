"""What the pairwise-comparison dialog shows, and the undoable commands it issues.

No widgets here: the scale's choices as the dialog lists them, the state of one set of siblings
seen by one person (whose judgments, the analysis, whether they may edit), and the two commands
(one judgment; the committee's weights applied) wrapped as `ChangeCommand`s for the undo stack.
"""

from __future__ import annotations

from dataclasses import dataclass

from evaluator import changes as c
from evaluator.ahp import APP_TABLE, CONSISTENCY_LIMIT
from evaluator.ahp_committee import (
    CommitteeResult,
    SiblingSet,
    committee_result,
    judgment_value,
    matches_weights,
    sibling_sets,
    weights_change,
)
from evaluator.ahp_judgments import INTENSITIES, Analysis, Pair, as_fraction, ratio_text, snap
from ui.errors import sentence
from ui.session import EvaluationSession
from ui.undo_base import ChangeCommand

COMMITTEE = None  # `whose` for the committee's combined judgments
NOT_COMPARED = "not compared yet"


def choices() -> list[tuple[str, float | None]]:
    """The scale as a list: (text, how many times the left criterion is as important as the
    right). An arrow points at the more important one."""
    items: list[tuple[str, float | None]] = [(NOT_COMPARED, None)]
    for value, words in reversed(INTENSITIES[1:]):
        items.append((f"◀ {words} ({value})", float(value)))
    items.append((f"{INTENSITIES[0][1]} (1)", 1.0))
    for value, words in INTENSITIES[1:]:
        items.append((f"{words} ({value}) ▶", 1 / value))
    return items


CHOICES = choices()


def choice_index(value: float | None) -> int:
    """The list position of a value (off-scale values, such as a geometric mean, go to the
    nearest point of the scale)."""
    if value is None:
        return 0
    nearest = snap(value)
    return next(i for i, (_, v) in enumerate(CHOICES) if v is not None and abs(v - nearest) < 1e-9)


@dataclass(frozen=True)
class View:
    """One set of siblings as the dialog shows it now."""

    result: CommitteeResult
    whose: int | None  # a member's id, or COMMITTEE
    judgments: dict[Pair, float]  # the judgments shown (given ones only)
    analysis: Analysis
    editable: bool  # the person working may change these judgments now
    blind: bool = False  # colleagues' judgments and the committee's result hidden from them

    @property
    def sset(self) -> SiblingSet:
        return self.result.sset

    def pairs(self) -> list[Pair]:
        n = len(self.sset.criteria)
        return [(i, j) for i in range(n) for j in range(i + 1, n)]


def sets_of(session: EvaluationSession) -> list[SiblingSet]:
    return sibling_sets(session.data.criteria) if session.data else []


def may_edit(session: EvaluationSession, whose: int | None) -> bool:
    """Members give their own judgments; the chair (or the one person setting up) anyone's."""
    if whose is COMMITTEE or not session.editable:
        return False
    return session.is_chair or session.member_id == whose


def judgments_hidden(session: EvaluationSession) -> bool:
    """During blind scoring a member (or a window whose user has not said who they are) sees
    only their own judgments, so that nobody anchors on colleagues' views; the chair sees all.
    The session's snapshot then holds only their own, so the committee's "result" would be
    theirs under the committee's name: it is not shown at all."""
    return session.blind and not session.is_chair


def hidden_text(session: EvaluationSession) -> str:
    """Why the committee's result is not shown, and when it will be."""
    reason = session.blind_reason(
        "The committee's result (the geometric mean of every member's comparisons), with your "
        "colleagues' comparisons,"
    )
    return sentence(reason) + " Here you see and change only your own comparisons."


def view_of(session: EvaluationSession, parent: str | None, whose: int | None) -> View:
    assert session.data is not None
    result = committee_result(session.data, parent)
    if whose is COMMITTEE:
        return View(result, COMMITTEE, result.judgments, result.combined, False)
    member = next(m for m in result.members if m.member.id == whose)
    editable = may_edit(session, whose)
    return View(result, whose, member.judgments, member.analysis, editable,
                judgments_hidden(session))  # fmt: skip


def cell_text(value: float | None) -> str:
    return "·" if value is None else as_fraction(value)


def stats_text(view: View) -> str:
    """lambda_max, CI, CR with the random index named, and what is missing."""
    analysis, pairs = view.analysis, view.sset.pairs
    missing = (
        f"{analysis.missing} of {pairs} pairs not compared yet"
        if analysis.missing
        else f"all {pairs} pairs compared"
    )
    if not analysis.determined:
        return (
            f"{missing}: the weights are not determined until every criterion is linked by "
            f"comparisons (at least {analysis.needed} more)."
        )
    method = " (missing pairs filled in by Harker's method)" if analysis.missing else ""
    return (
        f"λmax {analysis.lambda_max:.4f} · CI {analysis.consistency_index:.4f} · "
        f"CR {analysis.consistency_ratio:.3f} (limit {CONSISTENCY_LIMIT:.2f}; random index "
        f"{APP_TABLE.name}, RI {analysis.random_index:g} for {analysis.n} criteria) · "
        f"{missing}{method}"
    )


def members_text(view: View) -> str:
    """How far each member has got and their CR; whether the weights are applied now."""
    lines = []
    for m in view.result.members:
        if view.blind and m.member.id != view.whose:
            continue  # colleagues' progress is theirs while the committee scores blind
        a = m.analysis
        ratio = f", CR {a.consistency_ratio:.3f}" if a.given and a.determined else ""
        lines.append(f"{m.member.name}: {a.given} of {view.sset.pairs}{ratio}")
    if view.blind:
        return "You: " + " · ".join(lines) + "."
    applied = " They are applied now." if matches_weights(view.result) else ""
    return "Members: " + " · ".join(lines) + "." + applied


def warning_text(view: View) -> str:
    """Above the CR limit: the judgments behind most of it and the values that would fit
    ("" when consistent)."""
    analysis, names = view.analysis, [c.name for c in view.sset.criteria]
    if not analysis.inconsistent:
        return ""
    worst = []
    for culprit in analysis.culprits[:3]:
        i, j = culprit.pair
        worst.append(
            f"{names[i]} vs {names[j]}: {as_fraction(culprit.value)} given; the other "
            f"judgments imply {ratio_text(culprit.implied)}, so "
            f"{as_fraction(culprit.suggested)} would fit (CR {culprit.ratio_after:.2f})"
        )
    return (
        f"⚠ These judgments contradict each other (CR {analysis.consistency_ratio:.2f}, above "
        f"{CONSISTENCY_LIMIT:.2f}). Most of it comes from:\n• " + "\n• ".join(worst)
    )


def SetJudgment(session: EvaluationSession, member_id: int, parent: str | None, first: str,
                second: str, value: float | None) -> ChangeCommand:  # fmt: skip
    """A member's judgment of `first` over `second` (None: clear it), as the window shows it."""
    assert session.data is not None
    before = judgment_value(session.data, parent, member_id, first, second)
    change = c.SetJudgment(member_id, parent, first, second, before, value)
    a, b = session.criterion(first).name, session.criterion(second).name
    if value is None:
        return ChangeCommand(session, change, f"Clear comparison of {a} and {b}")
    return ChangeCommand(session, change, f"Compare {a} with {b}: {as_fraction(value)}")


def ApplyWeights(session: EvaluationSession, result: CommitteeResult, why: str = ""
                 ) -> ChangeCommand:  # fmt: skip
    """The committee's AHP weights as the raw weights of the set: one undo step (refused, with
    the reason, while undetermined, or inconsistent without a reason)."""
    change = weights_change(result, why)
    return ChangeCommand(session, change, f"Apply AHP weights to {result.sset.label}")

"""The consensus panel's account of one cell: every member's score and justification (an
abstention reads "abstain", a member with a declared conflict "not counted"), the aggregate and
spread of the scores that count, or the questionnaire answer and gate state of computed rows.
"""

from __future__ import annotations

import html

from ui.consensus.model import ConsensusModel
from ui.grid.model import GridRow
from ui.numbers import fmt, percent


def details_html(model: ConsensusModel, row: GridRow, candidate_id: int, muted: str) -> str:
    """Rich text for the panel; `muted` is the colour of secondary lines."""
    key = row.key
    candidate = model.session.candidate(candidate_id).name
    weight = model.effective_weight(key)
    facts = [html.escape(candidate), html.escape(row.info.label)]
    if weight is not None and row.weighted:
        facts.append(f"{percent(weight)} of the total")
    parts = [
        f"<h3 style='margin:0'>{html.escape(row.criterion.name)}</h3>",
        f"<p style='margin-top:2px; color:{muted}'>{' · '.join(facts)}</p>",
    ]
    stats = model.stats(candidate_id, key)
    if stats is not None and stats.scores:
        flag = " — <b>disagreement flagged</b>" if stats.flagged else ""
        if stats.aggregate is None:
            parts.append("<p>No score counts: every member abstained or is excluded.</p>")
        else:
            aggregate = fmt(round(stats.aggregate, 2))
            parts.append(f"<p>Aggregate {aggregate}, spread {fmt(stats.spread)}{flag}</p>")
        abstained = sum(1 for s in stats.scores if s.abstained)
        conflicted = len(stats.scores) - stats.counted - abstained
        left_out = []
        if abstained:
            left_out.append(f"{abstained} abstention{'s' if abstained != 1 else ''} (not zeros)")
        if conflicted:
            left_out.append(
                f"{conflicted} score{'s' if conflicted != 1 else ''} of members with a declared "
                "conflict of interest"
            )
        if left_out:
            text = " and ".join(left_out)
            parts.append(f"<p style='color:{muted}'>Not counted: {text}.</p>")
        parts.append("<table cellspacing='0' cellpadding='3'>")
        for score in stats.scores:
            name = html.escape(model.evaluator_name(score.evaluator_id))
            note = model.score_note(score)
            value, _, why_not = note.partition(" (")
            style = " style='font-style:italic'" if score.abstained else ""
            extra = f" ({html.escape(why_not)}" if why_not else ""
            parts.append(
                f"<tr><td valign='top'{style}><b>{html.escape(value)}</b></td>"
                f"<td valign='top'><b>{name}</b>{extra}<br>"
                f"{html.escape(score.justification)}</td></tr>"
            )
        parts.append("</table>")
    elif row.members_score:
        parts.append("<p>No evaluator has scored this cell yet.</p>")
    else:
        answer = html.escape(model.answer_text(candidate_id, key))
        parts.append(f"<p>Questionnaire answer: <b>{answer}</b></p>")
        decided = model.session.consensus(candidate_id, key) is not None
        gate = model.gate_state(candidate_id, key) if row.pass_fail else None
        if gate is not None:
            by = "the committee's decision" if decided else "the answer"
            parts.append(f"<p>Gate {model.gate_html(gate)} by {by}</p>")
        elif not decided:
            computed = html.escape(model.summary(row, candidate_id))
            parts.append(f"<p>Computed by SupportScope: <b>{computed}</b></p>")
    return "".join(parts)

"""AHP pairwise weighting from the shell:

    ahp EVAL [--parent ID] [--member NAME] [--json]        the matrix, weights, CR, what is missing
    ahp set EVAL [--parent ID] A B VALUE [--member NAME]    a member's judgment: A is VALUE times
                                                            as important as B (3, 1/3, moderate…)
    ahp apply EVAL [--parent ID] [--why TEXT]              the chair sets the raw weights

Without --parent the top-level criteria are compared. `show` shows the committee's combined
judgments (the geometric mean of the members') unless --member names one member.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from cli.identity import acting
from cli.parser import UsageError
from evaluator.ahp import APP_TABLE, CONSISTENCY_LIMIT
from evaluator.ahp_committee import CommitteeResult, MemberResult, matches_weights, percentages
from evaluator.ahp_judgments import Analysis, Culprit, Pair, as_fraction, ratio_text, sentence
from evaluator.db import Database
from evaluator.domain import EvaluationData
from evaluator.services import ahp
from evaluator.visibility import judgments_blind, require_judgments_view

COMMITTEE = "the committee (geometric mean)"


class _AnyWord(dict):  # type: ignore[type-arg]
    """What argparse checks the first word against (before the call): any word passes."""

    def __contains__(self, word: object) -> bool:
        return True


class _ShowByDefault(argparse._SubParsersAction):  # type: ignore[type-arg]
    """`ahp EVAL ...` is `ahp show EVAL ...`: a first word that is no action is the evaluation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = _AnyWord()  # the actions stay in self._name_parser_map

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        if values and values[0] not in self._name_parser_map:
            values = ["show", *values]
        super().__call__(parser, namespace, values, option_string)


def add_ahp_command(sub: Any, common: argparse.ArgumentParser) -> None:
    help_text = (
        "AHP pairwise weighting of a set of sibling criteria: show the comparisons, weights "
        "and consistency; set a member's judgment; apply the committee's weights (the chair)"
    )
    p = sub.add_parser("ahp", help=help_text, description=help_text, parents=[common])
    actions = p.add_subparsers(dest="ahp_action", metavar="[show|set|apply] EVAL", required=True,
                               action=_ShowByDefault, parser_class=type(p))  # fmt: skip
    options = argparse.ArgumentParser(add_help=False)  # what every action takes
    options.add_argument("evaluation")
    options.add_argument("--parent", default=None, metavar="ID",
                         help="the category whose criteria are compared (default: the top "
                         "level)")  # fmt: skip
    options.add_argument("--json", action="store_true", help="print JSON instead of text")
    a = actions.add_parser(
        "show", parents=[common, options],
        help="(the default) the comparison matrix, weights, lambda_max, CI, CR and what is "
        "missing: the committee's (geometric mean of the members'), or one member's",
    )  # fmt: skip
    a.add_argument("--member", default=None, metavar="NAME", help="show this member's judgments")
    a = actions.add_parser(
        "set", parents=[common, options],
        help="record a member's judgment: A is VALUE times as important as B (1/9..9, or "
        "equal, moderate, strong, very strong, extreme; 'clear' removes it)",
    )  # fmt: skip
    a.add_argument("first", metavar="A", help="a criterion's id")
    a.add_argument("second", metavar="B", help="a sibling criterion's id")
    a.add_argument("value", metavar="VALUE")
    a.add_argument("--member", default=None, metavar="NAME",
                   help="the member whose judgment the chair records (default: the member "
                   "acting, --as)")  # fmt: skip
    a = actions.add_parser(
        "apply", parents=[common, options],
        help="the chair sets the raw weights to the committee's AHP weights (percentages)",
    )  # fmt: skip
    a.add_argument("--why", default="", help="the reason recorded (needed when the judgments "
                   "are inconsistent)")  # fmt: skip


def cmd_ahp(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    action = args.ahp_action
    me = acting(args, db, args.evaluation)
    if action == "set":
        clear = args.value.strip().casefold() == "clear"
        applied = ahp.set_judgment(db, args.evaluation, args.parent, args.first, args.second,
                                   None if clear else args.value, member=args.member,
                                   actor=me)  # fmt: skip
    elif action == "apply":
        applied = ahp.apply_weights(db, args.evaluation, args.parent, why=args.why, actor=me)
    data, result = ahp.committee(db, args.evaluation, args.parent)
    if judgments_blind(data, me):  # a member scoring blind: their own judgments only
        from evaluator.ahp_committee import committee_result
        from evaluator.visibility import visible_to

        data = visible_to(data, me)
        result = committee_result(data, args.parent)
    if action == "show":
        view = _view(result, args.member)
        named = (
            next(m.member for m in result.members if m.member.name == view[0])
            if args.member
            else None
        )
        require_judgments_view(data, me, named)
        if args.json:
            out.write(json.dumps(document(data, result, view), indent=2, ensure_ascii=False) + "\n")
        else:
            write_text(out, data, result, view)
        return
    if args.json and judgments_blind(data, me):  # a member's own step, nobody else's views
        out.write(json.dumps({"changed": applied.changed}) + "\n")
    elif args.json:
        payload = document(data, result, None)
        payload["changed"] = applied.changed
        out.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    elif action == "set":
        change = applied.change
        names = {c.key: c.name for c in result.sset.criteria}
        member = next(e.name for e in data.evaluators if e.id == change.evaluator_id)
        a, b = names[args.first], names[args.second]  # in the order typed
        if change.after is None:
            out.write(f"{member}: cleared the comparison of {a} and {b}\n")
        else:
            value = change.after if change.first == args.first else 1 / change.after
            out.write(f"{member}: {sentence(value, a, b)} ({as_fraction(value)})\n")
    else:
        weights = ", ".join(f"{c.name} {c.weight:g}" for c in result.sset.criteria)
        out.write(f"applied the committee's AHP weights under {result.sset.label}: {weights}\n")


def _view(result: CommitteeResult, member: str | None) -> tuple[str, dict[Pair, float], Analysis]:
    """(whose, judgments, analysis) to show: a named member's, or the committee's."""
    if member is None:
        return COMMITTEE, result.judgments, result.combined
    wanted = " ".join(member.split()).casefold()
    for m in result.members:
        if m.member.name.casefold() == wanted:
            return m.member.name, m.judgments, m.analysis
    raise UsageError(f"ahp: no committee member named {member!r}")


def matrix(n: int, judgments: dict[Pair, float]) -> list[list[float | None]]:
    """The comparison matrix as given: 1 on the diagonal, None where nothing was judged."""
    rows: list[list[float | None]] = [[1.0 if i == j else None for j in range(n)] for i in range(n)]
    for (i, j), value in judgments.items():
        rows[i][j], rows[j][i] = value, 1 / value
    return rows


def document(
    data: EvaluationData,
    result: CommitteeResult,
    view: tuple[str, dict[Pair, float], Analysis] | None,
) -> dict[str, Any]:
    """Everything `ahp` shows, as JSON-ready data."""
    whose, judgments, analysis = view or (COMMITTEE, result.judgments, result.combined)
    criteria = result.sset.criteria
    keys = [c.key for c in criteria]
    determined = analysis.determined
    proposed = percentages(result.combined.weights) if result.combined.determined else ()
    return {
        "evaluation": data.name,
        "parent": result.sset.parent,
        "label": result.sset.label,
        "criteria": [{"id": c.key, "name": c.name, "raw_weight": c.weight} for c in criteria],
        "random_index": {
            "table": APP_TABLE.name,
            "source": APP_TABLE.source,
            "value": analysis.random_index,
        },
        "consistency_limit": CONSISTENCY_LIMIT,
        "view": whose,
        "matrix": matrix(len(criteria), judgments),
        "completed": [list(row) for row in analysis.completed] or None,
        "weights": dict(zip(keys, analysis.weights, strict=True)) if determined else None,
        "lambda_max": analysis.lambda_max if determined else None,
        "consistency_index": analysis.consistency_index if determined else None,
        "consistency_ratio": analysis.consistency_ratio if determined else None,
        "inconsistent": analysis.inconsistent,
        "pairs": result.sset.pairs,
        "given": analysis.given,
        "missing": analysis.missing,
        "needed": analysis.needed,
        "culprits": [_culprit(keys, c) for c in analysis.culprits],
        "members": [_member(m) for m in result.members],
        "committee_weights": dict(zip(keys, proposed, strict=True)) if proposed else None,
        "applied": matches_weights(result),
    }


def _culprit(keys: list[str], c: Culprit) -> dict[str, Any]:
    return {
        "first": keys[c.pair[0]],
        "second": keys[c.pair[1]],
        "given": c.value,
        "share": c.share,
        "implied": c.implied,
        "suggested": c.suggested,
        "consistency_ratio_after": c.ratio_after,
    }


def _member(m: MemberResult) -> dict[str, Any]:
    ratio = m.analysis.consistency_ratio if m.analysis.determined else None
    return {"member": m.member.name, "given": m.analysis.given, "consistency_ratio": ratio}


def write_text(
    out: TextIO,
    data: EvaluationData,
    result: CommitteeResult,
    view: tuple[str, dict[Pair, float], Analysis],
) -> None:
    whose, judgments, analysis = view
    criteria = result.sset.criteria
    n = len(criteria)
    out.write(
        f"{data.name}: {n} criteria under {result.sset.label}, {result.sset.pairs} pairs; "
        f"judgments of {whose}\n"
    )
    names = [c.name for c in criteria]
    width = max([len(name) for name in names] + [4])
    cells = [[as_fraction(v) if v is not None else "." for v in row]
             for row in matrix(n, judgments)]  # fmt: skip
    column = max([len(x) for row in cells for x in row] + [5])
    out.write(" " * (width + 2) + "  ".join(f"{k + 1:>{column}}" for k in range(n)) + "\n")
    for k, (name, row) in enumerate(zip(names, cells, strict=True)):
        label = f"{k + 1} {name}"
        out.write(f"{label:<{width + 2}}" + "  ".join(f"{x:>{column}}" for x in row) + "\n")
    out.write(f"missing: {analysis.missing} of {result.sset.pairs} pairs ('.' above)\n")
    if not analysis.determined:
        out.write(
            f"weights: not determined yet; at least {analysis.needed} more comparison"
            f"{'s' * (analysis.needed != 1)} needed to link every criterion\n"
        )
    else:
        shares = ", ".join(f"{name} {100 * w:.1f}%" for name, w in zip(names, analysis.weights,
                                                                       strict=True))  # fmt: skip
        verdict = "inconsistent: revisit" if analysis.inconsistent else "acceptable"
        out.write(
            f"weights: {shares}\nlambda_max {analysis.lambda_max:.4f}, CI "
            f"{analysis.consistency_index:.4f}, CR {analysis.consistency_ratio:.3f} ({verdict}; "
            f"limit {CONSISTENCY_LIMIT:.2f}, {APP_TABLE.name} random index "
            f"{analysis.random_index:g})\n"
        )
    if analysis.inconsistent:
        for culprit in analysis.culprits[:3]:
            i, j = culprit.pair
            out.write(
                f"  {names[i]} vs {names[j]}: {as_fraction(culprit.value)} given "
                f"({100 * culprit.share:.0f}% of the inconsistency); the other judgments imply "
                f"{ratio_text(culprit.implied)}: {as_fraction(culprit.suggested)} would make "
                f"the CR {culprit.ratio_after:.3f}\n"
            )
    out.write("members:\n")
    for m in result.members:
        state = (f"CR {m.analysis.consistency_ratio:.3f}" if m.analysis.determined
                 else "weights not determined yet")  # fmt: skip
        given = m.analysis.given
        out.write(f"  {m.member.name}: {given} of {result.sset.pairs} compared"
                  + (f", {state}" if given else "") + "\n")  # fmt: skip
    raw = ", ".join(f"{c.name} {c.weight:g}" for c in criteria)
    applied = " (the committee's AHP weights)" if matches_weights(result) else ""
    out.write(f"raw weights now: {raw}{applied}\n")


AHP_HANDLERS = {"ahp": cmd_ahp}

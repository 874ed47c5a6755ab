"""`sensitivity EVAL [--json] [--draws N --seed S ...] [--sets]` and `weights-sets ...`.

`sensitivity` shows the committee's results, so it follows the ranking's blind rule: refused to
a member (`--as`) while scoring is blind; the chair's `--live` look is recorded. Weighting sets
are weights, not scores: anyone may list them, only the chair changes them.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from cli.identity import acting
from evaluator.db import Database
from evaluator.domain import EvaluationData
from evaluator.errors import ServiceError


def add_sensitivity_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    from cli.parser import action_commands
    from evaluator.simulation_settings import (
        CLOSE_CALL,
        DEFAULT_CONCENTRATION,
        DEFAULT_DRAWS,
        DEFAULT_SEED,
    )

    help_text = (
        "what would change the winner: per criterion and category the smallest weight change "
        "that flips it; chances of winning with --draws; rankings under weighting sets with --sets"
    )
    p = sub.add_parser("sensitivity", help=help_text, description=help_text, parents=[common])
    p.add_argument("evaluation")
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    p.add_argument("--draws", type=int, metavar="N",
                   help=f"simulate N draws (default {DEFAULT_DRAWS} when another simulation "
                   "option is given)")  # fmt: skip
    p.add_argument("--seed", type=int, metavar="S", help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--concentration", type=float, metavar="K",
                   help=f"how closely drawn weights follow the current ones (Dirichlet; default "
                   f"{DEFAULT_CONCENTRATION:g}; higher is closer)")  # fmt: skip
    p.add_argument("--fixed-weights", action="store_true", help="do not vary the weights")
    p.add_argument("--fixed-scores", action="store_true",
                   help="do not resample the members' scores")  # fmt: skip
    p.add_argument("--sets", action="store_true", help="rank under every weighting set too")
    p.add_argument("--live", action="store_true",
                   help="the chair looks during blind scoring (recorded in the audit)")  # fmt: skip
    p.epilog = f"A leader winning under {CLOSE_CALL:.0%} of the draws is reported as a close call."

    help_text = "weighting sets: each stakeholder group's own weights (list, add, set, remove)"
    actions = action_commands(sub, "weights-sets", help_text, common)
    a = actions.add_parser("list", help="the sets and their weights", parents=[common])
    a.add_argument("evaluation")
    a.add_argument("--json", action="store_true")
    for action, text in (
        ("add", "a new set: the current weights, with --weight ID=W for what differs"),
        ("set", "change a set's weights (--weight ID=W), name (--rename) or note"),
    ):
        a = actions.add_parser(action, help=text, description=text, parents=[common])
        a.add_argument("evaluation")
        a.add_argument("name", help="the stakeholder group, e.g. Clinical, IT, Finance")
        a.add_argument("--weight", action="append", default=[], metavar="ID=W",
                       help="raw weight of a criterion or category (repeatable)")  # fmt: skip
        a.add_argument("--note", default=None, help="who the set speaks for, or why")
        if action == "set":
            a.add_argument("--rename", default=None, metavar="NEW_NAME")
    a = actions.add_parser("remove", help="remove a set", parents=[common])
    a.add_argument("evaluation")
    a.add_argument("name")
    a.add_argument("--why", default="")


# ---- sensitivity ---------------------------------------------------------------------------


def cmd_sensitivity(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    from cli.commands import committee_data
    from evaluator.flip_table import flip_table
    from evaluator.scoring import score_evaluation

    data = committee_data(args, db, "the sensitivity analysis")
    names = {c.id: c.name for c in data.candidates}
    first = [r for r in score_evaluation(data).candidates if r.rank == 1]
    document: dict[str, Any] = {
        "evaluation": data.name,
        "status": data.status.value,
        "leader": names[first[0].candidate_id] if first else None,
        "leader_total": round(first[0].total, 6) if first else None,
        "flips": _flips_document(flip_table(data), names),
    }
    simulation = _simulation(args, data)
    if simulation is not None:
        document["simulation"] = _simulation_document(simulation, names)
    if args.sets:
        from evaluator.set_rankings import compare_sets

        document["weight_sets"] = _sets_document(compare_sets(data), names)
    if args.json:
        out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    from cli.sensitivity_text import write_report

    write_report(document, out)


def _simulation(args: argparse.Namespace, data: EvaluationData):  # type: ignore[no-untyped-def]
    given = [args.draws, args.seed, args.concentration]
    if all(value is None for value in given) and not (args.fixed_weights or args.fixed_scores):
        return None
    from evaluator.robustness import (
        DEFAULT_CONCENTRATION,
        DEFAULT_DRAWS,
        DEFAULT_SEED,
        Settings,
        simulate,
    )

    concentration = DEFAULT_CONCENTRATION if args.concentration is None else args.concentration
    settings = Settings(
        draws=DEFAULT_DRAWS if args.draws is None else args.draws,
        seed=DEFAULT_SEED if args.seed is None else args.seed,
        concentration=None if args.fixed_weights else concentration,
        resample=not args.fixed_scores,
    )
    try:
        settings.check()
    except ValueError as error:
        raise ServiceError(f"sensitivity: {error}") from None
    return simulate(data, settings)


def _flips_document(rows: list, names: dict[int, str]) -> list[dict[str, Any]]:  # type: ignore[type-arg]
    document = []
    for row in rows:
        flip = row.flip
        entry: dict[str, Any] = {
            "id": row.key,
            "name": row.name,
            "depth": row.depth,
            "category": row.is_category,
            "raw_weight": flip.raw_weight,
            "effective_weight": round(flip.effective_weight, 9),
            "leader": names.get(flip.winner_id),
            "alone": row.alone,
            "flip": None,
            "sentence": row.sentence(names),
        }
        if not row.holds:
            entry["flip"] = {
                "change_points": round(flip.change_points, 6),
                "effective_weight": round(flip.flip_effective_weight, 9),
                "raw_weight": round(flip.flip_raw_weight, 9),
                "new_leader": names.get(flip.new_winner_id),
            }
        document.append(entry)
    return document


def _simulation_document(simulation, names: dict[int, str]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from evaluator.robustness import CLOSE_CALL, HIGH_PERCENTILE, LOW_PERCENTILE

    settings = simulation.settings
    return {
        "draws": settings.draws,
        "seed": settings.seed,
        "concentration": settings.concentration,
        "resample_scores": settings.resample,
        "described": settings.describe(),
        "cells_resampled": simulation.varied_cells,
        "leader": names.get(simulation.leader_id),
        "leader_chance": simulation.leader_chance,
        "close_call": simulation.close_call,
        "close_call_below": CLOSE_CALL,
        "rank_percentiles": [LOW_PERCENTILE, HIGH_PERCENTILE],
        "candidates": [
            {
                "candidate": names[o.candidate_id],
                "chance": o.chance,
                "rank_low": o.rank_low,
                "rank_median": o.rank_median,
                "rank_high": o.rank_high,
                "rank_counts": list(o.rank_counts),
            }
            for o in simulation.ranked()
        ],
    }


def _sets_document(comparison, names: dict[int, str]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "holds": comparison.holds,
        "sentence": comparison.sentence(names),
        "columns": [
            {
                "name": column.name,
                "current": column.set_id is None,
                "missing": list(column.missing),
                "error": column.error,
                "ranking": [
                    {"candidate": names[c], "rank": column.ranks[c], "total": round(t, 6)}
                    for c, t in sorted(column.totals.items(), key=lambda item: -item[1])
                ],
            }
            for column in comparison.columns
        ],
    }


# ---- weighting sets ----------------------------------------------------------------------------


def _weights(pairs: list[str]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        try:
            weights[key.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep or not key.strip():
            raise ServiceError(f"--weight takes ID=NUMBER, e.g. --weight cost=2 (got {pair!r})")
    return weights


def cmd_weight_sets(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    from evaluator.services import load_evaluation
    from evaluator.services import weight_sets as sets

    if args.action == "list":
        _list(load_evaluation(db, args.evaluation), args.json, out)
        return
    me = acting(args, db, args.evaluation)
    if args.action == "add":
        added = sets.add_weight_set(
            db, args.evaluation, args.name, _weights(args.weight), args.note or "", actor=me
        )
        out.write(f"added weighting set {added.name!r} ({len(added.weights)} weights)\n")
    elif args.action == "set":
        applied = sets.edit_weight_set(
            db, args.evaluation, args.name, weights=_weights(args.weight),
            new_name=args.rename, note=args.note, actor=me,
        )  # fmt: skip
        name = applied.change.after.name  # type: ignore[union-attr]
        out.write(f"updated weighting set {name!r}\n" if applied.changed else "nothing changed\n")
    else:
        sets.remove_weight_set(db, args.evaluation, args.name, why=args.why, actor=me)
        out.write(f"removed weighting set {args.name!r}\n")


def _list(data: EvaluationData, as_json: bool, out: TextIO) -> None:
    if as_json:
        document = [
            {"name": s.name, "note": s.note, "weights": s.weight_map()} for s in data.weight_sets
        ]
        out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    if not data.weight_sets:
        out.write("no weighting sets yet: add one with 'weights-sets add EVAL NAME'\n")
        return
    from evaluator.weights import WeightTree

    tree = WeightTree.build(data.criteria)
    keys = [node.key for node in tree.nodes]
    width = max(len(k) for k in [*keys, "criterion"])
    columns = ["current", *(s.name for s in data.weight_sets)]
    sizes = [max(8, len(c)) for c in columns]
    out.write(f"{'criterion':<{width}}  " + "  ".join(
        f"{c:>{n}}" for c, n in zip(columns, sizes, strict=True)) + "\n")  # fmt: skip
    for node in tree.nodes:
        values = [node.raw_weight, *(s.weight_map().get(node.key) for s in data.weight_sets)]
        cells = ["-" if v is None else f"{v:g}" for v in values]
        out.write(f"{node.key:<{width}}  " + "  ".join(
            f"{c:>{n}}" for c, n in zip(cells, sizes, strict=True)) + "\n")  # fmt: skip
    for weight_set in data.weight_sets:
        if weight_set.note:
            out.write(f"{weight_set.name}: {weight_set.note}\n")


SENSITIVITY_HANDLERS = {"sensitivity": cmd_sensitivity, "weights-sets": cmd_weight_sets}

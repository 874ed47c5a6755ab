"""`agreement EVAL [--normalise] [--json] [--live]`: how the committee agrees.

It shows every member's scores side by side, so it follows the ranking's blind rule: refused to a
member (`--as`) while scoring is blind; the chair's `--live` look is recorded in the audit.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from evaluator.db import Database


def add_agreement_command(sub: Any, common: argparse.ArgumentParser) -> None:
    help_text = (
        "how the committee agrees: each member's leniency and where they stand apart, "
        "Kendall's W over the members' rankings, each criterion's spread"
    )
    p = sub.add_parser("agreement", help=help_text, description=help_text, parents=[common])
    p.add_argument("evaluation")
    p.add_argument(
        "--normalise",
        action="store_true",
        help="also rank on each member's scores normalised (z-scores mapped back to "
        "the scale), beside the ranking as it stands",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    p.add_argument(
        "--live",
        action="store_true",
        help="the chair looks during blind scoring (recorded in the audit)",
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def agreement_document(data, agreement) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The agreement as plain JSON-ready data, with names instead of ids."""
    from evaluator.agreement import w_words
    from evaluator.domain import leaves

    names = {c.id: c.name for c in data.candidates}
    members = {e.id: e.name for e in data.evaluators}
    criteria = {leaf.key: leaf.name for leaf in leaves(data.criteria)}
    w = agreement.concordance
    document: dict[str, Any] = {
        "evaluation": data.name,
        "status": data.status.value,
        "aggregation": data.aggregation.value,
        "members": [
            {
                "member": m.name,
                "cells": m.cells,
                "leniency": _round(m.leniency),
                "apart": [
                    {
                        "id": a.criterion_key,
                        "name": criteria[a.criterion_key],
                        "distance": _round(a.distance),
                        "deviation": _round(a.deviation),
                    }
                    for a in m.apart
                ],
            }
            for m in agreement.members
        ],
        "kendall_w": _round(w.w),
        "agreement_in_words": None if w.w is None else w_words(w.w),
        "ranked_by": [members[j] for j in w.judges],
        "left_out": [{"member": members[m], "why": why} for m, why in w.left_out],
        "candidates_ranked": len(w.candidates),
        "spread": [
            {
                "id": s.criterion_key,
                "name": criteria[s.criterion_key],
                "cells": s.cells,
                "mean_sd": _round(s.mean_sd),
                "mean_range": _round(s.mean_range),
                "max_range": s.max_range,
                "flagged": s.flagged,
            }
            for s in agreement.spreads
        ],
    }
    if agreement.normalised is not None:
        document["normalised"] = [
            {
                "candidate": names[r.candidate_id],
                "total": _round(r.raw_total),
                "rank": r.raw_rank,
                "normalised_total": _round(r.normalised_total),
                "normalised_rank": r.normalised_rank,
            }
            for r in agreement.normalised
        ]
    return document


def cmd_agreement(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    from cli.commands import committee_data
    from evaluator.agreement import committee_agreement

    data = committee_data(args, db, "the committee's agreement")
    agreement = committee_agreement(data, args.normalise)
    document = agreement_document(data, agreement)
    if args.json:
        out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    names = {e.id: e.name for e in data.evaluators}
    _write_text(document, agreement.concordance.sentence(names, digits=3), out)


def _number(value: float | None, form: str = "+.2f") -> str:
    return "-" if value is None else format(value, form)


def _write_text(document: dict[str, Any], concordance: str, out: TextIO) -> None:
    from cli.sensitivity_text import _table

    out.write(f"{document['evaluation']} ({document['status']})\n\n{concordance}\n")
    out.write(
        "\nLeniency: mean points above (+) or below (-) the other members on the same cells\n"
    )
    rows = [
        [
            m["member"],
            _number(m["leniency"]),
            str(m["cells"]),
            ", ".join(f"{a['name']} ({a['deviation']:+.1f})" for a in m["apart"]) or "-",
        ]
        for m in document["members"]
    ]
    _table(out, ["Member", "Leniency", "Cells", "Stands apart on"], rows, {1, 2})
    out.write("\nSpread of members' scores per criterion (cells with two scores or more)\n")
    rows = [
        [
            s["name"],
            str(s["cells"]),
            _number(s["mean_sd"], ".2f"),
            _number(s["mean_range"], ".2f"),
            _number(s["max_range"], "g"),
            str(s["flagged"]),
        ]
        for s in document["spread"]
    ]
    _table(
        out,
        ["Criterion", "Cells", "Mean SD", "Mean range", "Max", "Flagged"],
        rows,
        {1, 2, 3, 4, 5},
    )
    if "normalised" in document:
        out.write(
            "\nRanking on normalised scores (each member's z-scores mapped back to the scale), "
            "beside the ranking as it stands; shown only, never applied\n"
        )
        rows = [
            [
                r["candidate"],
                "-" if r["rank"] is None else str(r["rank"]),
                f"{r['total']:.1f}",
                "-" if r["normalised_rank"] is None else str(r["normalised_rank"]),
                f"{r['normalised_total']:.1f}",
            ]
            for r in document["normalised"]
        ]
        _table(out, ["Candidate", "Rank", "Total", "Normalised rank", "Total"], rows, {1, 2, 3, 4})


AGREEMENT_HANDLERS = {"agreement": cmd_agreement}

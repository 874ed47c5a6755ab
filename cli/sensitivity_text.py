"""The `sensitivity` report as plain text tables (the JSON document, laid out for a console)."""

from __future__ import annotations

from typing import Any, TextIO


def _table(out: TextIO, header: list[str], rows: list[list[str]], right: set[int]) -> None:
    sizes = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        parts = [f"{c:>{n}}" if i in right else f"{c:<{n}}" for i, (c, n) in
                 enumerate(zip(cells, sizes, strict=True))]  # fmt: skip
        return "  ".join(parts).rstrip() + "\n"

    out.write(line(header))
    for row in rows:
        out.write(line(row))


def _raw(weight: float) -> str:
    """A raw weight as people write it: 0.5, 2.67, 1,290."""
    return f"{weight:,.0f}" if weight >= 1000 else f"{weight:.3g}"


def write_report(document: dict[str, Any], out: TextIO) -> None:
    out.write(f"{document['evaluation']} ({document['status']})\n")
    if document["leader"] is None:
        out.write("No candidate can be ranked yet, so nothing can change the winner.\n")
    else:
        out.write(f"Leader: {document['leader']} with {document['leader_total']:.1f} points\n")
    _flips(document["flips"], out)
    if "simulation" in document:
        _simulation(document["simulation"], out)
    if "weight_sets" in document:
        _sets(document["weight_sets"], out)


def _flips(flips: list[dict[str, Any]], out: TextIO) -> None:
    out.write(
        "\nWhat would change the winner: the smallest change of one weight (its siblings keep "
        "their proportions), in points of its share of the whole evaluation\n"
    )
    rows = []
    for f in flips:
        name = "  " * f["depth"] + f["name"]
        weight = f"{100 * f['effective_weight']:.1f}%"
        if f["flip"] is None:
            rows.append([name, weight, "-", "-", "alone" if f["alone"] else "holds"])
            continue
        flip = f["flip"]
        rows.append([
            name, weight, f"{flip['change_points']:+.1f} pts",
            f"{100 * flip['effective_weight']:.1f}% (raw {_raw(flip['raw_weight'])})",
            flip["new_leader"],
        ])  # fmt: skip
    if rows:
        _table(out, ["Criterion", "Weight", "Change", "Flips at", "New leader"], rows, {1, 2})
        out.write("holds: no change of that weight changes the leader; alone: the only weighted "
                  "item under its parent, so its share cannot change\n")  # fmt: skip


def _simulation(simulation: dict[str, Any], out: TextIO) -> None:
    low, high = simulation["rank_percentiles"]
    out.write(f"\nChances of winning: {simulation['described']}\n")
    rows = []
    for c in simulation["candidates"]:
        if c["rank_median"] is None:
            rows.append([c["candidate"], "-", "disqualified", "-"])
            continue
        ranks = f"{c['rank_low']}-{c['rank_high']}" if c["rank_low"] != c["rank_high"] else str(
            c["rank_low"])  # fmt: skip
        rows.append([c["candidate"], f"{100 * c['chance']:.1f}%", ranks, str(c["rank_median"])])
    _table(out, ["Candidate", "Chance of 1st", f"Ranks ({low}th-{high}th)", "Median"], rows,
           {1, 2, 3})  # fmt: skip
    if simulation["close_call"]:
        out.write(
            f"Close call: {simulation['leader']} leads but ranks first in only "
            f"{100 * simulation['leader_chance']:.1f}% of the draws (under "
            f"{100 * simulation['close_call_below']:.0f}%).\n"
        )
    elif simulation["leader"] is not None:
        out.write(
            f"{simulation['leader']} ranks first in {100 * simulation['leader_chance']:.1f}% of "
            "the draws.\n"
        )


def _sets(sets: dict[str, Any], out: TextIO) -> None:
    out.write("\nRankings under each weighting set (rank and total)\n")
    columns = sets["columns"]
    candidates = [entry["candidate"] for entry in columns[0]["ranking"]]
    cells: dict[tuple[int, str], str] = {}
    for i, column in enumerate(columns):
        for entry in column["ranking"]:
            cells[(i, entry["candidate"])] = f"{entry['rank']} ({entry['total']:.1f})"
    rows = [
        [name, *(cells.get((i, name), "-") for i in range(len(columns)))] for name in candidates
    ]
    _table(out, ["Candidate", *(c["name"] for c in columns)], rows, set(range(1, len(columns) + 1)))
    for column in columns:
        if column["error"]:
            out.write(f"{column['name']} cannot be ranked: {column['error']}\n")
        elif column["missing"]:
            out.write(f"{column['name']} does not name {', '.join(column['missing'])}: their "
                      "current weights are used\n")  # fmt: skip
    out.write(sets["sentence"] + "\n")

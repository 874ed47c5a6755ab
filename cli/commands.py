"""What each subcommand does: parse nothing, decide nothing, call a service and print."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from cli.identity import acting
from evaluator import services
from evaluator.db import Database
from evaluator.domain import EvaluationData, Results, leaves, walk_tree
from evaluator.gates import candidate_status
from evaluator.identity import Identity
from evaluator.kinds import candidate_kind_label, is_weighted, kind_label
from evaluator.scoring import score_evaluation
from evaluator.visibility import NotVisible, require_committee_view, visible_to

Handler = Callable[[argparse.Namespace, Database, TextIO], None]


def _catalog_dirs(args: argparse.Namespace) -> list[Path]:
    """The user's saved-catalogs folder, then any folders given with --dir."""
    from criteria import user_catalog_dir

    return [user_catalog_dir(), *(Path(d) for d in getattr(args, "dir", []))]


def _me(args: argparse.Namespace, db: Database) -> Identity | None:
    return acting(args, db, args.evaluation)


def cmd_catalogs(args: argparse.Namespace, db: Database | None, out: TextIO) -> None:
    from criteria import list_catalogs

    listing = list_catalogs(_catalog_dirs(args))
    width = max((len(c.id) for c in listing), default=2)
    for info in listing:
        origin = "built-in" if info.built_in else str(info.path)
        out.write(f"{info.id:<{width}}  {info.name}  ({origin})\n")
    for problem in getattr(listing, "problems", []):
        out.write(f"skipped: {problem}\n")


def cmd_new(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    from criteria import load_catalog

    catalog = load_catalog(args.catalog, _catalog_dirs(args))
    services.create_evaluation(
        db,
        args.name,
        catalog.criteria,
        client=args.client,
        scale=catalog.scale,
        catalog_id=catalog.id,
    )
    out.write(
        f"created evaluation {args.name!r} from catalog {catalog.id} "
        f"({len(leaves(catalog.criteria))} criteria)\n"
    )


def cmd_demo(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    from criteria.demo import DEMO_NAME, build_demo

    name = args.name or DEMO_NAME
    build_demo(db, name)
    out.write(f"created demo evaluation {name!r}\n")


def cmd_list(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    rows = services.list_evaluations(db)
    if not rows:
        out.write("no evaluations yet: create one with 'new' or 'demo'\n")
        return
    width = max(len(r.name) for r in rows)
    for r in rows:
        out.write(
            f"{r.name:<{width}}  {r.status.value:<9}  {r.candidates} candidates, "
            f"{r.evaluators} evaluators  {r.client}\n"
        )


def seen_by(args: argparse.Namespace, db: Database) -> tuple[EvaluationData, Identity | None]:
    """The evaluation as `--as` may see it (blind scoring: only their own scores)."""
    me = acting(args, db, args.evaluation)
    return visible_to(services.load_evaluation(db, args.evaluation), me), me


def cmd_show(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    data, _viewer = seen_by(args, db)
    out.write(
        f"{data.name}\nclient: {data.client or '-'}\nstatus: {data.status.value}\n"
        f"scale: {data.scale.minimum}..{data.scale.maximum}, aggregation: "
        f"{data.aggregation.value}\n\ncriteria:\n"
    )
    depth: dict[str, int] = {}
    for root in data.criteria:
        for node in root.walk():
            level = depth.get(node.key, 0)
            for child in node.children:
                depth[child.key] = level + 1
            weight = f"weight {node.weight:g}" if is_weighted(node.kind) else "no weight"
            out.write(
                f"  {'  ' * level}{node.key}  {node.name}  [{kind_label(node.kind)}, {weight}]\n"
            )
    out.write("\ncandidates:\n")
    for c in data.candidates:
        out.write(f"  {c.name}  [{candidate_kind_label(c.kind)}]\n")
    out.write("\ncommittee:\n")
    names = {c.id: c.name for c in data.candidates}
    for e in data.evaluators:
        declared = e.declaration.describe(names) if e.declaration else "not declared yet"
        state = "submitted" if e.submitted else f"excused: {e.excused}" if e.excused else ""
        state = f"; {state}" if state else ""
        out.write(f"  {e.name}, {e.role or 'no role'}; {declared}{state}\n")
    out.write(f"chair: {data.chair or 'not named yet'}\n")
    out.write(
        f"\n{len(data.scores)} scores, {len(data.consensus)} consensus scores, "
        f"{len(data.responses)} questionnaire answers\n"
    )


def _people(
    args: argparse.Namespace,
    db: Database,
    out: TextIO,
    word: str,
    verbs: tuple[Callable[..., Any], ...],
    *details: Any,
) -> None:
    """add, rename or remove a candidate or committee member (`word`): `verbs` are the
    services' add, update and remove; `details` the add's fields after the name."""
    add, update, remove = verbs
    if args.action == "add":
        add(db, args.evaluation, args.name, *details, actor=_me(args, db))
        out.write(f"added {word} {args.name!r}\n")
    elif args.action == "rename":
        update(db, args.evaluation, args.name, new_name=args.new_name, actor=_me(args, db))
        out.write(f"renamed {word} {args.name!r} to {args.new_name!r}\n")
    else:
        removed = remove(db, args.evaluation, args.name, why=args.why, actor=_me(args, db))
        count = len(removed.dependents.scores)
        out.write(f"removed {word} {args.name!r} and {count} scores\n")


def cmd_candidate(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    verbs = (services.add_candidate, services.update_candidate, services.remove_candidate)
    _people(args, db, out, "candidate", verbs, args.kind, args.notes)


def cmd_evaluator(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    verbs = (services.add_evaluator, services.update_evaluator, services.remove_evaluator)
    _people(args, db, out, "committee member", verbs, args.role, args.coi)


def cmd_criterion(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    if args.weight is None and args.name is None:
        raise services.ServiceError("criterion set: give --weight and/or --name")
    services.update_criterion(
        db, args.evaluation, args.criterion, weight=args.weight, name=args.name, why=args.why,
        actor=_me(args, db),
    )  # fmt: skip
    out.write(f"updated criterion {args.criterion!r}\n")


def cmd_score(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    me = _me(args, db)
    word = args.value.strip().casefold()
    if word == "clear":
        services.clear_score(
            db, args.evaluation, args.evaluator, args.candidate, args.criterion, why=args.why,
            actor=me,
        )  # fmt: skip
        out.write("score cleared\n")
        return
    services.set_score(
        db, args.evaluation, args.evaluator, args.candidate, args.criterion,
        "0" if word == "abstain" else args.value, args.why, actor=me, abstain=word == "abstain",
    )  # fmt: skip
    out.write(f"score {args.value} recorded for {args.candidate} / {args.criterion}\n")


def cmd_consensus(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    if args.value.strip().casefold() == "clear":
        services.clear_consensus(
            db, args.evaluation, args.candidate, args.criterion, why=args.why,
            actor=_me(args, db),
        )  # fmt: skip
        out.write("consensus cleared\n")
        return
    services.set_consensus(
        db, args.evaluation, args.candidate, args.criterion, args.value, args.why,
        actor=_me(args, db),
    )  # fmt: skip
    out.write(f"consensus {args.value} recorded for {args.candidate} / {args.criterion}\n")


def cmd_status(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    status = services.change_status(
        db, args.evaluation, args.status, why=args.why, actor=_me(args, db)
    )
    out.write(f"status is now {status.value}\n")


def cmd_aggregation(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    services.update_evaluation(db, args.evaluation, aggregation=args.method, actor=_me(args, db))
    out.write(f"members' scores are now combined by their {args.method}\n")


def ranking_document(data: EvaluationData, results: Results) -> dict[str, Any]:
    """The ranking as plain JSON-ready data (used by `rank --json`)."""
    names = {c.id: c for c in data.candidates}
    gate_names = {n.key: n.name for n in walk_tree(data.criteria)}
    return {
        "evaluation": data.name,
        "client": data.client,
        "status": data.status.value,
        "scale": {"min": data.scale.minimum, "max": data.scale.maximum},
        "aggregation": data.aggregation.value,
        "effective_weights": results.effective_weights,
        "ranking": [
            {
                "rank": r.rank,
                "candidate": names[r.candidate_id].name,
                "kind": names[r.candidate_id].kind.value,
                "total": round(r.total, 6),
                "completeness": round(r.completeness, 6),
                "disqualified": r.disqualified,
                "provisional": r.provisional,
                "failed_gates": [{"id": k, "name": gate_names.get(k, k)} for k in r.failed_gates],
                "pending_gates": [{"id": k, "name": gate_names.get(k, k)} for k in r.pending_gates],
                "category_totals": {k: round(v, 6) for k, v in r.category_totals.items()},
            }
            for r in results.candidates
        ],
    }


def committee_data(args: argparse.Namespace, db: Database, what: str) -> EvaluationData:
    """The whole evaluation for what shows the committee's results (`what`: the ranking, the
    sensitivity analysis...), as the reports have it: nobody unnamed once a chair is named,
    no member while scoring blind, the chair with `--live` only (recorded in the audit)."""
    from cli.export_cmd import with_live_hint

    me = acting(args, db, args.evaluation)
    data = services.load_evaluation(db, args.evaluation)
    try:
        live = require_committee_view(data, me, what, args.live)
    except NotVisible as refused:
        raise NotVisible(with_live_hint(refused)) from None
    if live:
        from evaluator.services import process

        process.view_live_results(db, args.evaluation, f"{args.command} --live", actor=me)
    return data


def cmd_rank(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    data = committee_data(args, db, "the committee's ranking")
    results = score_evaluation(data)
    document = ranking_document(data, results)
    if args.json:
        out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    out.write(f"{data.name} ({data.status.value})\n")
    rows = document["ranking"]
    width = max([len(r["candidate"]) for r in rows] + [9])
    out.write(f"{'Rank':<5} {'Candidate':<{width}} {'Total':>6} {'Complete':>9}  Note\n")
    for r in rows:
        state, note = candidate_status(
            [g["name"] for g in r["failed_gates"]], [g["name"] for g in r["pending_gates"]]
        )  # 'Disqualified: failed the gate “…”', the window's sentence (no symbol: any console)
        note = "" if state is None else note
        rank = "-" if r["rank"] is None else str(r["rank"])
        out.write(
            f"{rank:<5} {r['candidate']:<{width}} {r['total']:>6.1f} "
            f"{r['completeness']:>8.0%}  {note}\n"
        )
    if not rows:
        out.write("no candidates yet: add some with 'candidate add'\n")


def cmd_dump(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    from evaluator.jsonio import dump_evaluation

    dump_evaluation(db, args.evaluation, args.output)
    out.write(f"wrote {args.output}\n")


def cmd_load(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    from evaluator.jsonio import load_file

    load_file(db, args.file, name=args.name)
    out.write(f"loaded {args.file}\n")


def cmd_verify(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    """The audit chain and the stored values against it; a break is an error (exit 2)."""
    from evaluator.audit_verify import require_intact

    verdict = require_intact(db, args.evaluation)
    out.write(verdict.sentence() + "\n")
    if verdict.unrecorded:
        out.write(
            f"note: {verdict.unrecorded} stored values came with a loaded file or from before "
            "the record began, so no entry of their own records them\n"
        )


def cmd_catalog(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    from criteria import save_evaluation_criteria

    data = services.load_evaluation(db, args.evaluation)
    save_evaluation_criteria(data, Path(args.output), args.catalog_id, args.catalog_name)
    out.write(f"saved {len(leaves(data.criteria))} criteria to {args.output}\n")


HANDLERS: dict[str, Handler] = {
    "catalogs": cmd_catalogs,
    "new": cmd_new,
    "demo": cmd_demo,
    "list": cmd_list,
    "show": cmd_show,
    "candidate": cmd_candidate,
    "evaluator": cmd_evaluator,
    "criterion": cmd_criterion,
    "score": cmd_score,
    "consensus": cmd_consensus,
    "status": cmd_status,
    "aggregation": cmd_aggregation,
    "rank": cmd_rank,
    "dump": cmd_dump,
    "load": cmd_load,
    "verify": cmd_verify,
    "catalog": cmd_catalog,
}

from cli.excel import EXCEL_HANDLERS  # noqa: E402  (the Excel commands live in their own module)

HANDLERS.update(EXCEL_HANDLERS)

from cli.export_cmd import EXPORT_HANDLERS  # noqa: E402

HANDLERS.update(EXPORT_HANDLERS)

from cli.process_cmd import PROCESS_HANDLERS  # noqa: E402

HANDLERS.update(PROCESS_HANDLERS)

from cli.backup_cmd import BACKUP_HANDLERS  # noqa: E402

HANDLERS.update(BACKUP_HANDLERS)

from cli.sensitivity_cmd import SENSITIVITY_HANDLERS  # noqa: E402

HANDLERS.update(SENSITIVITY_HANDLERS)

from cli.ahp_cmd import AHP_HANDLERS  # noqa: E402

HANDLERS.update(AHP_HANDLERS)

from cli.agreement_cmd import AGREEMENT_HANDLERS  # noqa: E402

HANDLERS.update(AGREEMENT_HANDLERS)

from cli.contract_cmd import CONTRACT_HANDLERS  # noqa: E402

HANDLERS.update(CONTRACT_HANDLERS)

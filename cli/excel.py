"""The Excel commands: questionnaire template/import and scoresheet export/import.

Each import prints its preview first. It applies by itself only when nothing on record would be
replaced; otherwise it needs `--yes` (and, for scoresheet conflicts, `--take-sheet` or
`--keep-database`). Files are independent: each is all or nothing, in its own transaction. A
file that is refused or not applied makes the command exit 2 after the others were handled,
with one line per problem on stderr. The evaluation is backed up before the first file is
written (the line says where; `restore FILE --replace` undoes the import).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from evaluator.wording import plural

if TYPE_CHECKING:
    from evaluator.db import Database

WIDTH = 60


def not_imported(message: str) -> NoReturn:
    """Stop with a one-line reason; the runner prints it and exits 2 (imported lazily so that
    building the parser stays fast)."""
    from evaluator.services import ServiceError

    raise ServiceError(message)


def add_excel_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add `questionnaire` and `scoresheet` to the top-level subparsers."""
    from cli.parser import action_commands

    text = "make a vendor questionnaire workbook, or import filled ones"
    actions = action_commands(sub, "questionnaire", text, common)
    a = actions.add_parser("template", help="write the questionnaire workbook", parents=[common])
    a.add_argument("evaluation")
    a.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    a.add_argument("--candidate", help="fill in this candidate's name (default: a blank one)")
    a = actions.add_parser(
        "import", help="import filled questionnaires (preview, then apply)", parents=[common]
    )
    a.add_argument("evaluation")
    a.add_argument("files", nargs="+", metavar="FILE.xlsx")
    a.add_argument("--candidate", help="the candidate the answers are from (default: the file's)")
    a.add_argument(
        "--valid-only",
        action="store_true",
        help="import the readable answers of a file that has errors, leaving the others out",
    )
    a.add_argument("--yes", action="store_true", help="replace answers already on record")

    text = "export a committee member's scoresheet for offline scoring, or import it back"
    actions = action_commands(sub, "scoresheet", text, common)
    a = actions.add_parser("export", help="write one member's scoresheet", parents=[common])
    a.add_argument("evaluation")
    a.add_argument("--evaluator", required=True, help="the committee member")
    a.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    a.add_argument(
        "--live",
        action="store_true",
        help="the chair exports a sheet that holds a member's scores during blind scoring: a "
        "look at live results, recorded in the audit",
    )
    a = actions.add_parser("import", help="import a filled scoresheet", parents=[common])
    a.add_argument("evaluation")
    a.add_argument("file", metavar="FILE.xlsx")
    choice = a.add_mutually_exclusive_group()
    choice.add_argument(
        "--take-sheet", action="store_true", help="on a conflict, the sheet's score wins"
    )
    choice.add_argument(
        "--keep-database", action="store_true", help="on a conflict, the database's score stays"
    )
    a.add_argument("--valid-only", action="store_true", help="leave out rows with errors")
    a.add_argument("--yes", action="store_true", help="replace scores already on record")


def _short(text: str, width: int = WIDTH) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _progress_line(err: TextIO, what: str) -> Any:
    """`read 3/50 files`, rewritten in place on a terminal, one line each otherwise."""
    live = bool(getattr(err, "isatty", lambda: False)())

    def report(done: int, total: int) -> None:
        if live:  # rewrite the line in place: a CR of our own, not from user text
            rewrite = getattr(err, "write_control", err.write)
            rewrite(f"\r{what} {done}/{total} files" + ("\n" if done == total else ""))
        else:
            err.write(f"{what} {done}/{total} files\n")
        err.flush()

    return report


# ---- questionnaire --------------------------------------------------------------------------


def cmd_questionnaire(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    if args.action == "template":
        from evaluator.questionnaire.template import write_questionnaire_template

        summary = write_questionnaire_template(db, args.evaluation, args.output, args.candidate)
        who = f"for {summary.candidate}" if summary.candidate else "blank"
        out.write(f"wrote {args.output}: {summary.questions} questions, {who}\n")
        return
    _import_questionnaires(args, db, out, sys.stderr)


def _import_questionnaires(
    args: argparse.Namespace, db: Database, out: TextIO, err: TextIO
) -> None:
    from evaluator.questionnaire.importer import apply_questionnaire, preview_questionnaires

    many = len(args.files) > 1
    progress = _progress_line(err, "read") if many else None
    previews = preview_questionnaires(
        db, args.evaluation, args.files, args.candidate, progress=progress
    )
    if not many and previews[0].refused:
        not_imported(previews[0].refused)
    failed: list[str] = []
    backup = None  # one backup of the evaluation before the first file written covers them all
    for item in previews:
        if item.preview is None:
            err.write(f"error: {item.refused}\n")
            failed.append(item.path.name)
            continue
        preview = item.preview
        _print_questionnaire_preview(preview, out)
        reason = _hold_back(preview, args.valid_only, args.yes, "answer")
        if reason and not many:
            not_imported(f"{reason}; nothing was imported")
        if reason:
            err.write(f"error: {reason}\n")
            failed.append(preview.file_name)
            continue
        outcome = apply_questionnaire(db, preview, valid_only=args.valid_only, backup=backup)
        if backup is None and outcome.backup is not None:
            backup = outcome.backup
            out.write(f"backed up the evaluation before the import: {backup}\n")
        out.write(
            f"imported {outcome.written} answers for {outcome.candidate} from "
            f"{outcome.file_name} ({outcome.new} new, {outcome.replaced} replaced"
            + (f", {outcome.skipped} with errors left out" if outcome.skipped else "")
            + ")\n"
        )
    if failed:
        not_imported(
            f"{len(failed)} of {len(previews)} files were not imported ({', '.join(failed)}); "
            "the others were"
        )


def _hold_back(preview: Any, valid_only: bool, yes: bool, noun: str) -> str:
    """Why a previewed file is not applied, or "" to go ahead."""
    errors = preview.errors
    if errors and not valid_only:
        return (
            f"{preview.file_name} has {plural(len(errors), 'error')} (first: {errors[0].text}): "
            f"fix the file, or run again with --valid-only to import the other {noun}s"
        )
    replaced = len(preview.replaced)
    if (replaced or preview.outdated) and not yes:
        why = (
            f"would replace {plural(replaced, noun)} on record"
            if replaced
            else "was made from an older version of the evaluation's questions or criteria"
        )
        return f"{preview.file_name} {why}: check the preview and run again with --yes"
    return ""


def _print_questionnaire_preview(preview: Any, out: TextIO) -> None:
    from evaluator.questionnaire.importer import ChangeKind

    out.write(f"{preview.summary()}\n  SHA-256 {preview.sha256}\n")
    for change in preview.changes:
        if change.kind is ChangeKind.UNCHANGED:
            continue
        shown = (
            f"{_short(change.old_text, 30)} -> {_short(change.new_text, 30)}"
            if change.kind is ChangeKind.CHANGED
            else _short(change.new_text)
        )
        out.write(f"  {change.kind.value:<8} {change.key}: {shown}  ({change.cell})\n")
    _print_problems(preview, out)


def _print_problems(preview: Any, out: TextIO) -> None:
    for problem in preview.problems:
        out.write(f"  {problem.severity.value:<8} {problem.text}\n")
    for notice in preview.notices:
        out.write(f"  note     {notice}\n")


# ---- scoresheet -----------------------------------------------------------------------------


def cmd_scoresheet(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    if args.action == "export":
        from cli.export_cmd import with_live_hint
        from cli.identity import acting
        from evaluator.scoresheet.export import write_scoresheet
        from evaluator.visibility import NotVisible

        viewer = acting(args, db, args.evaluation)
        try:
            summary = write_scoresheet(
                db, args.evaluation, args.evaluator, args.output,
                viewer=viewer, live_view=args.live, why="scoresheet export --live",
            )  # fmt: skip
        except NotVisible as refused:
            raise NotVisible(with_live_hint(refused)) from None
        out.write(
            f"wrote {args.output}: {summary.rows} rows for {summary.evaluator}, "
            f"{summary.filled} already scored\n"
        )
        return
    _import_scoresheet(args, db, out, sys.stderr)


def _import_scoresheet(args: argparse.Namespace, db: Database, out: TextIO, err: TextIO) -> None:
    from pathlib import Path

    from cli.identity import acting
    from evaluator.scoresheet.apply import apply_scoresheet
    from evaluator.scoresheet.merge import Resolution, ScoreChangeKind, preview_scoresheet_file
    from evaluator.services import load_evaluation
    from evaluator.visibility import require_sheet_import

    viewer = acting(args, db, args.evaluation)
    data = load_evaluation(db, args.evaluation)
    preview = preview_scoresheet_file(data, Path(args.file))
    member = next(e for e in data.evaluators if e.id == preview.evaluator_id)
    require_sheet_import(data, viewer, member)  # before the preview shows scores on record
    out.write(f"{preview.summary()}\n  SHA-256 {preview.sha256}\n")
    for change in preview.changes:
        if change.kind is ScoreChangeKind.UNCHANGED:
            continue
        cell = f"{change.candidate} / {change.criterion_key}"
        if change.kind is ScoreChangeKind.CONFLICT:
            base = (
                "none"
                if change.base is None or change.base.value is None
                else (f"{change.base.value:g}")
            )
            now = "none" if change.current is None else f"{change.current.value:g}"
            shown = f"exported {base}, database now {now}, sheet {change.value:g}"
        elif change.current is not None:
            shown = f"{change.current.value:g} -> {change.value:g}"
        else:
            shown = f"{change.value:g}"
        out.write(f"  {change.kind.value:<8} {cell}: {shown}  ({change.cell})\n")
    _print_problems(preview, out)
    resolution = (
        Resolution.TAKE_SHEET
        if args.take_sheet
        else Resolution.KEEP_DATABASE
        if args.keep_database
        else None
    )
    if preview.conflicts and resolution is None:
        not_imported(
            f"{preview.file_name}: {plural(len(preview.conflicts), 'score')} changed in the "
            "database after the sheet was exported: run again with --take-sheet or "
            "--keep-database; nothing was imported"
        )
    reason = _hold_back(preview, args.valid_only, args.yes, "score")
    if reason:
        not_imported(reason + "; nothing was imported")
    outcome = apply_scoresheet(
        db, preview, resolution=resolution, valid_only=args.valid_only, actor=viewer
    )
    if outcome.backup is not None:
        out.write(f"backed up the evaluation before the import: {outcome.backup}\n")
    out.write(
        f"imported {outcome.written} scores of {outcome.evaluator} from {outcome.file_name}"
        + (
            f"; {outcome.kept_database} conflicts kept as in the database"
            if outcome.kept_database
            else ""
        )
        + (f"; {outcome.skipped} rows with errors left out" if outcome.skipped else "")
        + "\n"
    )


EXCEL_HANDLERS = {"questionnaire": cmd_questionnaire, "scoresheet": cmd_scoresheet}

"""`export EVAL [--pdf FILE] [--xlsx FILE] [--appendix] [--live]`: the client reports, from the
shell.

The report shows every member's scores, so during blind scoring it is refused to a member, to
anyone who does not say who they are once a chair is named, and to the chair unless they look
at live results with `--live` (recorded in the audit, as `rank --live` is)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import Any, TextIO

from evaluator.db import Database


def add_export_command(sub: Any, common: argparse.ArgumentParser) -> None:
    help_text = "write the PDF report and/or the live Excel workbook"
    p = sub.add_parser("export", help=help_text, description=help_text, parents=[common])
    p.add_argument("evaluation")
    p.add_argument("--pdf", metavar="FILE.pdf")
    p.add_argument("--xlsx", metavar="FILE.xlsx")
    p.add_argument("--firm", help="consultant firm name on the cover (default: saved branding)")
    p.add_argument("--logo", metavar="IMAGE", help="logo image (PNG or JPEG)")
    p.add_argument("--accent", metavar="#RRGGBB", help="accent colour")
    p.add_argument("--prepared-by", help="the prepared-by line")
    p.add_argument("--draws", type=int, metavar="N",
                   help="draws of the sensitivity section's simulation (default 2000)")  # fmt: skip
    p.add_argument("--seed", type=int, metavar="S",
                   help="the simulation's seed, printed in the report (default 1)")  # fmt: skip
    p.add_argument(
        "--appendix",
        action="store_true",
        help="add appendix B to the PDF: every criterion's detail and the members' "
        "justifications (long at committee scale; the workbook holds them in any case)",
    )
    p.add_argument(
        "--live",
        action="store_true",
        help="the chair exports during blind scoring: a look at live results, recorded in the "
        "audit and shown in the report",
    )
    p.add_argument(
        "--save-branding",
        action="store_true",
        help="remember the branding options given for later exports and the window",
    )


def cmd_export(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    from cli.identity import acting
    from evaluator.visibility import NotVisible
    from reports.branding import load_branding, save_branding
    from reports.export import ExportError, export_reports

    if not args.pdf and not args.xlsx:
        raise ExportError("export: give --pdf FILE.pdf, --xlsx FILE.xlsx, or both")
    branding = load_branding()
    changes = {
        field: value
        for field, value in (
            ("firm_name", args.firm),
            ("logo_path", args.logo),
            ("accent_colour", args.accent),
            ("prepared_by", args.prepared_by),
        )
        if value is not None
    }
    branding = replace(branding, **changes)
    if args.save_branding:
        save_branding(branding)
    viewer = acting(args, db, args.evaluation)
    try:
        result = export_reports(
            db, args.evaluation, args.pdf, args.xlsx, branding,
            viewer=viewer, live_view=args.live, why="export --live",
            simulation=_simulation(args), appendix=args.appendix,
        )  # fmt: skip
    except NotVisible as refused:
        raise NotVisible(with_live_hint(refused)) from None
    for warning in result.warnings:
        sys.stderr.write(f"warning: {warning}\n")
    for path in (result.pdf_path, result.xlsx_path):
        if path is not None:
            out.write(f"wrote {path}\n")


def with_live_hint(refused: Exception) -> str:
    """The core's refusal, plus the shell's way for the chair to look anyway."""
    if getattr(refused, "chair_may_look", False):
        return f"{refused} (add --live to look now)"
    return str(refused)


def _simulation(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The sensitivity section's simulation settings from --draws / --seed (None: defaults)."""
    if args.draws is None and args.seed is None:
        return None
    from evaluator.errors import ServiceError
    from evaluator.simulation_settings import DEFAULT_DRAWS, DEFAULT_SEED, Settings

    settings = Settings(
        draws=DEFAULT_DRAWS if args.draws is None else args.draws,
        seed=DEFAULT_SEED if args.seed is None else args.seed,
    )
    try:
        settings.check()
    except ValueError as error:
        raise ServiceError(f"export: {error}") from None
    return settings


EXPORT_HANDLERS = {"export": cmd_export}

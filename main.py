"""SupportScope: no arguments opens the window; a subcommand runs headless (see --help).

Installed, this module is the `supportscope` command (and `supportscope-window`, the window
alone); from a checkout, `python main.py` does the same.
"""

from __future__ import annotations

import sys


def window_database(argv: list[str]) -> tuple[bool, str | None]:
    """Whether these words ask for the window, and on which database (None: the default).

    Only nothing at all, or a lone `--db FILE` / `--db=FILE`, opens the window; anything else
    is a command for the headless interface (which also answers `--help` and `--version`).
    """
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--db":
        return True, argv[1]
    if len(argv) == 1 and argv[0].startswith("--db="):
        return True, argv[0].removeprefix("--db=")
    return False, None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    wants_window, db = window_database(argv)
    if wants_window:
        from ui.app import run_app

        return run_app(db=db)
    from cli import run

    return run(argv)


def window(argv: list[str] | None = None) -> int:
    """`supportscope-window [--db FILE]`: the window only, never a headless command."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="supportscope-window", description="Open the SupportScope window."
    )
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=None,
        help="database file or SQLAlchemy URL (default: the last one used, else the default one)",
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    from ui.app import run_app

    return run_app(db=args.db)


if __name__ == "__main__":
    sys.exit(main())

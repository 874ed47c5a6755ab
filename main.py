"""SupportScope: no arguments opens the window; a subcommand runs headless (see --help)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or (argv[0] in {"--db"} and len(argv) == 2):
        from ui.app import run_app

        return run_app(db=argv[1] if argv else None)
    from cli import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())

"""The headless interface: `python main.py COMMAND ...` (see `python main.py --help`)."""

from cli.runner import run

__all__ = ["run"]

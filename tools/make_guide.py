"""Write the window's built-in user guide (Help ▸ User guide) from the README's workflows.

The guide is the README's "Using the window" and "Committee workflow" sections without images
(the window shows text); `tests/test_help.py` checks that the shipped guide matches, so the
two never drift.
Run after editing those README sections: `python tools/make_guide.py`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "ui" / "help" / "guide.md"


def guide_from_readme(readme: str) -> str:
    """The "Using the window" and "Committee workflow" sections (up to "From the shell"),
    images and links to files of the repository dropped."""
    start = readme.index("## Using the window")
    end = readme.index("\n## From the shell", start)
    section = readme[start:end]
    section = re.sub(r"^[ \t]*!\[[^\]]*\]\([^)]*\)[ \t]*\n", "", section, flags=re.M)
    section = re.sub(r"\[([^\]]+)\]\((?!https?:)[^)]*\)", r"\1", section)  # no local links
    section = re.sub(r"\n{3,}", "\n\n", section)
    title = "# SupportScope user guide\n\n"
    return (
        title + section.replace("## Using the window", "## Working in the window", 1).strip() + "\n"
    )


def main() -> int:
    text = guide_from_readme((ROOT / "README.md").read_text(encoding="utf-8"))
    GUIDE.write_text(text, encoding="utf-8")
    print(f"wrote {GUIDE.relative_to(ROOT)} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

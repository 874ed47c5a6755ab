"""Screenshots of the Scoring tab in the committee process, from the demo in a throw-away
database: a member's submitted sheet (with an abstention) and a new member's declaration prompt.

    .venv/bin/python tools/screenshots_scoring.py [--out docs/screenshots] [--dark]

The demo is taken back to scoring by its chair, who reopens two sheets: Dr. Maria Okafor
abstains on one cell and submits again; Tom Hallberg's stays open, so members still score blind.
A new member, Sam Whitfield, joins and has not declared yet. Every name is fictitious.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SUBMITTED, NEWCOMER = "Dr. Maria Okafor", "Sam Whitfield"
ABSTAINED_ON = "Brightwater Support Partners"


def prepare(path: Path) -> tuple[str, str]:
    """The demo, back in scoring as described above; (abstained candidate, criterion key)."""
    from criteria.demo import COMMITTEE, DEMO_CHAIR, build_demo
    from evaluator import services
    from evaluator.db import open_database
    from evaluator.domain import leaves
    from evaluator.identity import identify
    from evaluator.kinds import members_score
    from evaluator.services import process

    db = open_database(path)
    evaluation = build_demo(db)
    chair = identify(db, evaluation, DEMO_CHAIR)
    why = "Second round after the reference calls"
    services.change_status(db, evaluation, "scoring", why=why, actor=chair)
    for member in (SUBMITTED, COMMITTEE[-1][0]):
        process.reopen_sheet(db, evaluation, member, why, actor=chair)
    data = services.load_evaluation(db, evaluation)
    key = next(leaf.key for leaf in leaves(data.criteria) if members_score(leaf.kind))
    me = identify(db, evaluation, SUBMITTED)
    services.set_score(db, evaluation, SUBMITTED, ABSTAINED_ON, key, 0,
                       "Missed their Level 1 walkthrough; not scoring it from hearsay",
                       abstain=True, actor=me)  # fmt: skip
    process.submit(db, evaluation, SUBMITTED, actor=me)
    services.add_evaluator(db, evaluation, NEWCOMER, "Director of IT Service Management",
                           actor=chair)  # fmt: skip
    db.close()
    return ABSTAINED_ON, key


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=950)
    parser.add_argument("--dark", action="store_true", help="use a dark palette (Fusion style)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["SUPPORTSCOPE_NO_SETTINGS"] = "1"

    from tools.screenshots import settle, use_dark_palette
    from ui.app import make_application
    from ui.main_window import MainWindow

    app = make_application()
    if args.dark:
        use_dark_palette(app)
    args.out.mkdir(parents=True, exist_ok=True)
    saved = []
    with tempfile.TemporaryDirectory(prefix="supportscope-scoring-") as folder:
        candidate, key = prepare(Path(folder) / "demo.db")
        window = MainWindow()
        window.resize(args.width, args.height)
        window.start_page.open_location(str(Path(folder) / "demo.db"))
        window.show()
        session = window.session
        for who, name in ((SUBMITTED, "scoring-submitted"), (NEWCOMER, "scoring-declaration")):
            assert session.sign_in(who), who
            window.show_tab("Scoring")
            view = window.tab("Scoring")
            if who == SUBMITTED:  # the abstention, with its reason beside the grid
                firm = next(c.id for c in session.data.candidates if c.name == candidate)
                view.grid.setCurrentIndex(view.model.index_of(firm, key))
                view.grid.selectionModel().clearSelection()  # its hatching shows
            else:  # the newcomer is about to declare a conflict
                panel = view.declaration
                panel.some.setChecked(True)
                quillon = next(c for c, box in panel.boxes.items() if "Quillon" in box.text())
                panel.boxes[quillon].setChecked(True)
                panel.note.setText("Consulted for Quillon on their service desk in 2022")
            session.wait_for_results()
            settle()
            path = args.out / f"05{'b' if who == SUBMITTED else 'c'}-{name}.png"
            window.grab().save(str(path))
            saved.append(path)
        window.close()
        session.close_database()
    app.processEvents()
    for path in saved:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

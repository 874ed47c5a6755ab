"""Screenshots of the Scoring tab in the committee process, from the demo in a throw-away
database: a member's submitted sheet (with an abstention) and a new member's declaration prompt.

    .venv/bin/python tools/screenshots_scoring.py [--out docs/screenshots] [--dark]

The demo is taken back to scoring by its chair, who reopens two sheets: Dr. Maria Okafor
abstains on one cell and submits again; Tom Hallberg's stays open, so members still score blind.
A new member, Sam Whitfield, joins and has not declared yet. Every name is fictitious.
"""

from __future__ import annotations

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
    from tools.screenshots import finish, settle, start

    args, app = start(argv, __doc__.splitlines()[0])
    from ui.main_window import MainWindow  # after start(): it sets the environment Qt reads

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
    return finish(app, saved)


if __name__ == "__main__":
    sys.exit(main())

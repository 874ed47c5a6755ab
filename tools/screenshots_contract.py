"""The Contract tab's screenshot for the README: the demo awarded, its contract created, a
year of generated (fictitious) tickets and call statistics imported, the scorecard of a quarter.

    .venv/bin/python tools/screenshots_contract.py [--out docs/screenshots]
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def awarded_demo(location: str) -> None:
    """The demo, finalised by its chair, with a contract and a year of tickets and calls."""
    from criteria.demo import DEMO_CHAIR, build_demo
    from evaluator import contracts
    from evaluator.db import open_database
    from evaluator.identity import identify
    from evaluator.services import process
    from tools.make_tickets import call_table, generate, write_exports, write_table

    db = open_database(location)
    try:
        evaluation = build_demo(db)
        chair = identify(db, evaluation, DEMO_CHAIR)
        process.finalise(db, evaluation, "The board signed the award", actor=chair)
        contracts.create_contract(
            db, evaluation, go_live=date(2025, 1, 1), monthly_fee=40000.0,
            time_zone="America/New_York", actor=chair,
        )  # fmt: skip
        folder = Path(location).parent
        paths = write_exports(folder, generate(3000, seed=5), shapes=("servicenow",))
        contracts.import_tickets(db, evaluation, paths, preset="servicenow", actor=chair)
        months = [f"2025-{m:02d}" for m in range(1, 13)]
        calls = write_table(call_table(months, 5), folder / "calls.csv")
        contracts.import_calls(db, evaluation, calls, actor=chair)
    finally:
        db.close()


def main(argv: list[str] | None = None) -> int:
    from tools.screenshots import finish, settle, start

    args, app = start(argv, __doc__.splitlines()[0])
    from criteria.demo import DEMO_CHAIR
    from ui.main_window import MainWindow

    with tempfile.TemporaryDirectory(prefix="supportscope-contract-") as folder:
        location = str(Path(folder) / "award.db")
        awarded_demo(location)
        window = MainWindow()
        window.resize(args.width, args.height)
        window.start_page.open_location(location)
        if window.identity_dialog is not None:
            window.identity_dialog.choose(DEMO_CHAIR)
            window.identity_dialog.accept()
        window.show()
        window.show_tab("Contract")
        view = window.tab("Contract")
        view.pages.setCurrentIndex(1)
        view.jobs.wait()
        view.period.setCurrentText("2025-Q3")
        view.refresh_scorecard()
        view.jobs.wait()
        view.trend_metric.setCurrentIndex(view.trend_metric.findText("Time to resolve P1"))
        view.trend_metric.activated.emit(view.trend_metric.currentIndex())
        settle()
        saved = [args.out / "19-contract-scorecard.png"]
        window.grab().save(str(saved[0]))
        window.session.close_database()
        window.close()
        return finish(app, saved)


if __name__ == "__main__":
    raise SystemExit(main())

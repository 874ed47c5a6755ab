"""Screenshots of every main tab and dialog, taken from the demo in a throw-away database.

    .venv/bin/python tools/screenshots.py [--out docs/screenshots] [--width 1366 --height 768]

It iterates over the window's tabs, so views added later appear without changes here; then the
Export reports and New evaluation dialogs and the audit trail follow, and then the committee
process: the "Who are you?" prompt, the finalise checklist with open items, and the Results tab
shut while the committee scores blind (the demo moved back to scoring, two sheets reopened, seen
by a member). Runs offscreen by default (no display needed) and never touches the user's settings
or database.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.replace("&", "").lower()).strip("-")


def use_dark_palette(app) -> None:  # type: ignore[no-untyped-def]
    """A typical dark theme, to check that every view reads well on it."""
    from PySide6.QtGui import QColor, QPalette

    app.setStyle("Fusion")
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#2b2d30",
        QPalette.ColorRole.WindowText: "#dfe1e5",
        QPalette.ColorRole.Base: "#1e1f22",
        QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.Text: "#dfe1e5",
        QPalette.ColorRole.Button: "#393b40",
        QPalette.ColorRole.ButtonText: "#dfe1e5",
        QPalette.ColorRole.Highlight: "#2f65ca",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#393b40",
        QPalette.ColorRole.ToolTipText: "#dfe1e5",
        QPalette.ColorRole.PlaceholderText: "#8c8f94",
        QPalette.ColorRole.Mid: "#5a5d63",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    disabled = QColor("#7a7d82")  # greyed out, as a light palette does it
    for role in (
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    app.setPalette(palette)


def settle() -> None:
    from PySide6.QtCore import QCoreApplication

    for _ in range(5):
        QCoreApplication.processEvents()


def grab_dialogs(window, out: Path, first: int) -> list[Path]:  # type: ignore[no-untyped-def]
    """The Export reports dialog for the demo, the New evaluation dialog filled in, and the
    audit trail showing one candidate's scores."""
    from ui.audit_view import audit_view_for
    from ui.export.dialog import ExportDialog, remember_folder
    from ui.new_evaluation_dialog import NewEvaluationDialog

    reports = Path(window.session.location).parent / "Client reports"  # in the throw-away folder
    reports.mkdir(exist_ok=True)
    remember_folder(window.settings, reports)
    export = ExportDialog(window.session, window.settings, window)
    taken = {summary.name for summary in window.session.evaluations()}
    new = NewEvaluationDialog(window.start_page.catalog_dirs, taken, window)
    new.name_edit.setText("Ambulatory EHR support RFP 2027")
    new.client_edit.setText("Cedar Hollow Health")
    audit = audit_view_for(window, window.session)
    audit.choose("candidate", window.session.data.candidates[1].name)
    audit.choose("action", "set score")
    saved = []
    for number, (dialog, name) in enumerate(
        ((export, "export-dialog"), (new, "new-evaluation"), (audit, "audit-trail")),
        start=first,
    ):
        dialog.show()
        # its own size hint: adjustSize would cap it at 2/3 of the small offscreen screen
        if dialog is not audit:  # a table: its chosen size, not its content's
            dialog.resize(dialog.sizeHint().expandedTo(dialog.minimumSize()))
        settle()
        path = out / f"{number:02d}-{name}.png"
        dialog.grab().save(str(path))
        dialog.close()
        saved.append(path)
    return saved


PROTECTED_MEMBER = "Dr. Maria Okafor"  # given a passphrase, so the prompt shows that field
PASSPHRASE = "correct-horse-7"  # hers (a fictitious demo member)
BLIND_MEMBER = "Tom Hallberg"  # sees the Results tab shut while the committee scores blind


def protect_a_member(location: str, evaluation: int) -> None:
    """One demo member protects their identity, as a careful member would."""
    from evaluator.db import open_database
    from evaluator.identity import identify
    from evaluator.services import process

    db = open_database(location)
    try:
        actor = identify(db, evaluation, PROTECTED_MEMBER)
        process.set_passphrase(db, evaluation, PROTECTED_MEMBER, PASSPHRASE, actor=actor)
    finally:
        db.close()


def grab_prompt(window):  # type: ignore[no-untyped-def]
    """The "Who are you?" prompt on the protected member (a QPixmap, saved in its turn); then
    the chair (no passphrase) signs in and works in the window for the other shots."""
    dialog = window.identity_dialog
    dialog.choose(PROTECTED_MEMBER)
    dialog.passphrase.setText("••••••••")
    settle()
    image = dialog.grab()
    dialog.choose(window.session.data.chair)
    dialog.accept()
    return image


def grab_committee(window, out: Path, first: int) -> list[Path]:  # type: ignore[no-untyped-def]
    """The finalise checklist with the demo's open items; then the demo moved back to scoring
    with two sheets reopened, and the Results tab as a member sees it: shut, saying why."""
    from evaluator.checklist import open_items
    from evaluator.domain import Status
    from evaluator.scoring import score_evaluation
    from ui.finalise_dialog import FinaliseDialog
    from ui.undo import ChangeStatus

    session = window.session
    data = session.data
    dialog = FinaliseDialog(data.name, open_items(data, score_evaluation(data)), window)
    dialog.show()
    settle()
    checklist = out / f"{first:02d}-finalise-checklist.png"
    dialog.grab().save(str(checklist))
    dialog.close()

    assert session.execute(ChangeStatus(session, Status.SCORING))
    for member in session.data.evaluators[-2:]:
        assert session.reopen_sheet(member.id, "Asked to review the reference calls")
    assert session.sign_in(BLIND_MEMBER)
    window.show_tab("Results")
    settle()
    blind = out / f"{first + 1:02d}-blind-results.png"
    window.grab().save(str(blind))
    return [checklist, blind]


def grab_ahp(window, out: Path, number: int) -> Path:  # type: ignore[no-untyped-def]
    """The pairwise weighting dialog for the demo's support tiers, as the chair sees it after
    two members answered (one of them inconsistently), open on that member's comparisons."""
    from ui.criteria.ahp_model import choice_index
    from ui.criteria.view import CriteriaView

    session = window.session
    tabs = [window.tabs.widget(i) for i in range(window.tabs.count())]
    criteria = next(tab for tab in tabs if isinstance(tab, CriteriaView))
    window.tabs.setCurrentWidget(criteria)
    criteria.select("tiers")
    answers = {  # in the dialog's order of pairs (15 for six criteria)
        "Dr. Maria Okafor": [1 / 2, 1 / 3, 1 / 3, 1 / 4, 1, 1 / 2, 1 / 2, 1 / 3, 2, 1, 1 / 2, 3,
                             1 / 2, 3, 4],
        "Daniel Reyes, RN": [3, 1 / 3, 2, 5, 1, 1 / 5, 1 / 2, 2, 1, 3, 1, 2, 1, 5, 1 / 3],
    }  # fmt: skip
    for name, values in answers.items():
        assert session.sign_in(name, PASSPHRASE if name == PROTECTED_MEMBER else None), name
        dialog = criteria.open_pairwise()
        for box, value in zip(dialog.pair_boxes, values, strict=True):
            box.setCurrentIndex(choice_index(value))
        dialog.close()
    assert session.sign_in(session.data.chair)
    dialog = criteria.open_pairwise()
    dialog.whose_box.setCurrentIndex(1)  # the second member's comparisons
    dialog.resize(1180, 820)
    settle()
    path = out / f"{number:02d}-ahp-pairwise.png"
    dialog.grab().save(str(path))
    dialog.close()
    return path


def start(argv: list[str] | None, description: str):  # type: ignore[no-untyped-def]
    """The screenshot scripts' shared start: their options, then the application, offscreen
    unless told otherwise and away from the user's settings. Returns (options, application)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--width", type=int, default=1366)  # a common laptop screen
    parser.add_argument("--height", type=int, default=768)
    parser.add_argument("--dark", action="store_true", help="use a dark palette (Fusion style)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["SUPPORTSCOPE_NO_SETTINGS"] = "1"

    from ui.app import make_application

    app = make_application()
    if args.dark:
        use_dark_palette(app)
    args.out.mkdir(parents=True, exist_ok=True)
    return args, app


def finish(app, saved: list[Path]) -> int:  # type: ignore[no-untyped-def]
    """Let Qt finish closing, then list the files written (relative to the checkout)."""
    app.processEvents()
    for path in saved:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


def main(argv: list[str] | None = None) -> int:
    args, app = start(argv, __doc__.splitlines()[0])
    from criteria.demo import DEMO_NAME
    from ui.main_window import MainWindow

    with tempfile.TemporaryDirectory(prefix="supportscope-demo-") as folder:
        window = MainWindow()
        window.resize(args.width, args.height)
        location = str(Path(folder) / "demo.db")
        window.start_page.open_location(location, create=True)
        window.start_page.open_demo()
        assert window.session.data is not None and window.session.data.name == DEMO_NAME
        protect_a_member(location, window.session.data.id)
        window.session.open_evaluation(window.session.data.id)  # asks who is working again
        window.show()
        prompt = grab_prompt(window)
        window.session.wait_for_results()
        saved = []
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            title = window.tab_title(index)
            prepare = getattr(window.tab(title), "prepare_screenshot", None)
            if callable(prepare):
                prepare()
            settle()
            window.session.wait_for_results()
            path = args.out / f"{index + 1:02d}-{slug(title)}.png"
            window.grab().save(str(path))
            saved.append(path)
            # a view may show more of itself: (name suffix, how to get there) pairs
            extras = getattr(window.tabs.widget(index), "extra_screenshots", None)
            for suffix, show in extras() if callable(extras) else []:
                show()
                settle()
                extra = path.with_name(f"{path.stem}-{suffix}.png")
                window.grab().save(str(extra))
                saved.append(extra)
        first = window.tabs.count() + 1
        dialogs = grab_dialogs(window, args.out, first=first)
        saved += dialogs
        number = first + len(dialogs)
        saved.append(args.out / f"{number:02d}-identity-prompt.png")
        prompt.save(str(saved[-1]))
        committee = grab_committee(window, args.out, first=number + 1)
        saved += committee
        saved.append(grab_ahp(window, args.out, number + 1 + len(committee)))
        window.close()
        window.session.close_database()
    return finish(app, saved)


if __name__ == "__main__":
    sys.exit(main())

"""The import dialogs with pytest-qt: files, preview table, progress, cancel, confirm, import."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from evaluator import services
from evaluator.progress import Cancelled
from evaluator.questionnaire.template import write_questionnaire_template
from evaluator.scoresheet.export import write_scoresheet
from tests import hostile_files as hostile
from tests.excel_fixtures import (
    BLUEFIN,
    GOOD,
    GOOD_VALUES,
    LOFFICE_FIXTURE,
    NORTHWIND,
    dump_tables,
    fill_questionnaire,
    lakeside_db,
)
from ui.imports import base as import_base
from ui.imports import questionnaire_dialog as import_dialog
from ui.imports.preview import STATUS_ROLE
from ui.imports.questionnaire_dialog import QuestionnaireImportDialog, ScoresheetImportDialog


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    db, ev = lakeside_db(tmp_path)
    made = {}
    for name in (NORTHWIND, BLUEFIN):
        template = tmp_path / f"t-{name}.xlsx"
        write_questionnaire_template(db, ev, template, name)
        made[name] = fill_questionnaire(template, tmp_path / f"{name}.xlsx", GOOD)
    made["csv"] = hostile.write_csv_renamed(tmp_path / "kestrel.xlsx")
    db.close()
    return made


def statuses(model) -> list[str]:  # type: ignore[no-untyped-def]
    return [model.index(r, 0).data(STATUS_ROLE) for r in range(model.rowCount())]


def test_questionnaire_preview_progress_and_import(
    qtbot, qtmodeltester, tmp_path: Path, files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    db, ev = lakeside_db(tmp_path, "second.db")
    imported: list[bool] = []
    dialog = QuestionnaireImportDialog(db, ev, on_imported=lambda: imported.append(True))
    qtbot.addWidget(dialog)
    monkeypatch.setattr(
        import_base,
        "choose_open_files",
        lambda *_: [str(files[NORTHWIND]), str(files[BLUEFIN]), str(files["csv"])],
    )
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.files.count() == 3
    seen: list[tuple[int, int]] = []
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert dialog.busy and not dialog.preview_button.isEnabled()
    assert dialog.cancel_button.isEnabled()
    dialog.task.progress.connect(lambda d, t: seen.append((d, t)))
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert (dialog.progress.value(), dialog.progress.maximum()) == (1, 1)
    rows = statuses(dialog.model)
    assert rows.count("new") == 30 and rows.count("refused") == 1
    refused = rows.index("refused")
    assert dialog.model.index(refused, 4).data().startswith("kestrel.xlsx is a CSV text file")
    assert dialog.summary.text() == (
        "3 files: 30 new and 0 replaced answers; 1 file cannot be imported."
    )
    qtmodeltester.check(dialog.model)
    assert dialog.import_button.isEnabled()
    asked: list[str] = []
    monkeypatch.setattr(import_base, "confirm", lambda *args: asked.append(args[2]) or True)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert asked == []  # nothing on record was replaced: no question asked
    # one backup of the evaluation before the batch, named in the message
    (backup,) = (tmp_path / "backups").glob("second.*.before-import.lakeside-support-rfp.db")
    assert dialog.summary.text() == (
        f"Imported 30 answers from 2 files. The evaluation as it was before is saved in "
        f"{backup} (File \u25b8 Restore from backup\u2026 brings it back)."
    )
    assert imported == [True] and not dialog.import_button.isEnabled()
    data = services.load_evaluation(db, ev)
    by_candidate = {c.id: c.name for c in data.candidates}
    answers = {(by_candidate[r.candidate_id], r.criterion_key): r.value for r in data.responses}
    assert {k: v for (c, k), v in answers.items() if c == BLUEFIN} == GOOD_VALUES
    assert seen[-1][0] == seen[-1][1]  # progress reached the end


def test_replacing_answers_asks_first_and_no_means_nothing_changes(
    qtbot, tmp_path: Path, files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    db, ev = lakeside_db(tmp_path, "second.db")
    services.set_response(db, ev, NORTHWIND, "cost.fee", 1.0, raw="1")
    dialog = QuestionnaireImportDialog(db, ev)
    qtbot.addWidget(dialog)
    dialog.add_files([files[NORTHWIND]])
    dialog.preview()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    row = statuses(dialog.model).index("changed")
    assert [dialog.model.index(row, c).data() for c in (2, 3, 4)] == [
        "cost.fee (E17)",
        "1 USD",
        "980,000 USD",
    ]
    before = dump_tables(db)
    asked: list[str] = []
    monkeypatch.setattr(import_base, "confirm", lambda *args: asked.append(args[2]) or False)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert asked == ["1 answer on record will be replaced. Import anyway?"]
    assert not dialog.busy and dump_tables(db) == before


def test_errors_block_until_valid_only_is_ticked(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, ev = lakeside_db(tmp_path)
    dialog = QuestionnaireImportDialog(db, ev)
    qtbot.addWidget(dialog)
    dialog.add_files([LOFFICE_FIXTURE])
    dialog.preview()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    rows = statuses(dialog.model)
    assert rows.count("error") == 2 and rows.count("new") == 11
    assert not dialog.import_button.isEnabled()
    assert "1 file with errors, imported only if you tick" in dialog.summary.text()
    qtbot.mouseClick(dialog.valid_only, Qt.MouseButton.LeftButton)
    assert dialog.valid_only.isChecked() and dialog.import_button.isEnabled()
    dialog.import_files()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.summary.text().startswith("Imported 11 answers from 1 file. The evaluation")
    qtbot.mouseClick(dialog.valid_only, Qt.MouseButton.LeftButton)
    assert not dialog.import_button.isEnabled()


def test_cancel_stops_the_preview_and_writes_nothing(
    qtbot, tmp_path: Path, files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    db, ev = lakeside_db(tmp_path, "second.db")
    started = threading.Event()

    def slow_preview(db, evaluation, paths, candidate=None, *, progress, cancel):  # type: ignore[no-untyped-def]
        progress(1, len(paths))
        started.set()
        while not cancel():
            threading.Event().wait(0.01)
        raise Cancelled

    monkeypatch.setattr(import_dialog, "preview_questionnaires", slow_preview)
    dialog = QuestionnaireImportDialog(db, ev)
    qtbot.addWidget(dialog)
    dialog.add_files([files[NORTHWIND], files[BLUEFIN]])
    before = dump_tables(db)
    dialog.preview()
    qtbot.waitUntil(lambda: dialog.progress.value() == 1, timeout=5_000)
    assert dialog.progress.maximum() == 2 and started.is_set()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5_000)
    assert dialog.summary.text() == "Cancelled; nothing was imported."
    assert dialog.preview_button.isEnabled() and not dialog.import_button.isEnabled()
    assert dump_tables(db) == before


def test_scoresheet_conflicts_are_decided_before_import(
    qtbot, qtmodeltester, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    db, ev = lakeside_db(tmp_path)
    services.set_score(db, ev, "Rosa Ferreira", NORTHWIND, "support.analysts", 4, "Six named.")
    path = tmp_path / "rosa.xlsx"
    write_scoresheet(db, ev, "Rosa Ferreira", path)
    workbook = load_workbook(path)
    sheet = workbook["Scores"]
    sheet["F5"], sheet["G5"] = 1, "Only one analyst met us."
    sheet["F6"], sheet["G6"] = 3, "Two per shift."
    workbook.save(path)
    services.set_score(db, ev, "Rosa Ferreira", NORTHWIND, "support.analysts", 5, "Office.")
    imported: list[bool] = []
    dialog = ScoresheetImportDialog(db, ev, on_imported=lambda: imported.append(True))
    qtbot.addWidget(dialog)
    dialog.set_file(path)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    model = dialog.score_model
    qtmodeltester.check(model)
    assert statuses(model) == ["conflict", "new"]
    assert [model.index(0, c).data() for c in range(6)] == [
        NORTHWIND,
        "support.analysts",
        "F5",
        "4",
        "5",
        "1",
    ]
    decision = model.index(0, model.DECISION_COLUMN)
    assert decision.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.PartiallyChecked
    assert not dialog.import_button.isEnabled()  # undecided
    assert "1 score was changed in the database" in dialog.summary.text()
    assert model.setData(decision, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.summary.text().startswith("Imported 2 scores of Rosa Ferreira from rosa.xlsx. ")
    assert "before-import" in dialog.summary.text()
    assert imported == [True]
    values = {s.criterion_key: s.value for s in services.load_evaluation(db, ev).scores}
    assert values == {"support.analysts": 1.0, "support.engineers": 3.0}


def test_a_rejected_scoresheet_shows_its_sentence(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, ev = lakeside_db(tmp_path)
    dialog = ScoresheetImportDialog(db, ev)
    qtbot.addWidget(dialog)
    dialog.set_file(hostile.write_old_xls(tmp_path / "rosa.xls"))
    dialog.preview()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.summary.text().startswith("rosa.xls is an old Excel 97-2003 workbook (.xls)")
    assert not dialog.import_button.isEnabled() and dialog.score_model.rowCount() == 0


def test_entry_points_with_the_session(
    qtbot, tmp_path: Path, files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from ui.session import EvaluationSession

    db, _ = lakeside_db(tmp_path, "session.db")
    db.close()
    session = EvaluationSession()
    assert session.open_database(str(tmp_path / "session.db"))
    dialog = import_dialog.open_questionnaire_import(None, session, [files[NORTHWIND]])
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and dialog.files.count() == 1
    dialog.preview()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    dialog.import_files()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert len(session.data.responses) == 15  # the session was reloaded
    monkeypatch.setattr(import_base, "choose_item", lambda *args: args[3][1])
    monkeypatch.setattr(
        import_base, "choose_save_file", lambda *args: str(tmp_path / "out" / "northwind")
    )
    (tmp_path / "out").mkdir()
    written = import_dialog.export_questionnaire_template(None, session)
    assert written == tmp_path / "out" / "northwind.xlsx" and written.exists()
    monkeypatch.setattr(import_base, "choose_item", lambda *args: args[3][0])
    sheet = import_dialog.export_scoresheet(None, session)
    assert sheet is not None and sheet.exists()
    session.close_database()

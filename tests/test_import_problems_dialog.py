"""The import preview read like a procurement manager on a 1366x768 laptop: the Status column
in sight, a row's full message with its question id, errors only at a tick, and the problems
saved as a workbook to send back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from evaluator import services
from evaluator.import_problems import HEADERS
from evaluator.scoresheet.export import write_scoresheet
from tests import hostile_files as hostile
from tests.excel_fixtures import (
    FIXTURE_BLANKS,
    FIXTURE_ERRORS,
    LOFFICE_FIXTURE,
    lakeside_db,
)
from ui.imports import base as import_base
from ui.imports.preview import STATUS_ROLE
from ui.imports.questionnaire_dialog import QuestionnaireImportDialog, ScoresheetImportDialog


def shown_statuses(dialog) -> list[str]:  # type: ignore[no-untyped-def]
    table = dialog.table.model()
    return [table.index(r, 0).data(STATUS_ROLE) for r in range(table.rowCount())]


def test_status_first_full_text_errors_only_and_the_problems_saved(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    db, ev = lakeside_db(tmp_path)
    filled = Path(shutil.copy(LOFFICE_FIXTURE, tmp_path / "northwind answers.xlsx"))
    csv = hostile.write_csv_renamed(tmp_path / "kestrel.xlsx")
    dialog = QuestionnaireImportDialog(db, ev)
    qtbot.addWidget(dialog)
    dialog.resize(1366 - 40, 768 - 80)  # a laptop screen, less the task bar and title
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.save_problems_button.isEnabled()  # nothing previewed yet
    dialog.add_files([filled, csv])
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)

    # the Status column comes first, in sight whatever the texts beside it
    status = dialog.model.columnCount() - 1
    assert dialog.model.headers[status] == "Status"
    assert dialog.table.horizontalHeader().visualIndex(status) == 0
    assert dialog.table.columnViewportPosition(status) == 0
    everything = shown_statuses(dialog)
    assert everything.count("error") == len(FIXTURE_ERRORS) and "refused" in everything

    # a problem row names its question and cell; the pane below shows the whole message
    key = FIXTURE_ERRORS[0]
    row = next(r for r, item in enumerate(dialog.model.rows) if item.cells[2].startswith(key))
    assert dialog.model.rows[row].cells[2].startswith(f"{key} (E")
    dialog.table.selectRow(row)
    assert key in dialog.details.toPlainText()
    assert dialog.model.rows[row].tooltip in dialog.details.toPlainText()
    refused = everything.index("refused")
    assert dialog.model.index(refused, 4).data().endswith("\u2026")  # the cell is shortened
    dialog.table.selectRow(refused)
    assert dialog.details.toPlainText().endswith("then import it again.")  # the pane is not

    # errors only: the rows that stop an import, and back
    qtbot.mouseClick(dialog.errors_only, Qt.MouseButton.LeftButton)
    assert sorted(shown_statuses(dialog)) == sorted(["error"] * len(FIXTURE_ERRORS) + ["refused"])
    qtbot.mouseClick(dialog.errors_only, Qt.MouseButton.LeftButton)
    assert shown_statuses(dialog) == everything

    # the problems, saved for the vendor
    target = tmp_path / "back to vendor.xlsx"
    asked: list[str] = []
    monkeypatch.setattr(
        import_base,
        "choose_save_file",
        lambda _p, _t, suggested: asked.append(suggested) or str(target),
    )
    assert dialog.save_problems_button.isEnabled()
    qtbot.mouseClick(dialog.save_problems_button, Qt.MouseButton.LeftButton)
    assert asked == ["northwind answers - problems.xlsx"]
    count = len(FIXTURE_ERRORS) + len(FIXTURE_BLANKS) + 1
    assert dialog.summary.text() == f"Saved {count} problems to {target}."
    sheet = load_workbook(target)["Problems"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS and len(rows) == count + 1
    assert {r[3] for r in rows[1:] if r[3]} == {*FIXTURE_ERRORS, *FIXTURE_BLANKS}
    db.close()


def test_a_scoresheets_problems_can_be_saved_for_the_member(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    db, ev = lakeside_db(tmp_path)
    path = tmp_path / "rosa.xlsx"
    write_scoresheet(db, ev, "Rosa Ferreira", path)
    workbook = load_workbook(path)
    workbook["Scores"]["F5"] = 4  # a score without its justification
    workbook.save(path)
    dialog = ScoresheetImportDialog(db, ev)
    qtbot.addWidget(dialog)
    dialog.set_file(path)
    dialog.preview()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert "error" in shown_statuses(dialog)
    target = tmp_path / "for rosa.xlsx"
    monkeypatch.setattr(import_base, "choose_save_file", lambda *_: str(target))
    qtbot.mouseClick(dialog.save_problems_button, Qt.MouseButton.LeftButton)
    (line,) = list(load_workbook(target)["Problems"].iter_rows(min_row=2, values_only=True))
    assert line[:5] == ("rosa.xlsx", "Scores", "F5", "support.analysts", "error")
    assert line[6] == "Write why beside the score."
    assert services.load_evaluation(db, ev).scores == []  # saving the list imports nothing
    db.close()


def test_the_problems_an_import_left_behind_can_still_be_saved(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Importing the valid answers leaves the problem rows listed: the list still goes back
    to the vendor (a tester found Save problems… greyed out after the import)."""
    db, ev = lakeside_db(tmp_path)
    filled = Path(shutil.copy(LOFFICE_FIXTURE, tmp_path / "northwind answers.xlsx"))
    dialog = QuestionnaireImportDialog(db, ev)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.add_files([filled])
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    dialog.valid_only.setChecked(True)
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.summary.text().startswith("Imported ")
    assert services.load_evaluation(db, ev).responses  # the valid answers are in
    assert "error" in shown_statuses(dialog) and dialog.save_problems_button.isEnabled()
    target = tmp_path / "back to vendor.xlsx"
    monkeypatch.setattr(import_base, "choose_save_file", lambda *_: str(target))
    qtbot.mouseClick(dialog.save_problems_button, Qt.MouseButton.LeftButton)
    rows = list(load_workbook(target)["Problems"].iter_rows(min_row=2, values_only=True))
    assert {r[3] for r in rows if r[3]} == {*FIXTURE_ERRORS, *FIXTURE_BLANKS}
    db.close()

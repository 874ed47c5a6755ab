"""The Contract tab driven like a chair after the award: the tab appears once the evaluation is
final, the contract is created from the dialog, a target changed with a reason (undoable,
audited, a stale edit refused), a generated ServiceNow-like export imported through the mapping
and preview, and the scorecard shows a breach with its service credit."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate

from evaluator import contracts, services
from evaluator.contracts import SetTarget, TargetValue
from tests.contract_fixtures import AWARD, WINNER, awarded, renewal
from tests.test_ui_accessibility import repeats, unnamed, visible_texts
from tests.test_ui_window import make_window
from tools.make_tickets import Ticket, generate, write_exports, write_table
from ui.contract.view import ContractView
from ui.main_window import MainWindow


def contract_window(qtbot, tmp_path: Path, *, final: bool = True) -> MainWindow:  # type: ignore[no-untyped-def]
    db, _ev = awarded(tmp_path, final=final)
    db.close()
    window = make_window(qtbot, tmp_path)
    window.start_page.open_location(str(tmp_path / "t.db"))
    window.session.wait_for_results()
    return window


def tab(window: MainWindow) -> ContractView:
    view = window.tab("Contract")
    assert isinstance(view, ContractView)
    window.show_tab("Contract")
    return view


def tab_shown(window: MainWindow) -> bool:
    return window.tabs.isTabVisible(window.tabs.indexOf(window.tab_page("Contract")))


def create(qtbot, view: ContractView, fee: float = 40000.0) -> None:  # type: ignore[no-untyped-def]
    view.create_button.click()
    dialog = view.dialog
    dialog.go_live.setDate(QDate(2025, 1, 1))
    dialog.fee.setValue(fee)
    dialog.zone.setCurrentText("America/New_York")
    assert dialog.candidate.currentData() == WINNER
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: view.contract is not None)


def rows(model) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def select_target(view: ContractView, label: str) -> None:
    row = next(i for i, r in enumerate(rows(view.targets_model)) if r[0] == label)
    view.targets.selectRow(row)


def test_the_tab_appears_once_final_and_shows_where_each_target_came_from(qtbot, tmp_path) -> None:
    window = contract_window(qtbot, tmp_path, final=False)
    qtbot.waitUntil(lambda: window.tab_page("Contract") is not None)
    qtbot.wait(5)
    assert not tab_shown(window)
    window.session.finalise("The board signed the award")
    assert tab_shown(window)
    view = tab(window)
    assert view.create_button.isVisible() and "No support contract" in view.banner.text()
    create(qtbot, view)
    shown = {r[0]: r for r in rows(view.targets_model)}
    assert shown["Time to resolve P1"][1:3] == ["≤ 4.0 h", "promised (confirmed by consensus)"]
    assert "answered “4”" in shown["Time to resolve P1"][3]
    assert shown["First-contact resolution"][1:3] == ["≥ 66.0%", "standard"]
    assert "HDI" in shown["First-contact resolution"][3]
    assert shown["Named account team"][1] == "Account manager and a named lead analyst"
    assert not view.create_button.isVisible() and WINNER in view.summary.text()


def test_a_target_change_needs_a_reason_is_undoable_and_a_stale_one_is_refused(
    qtbot, tmp_path, shown
) -> None:
    window = contract_window(qtbot, tmp_path)
    view = tab(window)
    create(qtbot, view)
    before = contracts.read_contract(window.session.db, AWARD).target("response", "P1")
    select_target(view, "Time to first response P1")
    view.edit_button.click()
    dialog = view.dialog
    dialog.value.setText("20min")
    assert not dialog.ok_button.isEnabled()  # no reason yet
    dialog.reason.setPlainText("Agreed at contract signature: 20 minutes round the clock")
    dialog.ok_button.click()
    db = window.session.db
    assert contracts.read_contract(db, AWARD).value("response", "P1") == 20
    audit = [e for e in services.audit_trail(db, AWARD) if e.action == "edit target"]
    assert len(audit) == 1 and "20 minutes" in audit[0].why
    assert window.session.undo_stack.canUndo()
    window.session.undo_stack.undo()
    assert contracts.read_contract(db, AWARD).target("response", "P1") == before  # source too
    window.session.undo_stack.redo()
    after = contracts.read_contract(db, AWARD).target("response", "P1")
    assert after.value == 20 and after.source != before.source and "20 minutes" in after.citation
    assert rows(view.targets_model)[0][1] == "≤ 20 min"

    select_target(view, "Time to resolve P1")
    view.edit_button.click()
    dialog = view.dialog
    contracts.apply_target(  # a colleague changes it meanwhile
        db,
        AWARD,
        SetTarget("resolution", "P1", TargetValue(240.0), TargetValue(300.0), "Colleague's"),
    )
    dialog.value.setText("3h")
    dialog.reason.setPlainText("Tighter after the reference calls")
    dialog.ok_button.click()
    assert shown and "changed" in shown[-1]  # the core's stale-change sentence
    assert contracts.read_contract(db, AWARD).value("resolution", "P1") == 300
    assert "5.0 h" in next(r[1] for r in rows(view.targets_model) if r[0] == "Time to resolve P1")


def slow_p1(tickets: list[Ticket]) -> list[Ticket]:
    """Every P1 of February 2025 restored in nine hours: the 4-hour promise is breached."""
    out = []
    for t in tickets:
        if t.priority == 1 and 1738386000 <= t.opened < 1740805200:  # Feb 2025, New York
            t = Ticket(**{**t.__dict__, "resolved": t.opened + 9 * 3600})
        out.append(t)
    return out


def test_import_an_export_through_the_mapping_and_see_a_breach_and_its_credit(
    qtbot, tmp_path, shown
) -> None:
    window = contract_window(qtbot, tmp_path)
    view = tab(window)
    create(qtbot, view)
    tickets = slow_p1(generate(600, start="2025-01", months=3, seed=11))
    paths = write_exports(tmp_path / "out", tickets, shapes=("servicenow",))
    view.tickets_button.click()
    dialog = view.dialog
    dialog.choose_preset("servicenow")
    dialog.add_files([str(p) for p in paths])
    dialog.jobs.wait()
    assert dialog.mapping.rowCount() == 12
    dialog.preview_button.click()
    dialog.jobs.wait()
    preview = dialog.preview
    assert preview is not None and not preview.written
    assert dialog.counts.item(0, 0).text() == "servicenow-1.csv"
    assert int(dialog.counts.item(0, 1).text()) + int(dialog.counts.item(1, 1).text()) == 600
    assert "also in servicenow-1.csv" in dialog.problems.toPlainText()  # duplicates by line
    assert contracts.scorecard(window.session.db, AWARD).months[0].tickets == 0  # nothing yet
    dialog.import_button.click()
    dialog.jobs.wait()
    assert dialog.preview.written and "Imported" in dialog.banner.text()
    calls = write_table(
        [["Month", "Offered", "Answered", "Abandoned", "ASA (s)"], ["2025-02", 1000, 880, 120, 25]],
        tmp_path / "calls.csv",
    )
    view.import_calls(str(calls))
    view.jobs.wait()
    view.jobs.wait()
    assert view.card is not None and len(view.card.months) == 3
    view.period.setCurrentText("2025-02")
    view.period.activated.emit(view.period.currentIndex())
    view.jobs.wait()
    lines = {r[0]: r for r in rows(view.metrics_model)}
    assert lines["Time to resolve P1"][3] == "✗ breached"
    assert lines["Abandoned calls"][1:4] == ["12.0%", "7.0%", "✗ breached"]
    card = view.period_card
    assert card is not None and "Time to resolve P1" in card.breaches
    expected = min(len(card.breaches) * 0.02, 0.20) * 40000
    assert card.credit == pytest.approx(expected)
    assert f"service credit {expected:,.2f}" in view.period_text.text()
    assert "breached: " in view.period_text.text()
    view.trend_metric.setCurrentIndex(view.trend_metric.findText("Time to resolve P1"))
    view.trend_metric.activated.emit(view.trend_metric.currentIndex())
    assert [p.verdict for p in view.chart.points][1] == "breached"
    assert "2025-02" in view.chart.accessibleDescription()
    assert not shown


def test_the_dialogs_name_every_input_and_repeat_no_mnemonic(qtbot, tmp_path) -> None:
    window = contract_window(qtbot, tmp_path)
    view = tab(window)
    assert repeats([a.text() for a in window.menuBar().actions()] + visible_texts(window)) == {}
    assert unnamed(window) == []
    create(qtbot, view)
    select_target(view, "Abandoned calls")
    opened = [view.edit_target(), view.import_tickets()]
    view.dialog.add_files([str(write_exports(tmp_path, generate(5), shapes=("jira",))[0])])
    view.dialog.jobs.wait()
    assert view.dialog.mapping.rowCount() == 12
    for dialog in opened:
        qtbot.waitExposed(dialog)
        assert repeats(visible_texts(dialog)) == {}, type(dialog).__name__
        assert unnamed(dialog) == [], type(dialog).__name__
        dialog.close()
    from ui.contract.create_dialog import CreateContractDialog

    dialog = CreateContractDialog(window.session.data, window.session.results, window)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert repeats(visible_texts(dialog)) == {} and unnamed(dialog) == []


def test_the_same_client_evaluating_again_sees_the_winners_delivered_record(
    qtbot, tmp_path
) -> None:
    """Close the loop: the award's winner, bidding again to the same client, shows what it
    delivered (its latest quarter's verdict and breaches) in the Candidates tab and the CLI."""
    import io

    from cli import run

    window = contract_window(qtbot, tmp_path)
    view = tab(window)
    create(qtbot, view)
    db = window.session.db
    tickets = slow_p1(generate(200, start="2025-01", months=3, seed=4))
    paths = write_exports(tmp_path / "o", tickets, shapes=("servicenow",))
    contracts.import_tickets(db, AWARD, paths, preset="servicenow")
    again = renewal(db)
    window.session.open_evaluation(again)
    candidates = window.tab("Candidates")
    candidates.track_record.jobs.wait()
    records = candidates.track_record.records
    assert [r.candidate for r in records] == [WINNER]
    expected = contracts.scorecard(db, AWARD, quarter="2025-Q1").quarter
    assert records[0].period.label == "2025-Q1" and records[0].period == expected
    window.show_tab("Candidates")
    text = candidates.track_record.label.text()
    assert candidates.track_record.isVisible() and f"{WINNER}: Delivered under" in text
    assert "Time to resolve P1" in text and expected.verdict in text
    out, err = io.StringIO(), io.StringIO()
    window.session.close_database()
    assert run(["contract", "record", "Harbor Point Renewal 2026", "--db", str(tmp_path / "t.db")],
               out, err) == 0, err  # fmt: skip
    assert out.getvalue().startswith(f"{WINNER}: Delivered under '{AWARD}', 2025-Q1")
    assert "Newcomer" not in out.getvalue()


def ticket_dialog(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    """The ticket import dialog of an awarded evaluation's contract, with the ServiceNow-like
    preset chosen, and one month of 50 tickets exported in that shape."""
    window = contract_window(qtbot, tmp_path)
    view = tab(window)
    create(qtbot, view)
    paths = write_exports(tmp_path / "out", generate(50, start="2025-01", months=1, seed=3),
                          shapes=("servicenow",))  # fmt: skip
    view.tickets_button.click()
    view.dialog.choose_preset("servicenow")
    return view.dialog, paths


def test_the_mapping_ignores_the_wheel_and_refuses_a_field_from_two_columns(
    qtbot, tmp_path, shown
) -> None:
    """A wheel turn over a mapping choice scrolls, it does not remap; two columns feeding one
    field are named and block the preview until one is set to (not imported)."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    dialog, paths = ticket_dialog(qtbot, tmp_path)
    dialog.add_files([str(p) for p in paths])
    dialog.jobs.wait()
    combo = dialog.mapping.cellWidget(1, 1)
    chosen = combo.currentText()
    wheel = QWheelEvent(QPointF(5, 5), QPointF(5, 5), QPoint(0, 0), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)  # fmt: skip
    QApplication.sendEvent(combo, wheel)
    assert combo.currentText() == chosen
    first = dialog.mapping.item(0, 0).text()
    second = dialog.mapping.item(1, 0).text()
    taken = dialog.mapping.cellWidget(0, 1).currentData()
    assert taken and dialog.preview_button.isEnabled()
    dialog.set_field(second, taken)
    assert dialog.fields_mapped_twice() == {taken: [first, second]}
    assert not dialog.preview_button.isEnabled()
    assert first in dialog.banner.text() and second in dialog.banner.text()
    dialog.set_field(second, "(not imported)")
    assert dialog.preview_button.isEnabled() and dialog.banner.text() == ""


def test_a_bad_file_clears_the_earlier_preview_and_says_which_file(qtbot, tmp_path, shown) -> None:
    dialog, paths = ticket_dialog(qtbot, tmp_path)
    dialog.add_files([str(paths[0])])
    dialog.jobs.wait()
    dialog.preview_button.click()
    dialog.jobs.wait()
    assert dialog.counts.rowCount() == 1
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a workbook at all")
    dialog.add_files([str(bad)])
    dialog.jobs.wait()
    assert dialog.counts.rowCount() == 0  # the old counts belonged to other files
    dialog.preview_button.click()
    dialog.jobs.wait()
    assert dialog.counts.rowCount() == 0 and dialog.problems.toPlainText() == ""
    assert "broken.xlsx" in dialog.banner.text()
    assert dialog.files.maximumHeight() < 200  # the mapping keeps the room at 1366x768


def test_the_scorecard_follows_the_newest_quarter_until_the_user_picks_one(qtbot, tmp_path):
    """A tester found the scorecard still on the go-live quarter, empty, after importing a later
    quarter's tickets: until a period is picked, the newest quarter is shown; a picked one
    stays. Quarters come first, then the months, with a line between them."""
    window = contract_window(qtbot, tmp_path)
    view = tab(window)
    create(qtbot, view)
    db = window.session.db

    def imported(start: str, months: int, folder: str) -> None:
        tickets = generate(120, start=start, months=months, seed=5)
        paths = write_exports(tmp_path / folder, tickets, shapes=("servicenow",))
        contracts.import_tickets(db, AWARD, paths, preset="servicenow")
        view.refresh_scorecard()
        view.jobs.wait()
        view.jobs.wait()

    imported("2025-01", 1, "january")
    assert view.period.currentText() == "2025-Q1" and view.period_card is not None
    imported("2025-04", 2, "spring")  # a later quarter's tickets
    texts = [view.period.itemText(i) for i in range(view.period.count())]
    assert texts[:3] == ["2025-Q2", "2025-Q1", ""]  # the quarters, a separator, the months
    assert view.period.currentText() == "2025-Q2"
    assert view.period_card is not None and view.period_card.label == "2025-Q2"
    assert view.period_card.tickets > 0
    view.period.setCurrentText("2025-Q1")  # the user picks the first quarter
    view.period.activated.emit(view.period.currentIndex())
    view.jobs.wait()
    imported("2025-06", 1, "june")
    assert view.period.currentText() == "2025-Q1"  # the user's choice stays


def test_the_source_follows_the_preset_until_the_user_names_it(qtbot, tmp_path):
    """A tester chose the generic preset and the mapping would have been saved as
    "servicenow": a source still named after a preset takes the chosen preset's name; one the
    user typed stays."""
    dialog, _paths = ticket_dialog(qtbot, tmp_path)
    assert dialog.source.currentText() == "servicenow"
    dialog.choose_preset("generic")
    assert dialog.source.currentText() == "generic"
    assert dialog.preset.currentData() == "generic"
    dialog.source.setCurrentText("East campus helpdesk")
    dialog.choose_preset("servicenow")
    assert dialog.source.currentText() == "East campus helpdesk"
    assert dialog.preset.currentData() == "servicenow"

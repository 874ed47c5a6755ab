"""What the Contract tab's buttons do: each opens its dialog (kept on `view.dialog`, so tests
drive it like a user) and, when accepted, calls the core; refusals go to the session's error
display. Nothing here is undone but a target change (the command on the undo stack): creating
the contract and imports are audited writes, like finalising."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from evaluator import contracts
from evaluator.wording import plural
from ui.contract.create_dialog import CreateContractDialog
from ui.contract.targets import TargetCommand, TargetDialog
from ui.errors import USER_ERRORS, user_message
from ui.file_dialogs import choose_open_file
from ui.grid.model import KEY_ROLE

if TYPE_CHECKING:
    from ui.contract.view import ContractView

SHEETS = "Spreadsheets and CSV (*.xlsx *.xlsm *.csv);;All files (*)"


def create_contract(view: ContractView) -> CreateContractDialog | None:
    session = view.session
    if session.data is None:
        return None
    dialog = CreateContractDialog(session.data, session.results, view)
    view.dialog = dialog

    def accepted() -> None:
        assert session.db is not None
        try:
            created = contracts.create_contract(
                session.db, session.ref, actor=session.identity, **dialog.values
            )
        except USER_ERRORS as exc:
            session.errorRaised.emit(user_message(exc))
            return
        view.reload()
        missing = len(created.missing_promises)
        if missing:
            view.banner.show_message(
                f"{plural(missing, 'promise')} had no answer in the questionnaire: their standard "
                "targets apply (see the Targets page)."
            )

    dialog.accepted.connect(accepted)
    dialog.open()
    return dialog


def edit_target(view: ContractView) -> TargetDialog | None:
    """Change the selected target with a reason: one undoable, audited change."""
    contract = view.contract
    rows = view.targets.selectionModel().selectedRows()
    if contract is None or not rows:
        view.session.errorRaised.emit("Choose the target to change in the table first.")
        return None
    metric, priority = rows[0].data(KEY_ROLE)
    target = contract.target(metric, priority)
    if target is None:
        return None
    dialog = TargetDialog(target, view)
    view.dialog = dialog

    def accepted() -> None:
        command = TargetCommand(view.session, dialog.change(), view.reload)
        view.session.execute(command)
        view.reload()  # a refused (stale) change shows what is stored now

    dialog.accepted.connect(accepted)
    dialog.open()
    return dialog


def import_tickets(view: ContractView) -> QDialog:
    """The ticket import: files, column mapping, preview, then the all-or-nothing write."""
    from ui.contract.import_dialog import TicketImportDialog

    session = view.session
    assert session.db is not None
    dialog = TicketImportDialog(session, view)
    view.dialog = dialog
    dialog.imported.connect(view.reload)
    dialog.open()
    return dialog


def import_calls(view: ContractView, path: str = "") -> None:
    """Monthly call statistics from a sheet (refused whole when a row is wrong)."""
    session = view.session
    path = path or choose_open_file(view, "Import call statistics", filters=SHEETS, kind="tickets")
    if not path or session.db is None:
        return
    db, ref, actor = session.db, session.ref, session.identity

    def work(_progress, _cancel):  # type: ignore[no-untyped-def]
        return contracts.import_calls(db, ref, Path(path), actor=actor)

    def done(months: int) -> None:
        view.banner.show_message(f"Imported the call statistics of {months} months.")
        view.reload()

    view.jobs.start(
        work,
        key="calls",
        on_finished=done,
        on_failed=session.errorRaised.emit,
    )

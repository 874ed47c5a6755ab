"""The Candidates and Committee tabs: an editable table with Add and Remove.

Adding creates a row with a provisional name and opens its name for typing, so adding someone
is: Add, type the name, Enter. Removing asks first and says how many scores go with the row.
The Committee tab shows each member's declaration, submission and excuse; the chair excuses a
member or reopens a submitted sheet from it, with a reason (a refusal shows the core's message
through `session.errorRaised`).
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from evaluator.kinds import CANDIDATE_KINDS
from ui import errors, reason_dialog
from ui.accessibility import describe
from ui.people.model import CandidatesModel, CommitteeModel, PeopleModel
from ui.session import EvaluationSession
from ui.tables.delegates import ChoiceDelegate
from ui.undo import AddCandidate, AddEvaluator, ChangeCommand, RemoveCandidate, RemoveEvaluator
from ui.widgets import behind_another_tab, muted, tool_action


class PeopleView(QWidget):
    """Shared layout and behaviour; subclasses name the model and the commands."""

    noun = "person"
    hint = ""

    def __init__(
        self, session: EvaluationSession, model: PeopleModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.model = model
        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setObjectName(f"{self.noun.replace(' ', '_')}Table")
        describe(self.table, f"{self.noun.capitalize()}s", f"One row per {self.noun}; type to edit")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(80)
        # sized on demand rather than ResizeToContents, which would measure every row after
        # every score (the count column changes with each one)
        header.setSectionResizeMode(self.stretch_column, QHeaderView.ResizeMode.Stretch)

        bar = self.bar = QHBoxLayout()
        self.add_action = tool_action(
            self, bar, f"Add {self.noun}", "Insert", QStyle.StandardPixmap.SP_FileIcon,
            f"Add a {self.noun}, then type the name", self.add,
        )  # fmt: skip
        self.remove_action = tool_action(
            self, bar, "Remove", "Delete", QStyle.StandardPixmap.SP_TrashIcon,
            f"Remove the selected {self.noun} and their scores (asks first)", self.remove,
        )  # fmt: skip
        self._extra_actions(bar)
        bar.addStretch(1)
        self.empty_label = QLabel(wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(muted(self.hint))

        self._fit_owed = False  # the columns wait to be fitted until the tab is shown
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(lambda *_: self._update())
            signal.connect(lambda *_: self._fit_columns())
        model.dataChanged.connect(self._fit_edited)
        session.readOnlyChanged.connect(lambda _: self._update())
        self._update()
        self._fit_columns()

    stretch_column = 2
    count_column = 3

    def _extra_actions(self, bar: QHBoxLayout) -> None:
        """Subclasses add their own buttons after Add and Remove."""

    def _names(self) -> set[str]:
        raise NotImplementedError

    def _add_command(self, name: str) -> ChangeCommand:
        raise NotImplementedError

    def _remove_command(self, item_id: int) -> ChangeCommand:
        raise NotImplementedError

    def _removal_text(self, item_id: int) -> str:
        raise NotImplementedError

    # ---- behaviour ---------------------------------------------------------------------------

    def _update(self) -> None:
        editable = self.session.editable
        self.add_action.setEnabled(editable)
        selected = self.table.selectionModel().hasSelection()
        self.remove_action.setEnabled(editable and selected)
        empty = self.model.rowCount() == 0
        self.empty_label.setVisible(empty)
        self.empty_label.setText(
            f"No {self.noun}s yet: press “Add {self.noun}” to add one."
            if self.session.data is not None
            else "Open or create an evaluation on the Start tab first."
        )

    def _fit_columns(self) -> None:
        self._fit_owed = behind_another_tab(self)  # fitted when shown: a hidden tab waits
        if self._fit_owed:
            return
        for column in range(self.model.columnCount()):
            if column != self.stretch_column:
                self.table.resizeColumnToContents(column)
                width = self.table.columnWidth(column)
                self.table.setColumnWidth(column, width + 12)  # breathing room

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fit_owed:
            self._fit_columns()

    def _fit_edited(self, first: QModelIndex, last: QModelIndex) -> None:
        one_count = first.row() == last.row() and first.column() == last.column()
        fits = self.table.sizeHintForIndex(first).width() + 12 <= self.table.columnWidth(
            first.column()
        )
        if one_count and first.column() == self.count_column and fits:
            return  # a score count changed and still fits ("hidden until..." may not)
        self._fit_columns()

    def current_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()).id if rows else None

    def add(self) -> None:
        taken, stem = self._names(), f"New {self.noun}"
        name, number = stem, 2
        while name in taken:
            name, number = f"{stem} {number}", number + 1
        if self.session.execute(self._add_command(name)):
            row = self.model.rowCount() - 1
            index = self.model.index(row, 0)
            self.table.setFocus()
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.edit(index)

    def remove(self) -> None:
        item_id = self.current_id()
        if item_id is None:
            return
        if errors.confirm(self, f"Remove {self.noun}", self._removal_text(item_id), "Remove"):
            self.session.execute(self._remove_command(item_id))


class CandidatesView(PeopleView):
    noun = "candidate"
    hint = (
        "Double-click a cell (or press F2) to edit it. A candidate is an EHR vendor offering "
        "direct support or a third-party outsourcer; both are scored on the same criteria."
    )

    def __init__(self, session: EvaluationSession, parent: QWidget | None = None) -> None:
        super().__init__(session, CandidatesModel(session), parent)
        self.model.setParent(self)
        kinds = [(kind.value, row.label) for kind, row in CANDIDATE_KINDS.items()]
        self.table.setItemDelegateForColumn(1, ChoiceDelegate(kinds, self.table))
        from ui.contract.track_record import TrackRecordLabel  # delivery under earlier contracts

        self.track_record = TrackRecordLabel(session, self)
        self.layout().insertWidget(2, self.track_record)

    def _names(self) -> set[str]:
        return {c.name for c in self.session.data.candidates} if self.session.data else set()

    def _add_command(self, name: str) -> ChangeCommand:
        return AddCandidate(self.session, name)

    def _remove_command(self, item_id: int) -> ChangeCommand:
        return RemoveCandidate(self.session, item_id)

    def _removal_text(self, item_id: int) -> str:
        data = self.session.data
        assert data is not None
        name = self.session.candidate(item_id).name
        scores = self.session.score_count(candidate_id=item_id)
        agreed = sum(1 for c in data.consensus if c.candidate_id == item_id)
        answers = sum(1 for r in data.responses if r.candidate_id == item_id)
        return (
            f"Remove the candidate “{name}”?\n\n{scores} scores, {agreed} consensus scores and "
            f"{answers} questionnaire answers go with it.\n\nYou can undo this with Ctrl+Z."
        )


class CommitteeView(PeopleView):
    noun = "committee member"
    hint = (
        "Double-click a name or role (or press F2) to edit it. Members declare conflicts of "
        "interest and submit their scores in the Scoring tab; the chair excuses a member or "
        "reopens a submitted sheet here. Each is recorded with its reason and reported."
    )
    count_column = 5

    def __init__(self, session: EvaluationSession, parent: QWidget | None = None) -> None:
        super().__init__(session, CommitteeModel(session), parent)
        self.model.setParent(self)
        session.dataChanged.connect(self._update)  # a submission or excuse changes the actions
        session.identityChanged.connect(self._update)

    def _extra_actions(self, bar: QHBoxLayout) -> None:
        self.excuse_action = tool_action(
            self, bar, "Excuse…", "Ctrl+Shift+E", QStyle.StandardPixmap.SP_DialogNoButton,
            "The chair: do not wait for the selected member's scores, with the reason",
            self.excuse,
        )  # fmt: skip
        self.reopen_action = tool_action(
            self, bar, "Reopen sheet…", "Ctrl+Shift+R", QStyle.StandardPixmap.SP_BrowserReload,
            "The chair: reopen the selected member's submitted scores, with the reason",
            self.reopen,
        )  # fmt: skip
        self._tips = {a: a.toolTip() for a in (self.excuse_action, self.reopen_action)}

    def _update(self) -> None:
        super()._update()
        member_id = self.current_id()
        member = self.session.evaluator(member_id) if member_id is not None else None
        chair = self.session.is_chair and self.session.editable
        self.excuse_action.setEnabled(chair and member is not None and not member.submitted)
        self.excuse_action.setText("Withdraw excuse…" if member and member.excused else "Excuse…")
        self.reopen_action.setEnabled(chair and member is not None and member.submitted)
        data = self.session.data
        for action, tip in self._tips.items():
            member_only = data is not None and not self.session.is_chair
            action.setToolTip(f"Only the chair ({data.chair}) can do this" if member_only else tip)

    def excuse(self) -> bool:
        """Excuse the selected member with a reason (or withdraw their excuse)."""
        member_id = self.current_id()
        if member_id is None:
            return False
        member = self.session.evaluator(member_id)
        if member.excused:
            text = (
                f"Withdraw the excuse of {member.name} (“{member.excused}”)? The consensus "
                "phase then waits for their scores again."
            )
            if not errors.confirm(self, "Withdraw excuse", text, "Withdraw"):
                return False
            return self.session.excuse(member_id, "")
        reason = reason_dialog.ask_reason(
            self,
            "Excuse committee member",
            f"Excuse {member.name}? The consensus phase can then open without their scores. "
            "The reason is recorded in the audit trail and shown in the report.",
            "&Excuse",
            "Why the committee does not wait (e.g. on leave until after the decision)",
        )
        return reason is not None and self.session.excuse(member_id, reason)

    def reopen(self) -> bool:
        """Reopen the selected member's submitted scoresheet, with a reason."""
        member_id = self.current_id()
        if member_id is None:
            return False
        member = self.session.evaluator(member_id)
        reason = reason_dialog.ask_reason(
            self,
            "Reopen scoresheet",
            f"Reopen {member.name}'s submitted scores? They can change them again until they "
            "submit anew. The reason is recorded in the audit trail.",
            "&Reopen",
            "Why (e.g. a score was entered on the wrong candidate)",
        )
        return reason is not None and self.session.reopen_sheet(member_id, reason)

    def _names(self) -> set[str]:
        return {e.name for e in self.session.data.evaluators} if self.session.data else set()

    def _add_command(self, name: str) -> ChangeCommand:
        return AddEvaluator(self.session, name)

    def _remove_command(self, item_id: int) -> ChangeCommand:
        return RemoveEvaluator(self.session, item_id)

    def _removal_text(self, item_id: int) -> str:
        name = self.session.evaluator(item_id).name
        scores = self.session.score_count(evaluator_id=item_id)
        return (
            f"Remove the committee member “{name}”?\n\nTheir {scores} scores go with them."
            "\n\nYou can undo this with Ctrl+Z."
        )

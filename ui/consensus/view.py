"""The Consensus tab: where the committee's disagreements are settled by the chair.

The grid shows each cell's aggregate and spread; flagged cells are tinted and marked, settled
ones (a consensus is set) tinted green. The agenda beside it lists the flagged cells by how
much they can move the result (effective weight x spread): click one to jump to it. The panel
below shows every evaluator's score and justification for the current cell and sets or clears
the consensus (Enter in the grid goes to it; Ctrl+Enter in the note sets it and, for an agenda
item, moves on to the next open one).

At committee scale the agenda holds thousands of lines: it follows each edit in place, and
while this tab is hidden it postpones wholesale rebuilds until shown (ui/consensus/agenda.py).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QHideEvent,
    QKeySequence,
    QPalette,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QVBoxLayout,
    QWidget,
)

from evaluator.kinds import passes
from ui.accessibility import describe
from ui.consensus.details import details_html
from ui.consensus.model import AgendaModel, ConsensusModel
from ui.consensus.panel import ConsensusPanel
from ui.grid.delegates import Banner
from ui.grid.model import CANDIDATE_ROLE, KEY_ROLE
from ui.grid.view import CriteriaGrid, covers
from ui.session import EvaluationSession
from ui.widgets import behind_another_tab, beside_panels, column, muted, tab_order


class ConsensusView(QWidget):
    """The aggregate grid, the agenda of flagged cells and the chair's panel."""

    def __init__(self, session: EvaluationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._fresh = True  # another evaluation is coming: start at the top (see _reset)
        self._place: tuple[int, str] | None = None  # the current cell across a grid reset
        self._line: tuple[tuple[int, str], int] | None = None  # agenda line and its screen row
        # connected before the model is made, so this runs before the model's own rebuild
        session.evaluationChanged.connect(self._evaluation_changed)
        self.model = ConsensusModel(session, self)
        self.agenda_model = AgendaModel(self.model, self)
        self._bound = QPersistentModelIndex()
        self._auto_start, self._started_at = True, None  # see _agenda_reset
        self._scroll_owed = False  # the agenda's current line moved while hidden
        self._panel_owed: bool | None = None  # a panel refresh (True: with its editors) owed

        self.banner = Banner()
        self.summary = QLabel()
        self.grid = CriteriaGrid(editable=False)
        self.grid.setModel(self.model)
        describe(
            self.grid,
            "Consensus grid",
            "One row per criterion, one column per candidate: the committee's aggregate or agreed "
            "value; flagged cells need a consensus",
        )
        self.agenda = QListView()
        describe(self.agenda, "Consensus agenda", "The cells to discuss, most disagreement first")
        self.agenda.setModel(self.agenda_model)
        # thousands of two-line items at committee scale: measuring each one after every
        # change costs a third of a second, so every line is as tall as the first; long
        # names are elided (the tooltip has them whole)
        self.agenda.setUniformItemSizes(True)
        self.agenda.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)  # in rows
        self.agenda.setWordWrap(False)
        self.agenda.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.agenda.setAlternatingRowColors(True)
        self.agenda.setSpacing(2)
        self.agenda.setIconSize(QSize(16, 16))
        self.agenda.setToolTip("Flagged cells, most consequential first (weight x spread)")
        agenda_box = QWidget()
        agenda_layout = QVBoxLayout(agenda_box)
        agenda_layout.setContentsMargins(0, 0, 0, 0)
        agenda_title = QLabel("<b>A&genda</b>: flagged cells by weight × spread")
        agenda_title.setBuddy(self.agenda)
        agenda_layout.addWidget(agenda_title)
        agenda_layout.addWidget(self.agenda)
        self.panel = ConsensusPanel()
        # the panel (members' justifications above the note) gets most of the side's height
        self.splitter = beside_panels(self.grid, agenda_box, self.panel, [230, 520], [960, 420])
        hint = muted(
            "Cells show the evaluators' aggregate and the range of their scores, "
            "lowest–highest: 2.3 (1–4). Amber cells disagree; green ones are settled. Gates "
            "read ✓ passed, ✗ failed or ? pending. Enter goes to the decision, Delete clears it."
        )
        column(self, self.summary, self.banner, self.splitter, hint, grow=self.splitter)

        self.grid.selectionModel().currentChanged.connect(self._bind)
        self.grid.enterPressed.connect(self.panel.focus_decision)
        self.grid.clearRequested.connect(self.clear_current)
        self.agenda.clicked.connect(self.go_to_agenda_item)
        self.agenda.activated.connect(self.go_to_agenda_item)
        self.panel.set_button.clicked.connect(self.set_current)
        self.panel.clear_button.clicked.connect(self.clear_current)
        self.model.dataChanged.connect(self._cell_changed)
        self.model.modelAboutToBeReset.connect(self._remember_place)
        self.model.modelReset.connect(self._reset)
        self.model.cellChanged.connect(self._show_summary)  # after the agenda followed it
        self.agenda_model.modelReset.connect(self._show_summary)
        self.agenda_model.modelAboutToBeReset.connect(self._remember_line)
        self.agenda_model.modelReset.connect(self._agenda_reset)
        self.agenda_model.set_live(False)  # until shown: see showEvent
        session.readOnlyChanged.connect(lambda _ro: self._refresh())
        session.resultsChanged.connect(self._refresh_panel)
        panel = self.panel
        tab_order(
            self.grid,
            self.agenda,
            panel.value,
            panel.gate,
            panel.note,
            panel.clear_button,
            panel.set_button,
        )
        QShortcut(QKeySequence("Ctrl+Shift+A"), self, self.agenda.setFocus)
        self._reset()

    # ---- state -------------------------------------------------------------------------------

    def _evaluation_changed(self) -> None:
        self._fresh, self._place, self._line = True, None, None

    def _remember_place(self) -> None:
        if not self._fresh:
            self._place = self.model.cell(self.grid.currentIndex()) or self._place

    def _reset(self) -> None:
        """The grid's rows or columns changed. In another evaluation, start where the meeting
        starts: the top of the agenda (else the first cell); after an edit (a weight, a new
        criterion or candidate) stay on the cell the chair was on, when it is still there.

        The agenda has already followed the same reset (it connected first)."""
        fresh, self._fresh = self._fresh, False
        place = self.model.index_of(*self._place) if self._place else QModelIndex()
        untouched = self._auto_start and self._place == self._started_at
        if fresh or untouched or not place.isValid():
            self._auto_start = True
            self.go_to_start()
        else:
            self.grid.setCurrentIndex(place)
            self.grid.scrollTo(place)
        self._refresh()

    def go_to_start(self) -> None:
        first = next((r for r, row in enumerate(self.model.rows()) if not row.is_category), None)
        if self.agenda_model.rowCount() and not self.agenda_model.items[0].settled:
            self.go_to_agenda_item(self.agenda_model.index(0))
        elif first is not None and self.model.columnCount():
            self.grid.setCurrentIndex(self.model.index(first, 0))
        else:
            self._bind(QModelIndex())
        self._started_at = self.model.cell(self.grid.currentIndex())

    def _agenda_reset(self) -> None:
        """Weights arrive after the grid: until the user moves, follow the agenda's top."""
        if self._auto_start and self.model.cell(self.grid.currentIndex()) == self._started_at:
            self.go_to_start()
        else:
            self._auto_start = False
        self._mark_agenda(self.grid.currentIndex())
        self._restore_line()

    def _remember_line(self) -> None:
        """Before the agenda is rebuilt: its current line and where it stands on screen."""
        current = self.agenda.currentIndex()
        if current.isValid():
            cell = (current.data(CANDIDATE_ROLE), current.data(KEY_ROLE))
            self._line = (cell, current.row() - self.agenda.verticalScrollBar().value())

    def _restore_line(self) -> None:
        """After a rebuild: the same line at the same height on screen (a reordering by new
        weights moves the list under it, not the chair's place in it)."""
        if self._line is None or not self.agenda_model.rowCount():
            return  # emptied while hidden: restored when rebuilt on showing
        (cell, offset), self._line = self._line, None
        row = self.agenda_model.row_of(*cell)
        if row is None or self.agenda.currentIndex().row() != row:
            return
        self.agenda.doItemsLayout()  # the scroll range of the rebuilt list
        self.agenda.verticalScrollBar().setValue(row - offset)

    def prepare_screenshot(self) -> None:
        """For tools/screenshots.py: show the top of the agenda."""
        self.go_to_start()

    def _refresh(self) -> None:
        if self.session.data is None:
            self.banner.show_message("Open an evaluation to hold the consensus meeting.")
        elif self.session.read_only:
            self.banner.show_message("This evaluation is final: consensus decisions are read-only.")
        else:
            self.banner.show_message("")
        self._show_summary()
        self._refresh_panel()

    def _show_summary(self) -> None:
        items = self.agenda_model.items
        still = self.agenda_model.open_count()
        agreed = len(self.session.data.consensus) if self.session.data else 0
        self.summary.setText(
            f"<b>{still}</b> open disagreement{'s' if still != 1 else ''} "
            f"of {len(items)} flagged · {agreed} consensus value{'s' if agreed != 1 else ''} set"
        )

    # ---- the current cell --------------------------------------------------------------------

    def _bind(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        self._bound = QPersistentModelIndex(index)
        self._refresh_panel(fill=True)
        self._mark_agenda(index)

    def _mark_agenda(self, index: QModelIndex) -> None:
        """Highlight the agenda line of the current cell, if it is on the agenda."""
        cell = self.model.cell(index)
        row = self.agenda_model.row_of(*cell) if cell else None
        selection = self.agenda.selectionModel()
        if row is None:
            selection.clearSelection()
            return
        target = self.agenda_model.index(row)
        if self.agenda.currentIndex() != target:
            selection.setCurrentIndex(target, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if self.agenda.isVisible():
            self.agenda.scrollTo(target)
        else:
            self._scroll_owed = True  # see showEvent

    def showEvent(self, event: QShowEvent) -> None:
        """Catch up on what changed while hidden: an owed agenda rebuild, an owed scroll
        (otherwise the agenda stays where the user left it)."""
        super().showEvent(event)
        self.agenda_model.set_live(True)
        self._show_summary()
        if self._panel_owed is not None:
            fill, self._panel_owed = self._panel_owed, None
            self._refresh_panel(fill)
        current = self.agenda.currentIndex()
        if self._scroll_owed and current.isValid():
            self.agenda.scrollTo(current)
        self._scroll_owed = False

    def hideEvent(self, event: QHideEvent) -> None:
        """Hidden behind another tab: the agenda stops rebuilding until shown again (a
        minimised window stays visible and keeps it live)."""
        super().hideEvent(event)
        self.agenda_model.set_live(self.isVisible())

    def _cell_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        if covers(top_left, bottom_right, self._bound):
            self._refresh_panel(fill=True)

    def _refresh_panel(self, fill: bool = False) -> None:
        if behind_another_tab(self):  # an evaluation opening with this tab hidden does
            self._panel_owed = fill or bool(self._panel_owed)  # not summarise 10,000 cells
            return
        self._panel_owed = None
        panel, model = self.panel, self.model
        cell = model.cell(self._bound)
        if cell is None:
            panel.details.setText("<p>Select a cell to see the evaluators' scores.</p>")
            panel.set_enabled(False, False)
            return
        candidate_id, key = cell
        row = model.row(self._bound.row())
        consensus = self.session.consensus(candidate_id, key)
        panel.details.setText(self._details_html(candidate_id, key))
        panel.set_enabled(self.session.editable, consensus is not None)
        if not fill:
            return
        panel.decision.setCurrentWidget(panel.gate if row.pass_fail else panel.value)
        scale = model.scale
        panel.value.setRange(scale.minimum, scale.maximum)
        stats = model.stats(candidate_id, key)
        if consensus is not None:
            panel.value.setValue(consensus.value)
            panel.gate.setCurrentIndex(0 if passes(consensus.value) else 1)
            panel.note.setPlainText(consensus.note)
            panel.state.setText("Consensus set.")
        else:
            if stats is not None and stats.aggregate is not None:
                panel.value.setValue(round(stats.aggregate))
            else:
                computed = model.computed_value(candidate_id, key)
                panel.value.setValue(scale.minimum if computed is None else round(computed, 1))
            panel.gate.setCurrentIndex(-1)  # empty: the chair decides, nothing is proposed
            panel.note.setPlainText("")
            panel.state.setText("No consensus yet.")

    def _details_html(self, candidate_id: int, key: str) -> str:
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        return details_html(self.model, self.model.row(self._bound.row()), candidate_id, muted)

    # ---- actions -----------------------------------------------------------------------------

    def go_to_agenda_item(self, index: QModelIndex) -> None:
        target = self.model.index_of(index.data(CANDIDATE_ROLE), index.data(KEY_ROLE))
        if target.isValid():
            self.grid.setCurrentIndex(target)
            self.grid.scrollTo(target)

    def set_current(self) -> bool:
        cell = self.model.cell(self._bound)
        if cell is None:
            return False
        decided = self.panel.decided()
        if decided is None:
            self.panel.state.setText("Choose passed or failed: the gate has no decision yet.")
            self.panel.gate.setFocus()
            return False
        note = self.panel.note.toPlainText().strip()
        if not note:
            self.panel.state.setText("Write a note: a consensus is not set without one.")
            self.panel.note.setFocus()
            return False
        following = self._next_open_item(*cell)
        if not self.model.set_consensus(*cell, decided, note):
            return False
        if following is not None:  # settled one agenda item: on to the next
            self.grid.setCurrentIndex(self.model.index_of(*following))
            self.grid.scrollTo(self.grid.currentIndex())
        self.grid.setFocus()
        return True

    def _next_open_item(self, candidate_id: int, key: str) -> tuple[int, str] | None:
        """The open agenda item after this cell's, when this cell is an open agenda item."""
        items = self.agenda_model.items
        row = self.agenda_model.row_of(candidate_id, key)
        if row is None or items[row].settled:
            return None
        later = [i for i in items[row + 1 :] + items[:row] if not i.settled]
        return (later[0].candidate_id, later[0].key) if later else None

    def clear_current(self) -> bool:
        cell = self.model.cell(self.grid.currentIndex())
        return cell is not None and self.model.clear_consensus(*cell)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.model.set_palette(self.palette())
            self.panel.colour_gates(self.palette())
        super().changeEvent(event)

"""The grid of the Scoring and Consensus tabs: criteria rows (categories spanned as group
headers) by candidate columns, moved through like a spreadsheet.

Enter moves down (or, in a read-only grid, asks the view to act on the cell), Delete asks the
view to clear the selection; the model decides what a cell holds and whether it is editable.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyleOptionHeaderV2,
    QTableView,
    QWidget,
)

from ui.grid.delegates import MOVE_DOWN, MOVE_LEFT, MOVE_RIGHT
from ui.grid.model import CriteriaGridModel

ROW_NAMES_WIDEST, ROW_NAMES_NARROWEST = 420, 120  # pixels of the criteria's names beside the grid
CURSOR = {
    MOVE_DOWN: QAbstractItemView.CursorAction.MoveDown,
    MOVE_RIGHT: QAbstractItemView.CursorAction.MoveRight,
    MOVE_LEFT: QAbstractItemView.CursorAction.MoveLeft,
}


def covers(
    top_left: QModelIndex, bottom_right: QModelIndex, index: QModelIndex | QPersistentModelIndex
) -> bool:
    """Whether a dataChanged range covers `index` (a valid one): the side panel of the cell
    being edited or decided must then follow."""
    return (
        index.isValid()
        and top_left.row() <= index.row() <= bottom_right.row()
        and top_left.column() <= index.column() <= bottom_right.column()
    )


def elided_lines(text: str, metrics: QFontMetrics, width: int, mode: Qt.TextElideMode) -> str:
    """Each line of `text` elided on its own to `width` pixels ("…" only where one is long)."""
    return "\n".join(metrics.elidedText(line, mode, width) for line in text.split("\n"))


class MeasuredHeader(QHeaderView):
    """A header that measures its sections' text once per change of what it shows, and
    elides a name wrapped on two lines line by line.

    Qt measures every section again (up to two hundred, four calls into the model each)
    whenever the grid is laid out or resized: three times while a committee-scale evaluation
    opens, and at every step of resizing the window. The measure changes only with the
    model's rows, columns and header data, the font or the style."""

    def __init__(self, orientation: Qt.Orientation, parent: QWidget | None = None) -> None:
        super().__init__(orientation, parent)
        self._measured: QSize | None = None
        self.setSectionsClickable(True)  # as a table view's own headers: a click selects
        self.setHighlightSections(True)  # the row or column; the current one shows bold

    def setModel(self, model: QAbstractItemModel | None) -> None:  # type: ignore[override]
        old = self.model()
        if old is not None:
            for signal in self._changes(old):
                signal.disconnect(self.forget_measure)
        super().setModel(model)
        if model is not None:
            for signal in self._changes(model):
                signal.connect(self.forget_measure)
        self.forget_measure()

    @staticmethod
    def _changes(model: QAbstractItemModel) -> tuple:  # type: ignore[type-arg]
        """Signals raised before the headers change (so no measure of the old ones is kept)."""
        return (
            model.modelAboutToBeReset,
            model.layoutAboutToBeChanged,
            model.rowsAboutToBeInserted,
            model.rowsAboutToBeRemoved,
            model.columnsAboutToBeInserted,
            model.columnsAboutToBeRemoved,
            model.headerDataChanged,
        )

    def forget_measure(self, *_changed: object) -> None:
        self._measured = None

    def sizeHint(self) -> QSize:
        if self._measured is None:
            self._measured = super().sizeHint()
        return QSize(self._measured)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._measured = None
        super().changeEvent(event)

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:
        """Qt elides a header's text as one line, so a candidate's name wrapped on two lines
        lost its second line ("Fictitious Support / C…"): here each line is elided alone."""
        option = QStyleOptionHeaderV2()
        self.initStyleOption(option)
        self.initStyleOptionForIndex(option, logical)
        mode = self.textElideMode()
        if "\n" not in option.text or mode == Qt.TextElideMode.ElideNone:
            super().paintSection(painter, rect, logical)
            return
        option.rect = rect
        font = QFont(self.font())
        font.setBold(bool(option.state & QStyle.StateFlag.State_On))  # the current column
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, option, self)
        option.text = elided_lines(option.text, QFontMetrics(font), rect.width() - 2 * margin, mode)
        option.textElideMode = Qt.TextElideMode.ElideNone  # elided already
        self.style().drawControl(QStyle.ControlElement.CE_Header, option, painter, self)


class CriteriaGrid(QTableView):
    """A table with category rows spanned as group headers; Enter moves down, Delete clears."""

    clearRequested = Signal()
    enterPressed = Signal()  # when Enter does not move (editable=False)
    typedOnReadOnly = Signal(str)  # text typed on a cell that cannot be edited

    def __init__(self, parent: QWidget | None = None, editable: bool = True) -> None:
        super().__init__(parent)
        self.enter_moves_down = editable
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            if editable
            else QAbstractItemView.EditTrigger.NoEditTriggers
        )
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setHorizontalHeader(MeasuredHeader(Qt.Orientation.Horizontal, self))
        self.setVerticalHeader(MeasuredHeader(Qt.Orientation.Vertical, self))
        horizontal = self.horizontalHeader()
        horizontal.setDefaultSectionSize(132)
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        horizontal.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        horizontal.setTextElideMode(Qt.TextElideMode.ElideRight)  # "…", never a cut letter
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 12)
        vertical.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        vertical.setMaximumWidth(ROW_NAMES_WIDEST)
        vertical.setTextElideMode(Qt.TextElideMode.ElideRight)

    def setModel(self, model: CriteriaGridModel) -> None:  # type: ignore[override]
        super().setModel(model)
        model.modelReset.connect(self.span_categories)
        model.modelReset.connect(self.fit_columns)
        self.span_categories()

    def fit_columns(self) -> None:
        """Few candidates share the width; many keep a readable width and scroll."""
        header, count = self.horizontalHeader(), self.model().columnCount()
        roomy = count and count * header.defaultSectionSize() < self.viewport().width()
        mode = QHeaderView.ResizeMode.Stretch if roomy else QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(0) != mode if count else False:
            header.setSectionResizeMode(mode)
            if mode == QHeaderView.ResizeMode.Interactive:  # stretched ones would stay narrow:
                for section in range(count):  # a bold current header was cut off
                    header.resizeSection(section, header.defaultSectionSize())

    def resizeEvent(self, event: QResizeEvent) -> None:
        # the criteria's names take at most half of a narrow grid: scores stay in sight (the
        # grid's width: this also hears the viewport's resizes, which the names column makes)
        widest = max(ROW_NAMES_NARROWEST, min(ROW_NAMES_WIDEST, self.width() // 2))
        if self.verticalHeader().maximumWidth() != widest:
            self.verticalHeader().setMaximumWidth(widest)
        super().resizeEvent(event)
        self.fit_columns()

    def span_categories(self) -> None:
        """Category rows read as one header across the candidates."""
        model = self.model()
        self.clearSpans()
        assert isinstance(model, CriteriaGridModel)
        if model.columnCount() > 1:
            for row in model.category_rows():
                self.setSpan(row, 0, 1, model.columnCount())

    def move(self, direction: str) -> None:
        """Move the cursor like a spreadsheet does (category rows are skipped)."""
        target = self.moveCursor(CURSOR[direction], Qt.KeyboardModifier.NoModifier)
        if target.isValid():
            self.setCurrentIndex(target)

    def keyboardSearch(self, search: str) -> None:
        """Typing on a cell that cannot be edited: a spreadsheet stays put (Qt's item search
        jumped to the next cell starting with the digit typed) and the view says why."""
        self.typedOnReadOnly.emit(search)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self.state() != QAbstractItemView.State.EditingState:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.enter_moves_down:
                    self.move(MOVE_DOWN)
                else:
                    self.enterPressed.emit()
                return
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clearRequested.emit()
                return
        super().keyPressEvent(event)

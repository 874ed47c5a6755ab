"""Evaluation ▸ Combine members' scores by ▸ Mean / Median: the chair's choice of how members'
scores on a cell become the committee's value (DESIGN.md, scoring math 2).

One undoable, audited change (`ui.undo.SetAggregation`) through the session; the two actions
are exclusive and follow the evaluation, and only whoever may set the evaluation up (the chair,
before final) can pick.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from evaluator.domain import Aggregation
from ui.session import EvaluationSession
from ui.undo import SetAggregation

WORDS = {
    Aggregation.MEAN: ("&Mean", "The average of the members' scores on a cell"),
    Aggregation.MEDIAN: (
        "M&edian",
        "The middle score on a cell (the mean of the two middle ones for an even count): one "
        "member far from the others moves it less",
    ),
}


class AggregationMenu:
    """The submenu and its two exclusive actions."""

    def __init__(self, parent: QWidget, menu: QMenu, session: EvaluationSession) -> None:
        self.session = session
        self.menu = menu.addMenu("Combine members' scores &by")
        self.group = QActionGroup(parent)
        self.group.setExclusive(True)
        self.actions: dict[Aggregation, QAction] = {}
        for method, (text, tip) in WORDS.items():
            action = QAction(text, parent)
            action.setCheckable(True)
            action.setToolTip(tip)
            action.triggered.connect(lambda _=False, m=method: self.choose(m))
            self.group.addAction(action)
            self.menu.addAction(action)
            self.actions[method] = action
        self.menu.setToolTipsVisible(True)

    def choose(self, method: Aggregation) -> None:
        data = self.session.data
        if data is not None and data.aggregation is not method:
            self.session.execute(SetAggregation(self.session, method))
        self.update_actions()  # checked as stored, whether it was taken or refused

    def update_actions(self) -> None:
        data = self.session.data
        allowed = data is not None and self.session.editable and self.session.is_chair
        self.menu.setEnabled(data is not None)
        for method, action in self.actions.items():
            action.setChecked(data is not None and data.aggregation is method)
            action.setEnabled(allowed)

"""What the window says about the committee process: the phase, who is working, what the phase
allows them, and the tabs that blind scoring keeps shut for them.

`phase_message(session)` is the banner's sentence ("Scoring: you are Ann Example — you see only
your own scores until everyone has submitted (1 of 4 have)"); `LockableTab` holds a view that
may be replaced by a notice saying why it is shut and when it opens (the Consensus and Results
tabs while the committee scores blind).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from evaluator.domain import Status
from evaluator.visibility import committee_open, waiting_for
from ui.errors import sentence
from ui.grid.delegates import WARNING_HUE, Banner
from ui.session import EvaluationSession

INFO_HUE = QColor(70, 130, 220)  # blue: who you are and what the phase allows
FINAL_HUE = QColor(120, 120, 140)  # grey-blue: read-only for good
PHASE = {
    Status.DRAFT: "Draft",
    Status.SCORING: "Scoring",
    Status.CONSENSUS: "Consensus",
    Status.FINAL: "Final",
}
MENU = "Committee ▸ "


def _progress(session: EvaluationSession) -> str:
    data = session.data
    assert data is not None
    waiting = waiting_for(data)
    done = len(data.evaluators) - len(waiting)
    tail = f"; waiting for {', '.join(waiting)}" if waiting else ""
    return f"{done} of {len(data.evaluators)} have{tail}"


def _allows(session: EvaluationSession) -> str:
    """What the phase allows the identity working here (a member or the chair)."""
    data, who = session.data, session.identity
    assert data is not None and who is not None
    me = next((e for e in data.evaluators if e.id == who.evaluator_id), None)
    status = data.status
    if status is Status.DRAFT:
        if who.chair:
            return (
                "set up the criteria, candidates and the committee; each member declares any "
                "conflict of interest before you start scoring"
            )
        if me is not None and me.declaration is None:
            return "the chair is setting up; declare any conflict of interest before scoring"
        return "the chair is setting up; scoring starts when they move the evaluation on"
    if status is Status.SCORING:
        if committee_open(data):
            then = "start consensus when ready" if who.chair else "the chair starts consensus"
            return f"every member has submitted: the committee's scores are open; {then}"
        if who.chair and session.live_view:
            return (
                "you are looking at the live results (recorded in the audit trail); members "
                f"still see only their own scores until everyone has submitted "
                f"({_progress(session)})"
            )
        if who.chair:
            return (
                "members' scores stay hidden, from you and from each other, until everyone has "
                f"submitted ({_progress(session)}). {MENU}View live results… shows them now "
                "(recorded in the audit trail)"
            )
        if me is not None and me.submitted:
            return (
                "you have submitted: your scores are read-only unless the chair reopens your "
                f"sheet. The committee's scores open when everyone has ({_progress(session)})"
            )
        undeclared = me is not None and me.declaration is None
        first = "declare any conflict of interest, then score; " if undeclared else ""
        return (
            f"{first}you see only your own scores until everyone has submitted "
            f"({_progress(session)}). Submit when you are done"
        )
    if who.chair:
        return "settle the disagreements and decide the gates in the Consensus tab, then finalise"
    return "the committee's scores are open to all; the chair records the agreed values"


def phase_message(session: EvaluationSession) -> tuple[str, QColor]:
    """The banner's sentence and its colour for the open evaluation ("" without one)."""
    data, who = session.data, session.identity
    if data is None:
        return "", INFO_HUE
    phase = PHASE[data.status]
    if data.status is Status.FINAL:
        reopen = (
            f"As the chair you can reopen it ({MENU}Reopen final evaluation…), with a reason "
            "that is recorded."
            if session.is_chair
            else "Only the chair can reopen it, with a reason that is recorded."
        )
        return (
            "This evaluation is final and read-only: scores, weights, candidates and the "
            f"committee can no longer change. {reopen}",
            FINAL_HUE,
        )
    if not data.chair:
        when = "before scoring starts" if data.status is Status.DRAFT else "now"
        return (
            f"{phase}: no chair is named yet, so you act as the chair. Name the chair "
            f"({MENU}Name the chair…) {when}: then everyone says who they are, and "
            "members score blind until everyone has submitted.",
            WARNING_HUE,
        )
    if who is None:
        return (
            f"{phase}: read-only — you have not said who you are. {MENU}Switch identity… to work "
            f"as a committee member or as the chair ({data.chair}).",
            WARNING_HUE,
        )
    you = f"you are {who.name}" + (" (chair)" if who.chair else "")
    return sentence(f"{phase}: {you} — {_allows(session)}"), INFO_HUE


def identity_text(session: EvaluationSession) -> str:
    """The status bar's short form: who works here."""
    data, who = session.data, session.identity
    if data is None:
        return ""
    if who is not None:
        return f"Working as {who.name} ({who.role})"
    if not data.chair:
        return "No chair named"
    return "Not signed in: read-only"


def padlock(size: int, colour: QColor | None = None) -> QPixmap:
    """A small closed padlock, drawn (emoji fonts are not everywhere); transparent around it.
    With `colour` None, an empty pixmap of that size (keeps list rows aligned)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    if colour is None:
        return pixmap
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(colour, max(1.5, size / 9))
    painter.setPen(pen)
    shackle = QRectF(size * 0.3, size * 0.08, size * 0.4, size * 0.5)
    painter.drawArc(shackle, 0, 180 * 16)
    painter.drawLine(shackle.left(), shackle.center().y(), shackle.left(), size * 0.45)
    painter.drawLine(shackle.right(), shackle.center().y(), shackle.right(), size * 0.45)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(QRectF(size * 0.18, size * 0.42, size * 0.64, size * 0.5), 2, 2)
    painter.end()
    return pixmap


def padlock_icon(widget: QWidget, size: int = 16) -> QIcon:
    """The padlock in the widget's text colour."""
    return QIcon(padlock(size, widget.palette().color(QPalette.ColorRole.WindowText)))


class PhaseBanner(Banner):
    """The line above the tabs that says the phase, who you are and what you may do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("phaseBanner")
        self.setTextFormat(Qt.TextFormat.PlainText)

    def follow(self, session: EvaluationSession) -> None:
        self.show_message(*phase_message(session))


class LockableTab(QStackedWidget):
    """A view, or in its place a notice saying why it is shut and when it opens."""

    liveResultsRequested = Signal()

    def __init__(self, view: QWidget, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view, self.what = view, what  # what: "The ranking", for the reason's sentence
        self.notice = QWidget()
        self.notice.setObjectName("lockedNotice")
        self.icon = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.icon.setPixmap(padlock(48, self.palette().color(QPalette.ColorRole.PlaceholderText)))
        self.title = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.reason = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.live_button = QPushButton("View &live results…")
        self.live_button.setToolTip("The chair may look now; the audit trail records it")
        self.live_button.clicked.connect(self.liveResultsRequested)
        column = QVBoxLayout()  # a readable column: wrapped labels need no alignment flag
        column.addStretch(1)
        for widget in (self.icon, self.title, self.reason):
            column.addWidget(widget)
        column.addSpacing(8)
        column.addWidget(self.live_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)
        layout = QHBoxLayout(self.notice)
        layout.addStretch(1)
        layout.addLayout(column, 3)
        layout.addStretch(1)
        self.addWidget(view)
        self.addWidget(self.notice)

    @property
    def locked(self) -> bool:
        return self.currentWidget() is self.notice

    def lock(self, title: str, reason: str, chair: bool = False) -> None:
        """Show the notice instead of the view (`reason` "" shows the view again)."""
        if not reason:
            self.setCurrentWidget(self.view)
            return
        self.title.setText(title)
        self.reason.setText(reason)
        self.live_button.setVisible(chair)
        self.setCurrentWidget(self.notice)


def shut_blind_tabs(tabs: QTabWidget, session: EvaluationSession) -> None:
    """Shut the tabs that would show colleagues' scores while this window is blind (a notice,
    a padlock and the reason as the tab's tooltip); they open again by themselves when the
    phase, the submissions or the identity change."""
    who = session.identity
    chair = who is not None and who.chair
    for index in range(tabs.count()):
        page = tabs.widget(index)
        if not isinstance(page, LockableTab):
            continue
        reason = sentence(session.blind_reason(page.what)) if session.blind else ""
        page.lock("Shut while the committee scores blind", reason, chair)
        tabs.setTabToolTip(index, reason)
        tabs.setTabIcon(index, padlock_icon(tabs) if reason else QIcon())

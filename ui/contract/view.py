"""The Contract tab: shown once the evaluation is final. It creates the selected candidate's
support contract, lists its targets with where each came from, changes one with a reason (an
undoable, audited change), imports ticket exports and call statistics, and shows the scorecard
per month or quarter with verdicts, breaches, service credits and a trend over the first year.

The scorecard is computed on the thread pool (ui/jobs.py) with a progress bar and Stop; every
edit and import goes through evaluator.contracts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from evaluator import contracts
from evaluator.contracts import METRICS, PRIORITIES, Contract
from evaluator.domain import Status
from evaluator.errors import NotFound
from evaluator.progress import raise_if_cancelled
from ui.accessibility import describe
from ui.contract.charts import TrendChart, TrendPoint
from ui.contract.models import VERDICT_WORDS, MetricsModel, PrioritiesModel, TargetsModel, line_unit
from ui.errors import USER_ERRORS, user_message
from ui.grid.delegates import DANGER_HUE, WARNING_HUE, Banner
from ui.jobs import JobRunner
from ui.session import EvaluationSession
from ui.widgets import muted

if TYPE_CHECKING:
    from evaluator.contracts.card import PeriodCard, Scorecard

TREND_METRICS = (
    ("sla_attainment", ""),
    *((m, p) for m in ("response", "resolution") for p in PRIORITIES),
    *((m, "") for m in ("asa", "abandonment", "fcr", "satisfaction", "reopen")),
    *((m, "") for m in ("offshore", "clinical")),
)


def _table(model: Any, name: str, description: str, stretch: int = -1) -> QTableView:
    """A read-only table sized to its contents, column `stretch` taking the spare width."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch >= 0:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    describe(view, name, description)
    return view


def periods(card: Scorecard) -> list[str]:
    """The quarters (newest first), then the months, that the scorecard covers."""
    months = [m.label for m in card.months]
    quarters = dict.fromkeys(f"{m[:4]}-Q{(int(m[5:7]) - 1) // 3 + 1}" for m in months)
    return [*reversed(list(quarters)), *reversed(months)]


def period_summary(card: PeriodCard, contract: Contract) -> str:
    """One sentence for a period: its verdict, its breaches and the credit they earn."""
    verdict = VERDICT_WORDS.get(card.verdict, card.verdict)
    text = f"{card.label}: {verdict} — {card.tickets:,} tickets"
    if card.breaches:
        text += f"; breached: {', '.join(card.breaches)}"
    share = contract.credit_percent
    return text + f"; service credit {card.credit:,.2f} ({share:g}% of the fee per breach)"


class ContractView(QWidget):
    def __init__(self, session: EvaluationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.contract: Contract | None = None
        self.card: Scorecard | None = None  # every month from go-live
        self.period_card: PeriodCard | None = None
        self.jobs = JobRunner(self)
        self.dialog: QWidget | None = None  # the open dialog (tests reach it here)
        self._final = False
        self.banner = Banner()
        describe(self.banner, "Contract notice")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.create_button = QPushButton("C&reate contract…")
        self.edit_button = QPushButton("Change &target…")
        self.tickets_button = QPushButton("Import tic&kets…")
        self.calls_button = QPushButton("Import ca&lls…")
        self.create_button.clicked.connect(self.create_contract)
        self.edit_button.clicked.connect(self.edit_target)
        self.tickets_button.clicked.connect(self.import_tickets)
        self.calls_button.clicked.connect(self.import_calls)
        buttons = QHBoxLayout()
        for button in (self.create_button, self.edit_button, self.tickets_button):
            buttons.addWidget(button)
        buttons.addWidget(self.calls_button)
        buttons.addStretch(1)
        self.buttons = buttons

        self.targets_model = TargetsModel(self)
        self.targets = _table(
            self.targets_model,
            "Contract targets",
            "Each target, whether the candidate promised it or a standard applies, and its source",
            stretch=3,
        )
        self.targets.doubleClicked.connect(lambda _index: self.edit_target())
        self.metrics_model = MetricsModel(self)
        self.metrics = _table(
            self.metrics_model, "Scorecard", "Each metric of the period against its target", 0
        )
        self.priorities_model = PrioritiesModel(self)
        self.priorities = _table(
            self.priorities_model,
            "Times by priority",
            "Median and 90th-percentile response and restore times per priority",
        )
        self.period = QComboBox()
        describe(self.period, "Period", "A quarter or a month of the scorecard")
        self._picked = ""  # the period the user chose; until then the newest quarter is shown
        self.period.activated.connect(self._period_picked)
        self.trend_metric = QComboBox()
        for key, priority in TREND_METRICS:
            self.trend_metric.addItem(f"{METRICS[key].label} {priority}".strip(), (key, priority))
        describe(self.trend_metric, "Trend metric", "The metric the trend chart shows")
        self.trend_metric.activated.connect(lambda _i: self._show_trend())
        self.chart = TrendChart()
        describe(self.chart, "Trend chart", "")
        self.progress = QProgressBar()
        describe(self.progress, "Scorecard progress")
        self.stop_button = QPushButton("&Stop")
        self.stop_button.clicked.connect(lambda: self.jobs.discard("scorecard"))
        self.period_text = QLabel()
        self.period_text.setWordWrap(True)

        self.pages = QTabWidget()
        describe(self.pages, "Contract pages")
        self.pages.addTab(self.targets, "Targets")
        self.pages.addTab(self._scorecard_page(), "Scorecard")
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(self.pages, 1)
        for signal in (session.evaluationChanged, session.dataChanged, session.identityChanged):
            signal.connect(self.reload)
        self._busy(False)
        self.reload()

    def _scorecard_page(self) -> QWidget:
        page = QWidget()
        top = QHBoxLayout()
        period_label = QLabel("Peri&od:")
        period_label.setBuddy(self.period)
        trend_label = QLabel("Tre&nd of:")
        trend_label.setBuddy(self.trend_metric)
        for widget in (period_label, self.period, self.progress, self.stop_button):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(trend_label)
        top.addWidget(self.trend_metric)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.period_text)
        layout.addWidget(self.metrics, 3)
        layout.addWidget(self.priorities, 2)
        layout.addWidget(self.chart)
        layout.addWidget(
            muted(
                "Verdicts: ✓ met; ! at risk (within 10% of the target); ✗ breached. In the "
                "chart a dot is met, a triangle at risk, a cross breached; the dashed line is "
                "the target."
            )
        )
        return page

    # ---- following the session ---------------------------------------------------------------

    def _tab_widget(self) -> QTabWidget | None:
        holder = self.parentWidget()
        outer = holder.parentWidget() if holder is not None else None
        return outer if isinstance(outer, QTabWidget) else None

    def _set_tab_shown(self, shown: bool) -> None:
        """The tab appears when the evaluation is final (the award is made)."""
        self._final = shown
        tabs = self._tab_widget()
        if tabs is not None and tabs.indexOf(self) >= 0:
            tabs.setTabVisible(tabs.indexOf(self), shown)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ParentChange:  # added as a tab: hide it until final
            QTimer.singleShot(0, lambda: self._set_tab_shown(self._final))
        return super().event(event)

    def reload(self) -> None:
        """Read the contract again (another evaluation, or a change)."""
        data, db = self.session.data, self.session.db
        final = data is not None and data.status is Status.FINAL
        self._set_tab_shown(final)
        self.contract = None
        if not final or db is None:
            self.banner.show_message("The contract opens once the evaluation is final.")
            self._show_contract()
            return
        try:
            self.contract = contracts.read_contract(db, self.session.ref)
        except NotFound:
            self.banner.show_message(
                "No support contract yet: create it for the selected candidate; its promises "
                "become the targets.",
                WARNING_HUE,
            )
        except USER_ERRORS as exc:
            self.banner.show_message(user_message(exc), DANGER_HUE)
        else:
            self.banner.show_message("")
        self._show_contract()

    def _show_contract(self) -> None:
        c = self.contract
        self.create_button.setVisible(c is None and self._final)
        for widget in (self.edit_button, self.tickets_button, self.calls_button, self.pages):
            widget.setVisible(c is not None)
        self.targets_model.set_rows(c.targets if c else [])
        self.summary.setText(
            f"Support contract with {c.candidate}: go-live {c.go_live:%d %b %Y}, "
            f"{c.monthly_fee:,.2f} a month, months in {c.time_zone}"
            if c
            else ""
        )
        self.summary.setVisible(c is not None)
        self.refresh_scorecard()

    # ---- scorecard ---------------------------------------------------------------------------

    def refresh_scorecard(self) -> None:
        """Compute the scorecard (every month, and the chosen quarter) off the GUI thread."""
        if self.contract is None or self.session.db is None:
            self.jobs.discard("scorecard")
            self.card = self.period_card = None
            self._show_card()
            return
        db, ref = self.session.db, self.session.ref
        chosen = self.period.currentText()
        quarter = chosen if "Q" in chosen else None

        def work(progress, cancel):  # type: ignore[no-untyped-def]
            progress(0, 2)
            every = contracts.scorecard(db, ref)
            raise_if_cancelled(cancel)
            progress(1, 2)
            whole = contracts.scorecard(db, ref, quarter=quarter).quarter if quarter else None
            progress(2, 2)
            return every, whole

        self._busy(True)
        self.jobs.start(
            work,
            key="scorecard",
            on_progress=self._progress,
            on_finished=self._scored,
            on_failed=lambda message: self.banner.show_message(message, DANGER_HUE),
            on_ended=lambda _job: self._busy(False),
        )

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.stop_button.setVisible(busy)
        if not busy:
            self.progress.reset()

    def _period_picked(self, _index: int) -> None:
        self._picked = self.period.currentText()
        self.refresh_scorecard()

    def _scored(self, result: tuple[Scorecard, PeriodCard | None]) -> None:
        every, whole = result
        self.card = every
        shown = self.period.currentText()
        options = periods(every)
        self.period.clear()
        self.period.addItems(options)
        quarters = sum("Q" in option for option in options)
        if 0 < quarters < len(options):
            self.period.insertSeparator(quarters)  # the quarters, then the months
        # the user's choice stays; otherwise the newest quarter (imported tickets move it on
        # from the go-live quarter, which may hold none)
        wanted = self._picked if self._picked in options else options[0] if options else ""
        if wanted:
            self.period.setCurrentText(wanted)
        if wanted and wanted != shown and "Q" in wanted:  # its quarter card is computed now
            self.refresh_scorecard()
            return
        by_label = {m.label: m for m in every.months}
        self.period_card = whole if whole is not None else by_label.get(self.period.currentText())
        self._show_card()

    def _show_card(self) -> None:
        card = self.period_card
        self.metrics_model.set_rows(card.metrics if card else [])
        self.priorities_model.set_rows(card.priorities if card else [])
        contract = self.contract
        self.period_text.setText(
            period_summary(card, contract) if card and contract else "No period to show yet."
        )
        self._show_trend()

    def _show_trend(self) -> None:
        key, priority = self.trend_metric.currentData() or ("sla_attainment", "")
        points: list[TrendPoint] = []
        unit = "share"
        for month in (self.card.months if self.card else [])[:12]:
            line = month.metric(key, priority)
            if line is not None:
                unit = line_unit(line)
                points.append(TrendPoint(month.label, line.value, line.target, line.verdict))
        title = f"{self.trend_metric.currentText()}, first year after go-live"
        self.chart.show_trend(title, unit, points)

    # ---- actions (ui/contract/actions.py) ----------------------------------------------------

    def create_contract(self) -> QDialog | None:
        from ui.contract.actions import create_contract

        return create_contract(self)

    def edit_target(self) -> QDialog | None:
        from ui.contract.actions import edit_target

        return edit_target(self)

    def import_tickets(self) -> QDialog | None:
        from ui.contract.actions import import_tickets

        return import_tickets(self)

    def import_calls(self, path: str = "") -> None:
        from ui.contract.actions import import_calls

        import_calls(self, path)

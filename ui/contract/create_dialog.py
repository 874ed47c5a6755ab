"""Creating the support contract of a final evaluation: the selected candidate (ranked first
by default), go-live, the monthly fee service credits are a share of, and the time zone whose
months the scorecard counts in. The core turns the candidate's promises into targets."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from evaluator.domain import EvaluationData, Results
from ui.accessibility import describe
from ui.widgets import muted, ok_cancel

ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Phoenix",
    "America/Anchorage",
    "Pacific/Honolulu",
    "Europe/London",
    "UTC",
)


def _row(form: QFormLayout, text: str, field: QWidget) -> None:
    label = QLabel(text)
    label.setBuddy(field)
    form.addRow(label, field)


class CreateContractDialog(QDialog):
    """What the contract needs beyond the evaluation."""

    def __init__(
        self, data: EvaluationData, results: Results | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("createContractDialog")
        self.setWindowTitle(f"Create the support contract: {data.name}")
        self.candidate = QComboBox()
        ranked = sorted(
            data.candidates,
            key=lambda c: (results.for_candidate(c.id).rank or 10**6) if results else 0,
        )
        for candidate in ranked:
            row = results.for_candidate(candidate.id) if results else None
            if row is not None and row.disqualified:
                continue
            rank = f" (rank {row.rank})" if row is not None and row.rank else ""
            self.candidate.addItem(f"{candidate.name}{rank}", candidate.name)
        describe(self.candidate, "Selected candidate", "The candidate the contract is with")
        self.go_live = QDateEdit(QDate.currentDate())
        self.go_live.setCalendarPopup(True)
        self.go_live.setDisplayFormat("yyyy-MM-dd")
        describe(self.go_live, "Go-live", "The first day of service: the scorecard starts here")
        self.fee = QDoubleSpinBox()
        self.fee.setRange(0.0, 1e9)
        self.fee.setDecimals(2)
        self.fee.setGroupSeparatorShown(True)
        self.fee.setValue(0.0)
        describe(self.fee, "Monthly fee", "Service credits are a percentage of it")
        self.zone = QComboBox()
        self.zone.setEditable(True)
        self.zone.addItems(ZONES)
        describe(self.zone, "Time zone", "Months are counted in this zone (an IANA name)")
        self.buttons, self.ok_button = ok_cancel(self, "C&reate contract")
        form = QFormLayout(self)
        form.addRow(
            muted(
                "The candidate's promises (severity-1 response and restore, credentialed staff, "
                "offshore share, cover, named team) become targets; standard service-desk "
                "targets, with their sources, cover the rest. Every target can be changed "
                "later, with a reason."
            )
        )
        _row(form, "&Candidate:", self.candidate)
        _row(form, "&Go-live:", self.go_live)
        _row(form, "Monthly &fee:", self.fee)
        _row(form, "&Time zone:", self.zone)
        form.addRow(self.buttons)
        self.fee.valueChanged.connect(self._update)
        self._update()

    @property
    def values(self) -> dict[str, object]:
        """The keyword arguments of `evaluator.contracts.create_contract`."""
        day = self.go_live.date()
        return {
            "candidate": self.candidate.currentData(),
            "go_live": date(day.year(), day.month(), day.day()),
            "monthly_fee": self.fee.value(),
            "time_zone": self.zone.currentText().strip(),
        }

    def _update(self) -> None:
        self.ok_button.setEnabled(self.fee.value() > 0 and self.candidate.count() > 0)

"""Plain values of the contract API: a contract with its targets, and the one change a user
makes to a target (with what they saw, so a stale edit is refused)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from evaluator.contracts.metrics import METRICS, Direction, Metric


@dataclass(frozen=True)
class TargetValue:
    """A target as a user sees and edits it: a number or, for a text commitment, its text."""

    value: float | None
    text: str = ""
    # where the value came from, carried so that undoing an edit restores the source too
    # (not compared: a stale check is about the value the user saw)
    source: str = field(default="", compare=False)
    citation: str = field(default="", compare=False)


@dataclass(frozen=True)
class Target:
    metric: str
    priority: str  # "P1".."P4", "" for a metric not per priority
    value: float | None
    text: str
    source: str  # evaluator.contracts.metrics.Source
    citation: str

    def to_dict(self) -> dict[str, object]:
        """The target as plain data (a table row's values, the CLI's --json)."""
        return {
            "metric": self.metric,
            "priority": self.priority,
            "value": self.value,
            "text": self.text,
            "source": self.source,
            "citation": self.citation,
        }

    @property
    def info(self) -> Metric:
        return METRICS[self.metric]

    @property
    def seen(self) -> TargetValue:
        return TargetValue(self.value, self.text, self.source, self.citation)

    @property
    def label(self) -> str:
        return f"{self.info.label} {self.priority}".strip()

    @property
    def measured(self) -> bool:
        return self.info.measured and self.value is not None


@dataclass(frozen=True)
class Contract:
    id: int
    evaluation_id: int
    evaluation: str
    candidate_id: int
    candidate: str
    go_live: date
    monthly_fee: float
    time_zone: str
    revision: int
    targets: tuple[Target, ...] = ()
    missing_promises: tuple[str, ...] = ()  # criteria keys with no answer, when created

    def target(self, metric: str, priority: str = "") -> Target | None:
        return next(
            (t for t in self.targets if t.metric == metric and t.priority == priority), None
        )

    def value(self, metric: str, priority: str = "") -> float | None:
        found = self.target(metric, priority)
        return None if found is None else found.value

    @property
    def credit_percent(self) -> float:
        return self.value("credit") or 0.0

    @property
    def credit_cap_percent(self) -> float | None:
        return self.value("credit_cap")

    def direction(self, metric: str) -> Direction:
        return METRICS[metric].direction


@dataclass(frozen=True)
class SetTarget:
    """Set one target (new, or changed from `before` as the user saw it), with the reason."""

    metric: str
    priority: str
    before: TargetValue | None
    after: TargetValue
    why: str

    def inverse(self) -> SetTarget:
        if self.before is None:
            raise ValueError("a new target has no inverse: it stays once set")
        return replace(self, before=self.after, after=self.before)


@dataclass(frozen=True)
class TargetApplied:
    change: SetTarget
    revision: int  # the contract's revision after the write
    changed: bool = True
    notes: tuple[str, ...] = field(default=())

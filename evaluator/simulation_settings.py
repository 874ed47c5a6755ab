"""The simulation's settings and thresholds, apart from the numpy code that runs it, so that the
command line and the window can offer them without importing numpy at start-up."""

from __future__ import annotations

from dataclasses import dataclass

CLOSE_CALL = 0.75  # a leader winning fewer draws than this is a close call
DEFAULT_DRAWS = 2000
DEFAULT_SEED = 1
DEFAULT_CONCENTRATION = 50.0  # κ: a share of 30% varies by about ±6.4 points (one SD)
MAX_DRAWS = 1_000_000
LOW_PERCENTILE, HIGH_PERCENTILE = 5, 95


@dataclass(frozen=True)
class Settings:
    """What varies and how much; `concentration` None keeps the weights as they are."""

    draws: int = DEFAULT_DRAWS
    seed: int = DEFAULT_SEED
    concentration: float | None = DEFAULT_CONCENTRATION
    resample: bool = True

    def check(self) -> None:
        """Refuse settings that cannot run, with a sentence (ValueError)."""
        if not 1 <= self.draws <= MAX_DRAWS:
            raise ValueError(f"the number of draws must be 1 to {MAX_DRAWS:,}, got {self.draws}")
        if self.seed < 0:
            raise ValueError(f"the seed must be 0 or more, got {self.seed}")
        if self.concentration is not None and not 0 < self.concentration < float("inf"):
            raise ValueError(f"the concentration must be above 0, got {self.concentration}")

    def describe(self) -> str:
        """One line for people: what was varied, how often, from which seed."""
        varied = []
        if self.concentration is not None:
            varied.append(f"weights varied (Dirichlet, concentration {self.concentration:g})")
        if self.resample:
            varied.append("members' scores resampled in every cell")
        what = " and ".join(varied) or "nothing varied"
        return f"{self.draws:,} draws from seed {self.seed}: {what}"

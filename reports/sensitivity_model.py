"""The sensitivity part of the report data object: plain frozen dataclasses, already worded,
built by `reports.sensitivity_data` and laid out by both renderers (PDF section, workbook sheet).
Text is plain and uses no arrows (the PDF's fallback font has none)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FlipLine:
    """One category or criterion: how far its weight must move to change the leader."""

    key: str
    name: str
    depth: int  # 0 at the top level
    is_category: bool
    weight: float  # its share of the whole evaluation now, 0..1
    raw_weight: float
    change_points: float | None  # signed points of share; None when nothing flips
    flip_weight: float | None  # its share at the flip point
    flip_raw_weight: float | None
    new_leader: str  # "" when it holds
    verdict: str  # "holds", "alone" or "" (it flips)
    sentence: str


@dataclass(frozen=True)
class OddsLine:
    name: str
    chance: float | None  # None: disqualified, never ranked
    rank_low: int | None
    rank_median: int | None
    rank_high: int | None


@dataclass(frozen=True)
class SetColumn:
    """One weighting set (or the current weights): rank and total per candidate."""

    name: str
    note: str
    ranks: tuple[int | None, ...]  # per SensitivitySection.candidates
    totals: tuple[float | None, ...]
    error: str = ""
    missing: int = 0  # criteria the set does not name (current weight used)


@dataclass(frozen=True)
class SensitivitySection:
    leader: str  # "" when no candidate can be ranked
    summary: str  # one paragraph: what holds, what is a close call
    flips: tuple[FlipLine, ...]  # every weighted category and criterion, tree order
    nearest: tuple[FlipLine, ...]  # those that flip, nearest first
    settings: str  # what the simulation varied, how many draws, which seed
    draws: int
    seed: int
    odds: tuple[OddsLine, ...]  # by chance of winning; disqualified last
    leader_chance: float | None
    close_call: bool
    close_call_below: float
    rank_percentiles: tuple[int, int]
    candidates: tuple[str, ...]  # qualified candidates, in the current ranking's order
    sets: tuple[SetColumn, ...]  # the current weights first
    sets_sentence: str
    holds: bool | None  # the winner holds under every set (None: no sets)

"""Progress in whole percent never claims a sheet done, or untouched, when it is not."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale

from ui.numbers import progress_percent
from ui.scoring.progress import Progress


@pytest.fixture(autouse=True)
def english():
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(before)


@pytest.mark.parametrize(
    ("done", "total", "shown"),
    [
        (9_999, 10_000, "99 %"),  # rounds to 100: one cell is still missing
        (1, 1_000, "1 %"),  # rounds to 0: one cell is done
        (0, 51, "0 %"),
        (51, 51, "100 %"),
        (1, 3, "33 %"),
        (2, 3, "67 %"),
        (0, 0, "0 %"),  # nothing to score
    ],
)
def test_whole_percent_of_progress(done: int, total: int, shown: str) -> None:
    assert progress_percent(done, total) == shown


def test_a_sheet_with_one_cell_left_is_not_shown_done() -> None:
    assert Progress(9_998, 1, 10_000).text() == "9998 of 10000 scored, 1 abstained (99 %)"
    assert Progress(9_999, 1, 10_000).text() == "9999 of 10000 scored, 1 abstained (100 %)"

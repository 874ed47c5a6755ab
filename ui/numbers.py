"""Numbers as the user writes them: the one place the window formats and parses a number.

Everything goes through the default QLocale, so that a German laptop shows and takes "3,5" in
the grids, the editors and the spin boxes alike (before, the spin boxes took "3,5" while the
grids showed "3.5"). Scores, weights and percentages carry no thousands separator (the spin
boxes show none either); money does. The CLI and the reports stay in C notation: they never
import this module.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QAbstractSpinBox

_C = QLocale(QLocale.Language.C)


def locale() -> QLocale:
    """The user's locale (the default one), without thousands separators."""
    loc = QLocale()
    loc.setNumberOptions(loc.numberOptions() | QLocale.NumberOption.OmitGroupSeparator)
    return loc


def fmt(value: float | str | None, digits: int = 6) -> str:
    """A score or a weight as people write it: 4, not 4.0; 3,5 under a German locale.
    Text that is no number comes back unchanged ("" for None)."""
    if value is None:
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number.is_integer() and abs(number) < 1e15:
        return locale().toString(int(number))
    return locale().toString(number, "g", digits)


def fixed(value: float, places: int = 1) -> str:
    """A number with `places` decimals (totals, points): "72,4" under a German locale."""
    return locale().toString(float(value), "f", places)


def signed(value: float, places: int = 1) -> str:
    """A change with its sign: "+1.5", "-0.25"."""
    text = fixed(value, places)
    return text if text.startswith("-") else "+" + text


def percent(share: float, places: int = 1, spaced: bool = False) -> str:
    """A share in [0, 1] as a percentage: "12.5%" ("12.5 %" when `spaced`)."""
    return fixed(100 * share, places) + (" %" if spaced else "%")


def progress_percent(done: int, total: int) -> str:
    """How far along, in whole percent that claims neither more nor less than is so: 9,999 of
    10,000 is "99 %", not "100 %"; 1 of 1,000 is "1 %", not "0 %"."""
    if total <= 0 or done <= 0:
        whole = 0
    elif done >= total:
        whole = 100
    else:
        whole = min(99, max(1, round(100 * done / total)))
    return f"{fixed(whole, 0)} %"


def money(amount: float) -> str:
    """An amount of money, with the locale's thousands separators; cents only when there are."""
    places = 0 if float(amount).is_integer() else 2
    return QLocale().toString(float(amount), "f", places)


def parse(text: str) -> float | None:
    """A typed number in the user's notation, else in C notation, else with a decimal comma
    ("3,5" and "3.5" read 3.5 under any locale, as the weight cell always allowed); None when
    it is not a number."""
    text = text.strip()
    for loc, typed in ((QLocale(), text), (_C, text), (_C, text.replace(",", "."))):
        value, ok = loc.toDouble(typed)
        if ok:
            return value
    return None


def localise(spin: QAbstractSpinBox) -> QAbstractSpinBox:
    """A spin box reading and showing numbers as the grids do (the user's locale, no thousands
    separators); returns it, for use inline."""
    spin.setLocale(locale())
    spin.setGroupSeparatorShown(False)
    return spin

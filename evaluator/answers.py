"""Read what people type into questionnaire answer cells.

Vendors fill questionnaires by hand in Excel or LibreOffice: `Yes`, `y`, `TRUE`; `35%`, `0.35`,
`35`; `$1.2m`; numbers stored as text; dates as dates, text or serial numbers. Each answer type
accepts those spellings and nothing vaguer: what cannot be read without guessing becomes an
error written to follow a cell location (see `format_cell_problem`), and a blank cell is
*unanswered*, which is not an error.

Conventions: a percentage is a number from 0 to 100. A plain number strictly between 0 and 1
(`0.35`), or any number in a cell formatted as a percentage, is a fraction and is multiplied by
100; a number followed by `%` is taken as written. Dates come out as ISO strings (`2024-03-31`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from evaluator.domain import AnswerType

FORMULA_MESSAGE = "formula without a saved value: open the file in Excel, save it, and import again"
EXCEL_ERRORS = frozenset(
    {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)
YES_WORDS = frozenset({"yes", "y", "true", "1", "x", "✓", "✔"})
NO_WORDS = frozenset({"no", "n", "false", "0"})
CURRENCY_MARKS = ("US$", "USD", "EUR", "GBP", "$", "€", "£")  # longest first
MULTIPLIERS = {"k": 1_000, "m": 1_000_000, "mm": 1_000_000, "bn": 1_000_000_000}
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTHS = (
    {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
    | {name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)}
    | {"sept": 9}
)
# Serial numbers Excel can show as a date: 1 is 1900-01-01, 2958465 is 9999-12-31.
MAX_EXCEL_SERIAL = 2_958_465
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+|\d+(?:\.\d*)?[eE][+-]?\d+")
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d{1,3}(?: \d{3})+(?:\.\d*)?")
_DECIMAL_COMMA = re.compile(r"-?\d+,\d{1,2}")
_SHEET_NAME_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


@dataclass(frozen=True)
class ParsedAnswer:
    """A parsed value, or an error message, or neither (the question is unanswered)."""

    value: bool | float | str | None = None
    error: str | None = None

    @property
    def is_unanswered(self) -> bool:
        return self.value is None and self.error is None

    @property
    def is_error(self) -> bool:
        return self.error is not None


UNANSWERED = ParsedAnswer()


def format_cell_problem(sheet: str, cell_ref: str, message: str) -> str:
    """`Questionnaire!E14: message`, quoting sheet names the way Excel does."""
    if not _SHEET_NAME_PLAIN.fullmatch(sheet):
        sheet = "'" + sheet.replace("'", "''") + "'"
    return f"{sheet}!{cell_ref}: {message}"


def parse_answer(
    raw: object,
    answer_type: AnswerType,
    choices: Sequence[str] = (),
    *,
    is_percent_format: bool = False,
    date1904: bool = False,
    formulas_told_apart: bool = False,
) -> ParsedAnswer:
    """Parse one answer cell's value (as openpyxl returns it) for its question's type.

    `formulas_told_apart`: the caller has already refused formula cells by their cell type, so
    a string that starts with "=" is text someone typed (or we wrote) as text."""
    if isinstance(raw, str):
        raw = raw.replace("\u200b", "").replace("\ufeff", "").strip()
        if not raw:
            return UNANSWERED
        if raw.startswith("=") and len(raw) > 1 and not formulas_told_apart:
            return _error(FORMULA_MESSAGE)
        if answer_type is not AnswerType.TEXT and raw.upper() in EXCEL_ERRORS:
            return _error(f"the cell shows the Excel error {raw.upper()}: correct it in Excel")
    elif raw is None:
        return UNANSWERED
    elif isinstance(raw, float) and not math.isfinite(raw):
        return _error(f"{raw} is not a number")
    if answer_type is AnswerType.PERCENT:
        return _parse_percent(raw, is_percent_format)
    if answer_type is AnswerType.DATE:
        return _parse_date(raw, date1904)
    if answer_type is AnswerType.CHOICE:
        return _parse_choice(raw, choices)
    return _PARSERS[answer_type](raw)


def _error(message: str) -> ParsedAnswer:
    return ParsedAnswer(error=message)


def _show(raw: object) -> str:
    """How a raw value appears inside a message: text quoted, numbers plain."""
    if isinstance(raw, str):
        text = " ".join(raw.split())
        return f'"{text[:40]}…"' if len(text) > 40 else f'"{text}"'
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, int | float | Decimal):
        return _number_text(raw)
    if isinstance(raw, datetime) and raw.time() == time(0):
        return raw.date().isoformat()
    if isinstance(raw, date | time):
        return raw.isoformat()
    return _show(str(raw))


def _number_text(value: float | Decimal) -> str:
    return f"{float(value):.12g}"


# ---- numbers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Amount:
    value: Decimal
    percent_sign: bool = False
    currency: bool = False
    multiplied: bool = False


def _read_amount(raw: object) -> _Amount | None:
    """A number from a cell value, or None; bools and dates are not numbers."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        return None
    if not isinstance(raw, str):
        return _Amount(Decimal(str(raw)))
    text = " ".join(raw.replace("\u2212", "-").replace("\u202f", " ").split())
    negative = text.startswith("(") and text.endswith(")")  # accountants' negative
    if negative:
        text = text[1:-1].strip()
    text, negative = _strip_sign(text, negative)
    text, currency = _strip_currency(text)
    text, negative = _strip_sign(text, negative)
    percent_sign = text.endswith("%")
    text = text.removesuffix("%").strip()
    multiplier = 1
    match = re.fullmatch(r"(.*\d)\s*(k|mm|m|bn)", text, re.IGNORECASE)
    if match:
        text, multiplier = match.group(1), MULTIPLIERS[match.group(2).lower()]
    if not (_PLAIN_NUMBER.fullmatch(text) or _GROUPED_NUMBER.fullmatch(text)):
        return None
    if percent_sign and (currency or multiplier != 1):
        return None
    try:
        value = Decimal(text.replace(",", "").replace(" ", "")) * multiplier
    except InvalidOperation:
        return None
    return _Amount(-value if negative else value, percent_sign, currency, multiplier != 1)


def _strip_sign(text: str, negative: bool) -> tuple[str, bool]:
    if text[:1] in ("-", "+"):
        return text[1:].strip(), negative or text[0] == "-"
    return text, negative


def _strip_currency(text: str) -> tuple[str, bool]:
    upper = text.upper()
    for mark in CURRENCY_MARKS:
        if upper.startswith(mark):
            return text[len(mark) :].strip(), True
        if upper.endswith(mark):
            return text[: -len(mark)].strip(), True
    return text, False


def _number_hint(raw: object, example_suffix: str = "") -> str:
    """A suggestion when the text holds exactly one readable number, else nothing."""
    if not isinstance(raw, str):
        return ""
    if _DECIMAL_COMMA.fullmatch(raw):
        return f": use a dot for decimals, e.g. {raw.replace(',', '.')}{example_suffix}"
    numbers = re.findall(r"\d[\d,]*(?:\.\d+)?", raw)
    if len(numbers) == 1 and _read_amount(numbers[0]) is not None:
        return f": type only the number, e.g. {numbers[0]}{example_suffix}"
    return ""


def _parse_number(raw: object, *, currency: bool = False) -> ParsedAnswer:
    kind = "an amount" if currency else "a number"
    amount = _read_amount(raw)
    if amount is None or amount.percent_sign:
        return _error(f"{_show(raw)} is not {kind}{_number_hint(raw)}")
    if currency and amount.value < 0:
        return _error(f"{_show(raw)} is negative: an amount must be 0 or more")
    return ParsedAnswer(float(amount.value))


def _parse_currency(raw: object) -> ParsedAnswer:
    return _parse_number(raw, currency=True)


def _parse_percent(raw: object, is_percent_format: bool) -> ParsedAnswer:
    amount = _read_amount(raw)
    if amount is None or amount.currency or amount.multiplied:
        return _error(f"{_show(raw)} is not a percentage{_number_hint(raw, '%')}")
    value, shown = amount.value, _show(raw)
    if amount.percent_sign:
        pass  # "35%" and "0.5%" mean what they say
    elif is_percent_format and not isinstance(raw, str):
        value, shown = value * 100, f"{_number_text(value * 100)}%"  # Excel shows it x100
    elif 0 < value < 1:
        value *= 100
    if not 0 <= value <= 100:
        return _error(f"{shown} is not a percentage between 0 and 100")
    return ParsedAnswer(float(value))


# ---- yes/no, choice, text ---------------------------------------------------------------


def _parse_yes_no(raw: object) -> ParsedAnswer:
    if isinstance(raw, bool):
        return ParsedAnswer(raw)
    word = _number_text(raw) if isinstance(raw, int | float) else str(raw)
    word = word.strip().rstrip(".!").strip().casefold()
    if word in YES_WORDS:
        return ParsedAnswer(True)
    if word in NO_WORDS:
        return ParsedAnswer(False)
    return _error(
        f"{_show(raw)} is not a yes/no answer: type yes or no, and put details in the comment"
    )


def _parse_choice(raw: object, choices: Sequence[str]) -> ParsedAnswer:
    text = _as_text(raw)
    if not choices:
        return ParsedAnswer(text)
    wanted = _fold(text)
    for choice in choices:
        if _fold(choice) == wanted:
            return ParsedAnswer(choice)
    listed = ", ".join(choices[:10]) + (", …" if len(choices) > 10 else "")
    return _error(f"{_show(raw)} is not one of the choices: {listed}")


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _as_text(raw: object) -> str:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool | int | float | Decimal | date | time):
        return _show(raw)
    return str(raw).strip()


def _parse_text(raw: object) -> ParsedAnswer:
    return ParsedAnswer(_as_text(raw))


# ---- dates -----------------------------------------------------------------------------


def _parse_date(raw: object, date1904: bool) -> ParsedAnswer:
    if isinstance(raw, datetime):
        return ParsedAnswer(raw.date().isoformat())
    if isinstance(raw, date):
        return ParsedAnswer(raw.isoformat())
    if isinstance(raw, time):
        return _error(f"{_show(raw)} is a time, not a date: type the date as YYYY-MM-DD")
    if isinstance(raw, bool):
        return _error(f"{_show(raw)} is not a date: type it as YYYY-MM-DD")
    if isinstance(raw, int | float) or _PLAIN_NUMBER.fullmatch(str(raw)):
        amount = _read_amount(raw)
        if amount is not None:
            return _date_from_serial(raw, amount.value, date1904)
    return _date_from_text(str(raw))


def _date_from_serial(raw: object, serial: Decimal, date1904: bool) -> ParsedAnswer:
    if serial == serial.to_integral_value() and 1900 <= serial <= 2100:
        return _error(f"{_show(raw)} is a year, not a full date: type it as YYYY-MM-DD")
    if not 1 <= serial <= MAX_EXCEL_SERIAL:
        return _error(f"{_show(raw)} is not a date: type it as YYYY-MM-DD")
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    day = from_excel(float(serial), epoch)
    return ParsedAnswer((day.date() if isinstance(day, datetime) else day).isoformat())


def _date_from_text(text: str) -> ParsedAnswer:
    try:
        return ParsedAnswer(datetime.fromisoformat(text).date().isoformat())
    except ValueError:
        pass
    for parse in (_numeric_date, _named_month_date):
        result = parse(text)
        if result is not None:
            return result
    return _error(f"{_show(text)} is not a date: type it as YYYY-MM-DD")


def _numeric_date(text: str) -> ParsedAnswer | None:
    """2024/03/31, and 31/03/2024 or 03/31/2024 when only one reading is possible."""
    match = re.fullmatch(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})", text)
    if match:
        return _checked_date(text, int(match[1]), int(match[2]), int(match[3]))
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if not match:
        return None
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    if first == second or (first > 12 >= second):
        return _checked_date(text, year, second, first)
    if second > 12 >= first:
        return _checked_date(text, year, first, second)
    return _error(
        f"{_show(text)} could be day/month or month/day: type it as YYYY-MM-DD so it is not guessed"
    )


def _named_month_date(text: str) -> ParsedAnswer | None:
    """31 March 2024, 31-Mar-2024, March 31, 2024: English month names, whatever the locale."""
    cleaned = text.replace(",", " ").replace("-", " ").replace(".", " ")
    parts = cleaned.split()
    if len(parts) != 3:
        return None
    if parts[0].isdigit() and parts[1].casefold() in MONTHS:
        day, month = int(parts[0]), MONTHS[parts[1].casefold()]
    elif parts[1].isdigit() and parts[0].casefold() in MONTHS:
        day, month = int(parts[1]), MONTHS[parts[0].casefold()]
    else:
        return None
    if not (parts[2].isdigit() and len(parts[2]) == 4):
        return None
    return _checked_date(text, int(parts[2]), month, day)


def _checked_date(text: str, year: int, month: int, day: int) -> ParsedAnswer:
    try:
        return ParsedAnswer(date(year, month, day).isoformat())
    except ValueError:
        return _error(f"{_show(text)} is not a real calendar date")


_PARSERS: dict[AnswerType, Callable[[object], ParsedAnswer]] = {
    AnswerType.YES_NO: _parse_yes_no,
    AnswerType.NUMBER: _parse_number,
    AnswerType.CURRENCY: _parse_currency,
    AnswerType.TEXT: _parse_text,
}

"""The spellings people type into answer cells, per answer type, and the messages they get."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from evaluator.answers import FORMULA_MESSAGE, ParsedAnswer, format_cell_problem, parse_answer
from evaluator.domain import AnswerType

YES_NO, NUMBER, PERCENT = AnswerType.YES_NO, AnswerType.NUMBER, AnswerType.PERCENT
CURRENCY, CHOICE, TEXT, DATE = (
    AnswerType.CURRENCY,
    AnswerType.CHOICE,
    AnswerType.TEXT,
    AnswerType.DATE,
)
TIERS = ("Bronze", "Silver", "Gold 24/7")


def value_of(raw: object, answer_type: AnswerType, **options: object) -> object:
    parsed = parse_answer(raw, answer_type, **options)  # type: ignore[arg-type]
    assert parsed.error is None, parsed.error
    return parsed.value


def error_of(raw: object, answer_type: AnswerType, **options: object) -> str:
    parsed = parse_answer(raw, answer_type, **options)  # type: ignore[arg-type]
    assert parsed.value is None and parsed.error is not None
    assert parsed.is_error and not parsed.is_unanswered
    return parsed.error


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Yes", True),
        ("yes", True),
        ("YES", True),
        (" y ", True),
        ("Y", True),
        ("TRUE", True),
        ("true", True),
        ("1", True),
        ("x", True),
        ("X", True),
        ("Yes.", True),
        (True, True),
        (1, True),
        (1.0, True),
        ("No", False),
        ("n", False),
        ("FALSE", False),
        ("false", False),
        ("0", False),
        ("no!", False),
        (False, False),
        (0, False),
    ],
)
def test_yes_no_spellings(raw: object, expected: bool) -> None:
    assert value_of(raw, YES_NO) is expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("maybe", '"maybe" is not a yes/no answer: type yes or no, and put details in the comment'),
        ("Oui", '"Oui" is not a yes/no answer: type yes or no, and put details in the comment'),
        ("Yes, weekdays only", '"Yes, weekdays only" is not a yes/no answer'),
        (2, "2 is not a yes/no answer"),
    ],
)
def test_yes_no_errors(raw: object, message: str) -> None:
    assert error_of(raw, YES_NO).startswith(message)


@pytest.mark.parametrize(
    ("raw", "percent_format", "expected"),
    [
        ("35%", False, 35.0),
        (" 35 % ", False, 35.0),
        ("35", False, 35.0),
        (35, False, 35.0),
        (0.35, False, 35.0),
        ("0.35", False, 35.0),
        (0.35, True, 35.0),  # Excel stores 35% as 0.35 with a % format
        (1, True, 100.0),
        (0, True, 0.0),
        ("0.5%", False, 0.5),  # a % sign is taken as written, never as a fraction
        ("100%", False, 100.0),
        (100, False, 100.0),
        (1, False, 1.0),  # 1 is not strictly between 0 and 1: one percent
        (0, False, 0.0),
        ("12.5", False, 12.5),
        (0.125, False, 12.5),
        ("35", True, 35.0),  # text ignores the cell's number format
    ],
)
def test_percent_spellings(raw: object, percent_format: bool, expected: float) -> None:
    assert value_of(raw, PERCENT, is_percent_format=percent_format) == pytest.approx(expected)


def test_fraction_to_percent_has_no_float_noise() -> None:
    assert value_of(0.35, PERCENT) == 35.0  # 0.35 * 100 would be 35.00000000000001
    assert value_of(0.07, PERCENT) == 7.0


@pytest.mark.parametrize(
    ("raw", "percent_format", "message"),
    [
        ("about half", False, '"about half" is not a percentage'),
        (120, False, "120 is not a percentage between 0 and 100"),
        ("120%", False, '"120%" is not a percentage between 0 and 100'),
        (1.2, True, "120% is not a percentage between 0 and 100"),
        (-5, False, "-5 is not a percentage between 0 and 100"),
        ("approx. 35%", False, '"approx. 35%" is not a percentage: type only the number, e.g. 35%'),
        ("35,5%", False, '"35,5%" is not a percentage'),
        ("$35", False, '"$35" is not a percentage: type only the number, e.g. 35%'),
        (True, False, "TRUE is not a percentage"),
    ],
)
def test_percent_errors(raw: object, percent_format: bool, message: str) -> None:
    assert error_of(raw, PERCENT, is_percent_format=percent_format) == message


@pytest.mark.parametrize(
    ("raw", "answer_type", "expected"),
    [
        ("1,250,000", NUMBER, 1_250_000.0),
        ("1 250 000", NUMBER, 1_250_000.0),
        ("1,250.75", NUMBER, 1250.75),
        ("42", NUMBER, 42.0),
        (42, NUMBER, 42.0),
        (4.5, NUMBER, 4.5),
        ("-3", NUMBER, -3.0),
        ("(1,200)", NUMBER, -1200.0),
        ("2k", NUMBER, 2000.0),
        ("1.5E+06", NUMBER, 1_500_000.0),
        ("$1.2m", CURRENCY, 1_200_000.0),
        ("$1,250,000", CURRENCY, 1_250_000.0),
        ("€ 980", CURRENCY, 980.0),
        ("£12.50", CURRENCY, 12.5),
        ("EUR 1.5k", CURRENCY, 1500.0),
        ("USD 250", CURRENCY, 250.0),
        ("1 200 EUR", CURRENCY, 1200.0),
        ("3bn", CURRENCY, 3_000_000_000.0),
        ("2MM", CURRENCY, 2_000_000.0),
        (0, CURRENCY, 0.0),
        (99000, CURRENCY, 99000.0),
    ],
)
def test_number_and_currency_spellings(
    raw: object, answer_type: AnswerType, expected: float
) -> None:
    assert value_of(raw, answer_type) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("raw", "answer_type", "message"),
    [
        ("lots", NUMBER, '"lots" is not a number'),
        ("4 hours", NUMBER, '"4 hours" is not a number: type only the number, e.g. 4'),
        ("1,5", NUMBER, '"1,5" is not a number: use a dot for decimals, e.g. 1.5'),
        ("12,50", NUMBER, '"12,50" is not a number: use a dot for decimals, e.g. 12.50'),
        ("35%", NUMBER, '"35%" is not a number: type only the number, e.g. 35'),
        ("1,25,000", NUMBER, '"1,25,000" is not a number'),
        (True, NUMBER, "TRUE is not a number"),
        (float("nan"), NUMBER, "nan is not a number"),
        (datetime(2024, 3, 31), NUMBER, "2024-03-31 is not a number"),
        ("-$500", CURRENCY, '"-$500" is negative: an amount must be 0 or more'),
        (-500, CURRENCY, "-500 is negative: an amount must be 0 or more"),
        ("ask us", CURRENCY, '"ask us" is not an amount'),
    ],
)
def test_number_and_currency_errors(raw: object, answer_type: AnswerType, message: str) -> None:
    assert error_of(raw, answer_type) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Silver", "Silver"),
        ("silver", "Silver"),
        ("  SILVER ", "Silver"),
        ("gold   24/7", "Gold 24/7"),
        ("GOLD 24/7", "Gold 24/7"),
    ],
)
def test_choice_matches_ignoring_case_and_spacing(raw: str, expected: str) -> None:
    assert value_of(raw, CHOICE, choices=TIERS) == expected


def test_choice_error_lists_the_valid_choices() -> None:
    assert (
        error_of("Platinum", CHOICE, choices=TIERS)
        == '"Platinum" is not one of the choices: Bronze, Silver, Gold 24/7'
    )


def test_numeric_choice_matches_its_text() -> None:
    assert value_of(2.0, CHOICE, choices=("1", "2", "3")) == "2"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (datetime(2024, 3, 31, 14, 30), "2024-03-31"),
        (date(2024, 3, 31), "2024-03-31"),
        ("2024-03-31", "2024-03-31"),
        ("2024-03-31T09:00:00", "2024-03-31"),
        ("2024-3-31", "2024-03-31"),
        ("2024/03/31", "2024-03-31"),
        ("31/03/2024", "2024-03-31"),  # only day/month can be meant
        ("03/31/2024", "2024-03-31"),  # only month/day can be meant
        ("05.05.2024", "2024-05-05"),
        ("31 March 2024", "2024-03-31"),
        ("31-Mar-2024", "2024-03-31"),
        ("March 31, 2024", "2024-03-31"),
        ("Sept 1 2024", "2024-09-01"),
        (45382, "2024-03-31"),  # Excel serial number
        (45382.75, "2024-03-31"),
        ("45382", "2024-03-31"),
    ],
)
def test_date_spellings(raw: object, expected: str) -> None:
    assert value_of(raw, DATE) == expected


def test_serial_numbers_follow_the_workbook_epoch() -> None:
    assert value_of(43920, DATE, date1904=True) == "2024-03-31"  # Mac 1904 date system


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("next spring", '"next spring" is not a date: type it as YYYY-MM-DD'),
        ("03/04/2024", '"03/04/2024" could be day/month or month/day: type it as YYYY-MM-DD'),
        ("2024-02-30", '"2024-02-30" is not a real calendar date'),
        (2025, "2025 is a year, not a full date: type it as YYYY-MM-DD"),
        (-3, "-3 is not a date: type it as YYYY-MM-DD"),
        (time(9, 30), "09:30:00 is a time, not a date: type the date as YYYY-MM-DD"),
        (True, "TRUE is not a date: type it as YYYY-MM-DD"),
    ],
)
def test_date_errors(raw: object, message: str) -> None:
    assert error_of(raw, DATE).startswith(message)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  We staff Level 1-4 on site.  ", "We staff Level 1-4 on site."),
        ("line one\nline two", "line one\nline two"),
        (12.0, "12"),
        (12.5, "12.5"),
        (True, "TRUE"),
        (datetime(2024, 3, 31), "2024-03-31"),
        ("#N/A", "#N/A"),  # in free text it may be what the vendor meant
    ],
)
def test_text_keeps_what_was_typed(raw: object, expected: str) -> None:
    assert value_of(raw, TEXT) == expected


@pytest.mark.parametrize("answer_type", list(AnswerType))
@pytest.mark.parametrize("raw", [None, "", "   ", "\u00a0", "\t\n", "\u200b"])
def test_blank_is_unanswered_not_an_error(raw: object, answer_type: AnswerType) -> None:
    parsed = parse_answer(raw, answer_type, choices=TIERS)
    assert parsed == ParsedAnswer()
    assert parsed.is_unanswered and not parsed.is_error


@pytest.mark.parametrize("answer_type", list(AnswerType))
def test_formula_without_saved_value_is_an_error_for_every_type(answer_type: AnswerType) -> None:
    parsed = parse_answer("=SUM(C2:C9)", answer_type, choices=TIERS)
    assert parsed.error == FORMULA_MESSAGE
    assert FORMULA_MESSAGE == (
        "formula without a saved value: open the file in Excel, save it, and import again"
    )


@pytest.mark.parametrize("answer_type", [YES_NO, NUMBER, PERCENT, CURRENCY, CHOICE, DATE])
def test_excel_error_values_are_named(answer_type: AnswerType) -> None:
    assert (
        parse_answer("#DIV/0!", answer_type, choices=TIERS).error
        == "the cell shows the Excel error #DIV/0!: correct it in Excel"
    )


def test_long_text_is_shortened_in_messages() -> None:
    message = error_of("We will answer this question in the meeting next week", NUMBER)
    assert message == '"We will answer this question in the meet…" is not a number'


@pytest.mark.parametrize(
    ("sheet", "expected"),
    [
        ("Questionnaire", 'Questionnaire!E14: "about half" is not a percentage'),
        ("Vendor answers", "'Vendor answers'!E14: \"about half\" is not a percentage"),
        ("Rep's sheet", "'Rep''s sheet'!E14: \"about half\" is not a percentage"),
    ],
)
def test_format_cell_problem(sheet: str, expected: str) -> None:
    message = parse_answer("about half", PERCENT).error
    assert message is not None
    assert format_cell_problem(sheet, "E14", message) == expected

"""Answers beside their unit read as written English: "1 hour", not "1 hours" (a tester saw
the latter in an import preview); other units and other numbers are left as the question has
them."""

from __future__ import annotations

from evaluator.domain import AnswerType, Question, Response
from evaluator.wording import with_unit
from reports.text import answer_text


def test_a_unit_of_time_is_singular_for_exactly_one() -> None:
    assert [with_unit("1", "hours"), with_unit("1", "minutes"), with_unit("1", "days")] == [
        "1 hour", "1 minute", "1 day",
    ]  # fmt: skip
    assert [with_unit("2", "hours"), with_unit("0.5", "hours"), with_unit("1.5", "days")] == [
        "2 hours", "0.5 hours", "1.5 days",
    ]  # fmt: skip
    assert with_unit("1", "USD per year") == "1 USD per year"
    assert with_unit("1", "FTE") == "1 FTE" and with_unit("4", "") == "4"


def test_the_report_reads_one_hour() -> None:
    question = Question("Severity-1 response time", AnswerType.NUMBER, unit="hours")
    assert answer_text(Response(1, "response.sev1", 1.0, "1"), question) == "1 hour"
    assert answer_text(Response(1, "response.sev1", 4.0, "4"), question) == "4 hours"

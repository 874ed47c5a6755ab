"""What a text file renamed .xlsx is called when it is refused: a table of comma-separated
rows is a CSV file; one line of prose that happens to hold a comma is plain text (a tester's
"this is not a workbook, honestly" was called a CSV file)."""

from __future__ import annotations

import pytest

from evaluator.workbook_sniff import rejection_for_non_zip


@pytest.mark.parametrize(
    ("content", "called"),
    [
        (b"this is not a workbook, honestly\n", "is a plain text file, renamed .xlsx"),
        (b"just some words", "is a plain text file, renamed .xlsx"),
        (b"id,answer\nq1,yes\nq2,no\n", "is a CSV text file renamed .xlsx"),
        (b"id;answer\nq1;yes\nq2;no", "is a CSV text file renamed .xlsx"),
        (b"id\tanswer\nq1\tyes\n", "is a tab-separated text file renamed .xlsx"),
    ],
)
def test_text_renamed_xlsx_is_named_for_what_it_is(content: bytes, called: str) -> None:
    refused = rejection_for_non_zip("answers.xlsx", ".xlsx", content)
    assert called in str(refused), str(refused)
    assert "answers.xlsx" in str(refused)

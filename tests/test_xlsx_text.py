"""Unit tests of the one safe cell writer (evaluator/xlsx_text.py) and of the CLI's output
cleaner (cli/safe_output.py)."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from cli.safe_output import SafeStream, printable
from evaluator.xlsx_text import (
    MAX_CELL_CHARS,
    Truncations,
    clean_text,
    plain_text,
    put_formula,
    put_text,
    set_properties,
    stored_text,
    utf16_length,
)

TRIGGERS = ["=1+1", "+1+1", "-2+3", "@SUM(A1:A9)", "\t=cmd", "\r=cmd", "\n=cmd", "#N/A", "#REF!"]
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _round_trip(values: list[object]) -> tuple[list[object], list[object]]:
    """Write each value with put_text, save, reload: (cells as written, cells as read)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    written = [put_text(sheet, row, 1, value) for row, value in enumerate(values, start=1)]
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    loaded = load_workbook(buffer).active
    assert loaded is not None
    return written, [loaded.cell(row, 1) for row in range(1, len(values) + 1)]


@pytest.mark.parametrize("text", TRIGGERS)
def test_text_a_spreadsheet_would_evaluate_stays_text_with_a_quote_prefix(text: str) -> None:
    (written,), (read,) = _round_trip([text])
    assert written.data_type == "s" and read.data_type == "s"
    assert read.quotePrefix  # editing the cell in Excel keeps it text
    assert read.value == text.replace("\r", "\n")  # the stored value carries no quote


def test_ordinary_text_is_stored_unchanged_without_a_prefix() -> None:
    texts = ["Zephyr Care IT", "24x7 cover, 4-hour fixes", "ümlaut – dash", "1250000", "2025-03-31"]
    _, read = _round_trip(texts)
    assert [cell.value for cell in read] == texts
    assert all(cell.data_type == "s" and not cell.quotePrefix for cell in read)


def test_control_characters_become_visible_control_pictures() -> None:
    text = "".join(chr(code) for code in range(32)) + "\x7f"
    cleaned = clean_text(text)
    assert not RAW_CONTROL.search(cleaned)
    assert "\u2407" in cleaned and "\u2400" in cleaned and "\u241b" in cleaned  # BEL NUL ESC
    assert "\u2421" in cleaned  # DEL
    assert "\t" in cleaned and "\n" in cleaned and "\r" not in cleaned  # layout kept, CR -> LF
    (_,), (read,) = _round_trip([text])
    assert read.value == cleaned


def test_crlf_and_lone_cr_become_line_feeds() -> None:
    assert clean_text("a\r\nb\rc\nd") == "a\nb\nc\nd"


def test_characters_xml_cannot_carry_become_replacement_characters() -> None:
    assert clean_text("a\ud800b\ufffec\uffff") == "a\ufffdb\ufffdc\ufffd"


def test_over_long_text_is_cut_with_a_marker_note_and_record() -> None:
    cuts = Truncations()
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Scores"
    cell = put_text(sheet, 3, 2, "=" + "x" * 40_000, cuts)
    assert utf16_length(cell.value) <= MAX_CELL_CHARS
    assert cell.value.startswith("=xxx") and "TRUNCATED" in cell.value[-200:]
    assert "40,001 characters" in cell.value
    assert cell.comment is not None and "shortened" in cell.comment.text
    assert cuts.cells == ["Scores!B3"]
    assert cell.quotePrefix


def test_cutting_counts_utf16_units_and_never_splits_a_surrogate_pair() -> None:
    text = "\U0001f600" * 20_000  # 40,000 UTF-16 units in 20,000 characters
    stored = stored_text(text)
    assert utf16_length(stored) <= MAX_CELL_CHARS
    assert stored.encode("utf-16-le", "strict")  # no lone half of a pair
    assert stored.startswith("\U0001f600" * 100) and "TRUNCATED" in stored


def test_text_that_fits_exactly_is_not_cut() -> None:
    assert stored_text("y" * MAX_CELL_CHARS) == "y" * MAX_CELL_CHARS


def test_stored_text_is_what_the_cell_holds_and_is_stable() -> None:
    for text in [*TRIGGERS, "a\x07b", "=" + "z" * 33_000, None, 12.5]:
        (written,), _ = _round_trip([text])
        assert written.value == stored_text(text)
        assert stored_text(stored_text(text)) == stored_text(text)


def test_only_put_formula_writes_formulas_and_only_formulas() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    cell = put_formula(sheet, 1, 1, "=SUM(A2:A3)", "0.0")
    assert cell.data_type == "f" and cell.number_format == "0.0"
    with pytest.raises(ValueError, match="not a formula"):
        put_formula(sheet, 1, 1, "SUM(A2:A3)")


def test_plain_text_for_properties_prompts_and_headers() -> None:
    assert plain_text("Harbor\x07 RFP\n\tnext") == "Harbor\u2407 RFP next"
    assert plain_text("a" * 300, 100) == "a" * 99 + "…"
    assert plain_text(None) == ""


def test_document_properties_with_control_characters_still_make_a_readable_file() -> None:
    workbook = Workbook()
    set_properties(workbook, title="Eval\x07", subject="=HYPERLINK(\x1b)", creator="")
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    loaded = load_workbook(buffer)
    assert loaded.properties.title == "Eval\u2407"
    assert loaded.properties.subject == "=HYPERLINK(\u241b)"
    assert loaded.properties.creator == "SupportScope"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_any_text_reads_back_as_the_stored_string_never_a_formula(text: str) -> None:
    (written,), (read,) = _round_trip([text])
    expected = stored_text(text)
    assert written.data_type == "s"
    assert read.data_type == "s" or (expected == "" and read.value is None)
    assert (read.value or "") == expected
    assert not RAW_CONTROL.search(expected)


# ---- the CLI's output ------------------------------------------------------------------------


def test_printable_keeps_layout_and_shows_every_other_control() -> None:
    text = "ok\tcol\nBell\x07 Esc\x1b[31m Cr\r Del\x7f Csi\x9b"
    shown = printable(text)
    assert shown == "ok\tcol\nBell\u2407 Esc\u241b[31m Cr\u240d Del\u2421 Csi\\x9b"


def test_safe_stream_cleans_writes_but_lets_the_code_rewrite_a_progress_line() -> None:
    target = io.StringIO()
    stream = SafeStream(target)
    stream.write("candidate \x07\r\n")
    stream.write_control("\rread 1/2 files")
    assert target.getvalue() == "candidate \u2407\u240d\n\rread 1/2 files"
    assert stream.isatty() is False


def test_safe_stream_escapes_symbols_a_console_cannot_encode() -> None:
    raw = io.BytesIO()
    console = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    SafeStream(console).write("Bell\x07!\n")
    console.flush()
    assert raw.getvalue() == b"Bell\\u2407!\n"

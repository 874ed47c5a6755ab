"""The Excel workbook: values, live formulas wired to the right cells, hostile text kept inert."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from defusedxml import ElementTree

from evaluator.progress import Cancelled
from evaluator.scoring import score_evaluation
from reports.branding import Branding
from reports.data import build_report
from reports.xlsx import render_xlsx
from reports.xlsx.cells import MAX_CELL_CHARS
from tests.report_fixtures import (
    ACME,
    EXPECTED_TOTALS,
    FAILS,
    INJECTIONS,
    RANKED_ORDER,
    hostile_data,
    sample_audit,
    sample_data,
)

WHEN = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
SHEETS = [
    "Summary",
    "Weights",
    "Matrix",
    "Scores",
    "Consensus",
    "Responses",
    "Committee",
    "Declarations",
    "Process",
    "Audit",
]


def write(data, path: Path) -> list[str]:
    report = build_report(data, score_evaluation(data), sample_audit(), Branding(), "9.9.9", WHEN)
    return render_xlsx(report, path)


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "report.xlsx"
    write(sample_data(), path)
    return path


@pytest.fixture(scope="module")
def book(workbook_path):
    return openpyxl.load_workbook(workbook_path)


def find_row(ws, column: int, value) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, column).value == value)


def header_row(ws) -> int:
    return next(r for r in range(1, 12) if ws.cell(r, 1).value in {"Rank", "Key", "Category no."})


def test_sheets_and_the_ranking_at_export(book):
    assert book.sheetnames == SHEETS
    ws = book["Summary"]
    top = header_row(ws)
    names = [ws.cell(top + i, 2).value for i in range(1, 5)]
    assert names == [*RANKED_ORDER, FAILS]
    for i, name in enumerate(names, start=1):
        assert ws.cell(top + i, 8).value == pytest.approx(EXPECTED_TOTALS[name], abs=1e-9)
    assert [ws.cell(top + i, 9).value for i in range(1, 5)] == [1, 2, 3, None]
    assert [ws.cell(top + i, 4).value for i in range(1, 5)] == [
        "Ranked",
        "Ranked",
        "Provisional",
        "Disqualified",
    ]
    assert ws.cell(top + 4, 5).value == "✗ failed the gate “Signs the business associate agreement”"
    assert ws.cell(top + 3, 5).value == (
        "? the gate “Signs the business associate agreement” is not decided yet"
    )
    assert ws.cell(top + 1, 5).value is None  # ranked: no gate to name
    assert ws.cell(1, 1).value == "Riverside Support Review — ü é €"


def _matrix_column(book, formula: str) -> tuple[str, int, int]:
    """The candidate's Matrix column and the rows of the scale's lowest and highest points."""
    weights = set(re.findall(r"Matrix!\$E\$(\d+):\$E\$(\d+)", formula))
    values = set(re.findall(r"Matrix!([A-Z]+)\$(\d+):\1\$(\d+)", formula))
    ends = set(re.findall(r"Matrix!\$([CE])\$(\d+)(?!:)", formula))
    assert len(weights) == len(values) == 1 and len(ends) == 2, formula
    ((first, last),), ((column, first2, last2),) = weights, values
    assert (first, last) == (first2, last2)
    shape = re.sub(r"Matrix!\S+?(?=[,)*-]|$)", "R", formula)
    assert shape == "=100*(SUMPRODUCT(R,R)-R*SUMPRODUCT(R,--ISNUMBER(R)))/(R-R)", shape
    rows = dict(ends)  # lowest point in C, highest in E
    return column, int(rows["C"]), int(rows["E"])


def test_totals_are_live_formulas_over_the_matching_matrix_column(book):
    """Evaluate each total's formula by hand from the cells it names: it must give the total."""
    summary, matrix, weights = book["Summary"], book["Matrix"], book["Weights"]
    top = header_row(summary)
    m_top = header_row(matrix)
    for i in range(1, 5):
        name = summary.cell(top + i, 2).value
        column, low_row, high_row = _matrix_column(book, summary.cell(top + i, 6).value)
        low, high = matrix[f"C{low_row}"].value, matrix[f"E{high_row}"].value
        assert (low, high) == (0, 5)  # the committee's scale
        assert matrix[f"{column}{m_top}"].value == name  # the candidate's own column
        total = 0.0
        for row in range(m_top + 1, matrix.max_row + 1):
            weight_ref = matrix.cell(row, 5).value
            assert re.fullmatch(r"=Weights!I\d+", weight_ref)
            weight_row = int(weight_ref.split("I")[1])
            effective = weights.cell(weight_row, 10).value  # the value at export
            value = matrix[f"{column}{row}"].value
            if value is not None:
                total += effective * (value - low) / (high - low)
        assert 100 * total == pytest.approx(EXPECTED_TOTALS[name], abs=1e-9)
    rank = summary.cell(top + 1, 1).value
    assert rank.startswith("=IF(D") and "COUNTIFS" in rank and "1E-9" in rank
    assert "ISNUMBER" in summary.cell(top + 1, 7).value


def test_weights_sheet_derives_effective_weights_from_raw_ones(book):
    ws = book["Weights"]
    top = header_row(ws)
    rows = {ws.cell(r, 1).value: r for r in range(top + 1, top + 6)}
    assert list(rows) == ["support", "support.tiers", "support.response", "cost", "cost.fee"]
    tiers, support = rows["support.tiers"], rows["support"]
    assert ws.cell(tiers, 7).value == 2  # raw weight, an input
    assert (
        ws.cell(tiers, 8).value
        == f"=G{tiers}/SUMIF($E${top + 1}:$E${top + 5},E{tiers},$G${top + 1}:$G${top + 5})"
    )
    assert ws.cell(tiers, 9).value == f"=H{tiers}*I{support}"
    assert ws.cell(support, 9).value == f"=H{support}"
    assert ws.cell(tiers, 10).value == pytest.approx(0.5)
    # siblings share a group number, so SUMIF adds exactly them: tiers + response = 2 + 1
    group = ws.cell(tiers, 5).value
    siblings = [r for r in rows.values() if ws.cell(r, 5).value == group]
    assert sum(ws.cell(r, 7).value for r in siblings) == 3


def test_matrix_holds_values_on_the_committees_scale_blank_when_missing(book):
    ws = book["Matrix"]
    top = header_row(ws)
    assert [ws.cell(top, c).value for c in range(6, 10)] == [*RANKED_ORDER, FAILS]
    response = find_row(ws, 3, "support.response")
    assert [ws.cell(response, c).value for c in range(6, 10)] == [5, 3, None, 5]  # of 0-5
    assert [ws.cell(top - 2, c).value for c in range(1, 6)] == [
        "Scale",
        "Lowest point",
        0,
        "Highest point",
        5,
    ]
    assert ws.cell(response, 8).fill.fgColor.rgb.endswith("E3E8EE")
    assert ws.conditional_formatting  # the colour scale


def test_record_sheets_are_filterable_tables_with_unique_headers(book):
    for name in ("Scores", "Consensus", "Responses", "Committee", "Audit"):
        ws = book[name]
        (table,) = ws.tables.values()
        top = int(re.match(r"A(\d+)", table.ref).group(1))
        headers = [ws.cell(top, c).value for c in range(1, ws.max_column + 1)]
        assert len(set(headers)) == len(headers) and all(isinstance(h, str) for h in headers)
        assert ws.freeze_panes == f"A{top + 1}"
        assert ws.print_title_rows == f"${top}:${top}"
    scores = book["Scores"]
    assert scores.tables["ScoresTable"].ref == "A4:I11"  # 7 scores under the header
    row = find_row(scores, 8, "Only <i>Level 4</i> & nothing else.")
    assert [scores.cell(row, c).value for c in (1, 5, 7)] == [ACME, "Dr. Élodie Brandt", 1]
    audit = book["Audit"]
    assert audit.cell(5, 1).value == datetime(2025, 3, 1, 9, 0)
    assert audit.cell(5, 1).number_format == "yyyy-mm-dd hh:mm"


def test_layout_frozen_headers_widths_and_print_titles(book):
    summary = book["Summary"]
    top = header_row(summary)
    assert summary.freeze_panes == f"C{top + 1}"
    assert summary.print_title_rows == f"${top}:${top}"
    assert summary.column_dimensions["B"].width >= 30
    assert summary.cell(top + 1, 6).number_format == "0.0"
    assert book["Weights"].cell(header_row(book["Weights"]) + 1, 9).number_format == "0.00%"


def column_texts(ws, column: int) -> list[str]:
    top = header_row(ws)
    return [str(v) for (v,) in ws.iter_rows(top + 1, ws.max_row, column, column, True) if v]


def test_text_columns_are_as_wide_as_their_longest_text(book):
    """A tester read "Rated by com…" in the Weights sheet's Kind column and cut-off category
    and criterion names in the Matrix: those columns now fit their longest text (within a
    cap; the key columns have fixed widths)."""
    weights, matrix = book["Weights"], book["Matrix"]
    for ws, column, letter in ((weights, 3, "C"), (matrix, 2, "B"), (matrix, 4, "D")):
        longest = max(len(text) for text in column_texts(ws, column))
        assert ws.column_dimensions[letter].width >= min(longest, 78), (ws.title, letter)


def _formulas_and_strings(path: Path) -> tuple[list[str], list[str]]:
    """Every formula, and the text of every string cell (inline or shared), from the XML."""
    formulas, strings = [], []
    with zipfile.ZipFile(path) as archive:
        shared = []
        if "xl/sharedStrings.xml" in archive.namelist():
            table = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{MAIN}t")) for si in table]
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/sheet"):
                continue
            root = ElementTree.fromstring(archive.read(name))
            formulas += [f.text or "" for f in root.iter(f"{MAIN}f")]
            for c in root.iter(f"{MAIN}c"):
                if c.get("t") == "inlineStr":
                    strings.append("".join(t.text or "" for t in c.iter(f"{MAIN}t")))
                elif c.get("t") == "s":
                    strings.append(shared[int(c.find(f"{MAIN}v").text)])
    return formulas, strings


def test_user_text_never_becomes_a_formula(tmp_path):
    path = tmp_path / "hostile.xlsx"
    write(hostile_data(), path)
    formulas, strings = _formulas_and_strings(path)
    assert formulas  # the workbook does have its own formulas
    for formula in formulas:
        for fragment in ("HYPERLINK", "cmd", "A1:A9", "1+1", "N/A", "2+3"):
            assert fragment not in formula
    cells = {
        cell.value: cell
        for ws in openpyxl.load_workbook(path).worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    for text in INJECTIONS:
        stored = text.replace("\r", "\n")  # XML reads a raw carriage return back as a line feed
        assert any(stored == s.replace("\r", "\n") for s in strings), text  # a string cell
        cell = cells[stored]
        assert cell.data_type == "s", text  # text, not a formula and not an error value
        assert cell.quotePrefix, text  # editing it in Excel keeps it text (and "#N/A" no error)


def test_forbidden_control_characters_are_replaced_visibly(tmp_path):
    path = tmp_path / "hostile.xlsx"
    write(hostile_data(), path)
    ws = openpyxl.load_workbook(path)["Responses"]
    comments = [ws.cell(r, 6).value for r in range(5, ws.max_row + 1)]
    assert "bell␇and␀null" in comments


def test_over_long_text_is_shortened_explicitly_never_silently(tmp_path):
    path = tmp_path / "hostile.xlsx"
    warnings = write(hostile_data(), path)
    book = openpyxl.load_workbook(path)
    ws = book["Scores"]
    long_cells = [c for c in ws["H"] if isinstance(c.value, str) and "TRUNCATED" in c.value]
    assert len(long_cells) == 1
    cell = long_cells[0]
    assert len(cell.value) <= MAX_CELL_CHARS
    assert cell.value.startswith("Level 1 is partly subcontracted. xxx")
    full = len("Level 1 is partly subcontracted.") + 1 + 40_000
    assert f"the full text has {full:,} characters" in cell.value
    assert cell.comment is not None and "shortened" in cell.comment.text
    summary_text = " ".join(
        str(c.value) for row in book["Summary"].iter_rows() for c in row if c.value
    )
    assert f"Scores!{cell.coordinate}" in summary_text
    assert any("shortened" in w for w in warnings)


def test_a_failed_or_cancelled_render_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"the client's copy")
    with pytest.raises(Cancelled):
        write_with_cancel(path)
    assert path.read_bytes() == b"the client's copy"
    import reports.xlsx.record_sheets as records

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(records, "RECORD_SHEETS", (("Scores", broken),))
    with pytest.raises(RuntimeError, match="boom"):
        write(sample_data(), path)
    assert path.read_bytes() == b"the client's copy"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def write_with_cancel(path: Path) -> None:
    data = sample_data()
    report = build_report(data, score_evaluation(data), sample_audit(), Branding(), "9.9.9", WHEN)
    steps = []
    render_xlsx(report, path, progress=lambda d, t: steps.append(d), cancel=lambda: len(steps) >= 2)


def test_text_that_looks_like_workbook_markup_stays_that_text(tmp_path):
    """XlsxWriter copies a string that starts with <r> and ends with </r> into the file as
    rich-text XML; the safe writer keeps it escaped. Excel's _xHHHH_ escapes stay literal too."""
    from reports.xlsx.cells import Book, put_text

    texts = [
        "<r><t>fake</t></r><si><t>injected</t></si><r><t>x</t></r>",
        "<r></r>",
        "_x0041_ stays _x0041_",
        "=<r>quoted</r>",
    ]
    path = tmp_path / "markup.xlsx"
    book = Book(path)
    sheet = book.sheet("Sheet")
    for row, text in enumerate(texts, start=1):
        put_text(sheet, row, 1, text)
    book.close()
    _formulas, strings = _formulas_and_strings(path)  # every part still well-formed XML
    assert len(strings) == len(texts)
    ws = openpyxl.load_workbook(path).active
    assert [ws.cell(row, 1).value for row in range(1, len(texts) + 1)] == texts
    assert ws.cell(4, 1).quotePrefix and not ws.cell(1, 1).quotePrefix

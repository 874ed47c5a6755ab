"""The quarterly service review through the CLI (`scorecard export EVAL --quarter -o DIR`):
the PDF read back with pypdf (promise against delivery, breaches and credits, trends, the
worst P1 restores in order) and the workbook reopened (the same figures as the scorecard)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from cli import run
from evaluator import contracts
from evaluator.db import open_database
from tests.contract_fixtures import AWARD, WINNER, awarded, renewal
from tests.core_fixtures import target
from tools.make_tickets import generate, write_exports, write_table

pytestmark = pytest.mark.usefixtures("backend")


def cli(where: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([*args, "--db", where], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def reviewed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    """An awarded contract with a quarter of tickets (two P1s restored slowly: a hostile
    category name among them) and call statistics; the review exported."""
    monkeypatch.setenv("SUPPORTSCOPE_CONFIG", str(tmp_path / "config"))
    db, _ev = awarded(tmp_path)
    db.close()
    where = target(tmp_path / "t.db")
    for args in (
        ("contract", "create", AWARD, "--go-live", "2025-01-01", "--monthly-fee", "40000"),
    ):
        assert cli(where, *args)[0] == 0
    tickets = generate(300, start="2025-01", months=3, seed=3)
    paths = write_exports(tmp_path / "x", tickets, shapes=("generic",))
    slow = write_table(
        [
            ["ticket_id", "opened", "first_response", "resolved", "priority", "category"],
            ["SLOW-1", "2025-02-03T10:00:00Z", "2025-02-03T10:05:00Z", "2025-02-04T10:00:00Z",
             "P1", "=HYPERLINK(\"x\")"],
            ["SLOW-2", "2025-03-03T10:00:00Z", "2025-03-03T10:05:00Z", "2025-03-03T22:00:00Z",
             "P1", "Orders"],
        ],
        tmp_path / "x" / "slow.csv",
    )  # fmt: skip
    code, _out, err = cli(where, "tickets", "import", AWARD, *map(str, [*paths, slow]),
                          "--preset", "generic")  # fmt: skip
    assert code == 0, err
    calls = write_table(
        [["Month", "Offered", "Answered", "Abandoned", "ASA (s)"],
         ["2025-01", 1000, 950, 50, 20], ["2025-02", 1000, 850, 150, 55]],
        tmp_path / "calls.csv",
    )  # fmt: skip
    assert cli(where, "calls", "import", AWARD, str(calls))[0] == 0
    out_dir = tmp_path / "review"
    out_dir.mkdir()
    code, out, err = cli(where, "scorecard", "export", AWARD, "--quarter", "2025-Q1", "-o",
                         str(out_dir))  # fmt: skip
    assert code == 0, err
    assert out.count("wrote ") == 2
    return where, out_dir


def test_the_pdf_says_promise_delivery_breaches_credits_and_worst_tickets(reviewed) -> None:
    where, out_dir = reviewed
    pdf = next(out_dir.glob("*.pdf"))
    assert pdf.name == "harbor-point-support-award-service-review-2025-Q1.pdf"
    reader = PdfReader(pdf)
    text = "\n".join(page.extract_text() for page in reader.pages)
    db = open_database(where, create=False)
    try:
        card = contracts.scorecard(db, AWARD, quarter="2025-Q1")
    finally:
        db.close()
    quarter = card.quarter
    assert f"{WINNER}: 2025-Q1" in text and "Quarterly service review" in text
    assert "Promise against delivery" in text and "Abandoned calls" in text
    assert f"{quarter.credit:,.2f}" in text and quarter.breaches
    assert "breached" in text and "Abandoned calls" in quarter.breaches
    assert "Trends over the first year" in text
    worst = text[text.index("longest P1 restores") :]
    assert worst.index("SLOW-1") < worst.index("SLOW-2")  # 24 h before 12 h
    assert "24.0 h" in worst and "Account manager and a named lead analyst" in text
    assert reader.metadata.title == f"{AWARD} — service review 2025-Q1"


def test_the_workbook_holds_the_same_figures_and_user_text_stays_text(reviewed) -> None:
    where, out_dir = reviewed
    book = load_workbook(next(out_dir.glob("*.xlsx")))
    db = open_database(where, create=False)
    try:
        quarter = contracts.scorecard(db, AWARD, quarter="2025-Q1").quarter
    finally:
        db.close()
    sheet = book["Quarter"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=6, values_only=True) if r[0]}
    abandoned = quarter.metric("abandonment")
    assert rows["Abandoned calls"][1:4] == (
        abandoned.target,
        pytest.approx(abandoned.value),
        "✗ breached",
    )
    assert abandoned.value == pytest.approx(200 / 2000)
    breaches = book["Breaches"]
    assert breaches.cell(breaches.max_row, 3).value == pytest.approx(quarter.credit)
    worst = book["Worst tickets"]
    listed = [worst.cell(r, 1).value for r in range(2, worst.max_row + 1)]
    slow = [r for r, name in enumerate(listed, start=2) if name.startswith("SLOW")]
    assert [listed[r - 2] for r in slow] == ["SLOW-1", "SLOW-2"]  # 24 h before 12 h
    open_first = [worst.cell(r, 3).value for r in range(2, slow[0])]
    assert all(v == "still open" or v >= 24 * 60 for v in open_first)
    assert worst.cell(slow[0], 3).value == 24 * 60
    cell = worst.cell(slow[0], 5)
    assert cell.data_type == "s" and "HYPERLINK" in cell.value
    assert len(book["Months"]["A"]) - 4 == 3  # January to March


def test_a_failed_export_leaves_existing_files_and_names_the_problem(reviewed, tmp_path) -> None:
    where, out_dir = reviewed
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    code, _out, err = cli(where, "scorecard", "export", AWARD, "--quarter", "2025-Q9", "-o",
                          str(out_dir))  # fmt: skip
    assert code == 2 and "YYYY-Qn" in err
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    code, _out, err = cli(where, "scorecard", "export", AWARD, "--quarter", "2025-Q1", "-o",
                          str(a_file))  # fmt: skip
    assert code == 2 and "it is a file" in err and a_file.read_text() == "not a folder"
    code, _out, err = cli(where, "scorecard", "export", AWARD, "--quarter", "2025-Q1", "-o",
                          str(tmp_path / "new" / "reviews"))  # fmt: skip
    assert code == 0, err
    assert len(list((tmp_path / "new" / "reviews").iterdir())) == 2
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before


@pytest.mark.sqlite_only
def test_the_evaluation_report_shows_a_bidders_earlier_delivery_beside_its_profile(
    tmp_path, backend
) -> None:
    """Close the loop in the client report: the earlier winner's profile says what it delivered
    (the same sentence as `contract record`); a newcomer's profile says nothing of the kind."""
    from reports.export import export_reports

    db, _ = awarded(tmp_path)
    contracts.create_contract(db, AWARD, go_live=date(2025, 1, 1), monthly_fee=10_000)
    paths = write_exports(
        tmp_path / "o", generate(200, start="2025-01", months=3, seed=4), shapes=("generic",)
    )
    contracts.import_tickets(db, AWARD, paths, preset="generic")
    again = renewal(db)
    export_reports(db, again, tmp_path / "again.pdf", None)
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "again.pdf").pages)
    text = " ".join(text.split())
    (record,) = contracts.track_records(db, again)
    assert record.candidate == WINNER
    assert text.count("Delivered for this client before") == 1
    assert " ".join(record.sentence().split())[:60] in text

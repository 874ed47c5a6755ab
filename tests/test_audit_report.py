"""A printed report pins the record: the appendix names the audit chain's head hash and entry
count and says whether the chain verified; the workbook's Audit sheet carries every hash."""

from __future__ import annotations

import openpyxl
import pypdf

from reports.export import export_reports
from tests.test_audit_chain import rows, scored, tamper


def appendix_text(path) -> str:
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return " ".join(text[text.index("Audit summary") :].split())


def test_the_report_prints_the_head_hash_and_the_workbook_every_hash(tmp_path):
    db, ev = scored(tmp_path)
    entries = rows(db.path)
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    export_reports(db, ev, pdf, xlsx)
    text = appendix_text(pdf)
    assert f"Audit chain: {len(entries)} entries, head hash {entries[-1]['hash']}" in text
    assert "Checked when this report was made: intact." in text
    sheet = openpyxl.load_workbook(xlsx)["Audit"]
    header = [cell.value for cell in sheet[4]]
    hashes = [sheet.cell(5 + i, header.index("Entry hash") + 1).value for i in range(len(entries))]
    assert hashes == [r["hash"] for r in entries]
    notes = [str(cell.value) for row in sheet.iter_rows(max_row=3) for cell in row]
    assert any(f"head hash is {entries[-1]['hash']}" in note for note in notes)


def test_a_report_of_a_broken_record_says_so(tmp_path):
    db, ev = scored(tmp_path)
    tamper(db.path, "UPDATE scores SET value = 0 WHERE justification = 'Second look'")
    pdf = tmp_path / "r.pdf"
    export_reports(db, ev, pdf)
    text = appendix_text(pdf)
    assert "Checked when this report was made: NOT intact: stored values differ" in text
    assert "the stored score is 0 but the record says 3" in text

"""The PDF report and the export around it, checked through the text a reader would see."""

from __future__ import annotations

import dataclasses
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pypdf
import pytest

from criteria.demo import build_demo
from evaluator import services
from evaluator.db import open_database
from evaluator.domain import Score, Status
from evaluator.progress import Cancelled
from evaluator.scoring import score_evaluation
from reports.branding import Branding
from reports.data import build_report
from reports.export import ExportError, export_reports
from reports.pdf import render_pdf
from tests.report_fixtures import (
    FAILS,
    NORTHWIND,
    RANKED_ORDER,
    sample_audit,
    sample_data,
)

WHEN = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)
CANDIDATES_IN_ORDER = [*RANKED_ORDER, FAILS]


def report_for(data, branding: Branding | None = None):
    return build_report(
        data, score_evaluation(data), sample_audit(), branding or Branding(), "9.9.9", WHEN
    )


def pdf_text(path: Path) -> list[str]:
    """Each page's text with runs of white space collapsed to one space."""
    reader = pypdf.PdfReader(str(path))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    render_pdf(report_for(sample_data()), path)
    return path


def test_executive_summary_lists_the_ranking_in_order(sample_pdf):
    summary = next(page for page in pdf_text(sample_pdf)[1:] if "1 Executive summary" in page)
    table = summary.split("Totals by category")[0]
    positions = [table.index(name) for name in CANDIDATES_IN_ORDER]
    assert positions == sorted(positions)
    assert "95.0 100% Ranked" in table
    assert "60.8 75% ? Provisional: the gate “Signs the business associate agreement” is" in table
    assert "✗ Disqualified: failed the gate “Signs the business associate agreement”" in table
    assert f"{NORTHWIND} ranks 1st of 3 with 95.0 points." in summary


def test_every_candidate_has_a_section_with_its_content(sample_pdf):
    text = " ".join(pdf_text(sample_pdf))
    for number, name in enumerate(CANDIDATES_IN_ORDER, start=1):
        assert f"3.{number} {name}" in text
    # the justifications are in the workbook and the optional appendix, not in the body
    assert "Only <i>Level 4</i> & nothing else." not in text and "Appendix B" not in text
    assert "100,000 € per year" in text  # a key answer with its unit
    assert "Worked for Northwind until 2019." in text  # a conflict-of-interest declaration
    assert "Agreed at 3 after the reference calls." in text  # a consensus decision
    assert "A.1 Criteria and weights" in text and "A.3 Formulas" in text
    assert "SupportScope 9.9.9" in text


def test_the_appendix_prints_each_members_justification(tmp_path):
    path = tmp_path / "appendix.pdf"
    render_pdf(report_for(sample_data()), path, appendix=True)
    pages = pdf_text(path)
    appendix = " ".join(pages[next(i for i, p in enumerate(pages) if "Appendix B" in p and i) :])
    assert "Appendix B Criterion detail" in pages[0]  # listed in the contents
    assert "Only <i>Level 4</i> & nothing else." in appendix  # printed as written
    for name in CANDIDATES_IN_ORDER:
        assert f"Justifications: {name}" in appendix


def test_cover_contents_give_the_page_each_section_starts_on(sample_pdf):
    pages = pdf_text(sample_pdf)
    cover = pages[0].split("CONTENTS")[1]
    entries = [f"3.{i} {name}" for i, name in enumerate(CANDIDATES_IN_ORDER, 1)]
    entries += ["1 Executive summary", "4 Committee and consensus", "Appendix A Methodology"]
    for entry in entries:
        listed = int(re.search(rf"{re.escape(entry)} (\d+)", cover).group(1))
        starts = next(i for i, text in enumerate(pages[1:], start=2) if entry in text)
        assert listed == starts, entry


def test_markup_in_vendor_text_is_printed_not_interpreted(sample_pdf):
    text = " ".join(pdf_text(sample_pdf))
    assert "<b>Acme</b> & Co ranks 2nd of 3" in text
    assert "Includes <b>all</b> levels" in text


def test_outline_has_one_entry_per_section_and_candidate(sample_pdf):
    reader = pypdf.PdfReader(str(sample_pdf))

    def titles(entries) -> list:
        return [titles(e) if isinstance(e, list) else e.title for e in entries]

    outline = titles(reader.outline)
    assert outline[:4] == [
        "Cover",
        "1  Executive summary",
        "2  Category comparison",
        "3  Candidate profiles",
    ]
    assert outline[4] == [f"3.{i}  {name}" for i, name in enumerate(CANDIDATES_IN_ORDER, 1)]
    assert "4  Committee and consensus" in outline
    assert "Appendix A  Methodology" in outline
    appendix = outline[outline.index("Appendix A  Methodology") + 1]
    assert "A.5  Audit summary" in appendix
    first_profile = reader.outline[4][0]
    assert reader.get_destination_page_number(first_profile) > 2


def test_metadata_page_numbers_and_embedded_unicode_fonts(sample_pdf):
    reader = pypdf.PdfReader(str(sample_pdf))
    meta = reader.metadata
    assert meta.title == "Riverside Support Review — ü é € — evaluation report"
    assert meta.author == "SupportScope"
    assert "Riverside Community Hospital" in meta.subject
    pages = pdf_text(sample_pdf)
    total = len(pages)
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in page
    assert "Zephyr Médical Support" in pages[1] and "ü é €" in pages[0]
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] == "/TrueType", font["/BaseFont"]
            assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_drafts_carry_a_watermark_and_final_reports_do_not(tmp_path, sample_pdf):
    assert all("DRAFT" in page for page in pdf_text(sample_pdf))
    final = tmp_path / "final.pdf"
    render_pdf(report_for(sample_data(Status.FINAL)), final)
    assert not any("DRAFT" in page for page in pdf_text(final))


def test_long_text_wraps_and_splits_across_pages(tmp_path):
    data = sample_data()
    essay = " ".join(f"word{i}" for i in range(9_000)) + " THE-END-OF-THE-ESSAY"
    unbroken = "y" * 6_000
    data.scores.append(Score(2, 3, "support.tiers", 3, f"{unbroken} {essay}"))
    data.candidates[0] = dataclasses.replace(data.candidates[0], notes="n" * 3_000)
    path = tmp_path / "long.pdf"
    render_pdf(report_for(data), path, appendix=True)  # justifications are in the appendix
    pages = pdf_text(path)
    holding = [i for i, page in enumerate(pages) if "word" in page and "THE-END" not in page]
    assert len(pages) > 15 and holding  # the essay runs over several pages
    assert any("THE-END-OF-THE-ESSAY" in page for page in pages)


def test_progress_rises_to_the_end_and_cancel_leaves_the_old_file(tmp_path):
    path = tmp_path / "report.pdf"
    seen: list[tuple[int, int]] = []
    render_pdf(report_for(sample_data()), path, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)
    before = path.read_bytes()
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 3  # cancel in the middle of the layout

    with pytest.raises(Cancelled):
        render_pdf(report_for(sample_data(Status.FINAL)), path, cancel=cancel)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no temporary left behind


def _png(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (120, 40), (200, 30, 30)).save(path)
    return path


def test_branding_logo_and_accent_appear_and_a_missing_logo_only_warns(tmp_path):
    logo = _png(tmp_path / "logo.png")
    branding = Branding("Harbourline Advisory", str(logo), "#7A1F5C", "Jo Example")
    path = tmp_path / "branded.pdf"
    assert render_pdf(report_for(sample_data(), branding), path) == []
    reader = pypdf.PdfReader(str(path))
    cover = reader.pages[0]
    images = [
        x
        for x in cover["/Resources"]["/XObject"].values()
        if x.get_object()["/Subtype"] == "/Image"
    ]
    assert len(images) == 1
    assert "Harbourline Advisory" in pdf_text(path)[0]
    assert "Jo Example, Harbourline Advisory" in pdf_text(path)[0]
    missing = Branding("Harbourline Advisory", str(tmp_path / "gone.png"))
    warnings = render_pdf(report_for(sample_data(), missing), tmp_path / "plain.pdf")
    assert len(warnings) == 1 and "gone.png" in warnings[0]


# ---- the export: database in, files out ------------------------------------------------------


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("db") / "demo.db")
    evaluation = build_demo(db)
    yield db, evaluation
    db.close()


def test_export_writes_both_files_from_the_database(demo_db, tmp_path):
    db, evaluation = demo_db
    pdf, xlsx = tmp_path / "out.pdf", tmp_path / "out.xlsx"
    seen: list[int] = []
    result = export_reports(db, evaluation, pdf, xlsx, progress=lambda d, t: seen.append(d))
    assert (result.pdf_path, result.xlsx_path) == (pdf, xlsx)
    assert seen[-1] == 1000 and seen == sorted(seen)
    data = services.load_evaluation(db, evaluation)
    names = {c.id: c.name for c in data.candidates}
    order = [names[r.candidate_id] for r in score_evaluation(data).candidates]
    summary = next(page for page in pdf_text(pdf)[1:] if "1 Executive summary" in page)
    table = summary.split("Totals by category")[0]
    assert [table.index(name) for name in order] == sorted(table.index(name) for name in order)
    text = " ".join(pdf_text(pdf))
    for number, name in enumerate(order, start=1):  # the disqualified candidate comes last
        assert f"3.{number} {name}" in text
    assert "is disqualified: it failed the gate" in text
    workbook = openpyxl.load_workbook(xlsx)
    summary_sheet = workbook["Summary"]
    exported = [c.value for c in summary_sheet["B"] if c.value in order]
    assert exported == order


def test_a_failed_export_leaves_existing_files_byte_identical(demo_db, tmp_path, monkeypatch):
    db, evaluation = demo_db
    pdf, xlsx = tmp_path / "keep.pdf", tmp_path / "keep.xlsx"
    pdf.write_bytes(b"old pdf")
    xlsx.write_bytes(b"old workbook")

    import reports.xlsx.model_sheets as sheets

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(sheets, "write_matrix", broken)
    with pytest.raises(ExportError, match=r"Excel workbook .*keep\.xlsx.*disk on fire.*unchanged"):
        export_reports(db, evaluation, pdf, xlsx)
    assert pdf.read_bytes() == b"old pdf"  # the PDF had been made, but is not moved in alone
    assert xlsx.read_bytes() == b"old workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.pdf", "keep.xlsx"]


def test_export_explains_unwritable_targets(demo_db, tmp_path):
    db, evaluation = demo_db
    with pytest.raises(ExportError, match=r"folder .*missing.* does not exist"):
        export_reports(db, evaluation, pdf_path=tmp_path / "missing" / "r.pdf")
    with pytest.raises(ExportError, match="is a folder"):
        export_reports(db, evaluation, xlsx_path=tmp_path)
    with pytest.raises(ExportError, match="nothing to export"):
        export_reports(db, evaluation)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write anywhere")
def test_export_explains_a_read_only_folder(demo_db, tmp_path):
    db, evaluation = demo_db
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "r.pdf").write_bytes(b"old")
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match=r"could not write the PDF .*r\.pdf.*unchanged"):
            export_reports(db, evaluation, pdf_path=folder / "r.pdf")
        assert (folder / "r.pdf").read_bytes() == b"old"
    finally:
        folder.chmod(0o700)


def test_the_report_embeds_the_dejavu_sans_shipped_with_the_package(sample_pdf):
    """Every machine renders the same report: the font is the package's copy, not the system's."""
    import reports
    from reports.pdf import fonts

    shipped = Path(reports.__file__).resolve().parent / "fonts"
    label, paths = fonts._find_family()
    assert label == "DejaVu Sans"
    assert [path.parent for path in paths] == [shipped] * 4
    assert all(path.is_file() for path in paths)
    assert "Bitstream Vera" in (shipped / "LICENSE-DejaVu.txt").read_text("utf-8")
    embedded = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in pypdf.PdfReader(str(sample_pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert embedded and all(name.startswith("DejaVuSans") for name in embedded), embedded


def test_characters_the_font_cannot_draw_are_replaced_visibly():
    from reports.pdf.fonts import report_fonts

    fonts = report_fonts()
    assert fonts.drawable("Zürich — €5\nnext") == "Zürich — €5\nnext"
    assert fonts.drawable("bell\x07") == f"bell{fonts.replacement}"
    assert fonts.drawable("\U0001d11e clef") == f"{fonts.replacement} clef"  # no glyph

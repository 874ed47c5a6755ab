"""Make the committed questionnaire fixture that LibreOffice (not openpyxl) saved.

Steps: write the Lakeside questionnaire template with SupportScope's own code, fill it with
openpyxl the way vendors do (rows reordered, Yes/y/TRUE, 35%/0.35/35, a number stored as text,
a formula, an Excel error, an unreadable answer, blanks, an extra column and a note row), then
open and save it with LibreOffice headless, so the committed file is LibreOffice's own
rendering of it (its XML, shared strings, styles and cached formula values).

Usage: .venv/bin/python tools/make_fixtures.py   (needs `soffice` on the PATH)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import load_workbook  # noqa: E402

from evaluator.questionnaire.template import write_questionnaire_template  # noqa: E402
from tests.excel_fixtures import (  # noqa: E402
    EVALUATION,
    FIXTURE_ANSWERS,
    FIXTURE_CANDIDATE,
    LOFFICE_FIXTURE,
    fill_questionnaire,
    lakeside_db,
)

COMMENTS = {
    "support.own-staff": "All Level 2 analysts are employees.",
    "offshore.share": "Night shift only.",
}


def libreoffice_resave(source: Path, out_dir: Path) -> Path:
    """Open `source` in LibreOffice headless and save it as .xlsx in `out_dir`."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit(
            "soffice not found: apt-get install -y --no-install-recommends libreoffice-calc-nogui"
        )
    profile = out_dir / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out_dir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    saved = out_dir / source.name
    if not saved.exists():
        raise SystemExit(f"LibreOffice did not write {saved}")
    return saved


def saved_by(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("docProps/app.xml").decode("utf-8", "replace")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        db, _ = lakeside_db(work)
        template = work / "template.xlsx"
        write_questionnaire_template(db, EVALUATION, template, FIXTURE_CANDIDATE)
        db.close()
        filled = fill_questionnaire(
            template, work / "filled.xlsx", FIXTURE_ANSWERS, COMMENTS, reverse_rows=True
        )
        workbook = load_workbook(filled)
        sheet = workbook["Questionnaire"]
        sheet["G4"] = "Vendor reference"  # an extra column the vendor added
        sheet["G5"] = "RFP-2026-114"
        last = 5 + len(FIXTURE_ANSWERS)
        sheet.cell(last + 1, 1, "Prepared by Jo Quill, bid manager (fictitious)")  # a note row
        workbook.save(filled)
        out = work / "out"
        out.mkdir()
        saved = libreoffice_resave(filled, out)
        if "LibreOffice" not in saved_by(saved):
            raise SystemExit("the converted file does not say LibreOffice saved it")
        LOFFICE_FIXTURE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(saved, LOFFICE_FIXTURE)
    print(f"wrote {LOFFICE_FIXTURE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

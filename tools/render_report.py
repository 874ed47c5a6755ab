"""Render the demo evaluation's reports and save a few representative PDF pages as PNG.

    .venv/bin/python tools/render_report.py [--out docs/report] [--keep-files]

Builds the demo evaluation in a temporary database, exports the branded PDF and the Excel
workbook (with a made-up consultancy's logo), and converts the cover, executive summary,
category comparison, a candidate profile, the committee and sensitivity sections and the
methodology appendix to PNG with poppler's `pdftoppm -r 60`. Needs poppler-utils; every name
in the demo is fictitious.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from criteria.demo import build_demo  # noqa: E402
from evaluator.db import open_database  # noqa: E402
from reports.branding import Branding  # noqa: E402
from reports.export import export_reports  # noqa: E402

PAGES = (  # (file name, a heading that starts the page, which occurrence)
    ("1-cover", "EVALUATION REPORT"),
    ("2-executive-summary", "1 Executive summary"),
    ("3-category-comparison", "2 Category comparison"),
    ("4-candidate-profile", "3.1 "),
    ("5-candidate-detail", "Key questionnaire answers"),
    ("6-committee", "4 Committee and consensus"),
    ("8-sensitivity", "5 Sensitivity of the result"),
    ("7-methodology", "Appendix A Methodology"),
)
MAX_PNG_BYTES = 300_000


def demo_logo(path: Path) -> Path:
    """A made-up consultancy's mark: initials on a rounded square."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (360, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((4, 4, 116, 116), radius=18, fill="#0E5A61")
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", 54)
        small = ImageFont.truetype("DejaVuSans-Bold.ttf", 30)
    except OSError:
        font = small = ImageFont.load_default()
    draw.text((60, 60), "HA", fill="white", font=font, anchor="mm")
    draw.text((132, 38), "Harbourline", fill="#0E5A61", font=small)
    draw.text((132, 76), "Advisory", fill="#0E5A61", font=small)
    image.save(path)
    return path


def page_numbers(pdf: Path) -> dict[str, int]:
    """The first page (1-based) that holds each wanted heading; after the cover, whose
    contents list every heading too."""
    import pypdf

    texts = [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(str(pdf)).pages]
    found = {}
    for name, heading in PAGES:
        first = 1 if name.endswith("cover") else 2
        page = next(
            (i for i, text in enumerate(texts, start=1) if i >= first and heading in text), None
        )
        if page is not None:
            found[name] = page
    return found


def render(out: Path, keep_files: bool) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm is missing: apt-get install poppler-utils")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        db = open_database(work / "demo.db")
        try:
            evaluation = build_demo(db)
            branding = Branding(
                firm_name="Harbourline Advisory",
                logo_path=str(demo_logo(work / "logo.png")),
                accent_colour="#0E5A61",
                prepared_by="Jordan Ellery, Principal",
            )
            pdf, xlsx = work / "demo-report.pdf", work / "demo-report.xlsx"
            export_reports(db, evaluation, pdf, xlsx, branding)
        finally:
            db.close()
        written = []
        for name, page in page_numbers(pdf).items():
            stem = out / f"page-{name}"
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "60",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-singlefile",
                    str(pdf),
                    str(stem),
                ],
                check=True,
            )
            png = stem.with_suffix(".png")
            if png.stat().st_size > MAX_PNG_BYTES:
                raise SystemExit(f"{png} is larger than {MAX_PNG_BYTES} bytes")
            written.append(png)
        if keep_files:
            for path in (pdf, xlsx):
                shutil.copy(path, out / path.name)
                written.append(out / path.name)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report")
    parser.add_argument(
        "--keep-files", action="store_true", help="also copy the PDF and workbook to --out"
    )
    args = parser.parse_args()
    for path in render(args.out, args.keep_files):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
